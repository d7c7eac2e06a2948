"""Keys and uniqueness across processes: AutoField values from sequences reserved with
lightweight transactions, unique values claimed with IF NOT EXISTS. Separate Python processes
write to the test keyspace at the same moment (they start together on a signal file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as test_settings
from django.db import connection
from ormapp.models import Author
from testproject import settings as project_settings

pytestmark = pytest.mark.django_db(databases=["default"])
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TIMEOUT_S = 300  # bounds a hung process; not a speed expectation

CHILD = """
import json, os, sys, time
from pathlib import Path
import django
from django.conf import settings

database = json.loads(os.environ["CHILD_DATABASE"])
if os.environ.get("CHILD_RETRY_READS"):
    from django_cassandra_engine.policies import RetryReads

    database["OPTIONS"]["connection"]["default_retry_policy"] = RetryReads()
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "ormapp"],
    DATABASES={"default": database},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    USE_TZ=True,
    CASSANDRA_ID_BLOCK_SIZE=int(os.environ.get("CHILD_BLOCK", "100")),
)
django.setup()
from django.db import IntegrityError
from ormapp.models import Author

go = Path(os.environ["CHILD_GO"])
while not go.exists():
    time.sleep(0.005)
outcome = {"ids": [], "created": [], "taken": []}
for name in json.loads(os.environ["CHILD_NAMES"]):
    try:
        outcome["ids"].append(Author.objects.create(name=name, country="ZZ").pk)
        outcome["created"].append(name)
    except IntegrityError:
        outcome["taken"].append(name)
print(json.dumps(outcome))
"""


def child_database() -> dict:
    """The test keyspace, as a process outside this test run reaches it."""
    database = {
        "ENGINE": "django_cassandra_engine",
        "NAME": connection.settings_dict["NAME"],
        "OPTIONS": {"replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1}},
    }
    if test_settings.TARGET == "cassandra":
        # RF 3 and QUORUM on a cluster; its retry policy is made by the child (not JSON).
        options = test_settings.CLUSTER_OPTIONS
        driver_options = dict(options.get("connection", {}))
        driver_options.pop("default_retry_policy", None)
        database["OPTIONS"] = {**options, "connection": driver_options}
        database["HOST"] = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
        database["PORT"] = int(os.environ.get("CASSANDRA_PORT", "19042"))
    else:
        from django_cassandra_engine import embedded

        address = embedded.test_server.address()
        database["HOST"], database["PORT"] = address.host, address.port
    if project_settings.child_tls_options():  # a TLS run (make django-test-tls)
        driver_options = database["OPTIONS"].get("connection", {})
        database["OPTIONS"]["connection"] = {
            **driver_options,
            **project_settings.child_tls_options(),
        }
    database.update(project_settings.child_credentials())  # an auth run (make auth-test)
    return database


def race(tmp_path: Path, names_per_child: list[list[str]], block: int = 100) -> list[dict]:
    go = tmp_path / "go"
    env_base = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        "CHILD_DATABASE": json.dumps(child_database()),
        "CHILD_GO": str(go),
        "CHILD_BLOCK": str(block),
        "CHILD_RETRY_READS": "1" if test_settings.ON_CLUSTER else "",
    }
    env_base.pop("DJANGO_SETTINGS_MODULE", None)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD],
            env={**env_base, "CHILD_NAMES": json.dumps(names)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for names in names_per_child
    ]
    time.sleep(2)  # each child has imported Django and waits for the signal
    go.touch()
    outcomes = []
    for child in children:
        out, err = child.communicate(timeout=TIMEOUT_S)
        assert child.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return outcomes


def test_auto_field_values_are_unique_across_processes(tmp_path):
    names = [[f"p{p}-{i}" for i in range(25)] for p in range(4)]
    outcomes = race(tmp_path, names, block=8)
    ids = [i for outcome in outcomes for i in outcome["ids"]]
    assert len(ids) == 100 and len(set(ids)) == 100
    for outcome in outcomes:
        assert outcome["ids"] == sorted(outcome["ids"])  # increasing within a process
    assert Author.objects.filter(country="ZZ").count() == 100


def test_concurrent_creates_of_one_unique_value_leave_one_row(tmp_path):
    contested = [f"same-{i}" for i in range(10)]
    outcomes = race(tmp_path, [contested, contested])
    for name in contested:
        created = sum(name in o["created"] for o in outcomes)
        refused = sum(name in o["taken"] for o in outcomes)
        assert (created, refused) == (1, 1), name
        assert Author.objects.filter(name=name).count() == 1
