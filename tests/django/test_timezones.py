"""Timestamps, dates and times as Django's fields give them (models/temporal.py).

The test project runs with USE_TZ = True and Django's default TIME_ZONE, America/Chicago, a zone
with daylight saving time: UTC-6 in winter (CST), UTC-5 in summer (CDT). The stored values are
read back with raw CQL, so each test sees the instant in the table, not only what the model says.
"""

import datetime
import re
import uuid
import zoneinfo

import pytest
from cassandra.cqlengine.functions import MaxTimeUUID, MinTimeUUID
from cassandra.util import Time, uuid_from_time
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connections
from django.forms import modelform_factory
from django.utils import timezone
from testapp.models import Appointment, ExampleModel, Reading

from django_cassandra_engine.sessions.backends.db import SessionStore
from django_cassandra_engine.sessions.models import Session

pytestmark = pytest.mark.django_db(databases=["default", "sql"])

UTC = datetime.timezone.utc
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NAIVE_WARNING = "received a naive datetime"


def stored(table, key_column, key, column):
    """The column's value in the table, as the driver reads it (a naive UTC datetime)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {key_column} = %s", [key])
        return cursor.fetchone()[0]


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


# Aware in, aware out


def test_aware_values_are_stored_as_their_instant_and_read_back_aware_in_utc():
    # Summer in Chicago (UTC-5): cqlengine on its own would store 18:00 UTC, taking the zone's
    # 1970 offset (UTC-6).
    noon_chicago = datetime.datetime(2024, 7, 1, 12, 0, tzinfo=CHICAGO)
    example = ExampleModel.objects.create(example_type=1, created_at=noon_chicago)
    assert stored("example_model", "example_id", example.pk, "created_at") == datetime.datetime(
        2024, 7, 1, 17, 0
    )
    fetched = ExampleModel.objects.get(pk=example.pk)
    assert fetched.created_at == utc(2024, 7, 1, 17, 0)
    assert fetched.created_at.tzinfo is UTC
    assert ExampleModel.objects.filter(pk=example.pk).values_list("created_at", flat=True)[0] == (
        utc(2024, 7, 1, 17, 0)
    )


def test_editing_a_row_leaves_its_instant_where_it_was():
    tokyo_morning = datetime.datetime(2024, 1, 15, 9, 30, tzinfo=TOKYO)
    example = ExampleModel.objects.create(example_type=1, created_at=tokyo_morning)
    for description in ("first edit", "second edit"):
        row = ExampleModel.objects.get(pk=example.pk)
        row.description = description
        row.save()
    assert ExampleModel.objects.get(pk=example.pk).created_at == tokyo_morning
    assert stored("example_model", "example_id", example.pk, "created_at") == datetime.datetime(
        2024, 1, 15, 0, 30
    )


def test_milliseconds_are_kept_and_microseconds_dropped():
    precise = utc(2024, 2, 29, 23, 59, 59, 123456)
    example = ExampleModel.objects.create(example_type=1, created_at=precise)
    assert ExampleModel.objects.get(pk=example.pk).created_at == utc(
        2024, 2, 29, 23, 59, 59, 123000
    )


def test_timestamps_in_collections_are_aware_too():
    reminders = [datetime.datetime(2024, 7, 1, 8, 0, tzinfo=CHICAGO), utc(2024, 12, 24, 18, 0)]
    made = Appointment.objects.create(
        calendar="c", starts_at=utc(2024, 7, 1, 14), reminders=reminders
    )
    fetched = Appointment.objects.get(calendar="c", appointment_id=made.appointment_id)
    assert fetched.reminders == [utc(2024, 7, 1, 13, 0), utc(2024, 12, 24, 18, 0)]
    assert all(moment.tzinfo is UTC for moment in fetched.reminders)


# Naive values


def test_a_naive_value_warns_and_is_taken_in_the_default_time_zone():
    with pytest.warns(RuntimeWarning, match=f"ExampleModel.created_at {NAIVE_WARNING}"):
        example = ExampleModel.objects.create(
            example_type=1, created_at=datetime.datetime(2024, 7, 1, 12, 0)
        )
    assert stored("example_model", "example_id", example.pk, "created_at") == datetime.datetime(
        2024, 7, 1, 17, 0
    )
    # Django models take naive values in TIME_ZONE, whatever zone is active (forms use the
    # active one, see below).
    with timezone.override(TOKYO), pytest.warns(RuntimeWarning, match=NAIVE_WARNING):
        other = ExampleModel.objects.create(
            example_type=1, created_at=datetime.datetime(2024, 1, 1, 12, 0)
        )
    assert ExampleModel.objects.get(pk=other.pk).created_at == utc(2024, 1, 1, 18, 0)


def test_a_naive_filter_value_warns_and_is_taken_in_the_default_time_zone():
    example = ExampleModel.objects.create(example_type=1, created_at=utc(2024, 7, 1, 17, 0))
    with pytest.warns(RuntimeWarning, match=NAIVE_WARNING):
        found = ExampleModel.objects.filter(created_at=datetime.datetime(2024, 7, 1, 12, 0))
        assert [row.pk for row in found] == [example.pk]


def test_without_use_tz_datetimes_are_naive_local_time(settings):
    settings.USE_TZ = False
    example = ExampleModel.objects.create(
        example_type=1, created_at=datetime.datetime(2024, 7, 1, 12, 0)
    )
    # The stored instant is still right: 12:00 in Chicago in July is 17:00 UTC.
    assert stored("example_model", "example_id", example.pk, "created_at") == datetime.datetime(
        2024, 7, 1, 17, 0
    )
    assert ExampleModel.objects.get(pk=example.pk).created_at == datetime.datetime(2024, 7, 1, 12)
    aware = ExampleModel.objects.create(example_type=1, created_at=utc(2024, 1, 1, 12, 0))
    assert ExampleModel.objects.get(pk=aware.pk).created_at == datetime.datetime(2024, 1, 1, 6, 0)
    assert ExampleModel.objects.filter(created_at=datetime.datetime(2024, 1, 1, 6, 0)).count() == 1


# Filters across a daylight saving time change


def readings_every_half_hour(start_utc, count):
    for i in range(count):
        Reading.objects.create(
            sensor="dst", taken_at=start_utc + datetime.timedelta(minutes=30 * i), value=i
        )


def test_range_filters_across_the_spring_forward_change():
    # 2024-03-10 in Chicago: 02:00 CST does not exist, clocks go to 03:00 CDT (08:00 UTC).
    readings_every_half_hour(utc(2024, 3, 10, 6, 0), 8)  # 06:00 to 09:30 UTC
    # 01:00 CST is 07:00 UTC; 04:00 CDT is 09:00 UTC: two hours of readings, not three.
    between = Reading.objects.filter(
        sensor="dst",
        taken_at__gte=datetime.datetime(2024, 3, 10, 1, 0, tzinfo=CHICAGO),
        taken_at__lt=datetime.datetime(2024, 3, 10, 4, 0, tzinfo=CHICAGO),
    )
    assert sorted(r.value for r in between) == [2, 3, 4, 5]
    assert next(r.taken_at for r in between.order_by("taken_at")) == utc(2024, 3, 10, 7, 0)


def test_range_lookup_tells_the_two_repeated_hours_of_fall_back_apart():
    # 2024-11-03 in Chicago: 01:00 to 02:00 happens twice, CDT (06:00 UTC) then CST (07:00 UTC).
    readings_every_half_hour(utc(2024, 11, 3, 5, 0), 8)  # 05:00 to 08:30 UTC
    first_one_am = datetime.datetime(2024, 11, 3, 1, 0, tzinfo=CHICAGO)  # fold=0: CDT
    second_one_am = first_one_am.replace(fold=1)  # CST
    during = Reading.objects.filter(sensor="dst", taken_at__range=(first_one_am, second_one_am))
    assert sorted(r.value for r in during) == [2, 3, 4]  # 06:00, 06:30 and 07:00 UTC
    assert (
        Reading.objects.filter(sensor="dst", taken_at__in=[first_one_am, second_one_am]).count()
        == 2
    )


def test_filters_on_a_regular_column_compare_instants():
    ExampleModel.objects.create(example_type=1, created_at=utc(2024, 3, 10, 7, 30))  # 01:30 CST
    ExampleModel.objects.create(example_type=1, created_at=utc(2024, 3, 10, 8, 30))  # 03:30 CDT
    before_change = ExampleModel.objects.filter(
        created_at__lt=datetime.datetime(2024, 3, 10, 3, 0, tzinfo=CHICAGO)
    )
    assert [row.created_at for row in before_change] == [utc(2024, 3, 10, 7, 30)]
    tokyo = datetime.datetime(2024, 3, 10, 17, 30, tzinfo=TOKYO)  # 08:30 UTC
    assert [e.created_at for e in ExampleModel.objects.exclude(created_at=tokyo)] == [
        utc(2024, 3, 10, 7, 30)
    ]


def test_min_and_max_timeuuid_take_the_instant_of_aware_datetimes():
    summer = datetime.datetime(2024, 7, 1, 12, 0, tzinfo=CHICAGO)  # 17:00 UTC
    for hour in (16, 17, 18):
        Appointment.objects.create(
            calendar="t",
            appointment_id=uuid_from_time(utc(2024, 7, 1, hour, 0, 0, 1000)),
            starts_at=utc(2024, 7, 1, hour),
        )
    hour_from_noon = Appointment.objects.filter(
        calendar="t",
        appointment_id__gte=MinTimeUUID(summer),
        appointment_id__lt=MaxTimeUUID(summer + datetime.timedelta(minutes=59)),
    )
    assert [a.starts_at for a in hour_from_noon] == [utc(2024, 7, 1, 17)]


# Dates, times, timeuuids


def test_date_and_time_columns_give_python_dates_and_times():
    made = Appointment.objects.create(
        calendar="d",
        starts_at=utc(2024, 1, 1),
        day=datetime.date(2024, 2, 29),
        at=datetime.time(23, 59, 58, 250000),
    )
    fetched = Appointment.objects.get(calendar="d", appointment_id=made.appointment_id)
    assert type(fetched.day) is datetime.date and fetched.day == datetime.date(2024, 2, 29)
    assert type(fetched.at) is datetime.time and fetched.at == datetime.time(23, 59, 58, 250000)
    assert Appointment.objects.filter(calendar="d").values_list("day", "at")[0] == [
        datetime.date(2024, 2, 29),
        datetime.time(23, 59, 58, 250000),
    ]
    assert Appointment.objects.filter(calendar="d", day=datetime.date(2024, 2, 29)).count() == 1


def test_values_python_cannot_hold_keep_the_drivers_types():
    nanos = Time("10:00:00.000000001")
    made = Appointment.objects.create(calendar="n", starts_at=utc(2024, 1, 1), at=nanos)
    assert Appointment.objects.get(calendar="n", appointment_id=made.appointment_id).at == nanos


def test_timeuuid_fields_accept_time_based_uuids_only():
    field = Appointment._meta.get_field("appointment_id")
    time_based = uuid.uuid1()
    assert field.clean(str(time_based), None) == time_based
    with pytest.raises(ValidationError, match="not a time-based UUID"):
        field.clean(str(uuid.uuid4()), None)


# Forms, the admin, sessions


def test_forms_take_input_in_the_current_time_zone_and_round_trip():
    Form = modelform_factory(ExampleModel, fields=["example_type", "created_at"])
    with timezone.override(TOKYO):
        form = Form(data={"example_type": "1", "created_at": "2024-07-01 09:00:00"})
        assert form.is_valid(), form.errors
        example = form.save()
        assert stored("example_model", "example_id", example.pk, "created_at") == (
            datetime.datetime(2024, 7, 1, 0, 0)
        )
        # Shown again and sent back unchanged: the same instant, edit after edit.
        for _ in range(2):
            instance = ExampleModel.objects.get(pk=example.pk)
            shown = str(Form(instance=instance)["created_at"].value())
            assert shown == "2024-07-01 09:00:00"
            Form(data={"example_type": "1", "created_at": shown}, instance=instance).save()
    assert ExampleModel.objects.get(pk=example.pk).created_at == utc(2024, 7, 1, 0, 0)


def test_admin_shows_local_time_and_saving_keeps_the_instant(client):
    user = User.objects.db_manager("sql").create_superuser("tz", "tz@example.com", "pw")
    client.force_login(user)
    example = ExampleModel.objects.create(
        example_type=1, created_at=utc(2024, 7, 1, 8, 10), description="early note"
    )
    listing = client.get("/admin/testapp/examplemodel/").content.decode()
    assert "July 1, 2024, 3:10 a.m." in listing  # 08:10 UTC is 03:10 CDT
    url = f"/admin/testapp/examplemodel/{example.pk}/change/"
    page = client.get(url).content.decode()
    date = re.search(r'name="created_at_0" value="([^"]+)"', page).group(1)
    time = re.search(r'name="created_at_1" value="([^"]+)"', page).group(1)
    assert (date, time) == ("2024-07-01", "03:10:00")
    for _ in range(2):
        response = client.post(
            url,
            {"example_type": "1", "created_at_0": date, "created_at_1": time, "description": "x"},
        )
        assert response.status_code == 302
    assert ExampleModel.objects.get(pk=example.pk).created_at == utc(2024, 7, 1, 8, 10)


def test_admin_date_filter_selects_today_in_the_current_time_zone(client):
    user = User.objects.db_manager("sql").create_superuser("tz2", "tz2@example.com", "pw")
    client.force_login(user)
    from django.contrib import admin

    now = timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    ExampleModel.objects.create(example_type=1, created_at=today_start, description="today")
    ExampleModel.objects.create(
        example_type=1, created_at=today_start - datetime.timedelta(seconds=1), description="before"
    )
    model_admin = admin.site._registry[ExampleModel]
    original = model_admin.list_filter
    model_admin.list_filter = ("created_at",)
    try:
        tomorrow = today_start + datetime.timedelta(days=1)
        response = client.get(
            "/admin/testapp/examplemodel/",
            {"created_at__gte": str(today_start), "created_at__lt": str(tomorrow)},
        )
        # CQL has no IS NULL: the filter offers no "No date", and a hand-made one is refused
        # the admin's way (the list again, with ?e=1).
        missing = client.get("/admin/testapp/examplemodel/", {"created_at__isnull": "True"})
        facets = client.get("/admin/testapp/examplemodel/", {"_facets": "True"})
    finally:
        model_admin.list_filter = original
    assert [row.description for row in response.context["cl"].result_list] == ["today"]
    content = response.content.decode()
    assert "Past 7 days" in content and "No date" not in content
    assert missing.status_code == 302 and missing.url.endswith("?e=1")
    assert facets.status_code in (200, 302)  # no facet counts (Django 5), or an unknown lookup
    assert "Show counts" not in content


def test_drf_gives_and_takes_instants_in_the_current_time_zone():
    from testapp.serializers import ExampleSerializer

    example = ExampleModel.objects.create(example_type=1, created_at=utc(2024, 7, 1, 0, 0))
    with timezone.override(TOKYO):
        shown = ExampleSerializer(ExampleModel.objects.get(pk=example.pk)).data
        assert shown["created_at"] == "2024-07-01T09:00:00+09:00"
        for given in ("2024-07-01T10:30:00+09:00", "2024-07-01 10:30"):  # naive: Tokyo time
            serializer = ExampleSerializer(
                ExampleModel.objects.get(pk=example.pk), data={**shown, "created_at": given}
            )
            assert serializer.is_valid(), serializer.errors
            serializer.save()
            assert ExampleModel.objects.get(pk=example.pk).created_at == utc(2024, 7, 1, 1, 30)


def test_session_expiry_is_an_aware_instant():
    store = SessionStore()
    store["cart"] = [1]
    expiry = timezone.now() + datetime.timedelta(hours=1)
    store.set_expiry(expiry)
    store.save()
    session = Session.objects.get(session_key=store.session_key)
    assert session.expire_date.tzinfo is UTC
    assert abs(session.expire_date - expiry) < datetime.timedelta(milliseconds=1)
    assert SessionStore(store.session_key).load()["cart"] == [1]
    # A row whose expiry has passed (its TTL not yet) is not a session any more.
    Session.objects.create(
        session_key=store.session_key,
        session_data=session.session_data,
        expire_date=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert SessionStore(store.session_key).load() == {}
