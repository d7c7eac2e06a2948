"""The five steps a new user takes, in a fresh `django-admin startproject` in a temp directory:
install (the package is importable), add the app, configure DATABASES, define models,
sync_cassandra, then use the models from a view, the shell and the project's own tests.

The steps run with any Python environment where the package is installed: test_fresh_project.py
runs them on the repository's sources, tests/packaging/ in a fresh virtualenv holding only the
wheel. This module needs no Django settings of its own.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

TIMEOUT_S = 900  # bounds a hung subprocess; not a speed expectation

MODELS = """
import uuid

from cassandra.cqlengine import columns

from django_cassandra_engine.models import DjangoCassandraModel


class ExampleModel(DjangoCassandraModel):
    example_id = columns.UUID(primary_key=True, default=uuid.uuid4)
    example_type = columns.Integer(index=True)
    created_at = columns.DateTime()
    description = columns.Text(required=False)
"""

VIEWS = """
from django.http import JsonResponse

from .models import ExampleModel


def examples(request):
    if request.method == "POST":
        ExampleModel.objects.create(example_type=int(request.POST["type"]),
                                    description=request.POST.get("description", ""))
    rows = ExampleModel.objects.all()
    return JsonResponse({"count": rows.count(), "types": sorted(r.example_type for r in rows)})
"""

TESTS = """
from django.test import Client

from django_cassandra_engine.test import TestCase

from .models import ExampleModel


class ExampleTests(TestCase):
    def test_create_through_the_view(self):
        response = Client().post("/examples/", {"type": "3", "description": "from a test"})
        self.assertEqual(response.json(), {"count": 1, "types": [3]})

    def test_starts_empty(self):
        self.assertEqual(ExampleModel.objects.count(), 0)
        ExampleModel.objects.create(example_type=1)


class MoreTests(TestCase):
    def test_isolated_from_other_tests(self):
        self.assertEqual(ExampleModel.objects.count(), 0)
        ExampleModel.objects.create(example_type=2)

    def test_keyspace_is_the_test_keyspace(self):
        from django.db import connection

        self.assertEqual(connection.settings_dict["NAME"][:7], "test_db")
"""


def database_settings(target: str) -> str:
    """The DATABASES setting of the README, on the embedded cqld (target "cqld") or on the
    Cassandra node or cluster named by CASSANDRA_HOST/CASSANDRA_PORT (target "cassandra"), with
    CASSANDRA_REPLICATION_FACTOR (default 1), CASSANDRA_CONSISTENCY (a level's name; default
    the driver's) and, with several hosts, RetryReads, as a cluster needs them (make
    test-cluster)."""
    host = ""
    replication_factor, imports, connection = 1, "", ""
    if target == "cassandra":
        host = (
            f"'HOST': '{os.environ.get('CASSANDRA_HOST', '127.0.0.1')}', "
            f"'PORT': {int(os.environ.get('CASSANDRA_PORT', '19042'))}, "
            f"'USER': '{os.environ.get('CASSANDRA_USER', '')}', "
            f"'PASSWORD': '{os.environ.get('CASSANDRA_PASSWORD', '')}', "
        )
        replication_factor = int(os.environ.get("CASSANDRA_REPLICATION_FACTOR", "1"))
        driver_options = []
        consistency = os.environ.get("CASSANDRA_CONSISTENCY", "").upper()
        if consistency:
            imports += "from cassandra import ConsistencyLevel\n"
            driver_options.append(f"'consistency': ConsistencyLevel.{consistency}")
        if "," in os.environ.get("CASSANDRA_HOST", ""):  # a cluster: reads outlast a node's death
            imports += "from django_cassandra_engine.policies import RetryReads\n"
            driver_options.append("'default_retry_policy': RetryReads()")
        if driver_options:
            connection = f", 'connection': {{{', '.join(driver_options)}}}"
    return (
        f"{imports}DATABASES = {{'default': {{'ENGINE': 'django_cassandra_engine', 'NAME': 'db', "
        f"'TEST_NAME': 'test_db', {host}"
        "'OPTIONS': {'replication': {'strategy_class': 'SimpleStrategy', "
        f"'replication_factor': {replication_factor}}}{connection}}}}}}}\n"
    )


class Project:
    """A Django project directory and the environment its commands run in: `python` is the
    interpreter of an environment where the package is installed (step 1), `env` the process
    environment (PYTHONPATH, PATH, ...) of every command."""

    def __init__(self, directory: Path, python: str, env: dict[str, str], target: str) -> None:
        self.directory = directory
        self.python = python
        self.target = target
        self.env = {**env, "DJANGO_SETTINGS_MODULE": "mysite.settings"}
        # A test run's in-memory server of an outer run must not be picked up here.
        self.env.pop("DJANGO_CASSANDRA_TEST_CQLD", None)

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            args,
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        if check:
            assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout + result.stderr

    def manage(self, *args: str, check: bool = True) -> str:
        return self.run(self.python, "manage.py", *args, check=check)

    def start(self) -> None:
        self.directory.mkdir()
        self.run(self.python, "-m", "django", "startproject", "mysite", ".")

    def clean_up(self) -> None:
        """Stops the project's embedded server, or drops its keyspace on Cassandra."""
        if self.target == "cqld":
            self.manage("cqld", "--stop", check=False)
        else:
            self.manage(
                "shell",
                "-c",
                "from django.db import connection; connection.schema_editor().drop_keyspace('db')",
                check=False,
            )


def five_steps(project: Project) -> None:
    """Steps 2 to 5 in a started project; each asserts what the user would see."""
    add_the_app_and_models(project)
    sync_and_use_the_models(project)


def add_the_app_and_models(project: Project) -> None:
    """Steps 2 to 4: the app in INSTALLED_APPS, DATABASES, an app `catalog` with the README's
    model, a view and tests."""
    project.manage("startapp", "catalog")
    settings_file = project.directory / "mysite" / "settings.py"
    text = settings_file.read_text()
    # Steps 2 and 3, as the README says.
    text = text.replace(
        "INSTALLED_APPS = [", "INSTALLED_APPS = ['django_cassandra_engine', 'catalog', ", 1
    )
    start = text.index("DATABASES = {")
    end = text.index("\n}\n", start) + 3
    settings_file.write_text(text[:start] + database_settings(project.target) + text[end:])
    # Step 4: an app with the model of the README.
    (project.directory / "catalog" / "models.py").write_text(MODELS)
    (project.directory / "catalog" / "views.py").write_text(VIEWS)
    (project.directory / "catalog" / "tests.py").write_text(TESTS)
    urls = project.directory / "mysite" / "urls.py"
    urls.write_text(
        urls.read_text()
        .replace(
            "from django.urls import path",
            "from django.urls import path\nfrom catalog.views import examples",
        )
        .replace("urlpatterns = [", "urlpatterns = [\n    path('examples/', examples),")
    )


def sync_and_use_the_models(project: Project) -> None:
    """Step 5: sync, then use the models from the shell, a view and the project's tests."""
    output = project.manage("sync_cassandra")
    assert "Creating keyspace db [CONNECTION default]" in output
    assert "Syncing catalog.ExampleModel" in output
    output = project.manage(
        "shell",
        "-c",
        textwrap.dedent("""
        from catalog.models import ExampleModel
        ExampleModel.objects.create(example_type=1, description='from the shell')
        print('rows', ExampleModel.objects.filter(example_type=1).count())
    """),
    )
    assert "rows 1" in output
    output = project.manage(
        "shell",
        "-c",
        textwrap.dedent("""
        from django.test import Client
        response = Client().post('/examples/', {'type': '2'}, HTTP_HOST='localhost')
        print('view', response.status_code, response.json())
    """),
    )
    assert "view 200 {'count': 2, 'types': [1, 2]}" in output
    output = project.manage("test", "catalog", "-v", "2")
    assert "Ran 4 tests" in output and "OK" in output
    output = project.manage("test", "catalog", "--parallel", "2")
    assert "Ran 4 tests" in output and "OK" in output
    # The live keyspace still holds the rows written before the test runs.
    output = project.manage(
        "shell",
        "-c",
        "from catalog.models import ExampleModel; print('live', ExampleModel.objects.count())",
    )
    assert "live 2" in output
    output = project.manage("migrate")
    assert "Syncing catalog.ExampleModel" in output
    output = project.manage("makemigrations", "catalog", "--dry-run")
    assert "No changes detected" in output
