"""connection.queries for Cassandra databases (django_cassandra_engine/querylog.py)."""

import re
import time

import pytest
from django.db import connections, reset_queries
from django.test.utils import CaptureQueriesContext
from testapp.models import ExampleModel

pytestmark = pytest.mark.django_db(databases=["default"])


def settled(entries):
    """The entries once each has its time (set when the response arrives)."""
    deadline = time.monotonic() + 5
    while any(entry["time"] is None for entry in entries) and time.monotonic() < deadline:
        time.sleep(0.01)
    return entries


def test_queries_of_models_and_cursors_are_logged_with_their_times():
    connection = connections["default"]
    with CaptureQueriesContext(connection) as captured:
        example = ExampleModel.objects.create(example_type=1, description="logged")
        ExampleModel.objects.get(example_id=example.example_id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM example_model")
    logged = [entry["sql"] for entry in settled(captured.captured_queries)]
    # The cursor may first switch the session to the keyspace (USE), as a request of its own.
    statements = [cql for cql in logged if cql != "USE test_dce_main"]
    assert len(statements) == 3
    assert statements[0].startswith("INSERT INTO test_dce_main.example_model")
    assert "'logged'" in statements[0]  # values inlined as the driver binds them
    assert statements[1].startswith("SELECT") and str(example.example_id) in statements[1]
    assert statements[2] == "SELECT count(*) FROM example_model"
    assert all(float(entry["time"]) >= 0 for entry in captured.captured_queries)


def test_nothing_is_logged_without_debug(settings):
    settings.DEBUG = False
    connection = connections["default"]
    reset_queries()
    ExampleModel.objects.create(example_type=1)
    assert list(connection.queries_log) == []


def test_assert_num_queries_counts_cql(django_assert_num_queries):
    with django_assert_num_queries(2):
        ExampleModel.objects.create(example_type=2)
        assert ExampleModel.objects.filter(example_type=2).count() == 1


def test_slices_read_only_the_rows_they_need():
    for kind in range(5):
        ExampleModel.objects.create(example_type=kind)
    with CaptureQueriesContext(connections["default"]) as captured:
        rows = list(ExampleModel.objects.all()[1:3])
        assert len(ExampleModel.objects.all()[:20]) == 5
    assert len(rows) == 2
    limits = [re.search(r"LIMIT (\d+)", entry["sql"]).group(1) for entry in captured]
    assert limits == ["3", "20"]


def test_an_empty_slice_reads_nothing():
    ExampleModel.objects.create(example_type=1)
    with CaptureQueriesContext(connections["default"]) as captured:
        assert list(ExampleModel.objects.all()[0:0]) == []
    assert len(captured) == 0
