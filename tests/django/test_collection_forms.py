"""Form fields for collection, tuple and user type columns (django_cassandra_engine.forms).

Each field: valid input, invalid input with the message a user sees, and a round trip through
the database (saved by a ModelForm, read back, shown again, saved unchanged).
"""

import datetime
import decimal
import uuid

import pytest
from django.contrib.auth.models import User
from django.forms import modelform_factory
from testapp.models import Address, Catalog, Profile

from django_cassandra_engine.forms import (
    CqlJSONField,
    ItemsField,
    KeyValueField,
    StructuredField,
)

pytestmark = pytest.mark.django_db(databases=["default", "sql"])

ProfileForm = modelform_factory(
    Profile, fields=["username", "tags", "scores", "attributes", "address"]
)
CatalogForm = modelform_factory(Catalog, fields="__all__")


def profile_data(**overrides):
    data = {
        "username": "ann",
        "tags": "",
        "scores": "",
        "attributes_key_0": "",
        "attributes_value_0": "",
        "address_street": "",
        "address_zipcode": "",
    }
    return {**data, **overrides}


def errors_of(form, name):
    return " | ".join(form.errors.get(name, []))


def test_each_column_shape_gets_its_field():
    fields = CatalogForm().fields
    kinds = {name: type(field) for name, field in fields.items()}
    assert kinds == {
        "name": type(fields["name"]),
        "flags": ItemsField,
        "days": ItemsField,
        "ids": ItemsField,
        "prices": KeyValueField,
        "counts": KeyValueField,
        "pair": StructuredField,
        "grid": CqlJSONField,
        "branches": CqlJSONField,
    }
    assert "list<frozen<list<int>>>" in fields["grid"].help_text
    assert fields["days"].help_text == (
        "Separate dates (YYYY-MM-DD) with commas; repeated items are kept once."
    )
    assert isinstance(ProfileForm().fields["address"], StructuredField)


# list and set: comma-separated items


def test_list_of_integers_keeps_order_and_validates_each_item():
    form = ProfileForm(data=profile_data(scores="3, 1, 2, 1"))
    assert form.is_valid(), form.errors
    form.save()
    assert Profile.objects.get(username="ann").scores == [3, 1, 2, 1]
    bad = ProfileForm(data=profile_data(scores="1, x, 3, 4.5"))
    assert not bad.is_valid()
    assert errors_of(bad, "scores") == (
        "Item 2 (“x”): Enter a whole number. | Item 4 (“4.5”): Enter a whole number."
    )


def test_set_of_text_drops_repeats_and_reads_quoted_items():
    form = ProfileForm(data=profile_data(tags='django, "cassandra, cql", django, "say ""hi"""'))
    assert form.is_valid(), form.errors
    form.save()
    assert Profile.objects.get(username="ann").tags == {"django", "cassandra, cql", 'say "hi"'}
    shown = ProfileForm(instance=Profile.objects.get(username="ann"))["tags"].value()
    assert shown == '"cassandra, cql", django, "say ""hi"""'
    unclosed = ProfileForm(data=profile_data(tags='"open, b'))
    assert not unclosed.is_valid() and "quote" in errors_of(unclosed, "tags")


def test_items_of_other_types():
    some_id = uuid.uuid4()
    form = CatalogForm(
        data={
            "name": "c1",
            "flags": "true, False, 1",
            "days": "2024-02-29, 2024-02-29, 2023-01-01",
            "ids": str(some_id),
        }
    )
    assert form.is_valid(), form.errors
    form.save()
    saved = Catalog.objects.get(name="c1")
    assert saved.flags == [True, False, True]
    assert saved.days == {datetime.date(2024, 2, 29), datetime.date(2023, 1, 1)}
    assert saved.ids == [some_id]
    bad = CatalogForm(data={"name": "c2", "flags": "yes, maybe", "days": "2024-02-30", "ids": "x"})
    assert not bad.is_valid()
    assert "Item 2 (“maybe”): Enter true or false." in errors_of(bad, "flags")
    assert errors_of(bad, "days") == "Item 1 (“2024-02-30”): Enter a valid date."
    assert errors_of(bad, "ids") == "Item 1 (“x”): Enter a valid UUID."


def test_items_round_trip_unchanged():
    Profile.objects.create(username="ann", tags={"b", "a"}, scores=[5, 4], attributes={})
    for _ in range(2):
        profile = Profile.objects.get(username="ann")
        form = ProfileForm(instance=profile)
        data = profile_data(tags=form["tags"].value(), scores=form["scores"].value())
        assert (data["tags"], data["scores"]) == ("a, b", "5, 4")
        bound = ProfileForm(data=data, instance=profile)
        assert bound.is_valid(), bound.errors
        assert "tags" not in bound.changed_data and "scores" not in bound.changed_data
        bound.save()
    assert Profile.objects.get(username="ann").tags == {"a", "b"}


# map: key/value rows


def test_map_rows_become_a_dict():
    form = ProfileForm(
        data=profile_data(
            attributes_key_0="colour",
            attributes_value_0="blue",
            attributes_key_1="size",
            attributes_value_1="",
            attributes_key_2="",
            attributes_value_2="",
        )
    )
    assert form.is_valid(), form.errors
    form.save()
    assert Profile.objects.get(username="ann").attributes == {"colour": "blue", "size": ""}


def test_map_rows_are_validated_by_type():
    bad = CatalogForm(
        data={
            "name": "c",
            "counts_key_0": "x",
            "counts_value_0": "1",
            "counts_key_1": "2",
            "counts_value_1": "two",
            "counts_key_2": "3",
            "counts_value_2": "1",
            "counts_key_3": "3",
            "counts_value_3": "2",
            "counts_key_4": "",
            "counts_value_4": "5",
            "prices_key_0": "tea",
            "prices_value_0": "",
        }
    )
    assert not bad.is_valid()
    assert errors_of(bad, "counts").split(" | ") == [
        "Row 1, key “x”: Enter a whole number.",
        "Row 2, value “two”: Enter a whole number.",
        "Row 4: the key “3” is repeated.",
        "Row 5: enter a key.",
    ]
    assert errors_of(bad, "prices") == "Row 1: enter a value."


def test_map_round_trip_shows_rows_and_blank_rows():
    Catalog.objects.create(name="c", prices={"tea": decimal.Decimal("2.50")}, counts={3: 30, 1: 10})
    catalog = Catalog.objects.get(name="c")
    html = str(CatalogForm(instance=catalog)["counts"])
    assert 'name="counts_key_0" value="1"' in html and 'name="counts_value_1" value="30"' in html
    assert 'name="counts_key_3" value=""' in html  # blank rows to add entries
    data = {"name": "c", "prices_key_0": "tea", "prices_value_0": "2.50"}
    data.update({"counts_key_0": "1", "counts_value_0": "10", "counts_key_1": "3"})
    data.update({"counts_value_1": "30", "counts_key_2": "4", "counts_value_2": "40"})
    form = CatalogForm(data=data, instance=catalog)
    assert form.is_valid(), form.errors
    assert form.changed_data == ["counts"]
    form.save()
    saved = Catalog.objects.get(name="c")
    assert saved.counts == {1: 10, 3: 30, 4: 40} and saved.prices == {"tea": decimal.Decimal("2.5")}


# user types and tuples: one input per field


def test_user_type_fields_each_get_an_input():
    form = ProfileForm(data=profile_data(address_street="Main St", address_zipcode="1000"))
    assert form.is_valid(), form.errors
    form.save()
    address = Profile.objects.get(username="ann").address
    assert (address.street, address.zipcode) == ("Main St", 1000)
    html = str(ProfileForm(instance=Profile.objects.get(username="ann"))["address"])
    assert 'name="address_street" value="Main St"' in html
    assert 'name="address_zipcode" value="1000"' in html and ">zipcode</label>" in html
    bad = ProfileForm(data=profile_data(address_street="Main St", address_zipcode="ten"))
    assert not bad.is_valid() and errors_of(bad, "address") == "Enter a whole number."
    blank = ProfileForm(data=profile_data(username="bob"))
    assert blank.is_valid(), blank.errors
    blank.save()
    assert Profile.objects.get(username="bob").address is None


def test_tuple_elements_each_get_an_input():
    form = CatalogForm(data={"name": "t", "pair_0": "7", "pair_1": "seven"})
    assert form.is_valid(), form.errors
    form.save()
    assert Catalog.objects.get(name="t").pair == (7, "seven")
    shown = CatalogForm(instance=Catalog.objects.get(name="t"))["pair"].value()
    assert shown == [7, "seven"]
    assert not CatalogForm(data={"name": "t", "pair_0": "x", "pair_1": ""}).is_valid()


# nested types: JSON checked against the CQL type


def test_nested_collections_as_validated_json():
    form = CatalogForm(
        data={
            "name": "j",
            "grid": "[[1, 2], [3]]",
            "branches": '[{"street": "High St", "zipcode": 2000}]',
        }
    )
    assert form.is_valid(), form.errors
    form.save()
    saved = Catalog.objects.get(name="j")
    assert saved.grid == [[1, 2], [3]]
    assert saved.branches == [Address(street="High St", zipcode=2000)]
    shown = CatalogForm(instance=saved)
    assert shown["grid"].value() == "[[1, 2], [3]]"
    assert shown["branches"].value() == '[{"street": "High St", "zipcode": 2000}]'
    bad = CatalogForm(
        data={"name": "j", "grid": '[[1, "x"]]', "branches": '[{"street": "a", "floor": 3}]'}
    )
    assert not bad.is_valid()
    assert errors_of(bad, "grid") == "[0][1]: Enter a whole number."
    assert errors_of(bad, "branches") == "[0]: unknown fields floor."
    assert "Enter a valid JSON" in errors_of(CatalogForm(data={"name": "j", "grid": "[1,"}), "grid")


# the admin uses these fields


def test_admin_change_form_edits_collections_with_these_fields(client):
    user = User.objects.db_manager("sql").create_superuser("coll", "c@example.com", "pw")
    client.force_login(user)
    Profile.objects.create(
        username="ann",
        tags={"x"},
        scores=[1],
        attributes={"k": "v"},
        address=Address(street="Main", zipcode=1),
    )
    url = "/admin/testapp/profile/ann/change/"
    page = client.get(url).content.decode()
    assert 'name="tags" value="x"' in page and 'name="attributes_key_0" value="k"' in page
    assert 'name="address_street" value="Main"' in page
    response = client.post(
        url,
        {
            "username": "ann",
            "tags": "x, y",
            "scores": "1, 2",
            "attributes_key_0": "k",
            "attributes_value_0": "w",
            "address_street": "Main",
            "address_zipcode": "2",
            "active": "on",
            "birthday": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Profile.objects.get(username="ann")
    assert saved.tags == {"x", "y"} and saved.scores == [1, 2] and saved.attributes == {"k": "w"}
    assert saved.address.zipcode == 2
    response = client.post(url, {"username": "ann", "tags": "x", "scores": "one"})
    assert response.status_code == 200
    assert "Item 1 (“one”): Enter a whole number." in response.content.decode()
