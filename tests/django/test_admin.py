"""The Django admin on Cassandra models (django_cassandra_engine.admin), through the test Client."""

import datetime
import uuid

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.checks import Error
from django.urls import reverse
from testapp.models import ExampleModel, Profile, Reading

from django_cassandra_engine.admin import CassandraAdminMixin

pytestmark = pytest.mark.django_db(databases=["default", "sql"])

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
CHANGELIST = "/admin/testapp/examplemodel/"


def make_examples(count):
    return [
        ExampleModel.objects.create(example_type=1 + i % 2, created_at=NOW, description=f"row {i}")
        for i in range(count)
    ]


def test_registered_admins_are_cassandra_aware():
    assert isinstance(admin.site._registry[ExampleModel], CassandraAdminMixin)
    assert isinstance(admin.site._registry[ExampleModel], admin.ModelAdmin)
    assert isinstance(admin.site._registry[Profile], CassandraAdminMixin)
    assert admin.site._registry[ExampleModel].check() == []


def test_index_lists_the_cassandra_models(staff):
    response = staff.get("/admin/")
    assert response.status_code == 200
    assert b"/admin/testapp/examplemodel/" in response.content


def test_change_list_pages_through_all_rows(staff):
    made = make_examples(12)
    seen = []
    for page in (1, 2, 3):
        response = staff.get(CHANGELIST, {"p": page})
        assert response.status_code == 200
        cl = response.context["cl"]
        assert cl.result_count == 12 and cl.paginator.num_pages == 3
        seen += [row.example_id for row in cl.result_list]
    assert sorted(seen) == sorted(row.example_id for row in made)  # no row twice, none missing
    assert f"{len(cl.result_list)} of 12".encode() not in response.content
    assert b'href="?p=1"' in response.content  # the page links
    assert staff.get(CHANGELIST, {"p": 4}).status_code == 302  # past the end: Django's ?e=1


def test_change_list_filters_and_searches_by_exact_value(staff):
    make_examples(6)
    response = staff.get(CHANGELIST, {"example_type__exact": "2"})
    assert response.context["cl"].result_count == 3
    assert {row.example_type for row in response.context["cl"].result_list} == {2}
    response = staff.get(CHANGELIST, {"q": "row 4"})
    assert [row.description for row in response.context["cl"].result_list] == ["row 4"]
    assert staff.get(CHANGELIST, {"q": "row"}).context["cl"].result_count == 0


def test_add_change_and_delete(staff):
    response = staff.post(
        "/admin/testapp/examplemodel/add/",
        {
            "example_type": "2",
            "created_at_0": "2024-05-01",
            "created_at_1": "12:00:00",
            "description": "from the admin",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    created = ExampleModel.objects.get(description="from the admin")
    assert created.example_type == 2

    url = f"/admin/testapp/examplemodel/{created.example_id}/change/"
    response = staff.get(url)
    assert response.status_code == 200 and b"from the admin" in response.content
    response = staff.post(
        url,
        {
            "example_type": "1",
            "created_at_0": "2024-05-02",
            "created_at_1": "08:30:00",
            "description": "changed",
        },
    )
    assert response.status_code == 302
    changed = ExampleModel.objects.get(example_id=created.example_id)
    assert changed.description == "changed" and changed.example_type == 1

    delete_url = f"/admin/testapp/examplemodel/{created.example_id}/delete/"
    assert b"changed" in staff.get(delete_url).content
    assert staff.post(delete_url, {"post": "yes"}).status_code == 302
    assert ExampleModel.objects.filter(example_id=created.example_id).count() == 0
    assert staff.get(f"/admin/testapp/examplemodel/{uuid.uuid4()}/change/").status_code == 302


def test_text_primary_key_in_the_url(staff):
    Profile.objects.create(username="ann smith/1", tags={"a"}, scores=[1], attributes={})
    response = staff.get("/admin/testapp/profile/")
    assert response.status_code == 200 and response.context["cl"].result_count == 1
    url = reverse("admin:testapp_profile_change", args=[quote("ann smith/1")])
    assert url == "/admin/testapp/profile/ann%20smith_2F1/change/"
    assert url.encode() in response.content
    response = staff.post(
        url,
        {
            "username": "ann smith/1",
            "tags": "a, b",
            "scores": "1, 2",
            "active": "true",
            "birthday": "",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Profile.objects.get(username="ann smith/1").tags == {"a", "b"}
    response = staff.post(
        "/admin/testapp/profile/add/",
        {
            "username": "bob",
            "tags": "",
            "scores": "",
            "active": "false",
            "birthday": "",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Profile.objects.get(username="bob").active is False


def test_delete_selected_action(staff):
    rows = make_examples(3)
    response = staff.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [str(rows[0].example_id), str(rows[1].example_id)],
        },
    )
    assert response.status_code == 302
    assert [row.example_id for row in ExampleModel.objects.all()] == [rows[2].example_id]


def test_what_cql_cannot_do_is_refused_by_checks():
    class Unsupported(admin.ModelAdmin):
        search_fields = ("description__icontains", "description")
        list_filter = ("description",)
        date_hierarchy = "created_at"

    site = admin.AdminSite(name="checks")
    site.register(ExampleModel, Unsupported)
    site.register(Reading)
    errors = [e for e in site._registry[ExampleModel].check() if isinstance(e, Error)]
    assert sorted(e.id for e in errors) == [
        "django_cassandra_engine.E102",  # description__icontains: no such column
        "django_cassandra_engine.E103",
        "django_cassandra_engine.E104",
    ]
    assert "'description__icontains'" in errors[0].msg
    assert site._registry[Reading].check() == []  # a composite primary key is fine


def test_delete_selected_confirmation_page(staff):
    rows = make_examples(2)
    response = staff.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [str(r.example_id) for r in rows]},
    )
    assert response.status_code == 200
    assert b"Are you sure" in response.content
    for row in rows:
        assert str(row.example_id).encode() in response.content  # listed, and posted on
    assert ExampleModel.objects.count() == 2  # nothing deleted before confirming
