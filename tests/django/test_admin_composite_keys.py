"""The admin on a model with a composite primary key (Reading: partition key sensor, clustering
key taken_at): each row is named in its URL by its whole key."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote
from django.utils import timezone
from testapp.models import Reading

from django_cassandra_engine.admin import keys

pytestmark = pytest.mark.django_db(databases=["default", "sql"])

T0 = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
CHANGELIST = "/admin/testapp/reading/"


def reading(sensor, minute, value=0.0, note=None):
    return Reading.objects.create(
        sensor=sensor, taken_at=T0 + datetime.timedelta(minutes=minute), value=value, note=note
    )


def change_url(row):
    return f"{CHANGELIST}{quote(keys.row_key(row))}/change/"


def key(row):
    """(sensor, taken_at) with taken_at aware (rows read back may carry naive UTC)."""
    taken_at = row.taken_at
    if timezone.is_naive(taken_at):
        taken_at = taken_at.replace(tzinfo=datetime.timezone.utc)
    return row.sensor, taken_at


def same_row(a, b):
    return key(a) == key(b)


def form_datetime(name, value):
    """The admin's split date and time inputs, in the current time zone as a user types."""
    local = timezone.localtime(value)
    return {f"{name}_0": local.date().isoformat(), f"{name}_1": local.time().isoformat()}


def test_row_keys_name_every_key_column_and_survive_separators():
    row = Reading(sensor="a,b\\c", taken_at=T0)
    key = keys.row_key(row)
    assert key == "a\\,b\\\\c,2024-05-01T12:00:00+00:00"
    values = keys.key_values(Reading, key)
    assert values["sensor"] == "a,b\\c"
    assert values["taken_at"] == T0
    with pytest.raises(ValueError, match="2 parts"):
        keys.key_values(Reading, "only-one-part")


def test_the_model_keeps_its_own_pk_and_the_admin_sees_row_keys():
    row = reading("s1", 0)
    assert row.pk == row.taken_at  # Meta.get_pk_field, as in the original package
    model_admin = admin.site._registry[Reading]
    assert model_admin.model is not Reading and issubclass(model_admin.model, Reading)
    assert model_admin.model._meta is Reading._meta  # the same model to Django
    listed = model_admin.get_queryset(None).get(pk=keys.row_key(row))
    assert listed.pk == keys.row_key(listed) and same_row(listed, row)


def test_change_list_links_and_checkboxes_carry_the_whole_key(staff):
    rows = [reading("s,1", 0), reading("s,1", 1), reading("s2", 0)]
    response = staff.get(CHANGELIST)
    assert response.status_code == 200 and response.context["cl"].result_count == 3
    content = response.content.decode()
    for row in rows:
        assert change_url(row) in content
        assert f'name="_selected_action" value="{keys.row_key(row)}"' in content.replace(
            "&#x27;", "'"
        )


def test_add_change_and_delete_one(staff):
    response = staff.post(
        f"{CHANGELIST}add/",
        {"sensor": "hall", **form_datetime("taken_at", T0), "value": "21.5", "note": "first"},
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    (row,) = Reading.objects.filter(sensor="hall")
    assert row.value == 21.5 and row.note == "first" and key(row) == ("hall", T0)

    url = change_url(row)
    page = staff.get(url)
    assert page.status_code == 200
    assert b'<div class="readonly">hall</div>' in page.content  # key columns are not edited
    assert f"{CHANGELIST}{quote(keys.row_key(row))}/delete/".encode() in page.content
    response = staff.post(url, {"value": "22", "note": "changed", "sensor": "other"})
    assert response.status_code == 302, response.context and response.context["errors"]
    (changed,) = Reading.objects.filter(sensor="hall")
    assert changed.value == 22 and changed.note == "changed"
    assert not Reading.objects.filter(sensor="other").exists()

    # The admin's log links back to the row by its key.
    entry = LogEntry.objects.using("sql").order_by("-action_time").first()
    assert staff.get(entry.get_admin_url()).status_code == 200

    delete_url = url.replace("/change/", "/delete/")
    confirm = staff.get(delete_url)
    assert confirm.status_code == 200 and b"Are you sure" in confirm.content
    assert staff.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Reading.objects.filter(sensor="hall").exists()


def test_adding_an_existing_key_is_refused(staff):
    existing = reading("hall", 30, value=1.0)
    response = staff.post(
        f"{CHANGELIST}add/",
        {"sensor": "hall", **form_datetime("taken_at", existing.taken_at), "value": "9"},
    )
    assert response.status_code == 200
    assert "Reading with this Sensor and Taken at already exists." in str(
        response.context["adminform"].form.non_field_errors()
    )
    assert Reading.objects.get(sensor="hall", taken_at=existing.taken_at).value == 1.0


def test_unknown_or_malformed_keys_redirect_to_the_list(staff):
    reading("s1", 0)
    for key in ("s1", "s1,not-a-date", "s1,2024-05-01T13:00:00+00:00"):
        response = staff.get(f"{CHANGELIST}{quote(key)}/change/")
        assert response.status_code == 302 and response["Location"] == "/admin/"


def test_delete_selected_rows_by_their_keys(staff):
    rows = [reading("s1", minute) for minute in range(3)] + [reading("s2", 0)]
    selected = [keys.row_key(rows[0]), keys.row_key(rows[3])]
    confirm = staff.post(CHANGELIST, {"action": "delete_selected", "_selected_action": selected})
    assert confirm.status_code == 200 and b"Are you sure" in confirm.content
    posted_back = re.findall(rb'name="_selected_action" value="([^"]+)"', confirm.content)
    assert sorted(v.decode().replace("&#x27;", "'") for v in posted_back) == sorted(selected)
    response = staff.post(
        CHANGELIST, {"action": "delete_selected", "post": "yes", "_selected_action": selected}
    )
    assert response.status_code == 302
    assert sorted(map(key, Reading.objects.all())) == sorted(map(key, rows[1:3]))


def test_delete_selected_on_a_filtered_list_and_across_all_rows(staff):
    rows = [reading("s1", minute) for minute in range(3)] + [reading("s2", 0)]
    response = staff.post(
        f"{CHANGELIST}?sensor=s1",
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [keys.row_key(rows[1])],
        },
    )
    assert response.status_code == 302
    assert Reading.objects.count() == 3
    response = staff.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "post": "yes",
            "select_across": "1",
            "_selected_action": [keys.row_key(rows[0])],
        },
    )
    assert response.status_code == 302
    assert Reading.objects.count() == 0


def test_partition_key_filter_lists_the_partitions(staff):
    for sensor in ("kitchen", "hall", "attic"):
        reading(sensor, 0)
        reading(sensor, 1)
    response = staff.get(CHANGELIST)
    (spec,) = response.context["cl"].filter_specs
    assert list(spec.lookup_choices) == ["attic", "hall", "kitchen"]  # one entry a partition
    response = staff.get(CHANGELIST, {"sensor": "hall"})
    cl = response.context["cl"]
    assert cl.result_count == 2 and {r.sensor for r in cl.result_list} == {"hall"}
    (spec,) = cl.filter_specs
    selected = [c["display"] for c in spec.choices(cl) if c["selected"]]
    assert selected == ["hall"]
