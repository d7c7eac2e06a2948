"""A test run never touches the live keyspaces.

A project with every kind of Cassandra model (DjangoCassandraModel and plain cqlengine models;
no ``__keyspace__``, a ``__keyspace__`` that is a database's NAME, one that is no database's,
``__connection__``) is pointed at a shared server, given rows in its live keyspaces, and then
runs ``manage.py test`` whose tests write, read, delete and flush every model. Every row of
every live table (values and write times) must be the same after the run as before.

On the cqld target the server is a cqld of this test's own reached through HOST/PORT, as a real
cluster is (the embedded default would give the test run a separate in-memory server, which
proves nothing here).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cassandra import ConsistencyLevel
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
from cassandra.policies import RetryPolicy
from django.conf import settings as test_settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
TIMEOUT_S = 900  # bounds a hung subprocess; not a speed expectation
LIVE_KEYSPACES = ("live_main", "live_other", "live_archive")

MODELS = """
import uuid

from cassandra.cqlengine import columns
from cassandra.cqlengine.models import Model

from django_cassandra_engine.models import DjangoCassandraModel


class Entry(DjangoCassandraModel):
    entry_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


class OtherDatabaseEntry(DjangoCassandraModel):
    __keyspace__ = "live_other"  # the NAME of the database 'other'
    entry_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


class ArchiveEntry(DjangoCassandraModel):
    __keyspace__ = "live_archive"  # no database's NAME
    entry_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


class PlainEntry(Model):
    entry_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


class PlainMainEntry(Model):
    __keyspace__ = "live_main"
    entry_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


class PlainArchiveEntry(Model):
    __keyspace__ = "live_archive"
    entry_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


class PlainOtherEntry(Model):
    __connection__ = "other"
    __keyspace__ = "live_other"
    entry_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    text = columns.Text()


ALL = [Entry, OtherDatabaseEntry, ArchiveEntry, PlainEntry, PlainMainEntry, PlainArchiveEntry,
       PlainOtherEntry]
"""

# Live rows: the tables of each model in the keyspace it reads outside tests.
SEED = """
from django.db import connections
from ledger.models import ALL

with connections["default"].schema_editor() as editor:
    editor.create_keyspace("live_archive")
    for model in ALL:
        alias = model.__connection__ or "default"
        with connections[alias].schema_editor() as target:
            target.sync_model(model, keyspace=model._get_keyspace())
for model in ALL:
    for i in range(3):
        model.objects.create(text=f"live {i}")
print("seeded", {model.__name__: model.objects.count() for model in ALL})
"""

TESTS = """
from django.db import connections

from django_cassandra_engine.test import TestCase

from ledger.models import ALL


class EveryModelUsesTheTestKeyspace(TestCase):
    def test_keyspaces_are_test_keyspaces(self):
        for model in ALL:
            self.assertTrue(model._get_keyspace().startswith("test_"), model)

    def test_write_read_delete(self):
        for model in ALL:
            self.assertEqual(model.objects.count(), 0, model)  # no live rows seen
            made = [model.objects.create(text=f"test {i}") for i in range(4)]
            self.assertEqual(model.objects.count(), 4, model)
            made[0].delete()
            model.objects(entry_id=made[1].entry_id).update(text="changed")
            self.assertEqual(model.objects.count(), 3, model)

    def test_delete_everything(self):
        for model in ALL:
            model.objects.create(text="doomed")
            for row in model.objects.all():
                row.delete()
            self.assertEqual(model.objects.count(), 0, model)

    def test_raw_cql_through_the_cursor(self):
        # Unqualified raw CQL through a database's cursor runs in its test keyspace. The row
        # left in each table is the flush's to remove (test_write_read_delete, which runs next,
        # sees none). Not TRUNCATE: Cassandra refuses it while a node is down, and this suite
        # also runs on a cluster with a node killed (make test-cluster).
        for alias in ("default", "other"):
            keyspace = connections[alias].keyspace
            tables = [model.column_family_name(include_keyspace=False) for model in ALL
                      if model._get_keyspace() == keyspace]
            self.assertTrue(tables, alias)
            with connections[alias].cursor() as cursor:
                for table in tables:
                    cursor.execute(f"INSERT INTO {table} (entry_id, text) VALUES (uuid(), 'raw')")
                    cursor.execute(f"SELECT text FROM {table}")
                    self.assertEqual([tuple(row) for row in cursor.fetchall()], [("raw",)], table)
"""


def settings_text(host: str, port: int) -> str:
    user = os.environ.get("CASSANDRA_USER", "") if test_settings.TARGET == "cassandra" else ""
    password = os.environ.get("CASSANDRA_PASSWORD", "") if user else ""

    options = {"replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1}}
    if test_settings.TARGET == "cassandra":
        options = test_settings.CLUSTER_OPTIONS  # RF 3 and QUORUM on a cluster
    options = {
        **options,
        "connection": {"connect_timeout": 30, **options.get("connection", {})},
        "session": {"default_timeout": 60},
    }

    def database(name: str) -> str:
        return (
            f"{{'ENGINE': 'django_cassandra_engine', 'NAME': '{name}', 'HOST': '{host}', "
            f"'PORT': {port}, 'USER': '{user}', 'PASSWORD': '{password}', "
            f"'OPTIONS': {options!r}}}"
        )

    return test_settings.SETTINGS_IMPORTS + textwrap.dedent(f"""
        SECRET_KEY = "tests-only"
        INSTALLED_APPS = ["django_cassandra_engine", "ledger"]
        DATABASES = {{"default": {database("live_main")}, "other": {database("live_other")}}}
        USE_TZ = False
    """)


def start_cqld() -> tuple[subprocess.Popen, int]:
    binary = os.environ["CQLD_BINARY"]
    proc = subprocess.Popen(
        [binary, "--memory", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline().decode()
        match = re.search(r"listening on \S+:(\d+)", line)
        if match:
            return proc, int(match.group(1))
    proc.kill()
    pytest.fail("cqld did not start")


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    if test_settings.TARGET == "cqld":
        proc, port = start_cqld()
        yield "127.0.0.1", port
        proc.terminate()
        proc.wait(timeout=60)
        return
    host = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
    port = int(os.environ.get("CASSANDRA_PORT", "19042"))
    yield host, port
    with connect(host, port) as session:
        for keyspace in LIVE_KEYSPACES:
            session.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=120)


class connect:
    def __init__(self, host: str, port: int) -> None:
        user = os.environ.get("CASSANDRA_USER") if test_settings.TARGET == "cassandra" else None
        password = os.environ.get("CASSANDRA_PASSWORD", "")
        auth = PlainTextAuthProvider(user, password) if user else None
        # On a cluster, at the run's consistency: a QUORUM read sees every QUORUM write.
        connection = test_settings.CLUSTER_OPTIONS.get("connection", {})
        profile = ExecutionProfile(
            consistency_level=connection.get("consistency", ConsistencyLevel.LOCAL_ONE),
            retry_policy=connection.get("default_retry_policy", RetryPolicy()),
        )
        self.cluster = Cluster(
            host.split(","),
            port=port,
            auth_provider=auth,
            connect_timeout=30,
            protocol_version=4,
            execution_profiles={EXEC_PROFILE_DEFAULT: profile},
        )

    def __enter__(self):
        return self.cluster.connect()

    def __exit__(self, *exc) -> None:
        self.cluster.shutdown()


def snapshot(host: str, port: int) -> dict[str, list[tuple]]:
    """Every live table's rows with the write time of each row's text cell, in a fixed order."""
    tables = {}
    with connect(host, port) as session:
        for keyspace in LIVE_KEYSPACES:
            names = session.execute(
                "SELECT table_name FROM system_schema.tables WHERE keyspace_name = %s", [keyspace]
            )
            for (name,) in names:
                rows = session.execute(
                    f"SELECT entry_id, text, writetime(text) FROM {keyspace}.{name}"
                )
                tables[f"{keyspace}.{name}"] = sorted(tuple(row) for row in rows)
    return tables


def test_a_test_run_leaves_the_live_keyspaces_untouched(tmp_path: Path, server):
    host, port = server
    project = tmp_path / "leak"
    (project / "ledger").mkdir(parents=True)
    (project / "ledger" / "__init__.py").write_text("")
    (project / "ledger" / "models.py").write_text(MODELS)
    (project / "ledger" / "tests.py").write_text(TESTS)
    (project / "leaksite.py").write_text(settings_text(host, port))
    (project / "manage.py").write_text(
        "import sys\nfrom django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT}", "DJANGO_SETTINGS_MODULE": "leaksite"}

    def manage(*args: str, check: bool = True) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0 or not check, f"{args} failed:\n{output}"
        return output

    manage("sync_cassandra")
    assert "seeded" in manage("shell", "-c", SEED)
    before = snapshot(host, port)
    # Seven models, three live rows each, in the keyspace each reads outside tests.
    assert sum(len(rows) for rows in before.values()) == 21, before
    assert {table.split(".")[0] for table in before} == set(LIVE_KEYSPACES)

    output = manage("test", "ledger", "-v", "2", check=False)

    after = snapshot(host, port)
    assert {table: len(rows) for table, rows in after.items()} == {
        table: len(rows) for table, rows in before.items()
    }
    assert after == before
    assert "Ran 4 tests" in output and "\nOK" in output, output
