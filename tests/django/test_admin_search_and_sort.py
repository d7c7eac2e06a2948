"""The admin's change list: sorting (by CQL within one partition, else each page in Python),
substring search over a bounded scan, and user type columns."""

import datetime

import pytest
from django.utils import timezone
from testapp.models import Address, ExampleModel, Profile, Reading

from django_cassandra_engine.admin import ordering
from django_cassandra_engine.admin.changelist import PAGE_SORT_MESSAGE

pytestmark = pytest.mark.django_db(databases=["default", "sql"])

T0 = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
READINGS = "/admin/testapp/reading/"  # list_per_page = 4; list_display sensor, taken_at, ...
EXAMPLES = "/admin/testapp/examplemodel/"  # list_per_page = 5
PROFILES = "/admin/testapp/profile/"


def aware(value):
    return value.replace(tzinfo=datetime.timezone.utc) if timezone.is_naive(value) else value


def pages(client, url, params, count):
    """The rows of pages 1..count of a change list, page by page, and the last response."""
    seen, response = [], None
    for page in range(1, count + 1):
        response = client.get(url, {**params, "p": page})
        assert response.status_code == 200
        seen.append(list(response.context["cl"].result_list))
    return seen, response


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def make_readings():
    """Sensor s1 has 10 readings (values in no particular order), s2 has 3."""
    values = [5, 1, 9, 3, 7, 0, 8, 2, 6, 4]
    for minute, value in enumerate(values):
        Reading.objects.create(
            sensor="s1", taken_at=T0 + datetime.timedelta(minutes=minute), value=value
        )
    for minute in range(3):
        Reading.objects.create(sensor="s2", taken_at=T0 + datetime.timedelta(minutes=minute))


def test_cql_orders_clustering_columns_of_one_partition():
    qs = Reading.objects.filter(sensor="s1")
    assert ordering.cql_can_order(qs, ["taken_at"])
    assert ordering.cql_can_order(qs, ["-taken_at"])
    assert not ordering.cql_can_order(Reading.objects.all(), ["taken_at"])  # all partitions
    assert not ordering.cql_can_order(qs, ["value"])  # a regular column
    assert not ordering.cql_can_order(qs, ["taken_at", "value"])
    assert not ordering.cql_can_order(ExampleModel.objects.all(), ["description"])
    assert ordering.field_names(Reading, ["-pk"]) == ["-sensor", "-taken_at"]


def test_sorting_by_a_clustering_column_within_a_partition_spans_pages(staff):
    make_readings()
    for param, reverse in (("2", False), ("-2", True)):
        seen, response = pages(staff, READINGS, {"sensor": "s1", "o": param}, 3)
        taken = [aware(row.taken_at) for page in seen for row in page]
        assert len(taken) == 10 and taken == sorted(taken, reverse=reverse)
        assert PAGE_SORT_MESSAGE not in messages_of(response)
        cl = response.context["cl"]
        assert cl.get_ordering_field_columns() == {2: "desc" if reverse else "asc"}
        direction = b"descending" if reverse else b"ascending"
        assert b"column-taken_at sorted " + direction in response.content  # the header


def test_other_sorts_order_each_page_and_say_so(staff):
    make_readings()
    seen, response = pages(staff, READINGS, {"o": "-3"}, 4)  # by value, every partition
    for page in seen:
        values = [row.value for row in page]
        assert values == sorted(values, key=lambda v: (v is None, -(v or 0)))
    assert sum(len(page) for page in seen) == 13  # every row once
    assert PAGE_SORT_MESSAGE in messages_of(response)
    assert PAGE_SORT_MESSAGE.encode() in response.content
    # Within one partition, a regular column is still sorted per page.
    seen, response = pages(staff, READINGS, {"sensor": "s1", "o": "3"}, 1)
    assert [row.value for row in seen[0]] == sorted(row.value for row in seen[0])
    assert PAGE_SORT_MESSAGE in messages_of(response)


def test_a_list_that_fits_one_page_is_sorted_whole_without_a_message(staff):
    for text in ["pear", "apple", "fig"]:
        ExampleModel.objects.create(example_type=1, created_at=T0, description=text)
    response = staff.get(EXAMPLES, {"o": "3"})
    rows = response.context["cl"].result_list
    assert [row.description for row in rows] == ["apple", "fig", "pear"]
    assert PAGE_SORT_MESSAGE not in messages_of(response)


def test_substring_search_matches_words_case_insensitively(staff):
    notes = ["Door OPEN at night", "door closed", "window open", None, "back door open"]
    for minute, note in enumerate(notes):
        Reading.objects.create(
            sensor="hall", taken_at=T0 + datetime.timedelta(minutes=minute), note=note
        )
    Reading.objects.create(sensor="garage", taken_at=T0, note="nothing here")

    def found(term, **params):
        response = staff.get(READINGS, {"q": term, **params})
        assert response.status_code == 200
        return sorted(row.note or "" for row in response.context["cl"].result_list)

    assert found("door open") == ["Door OPEN at night", "back door open"]  # every word
    assert found("open door") == ["Door OPEN at night", "back door open"]
    assert found('"open door"') == []  # a quoted phrase is one word
    assert found("OPEN") == ["Door OPEN at night", "back door open", "window open"]
    assert found("gar") == ["nothing here"]  # ^sensor: the start of the sensor
    assert found("arage") == []  # ^sensor matches starts only; notes do not contain it
    assert found("open", sensor="hall", o="-4") == [
        "Door OPEN at night",
        "back door open",
        "window open",
    ]
    response = staff.get(READINGS, {"q": "open", "o": "4"})
    assert [row.note for row in response.context["cl"].result_list] == [
        "Door OPEN at night",  # every result sorted (a search reads them all)
        "back door open",
        "window open",
    ]


def test_search_reads_at_most_the_scan_limit_and_says_so(staff, settings):
    for minute in range(6):
        Reading.objects.create(
            sensor="s", taken_at=T0 + datetime.timedelta(minutes=minute), note="match"
        )
    settings.CASSANDRA_ADMIN_SCAN_LIMIT = 4
    response = staff.get(READINGS, {"q": "match"})
    assert response.context["cl"].result_count == 4
    (warning,) = [m for m in messages_of(response) if "Searched the first 4 " in m]
    assert "CASSANDRA_ADMIN_SCAN_LIMIT" in warning
    settings.CASSANDRA_ADMIN_SCAN_LIMIT = 6
    response = staff.get(READINGS, {"q": "match"})
    assert response.context["cl"].result_count == 6
    assert not [m for m in messages_of(response) if "Searched the first" in m]


def test_exact_search_fields_use_cql_over_the_whole_table(staff, settings):
    settings.CASSANDRA_ADMIN_SCAN_LIMIT = 1  # no scan involved for "=" entries
    rows = [
        ExampleModel.objects.create(example_type=1, created_at=T0, description=f"row {i}")
        for i in range(4)
    ]
    response = staff.get(EXAMPLES, {"q": "row 3"})
    assert [row.description for row in response.context["cl"].result_list] == ["row 3"]
    response = staff.get(EXAMPLES, {"q": str(rows[1].example_id)})
    assert [row.example_id for row in response.context["cl"].result_list] == [rows[1].example_id]


def test_user_type_columns_in_the_admin(staff):
    Profile.objects.create(
        username="ann",
        tags={"x"},
        scores=[],
        attributes={},
        address=Address(street="Main Street", zipcode=12345),
    )
    Profile.objects.create(username="bob", tags=set(), scores=[], attributes={})
    response = staff.get(PROFILES)
    assert response.status_code == 200
    assert b"Main Street" in response.content and b"12345" in response.content
    response = staff.get(PROFILES, {"q": "main street"})  # searched in the user type's text
    assert [row.username for row in response.context["cl"].result_list] == ["ann"]
    response = staff.get(PROFILES, {"o": "-2"})  # sortable by the user type column
    assert [row.username for row in response.context["cl"].result_list] == ["ann", "bob"]

    page = staff.get(f"{PROFILES}ann/change/")
    assert page.status_code == 200 and b"Main Street" in page.content
    response = staff.post(
        f"{PROFILES}ann/change/",
        {
            "tags": "x",
            "scores": "",
            "address_street": "Side Road",
            "address_zipcode": "54321",
            "active": "on",
            "birthday": "",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    address = Profile.objects.get(username="ann").address
    assert (address.street, address.zipcode) == ("Side Road", 54321)
