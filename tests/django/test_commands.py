"""sync_cassandra, migrate, makemigrations, flush, inspectdb and dbshell."""

import datetime
import io
import os
import shutil
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.test.utils import isolate_apps
from testapp.models import ExampleModel, Reading

pytestmark = pytest.mark.django_db(databases=["default", "cassandra2", "sql"])


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def keyspace_tables(alias):
    connection = connections[alias]
    connection.cluster.refresh_schema_metadata()
    return connection.cluster.metadata.keyspaces[connection.keyspace]


def test_sync_cassandra_creates_keyspace_tables_types_and_indexes():
    with connections["default"].schema_editor() as editor:
        editor.drop_keyspace(connections["default"].keyspace)
    output = run("sync_cassandra", database="default")
    assert "Creating keyspace test_dce_main [CONNECTION default]" in output
    assert "Syncing testapp.ExampleModel (table test_dce_main.example_model)" in output
    assert "SecondDatabaseNote" not in output  # it lives in cassandra2
    keyspace = keyspace_tables("default")
    # The replication of OPTIONS (1, or the cluster's 3 in make test-cluster).
    replication = connections["default"].settings_dict["OPTIONS"]["replication"]
    assert keyspace.replication_strategy.replication_factor == replication["replication_factor"]
    assert {"example_model", "reading", "profile", "plain_cqlengine_model"} <= set(keyspace.tables)
    assert "address" in keyspace.user_types
    assert any(
        ix.index_options.get("target") == "example_type"
        for ix in keyspace.tables["example_model"].indexes.values()
    )
    # Syncing again changes nothing and still works.
    run("sync_cassandra", database="default")
    ExampleModel.objects.create(example_type=1)
    # The Django models' tables (ormapp) went with the keyspace: migrate puts them back for the
    # tests that follow.
    output = run("migrate", database="default", run_syncdb=True)
    assert "Creating table ormapp_author" in output
    assert "ormapp_author" in keyspace_tables("default").tables


def test_sync_cassandra_refuses_sql_databases():
    with pytest.raises(CommandError, match="not a Cassandra database"):
        run("sync_cassandra", database="sql")


def test_migrate_syncs_cassandra_databases():
    output = run("migrate", database="cassandra2", verbosity=1)
    assert "sync_cassandra" in output and "Syncing testapp.SecondDatabaseNote" in output


def test_makemigrations_ignores_cassandra_models():
    output = run("makemigrations", "testapp", dry_run=True, verbosity=3)
    assert "ExampleModel" not in output and "Reading" not in output
    assert "SqlNote" in output  # ordinary models are still migrated


def test_flush_truncates_cassandra_tables():
    ExampleModel.objects.create(example_type=1)
    Reading.objects.create(
        sensor="a", taken_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc), value=1.0
    )
    run("flush", database="default", interactive=False)
    assert ExampleModel.objects.count() == 0 and Reading.objects.count() == 0


def test_inspectdb_prints_working_model_code():
    output = run("inspectdb", database="default")
    assert "from django_cassandra_engine.models import DjangoCassandraModel" in output
    assert "class Reading(DjangoCassandraModel):" in output
    assert "sensor = columns.Text(partition_key=True)" in output
    assert 'taken_at = columns.DateTime(primary_key=True, clustering_order="DESC")' in output
    assert "example_type = columns.Integer(index=True)" in output
    assert "tags = columns.Set(columns.Text)" in output
    namespace = {"__name__": "testapp.inspected"}
    with isolate_apps("testapp"):  # the generated classes repeat testapp's model names
        exec(compile(output, "inspectdb", "exec"), namespace)
    inspected = namespace["Reading"]
    assert list(inspected._primary_keys) == ["sensor", "taken_at"]


def test_dbshell_command_line():
    client = connections["default"].client
    args = client.command_line([])
    assert args[0] == "cqlsh" and args[-2:] == ["-k", "test_dce_main"]
    host, port = args[1], int(args[2])
    settings_dict = connections["default"].settings_dict
    if settings_dict.get("HOST"):
        # cqlsh takes one host: the first of HOST's comma-separated contact points.
        first_host = settings_dict["HOST"].split(",")[0].strip()
        assert (host, port) == (first_host, int(settings_dict["PORT"]))


def test_dbshell_runs_cqlsh(monkeypatch):
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    if shutil.which("cqlsh") is None:
        pytest.skip("cqlsh not installed")
    output = run("dbshell", "--", "-e", "SELECT keyspace_name FROM system_schema.keyspaces")
    assert output == ""  # cqlsh writes to the terminal, not to the command's stdout


def test_dbshell_without_cqlsh_says_so(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(CommandError, match="cqlsh"):
        run("dbshell")


def test_commands_work_with_schema_metadata_disabled():
    from testapp.models import SecondDatabaseNote

    # cassandra2 runs with OPTIONS['connection']['schema_metadata_enabled'] = False.
    assert connections["cassandra2"].cluster.schema_metadata_enabled is False
    with connections["cassandra2"].schema_editor() as editor:
        editor.drop_keyspace(connections["cassandra2"].keyspace)
    assert "Syncing testapp.SecondDatabaseNote" in run("sync_cassandra", database="cassandra2")
    assert "Syncing testapp.SecondDatabaseNote" in run("migrate", database="cassandra2")
    SecondDatabaseNote.objects.create(text="kept until flush")
    run("flush", database="cassandra2", interactive=False)
    assert SecondDatabaseNote.objects.count() == 0
    assert connections["cassandra2"].cluster.schema_metadata_enabled is False  # restored
