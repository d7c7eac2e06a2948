"""Several databases: two Cassandra keyspaces, SQLite beside them, routers and using()."""

import pytest
from django.db import connections
from testapp.models import (
    ExampleModel,
    KeyspaceBoundNote,
    PlainCqlengineModel,
    SecondDatabaseNote,
    SqlNote,
)

pytestmark = pytest.mark.django_db(databases=["default", "cassandra2", "sql"])


def table_rows(alias, table):
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def test_test_keyspaces_replace_the_live_ones():
    assert connections["default"].keyspace == "test_dce_main"
    assert connections["cassandra2"].keyspace == "test_dce_second"
    assert ExampleModel._get_keyspace() == "test_dce_main"


def test_model_bound_by_connection_uses_its_database():
    SecondDatabaseNote.objects.create(text="elsewhere")
    assert SecondDatabaseNote._get_keyspace() == "test_dce_second"
    assert table_rows("cassandra2", "second_database_note") == 1
    assert SecondDatabaseNote.objects.get().text == "elsewhere"


def test_model_bound_by_keyspace_follows_its_database_into_tests():
    KeyspaceBoundNote.objects.create(text="bound")
    assert KeyspaceBoundNote._get_keyspace() == "test_dce_second"
    assert table_rows("cassandra2", "keyspace_bound_note") == 1


def test_using_selects_a_cassandra_database():
    # ExampleModel's table exists in both keyspaces only after syncing it there.
    with connections["cassandra2"].schema_editor() as editor:
        editor.sync_model(ExampleModel)
    ExampleModel.objects.using("cassandra2").create(example_type=1, description="copy")
    assert ExampleModel.objects.count() == 0
    assert ExampleModel.objects.using("cassandra2").count() == 1
    assert (
        ExampleModel.objects.using(connection="cassandra2", keyspace="test_dce_second").count() == 1
    )


def test_plain_cqlengine_models_share_the_connection():
    PlainCqlengineModel.create(key="a", value=1)
    assert PlainCqlengineModel.objects.get(key="a").value == 1
    assert table_rows("default", "plain_cqlengine_model") == 1


def test_sql_models_beside_cassandra():
    SqlNote.objects.create(text="in sqlite")
    ExampleModel.objects.create(example_type=1)
    assert SqlNote.objects.using("sql").count() == 1
    assert ExampleModel.objects.count() == 1


def test_django_models_on_a_cassandra_database():
    # SqlNote is routed to SQLite; on Cassandra its table must be made first (migrate does it
    # for the models a router allows there).
    from django.db import ProgrammingError

    with pytest.raises(ProgrammingError, match="testapp_sqlnote"):
        list(SqlNote.objects.using("default").all())
    with connections["default"].schema_editor() as editor:
        editor.create_model(SqlNote)
    try:
        SqlNote.objects.using("default").create(text="in cassandra")
        assert list(SqlNote.objects.using("default").values_list("text", flat=True)) == [
            "in cassandra"
        ]
        assert SqlNote.objects.using("sql").count() == 0
    finally:
        with connections["default"].schema_editor() as editor:
            editor.delete_model(SqlNote)


def test_tests_are_isolated_first():
    ExampleModel.objects.create(example_type=1)
    SecondDatabaseNote.objects.create(text="x")


def test_tests_are_isolated_second():
    assert ExampleModel.objects.count() == 0
    assert SecondDatabaseNote.objects.count() == 0
