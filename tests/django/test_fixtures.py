"""dumpdata and loaddata for DjangoCassandraModel, and fixtures in test cases."""

import datetime
import decimal
import io
import json
import uuid

import pytest
from django.core.management import call_command
from testapp.models import (
    Address,
    Catalog,
    ExampleModel,
    Profile,
    Reading,
    SecondDatabaseNote,
    SqlNote,
)

from django_cassandra_engine.test import TestCase

pytestmark = pytest.mark.django_db(databases=["default", "cassandra2", "sql"])

T0 = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
MODELS = (ExampleModel, Reading, Profile, Catalog)


def make_rows():
    ExampleModel.objects.create(example_type=1, created_at=T0, description="an example")
    for minute in range(3):
        Reading.objects.create(
            sensor="hall", taken_at=T0 + datetime.timedelta(minutes=minute), value=minute / 2
        )
    Profile.objects.create(
        username="ann",
        tags={"b", "a"},
        scores=[2, 1],
        attributes={"k": "v"},
        address=Address(street="Main", zipcode=1000),
        birthday=datetime.date(2000, 1, 2),
    )
    Catalog.objects.create(
        name="every shape",
        flags=[True, False],
        days={datetime.date(2024, 1, 1), datetime.date(2024, 2, 29)},
        ids=[uuid.UUID(int=7)],
        prices={"tea": decimal.Decimal("2.50")},
        counts={1: 10, 2: 20},
        pair=(1, "one"),
        grid=[[1, 2], [3]],
        branches=[Address(street="Side", zipcode=2)],
    )
    SecondDatabaseNote.objects.create(text="in the second database")


def snapshot():
    """Every row of every column, comparable across a dump and a load."""

    def plain(value):
        if hasattr(value, "items"):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            return value.replace(tzinfo=datetime.timezone.utc)
        return value

    def columns(row):
        return tuple((name, plain(getattr(row, name))) for name in type(row)._columns)

    return {model.__name__: sorted(map(columns, model.objects.all()), key=repr) for model in MODELS}


def dump(*labels, **options):
    out = io.StringIO()
    call_command("dumpdata", *labels, stdout=out, **options)
    return out.getvalue()


def empty_tables():
    for model in (*MODELS, SecondDatabaseNote):
        for row in model.objects.all():
            row.delete()


@pytest.mark.parametrize("format", ["json", "xml"])
def test_dump_and_load_keep_every_value(tmp_path, format):
    make_rows()
    before = snapshot()
    fixture = tmp_path / f"rows.{format}"
    fixture.write_text(dump("testapp", format=format))
    empty_tables()
    assert all(model.objects.count() == 0 for model in MODELS)
    call_command("loaddata", str(fixture), verbosity=0)
    assert snapshot() == before


def test_dumped_json_is_plain_data():
    make_rows()
    objects = json.loads(dump("testapp.Profile", "testapp.Reading", "testapp.Catalog"))
    profile = next(o for o in objects if o["model"] == "testapp.profile")
    assert profile["pk"] == "ann"
    assert profile["fields"]["tags"] == ["a", "b"]  # a set, sorted
    assert profile["fields"]["address"] == {"street": "Main", "zipcode": 1000}
    readings = [o for o in objects if o["model"] == "testapp.reading"]
    # Meta.get_pk_field is the pk; the rest of the primary key is a field. Rows come in the
    # table's own order (clustering DESC here), not sorted by Django.
    assert [o["pk"] for o in readings] == [
        "2024-05-01T12:02:00Z",
        "2024-05-01T12:01:00Z",
        "2024-05-01T12:00:00Z",
    ]
    assert all(o["fields"]["sensor"] == "hall" for o in readings)
    catalog = next(o for o in objects if o["model"] == "testapp.catalog")["fields"]
    assert catalog["grid"] == [[1, 2], [3]] and catalog["branches"] == [
        {"street": "Side", "zipcode": 2}
    ]


def test_each_database_dumps_and_loads_its_own_models(tmp_path):
    make_rows()
    default_models = {o["model"] for o in json.loads(dump("testapp"))}
    assert "testapp.seconddatabasenote" not in default_models
    assert "testapp.examplemodel" in default_models
    second = json.loads(dump("testapp", database="cassandra2"))
    assert {o["model"] for o in second} == {"testapp.seconddatabasenote"}

    fixture = tmp_path / "second.json"
    fixture.write_text(json.dumps(second))
    empty_tables()
    call_command("loaddata", str(fixture), verbosity=0)  # into "default": nothing of it
    assert SecondDatabaseNote.objects.count() == 0
    call_command("loaddata", str(fixture), database="cassandra2", verbosity=0)
    assert [n.text for n in SecondDatabaseNote.objects.all()] == ["in the second database"]


def test_loading_a_row_again_replaces_it(tmp_path):
    make_rows()
    fixture = tmp_path / "profile.json"
    fixture.write_text(dump("testapp.Profile"))
    Profile.objects.filter(username="ann").update(scores=[9])
    call_command("loaddata", str(fixture), verbosity=0)
    assert Profile.objects.get(username="ann").scores == [2, 1]
    assert Profile.objects.count() == 1


class FixturesInTestCases(TestCase):
    """A fixture of Cassandra and SQLite rows, loaded into each database before each test."""

    databases = {"default", "sql"}
    fixtures = ["cassandra_rows.json"]

    def test_rows_of_every_database_are_loaded(self):
        example = ExampleModel.objects.get(example_id="6c2b1c52-5b0e-4c64-9d55-1b6f4b0a2f01")
        assert example.description == "from a fixture"
        reading = Reading.objects.get(sensor="hall")
        assert reading.value == 21.5 and reading.note == "fixture"
        profile = Profile.objects.get(username="ann")
        assert profile.tags == {"a", "b"} and profile.scores == [3, 1]
        assert (profile.address.street, profile.address.zipcode) == ("Main", 1000)
        assert str(profile.birthday) == "2000-01-02"
        assert SqlNote.objects.using("sql").get(pk=1).text == "in SQLite"

    def test_each_test_starts_from_the_fixture(self):
        ExampleModel.objects.create(example_type=1, created_at=T0)
        Profile.objects.filter(username="ann").delete()
        assert ExampleModel.objects.count() == 2  # the fixture's row and this one

    def test_and_again(self):
        assert ExampleModel.objects.count() == 1
        assert Profile.objects.filter(username="ann").exists()
