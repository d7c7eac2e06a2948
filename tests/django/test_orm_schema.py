"""The schema editor on Django models: what migrate does to Cassandra tables."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, NotSupportedError, connection, models
from django.test.utils import isolate_apps

pytestmark = pytest.mark.django_db(databases=["default"])


def table_columns(table: str) -> dict[str, str]:
    return {
        c.name: c.type_code for c in connection.introspection.get_table_description(None, table)
    }


def indexed(table: str) -> set[str]:
    return set(connection.introspection.get_indexes(table).values())


@pytest.fixture
def shelf():
    """A model of an app of its own, its table created and dropped around the test."""
    with isolate_apps("ormapp"):

        class Shelf(models.Model):
            label = models.CharField(max_length=20)
            room = models.CharField(max_length=20, db_index=True)

            class Meta:
                app_label = "ormapp"
                db_table = "ormapp_schema_shelf"

        with connection.schema_editor() as editor:
            editor.create_model(Shelf)
        try:
            yield Shelf
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Shelf)
    assert "ormapp_schema_shelf" not in connection.introspection.table_names()


def field(name: str, field: models.Field, model) -> models.Field:
    field.set_attributes_from_name(name)
    field.model = model
    return field


def test_create_model_makes_the_table_and_its_indexes(shelf):
    columns = table_columns("ormapp_schema_shelf")
    assert columns == {"id": "bigint", "label": "text", "room": "text"}  # BigAutoField
    assert connection.introspection.get_primary_key_columns(None, "ormapp_schema_shelf") == ["id"]
    assert indexed("ormapp_schema_shelf") == {"room"}


def test_added_field_is_filled_with_its_default(shelf):
    shelf.objects.create(label="a", room="r1")
    shelf.objects.create(label="b", room="r2")
    level = field("level", models.IntegerField(default=3), shelf)
    with connection.schema_editor() as editor:
        editor.add_field(shelf, level)
    shelf._meta.add_field(level)
    assert table_columns("ormapp_schema_shelf")["level"] == "int"
    assert sorted(shelf.objects.values_list("level", flat=True)) == [3, 3]
    with connection.schema_editor() as editor:
        editor.remove_field(shelf, level)
    assert "level" not in table_columns("ormapp_schema_shelf")


def test_renamed_column_keeps_the_values(shelf):
    shelf.objects.create(label="kept", room="r1")
    old = shelf._meta.get_field("label")
    new = field("title", models.CharField(max_length=20), shelf)
    new.column = "title"
    with connection.schema_editor() as editor:
        editor.alter_field(shelf, old, new)
    columns = table_columns("ormapp_schema_shelf")
    assert "title" in columns and "label" not in columns
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM ormapp_schema_shelf")
        assert cursor.fetchall() == [("kept",)]


def test_what_cql_cannot_alter_fails_clearly(shelf):
    old = shelf._meta.get_field("room")
    new = field("room", models.IntegerField(db_index=True), shelf)
    with pytest.raises(NotSupportedError, match=r"cannot change the type .* from text to int"):
        with connection.schema_editor() as editor:
            editor.alter_field(shelf, old, new)
    pk = shelf._meta.get_field("id")
    not_pk = field("id", models.IntegerField(), shelf)
    with pytest.raises(NotSupportedError, match="primary key"):
        with connection.schema_editor() as editor:
            editor.alter_field(shelf, pk, not_pk)


def test_new_unique_constraint_checks_existing_rows(shelf):
    shelf.objects.create(label="same", room="r1")
    shelf.objects.create(label="same", room="r2")
    old = shelf._meta.get_field("label")
    unique = field("label", models.CharField(max_length=20, unique=True), shelf)
    with pytest.raises(IntegrityError, match="label"):
        with connection.schema_editor() as editor:
            editor.alter_field(shelf, old, unique)
    shelf.objects.filter(room="r2").update(label="other")
    with connection.schema_editor() as editor:
        editor.alter_field(shelf, old, unique)
    assert "label" in indexed("ormapp_schema_shelf")


def test_sqlmigrate_shows_the_cql(shelf):
    with connection.schema_editor(collect_sql=True) as editor:
        editor.add_field(shelf, field("width", models.IntegerField(default=1), shelf))
    statements = editor.collected_sql
    assert any(s.startswith("ALTER TABLE") and "ADD width int" in s for s in statements)
    assert any(s.startswith("-- ormapp_schema_shelf.width set to 1") for s in statements)
