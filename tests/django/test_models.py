"""DjangoCassandraModel: the cqlengine API plus what Django code expects."""

import datetime
import uuid

import pytest
from cassandra.cqlengine.query import BatchQuery
from django import forms
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.db import NotSupportedError, models
from django.forms import modelform_factory
from testapp.models import ExampleModel, Profile, Reading

from django_cassandra_engine.forms import ItemsField

pytestmark = pytest.mark.django_db(databases=["default"])

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def make_readings(sensor="s1", count=5):
    for i in range(count):
        Reading.objects.create(sensor=sensor, taken_at=NOW + datetime.timedelta(minutes=i), value=i)


def test_crud_through_objects():
    created = ExampleModel.objects.create(example_type=1, created_at=NOW, description="first")
    fetched = ExampleModel.objects.get(example_id=created.example_id)
    assert fetched.description == "first" and fetched.created_at == NOW
    fetched.description = "changed"
    fetched.save()
    assert ExampleModel.objects.get(pk=created.pk).description == "changed"
    fetched.delete()
    assert ExampleModel.objects.count() == 0


def test_cqlengine_model_api_is_unchanged():
    example = ExampleModel.create(example_type=2, description="class-level create")
    assert ExampleModel.objects.get(example_id=example.example_id).example_type == 2
    assert ExampleModel.objects(example_type=2).count() == 1
    # As in the original package, queries go through `objects` only.
    for name in ("get", "filter", "all"):
        with pytest.raises(AttributeError, match=f"objects.{name}"):
            getattr(ExampleModel, name)(example_type=2)
    with BatchQuery() as batch:
        ExampleModel.batch(batch).create(example_type=3)
        ExampleModel.batch(batch).create(example_type=3)
    assert ExampleModel.objects.filter(example_type=3).count() == 2
    ExampleModel.objects(example_id=example.example_id).update(description="updated")
    assert ExampleModel.objects.get(example_id=example.example_id).description == "updated"


def test_meta_fields_are_django_fields_of_the_right_kind():
    meta = ExampleModel._meta
    assert meta.app_label == "testapp" and meta.model_name == "examplemodel"
    assert meta.db_table == "testapp_examplemodel"  # Django's form, as in the original
    assert ExampleModel.column_family_name(include_keyspace=False) == "example_model"
    assert not meta.managed
    assert [f.name for f in meta.private_fields] == [f.name for f in meta.local_fields]
    assert meta.related_objects == [] and meta.get_all_related_objects_with_model() == []
    kinds = {f.name: type(f) for f in meta.get_fields()}
    assert kinds == {
        "example_id": models.UUIDField,
        "example_type": models.IntegerField,
        "created_at": models.DateTimeField,
        "description": models.TextField,
    }
    pk = meta.pk
    assert pk.name == pk.attname == "example_id" and pk.primary_key and not pk.editable
    description = meta.get_field("description")
    assert description.blank and description.null and description.help_text == "What it is"
    example_type = meta.get_field("example_type")
    assert example_type.verbose_name == "kind" and example_type.db_index
    assert list(example_type.choices) == [(1, "one"), (2, "two")]
    assert isinstance(example_type.formfield(), forms.TypedChoiceField)
    assert isinstance(meta.get_field("created_at").formfield(), forms.DateTimeField)
    assert isinstance(Reading._meta.get_field("note").formfield(), forms.CharField)
    assert Reading._meta.get_field("note").max_length == 20
    assert isinstance(Profile._meta.get_field("tags").formfield(), ItemsField)
    assert isinstance(Profile._meta.get_field("active").formfield(), forms.BooleanField)


def test_pk_and_state():
    example = ExampleModel(example_type=1)
    assert example._state.adding and example.pk == example.example_id
    example.save()
    assert not ExampleModel.objects.get(pk=example.pk)._state.adding
    assert example._state.db == "default"
    assert example._get_pk_val() == example.example_id
    assert len({example, ExampleModel.objects.get(pk=example.pk)}) == 1


def test_does_not_exist_is_djangos_too():
    with pytest.raises(ObjectDoesNotExist):
        ExampleModel.objects.get(example_id=uuid.uuid4())
    with pytest.raises(ExampleModel.DoesNotExist):
        ExampleModel.objects.get(example_id=uuid.uuid4())
    ExampleModel.objects.create(example_type=7)
    ExampleModel.objects.create(example_type=7)
    with pytest.raises(MultipleObjectsReturned):
        ExampleModel.objects.get(example_type=7)


def test_full_clean_reports_errors_by_field():
    example = ExampleModel(example_type=5, description="x")
    with pytest.raises(ValidationError) as error:
        example.full_clean()
    assert set(error.value.message_dict) == {"example_type"}  # 5 is not a choice
    ExampleModel(example_type=1).full_clean()  # description may be blank
    with pytest.raises(ValidationError) as error:
        Reading(sensor="s", taken_at=NOW, value=1.0, note="n" * 21).full_clean()
    assert set(error.value.message_dict) == {"note"}


def test_choices_display():
    assert ExampleModel(example_type=2).get_example_type_display() == "two"


def test_composite_key_with_get_pk_field():
    make_readings()
    assert Reading._meta.pk.name == "taken_at"
    assert [f.name for f in Reading._meta.primary_key_fields] == ["sensor", "taken_at"]
    newest = Reading.objects.filter(sensor="s1").first()
    assert newest.taken_at == NOW + datetime.timedelta(minutes=4)  # clustering order DESC
    oldest = Reading.objects.get(sensor="s1", pk=NOW)
    assert oldest.value == 0 and oldest.pk == NOW  # pk is Meta.get_pk_field's column
    oldest.pk = NOW + datetime.timedelta(hours=1)
    assert oldest.taken_at == NOW + datetime.timedelta(hours=1) and oldest.sensor == "s1"
    # values_list("pk"): every primary key column, as the original package gave it.
    assert Reading.objects.filter(sensor="s1").values_list("pk")[0] == ["s1", newest.taken_at]
    with pytest.raises(TypeError, match="flat"):
        Reading.objects.filter(sensor="s1").values_list("pk", flat=True)
    # A column restricted by equality can be selected too.
    assert Reading.objects.filter(sensor="s1").values_list("sensor", flat=True)[:2] == ["s1"] * 2
    assert Reading.objects.filter(sensor="s1", pk=NOW).values("sensor", "taken_at") == [
        {"sensor": "s1", "taken_at": NOW}
    ]


def test_queryset_methods_cassandra_can_honour():
    make_readings(count=6)
    make_readings(sensor="s2", count=2)
    readings = Reading.objects.filter(sensor="s1")
    assert readings.count() == 6 and readings.exists()
    assert not Reading.objects.filter(sensor="none").exists()
    ascending = [r.value for r in readings.order_by("taken_at")]
    assert ascending == [0, 1, 2, 3, 4, 5]
    assert [r.value for r in readings.order_by("-taken_at")[:2]] == [5, 4]
    assert [r.value for r in readings.order_by("taken_at")[2:4]] == [2, 3]
    assert readings.filter(taken_at__gte=NOW + datetime.timedelta(minutes=3)).count() == 3
    assert sorted(readings.values_list("value", flat=True)) == [0, 1, 2, 3, 4, 5]
    assert readings.values("value")[0] == {"value": 5}
    assert Reading.objects.filter(sensor__in=["s1", "s2"]).count() == 8
    assert sorted(r.value for r in readings.exclude(value=0)) == [1, 2, 3, 4, 5]
    assert readings.filter(taken_at__exact=NOW).get().value == 0


def test_what_cassandra_cannot_do_is_refused_by_name():
    from cassandra.cqlengine.query import QueryException

    make_readings(count=2)
    # Also cqlengine's QueryException, which the original package raised.
    with pytest.raises(QueryException, match="clustering"):
        ExampleModel.objects.order_by("created_at")
    with pytest.raises(QueryException, match="no_such_column"):
        ExampleModel.objects.order_by("no_such_column")
    with pytest.raises(QueryException):
        ExampleModel.objects.filter(no_such_column=1)
    with pytest.raises(NotSupportedError, match="'icontains' lookup"):
        ExampleModel.objects.filter(description__icontains="x")
    with pytest.raises(NotSupportedError, match="substring"):
        ExampleModel.objects.filter(description__contains="x")
    with pytest.raises(NotSupportedError, match="clustering"):
        ExampleModel.objects.order_by("created_at")
    with pytest.raises(NotSupportedError, match="joins"):
        ExampleModel.objects.select_related("x")
    with pytest.raises(NotSupportedError, match="OR"):
        from django.db.models import Q

        ExampleModel.objects.filter(Q(example_type=1) | Q(example_type=2))


def test_python_ordering_fallback(settings):
    settings.CASSANDRA_FALLBACK_ORDER_BY_PYTHON = True
    for kind in (3, 1, 2):
        ExampleModel.objects.create(example_type=kind)
    assert [e.example_type for e in ExampleModel.objects.order_by("-example_type")] == [3, 2, 1]


def test_get_or_create_is_atomic_insert():
    _, created = Profile.objects.get_or_create(username="ann", defaults={"scores": [1]})
    again, created_again = Profile.objects.get_or_create(username="ann", defaults={"scores": [2]})
    assert created and not created_again and again.scores == [1]


def test_collections_and_user_types_round_trip():
    from testapp.models import Address

    Profile.objects.create(
        username="bob",
        tags={"a", "b"},
        scores=[3, 1],
        attributes={"k": "v"},
        address=Address(street="Main", zipcode=1000),
        birthday=datetime.date(2000, 2, 29),
    )
    bob = Profile.objects.get(username="bob")
    assert bob.tags == {"a", "b"} and bob.scores == [3, 1] and bob.attributes == {"k": "v"}
    assert bob.address.street == "Main" and bob.address.zipcode == 1000
    assert Profile._meta.get_field("birthday").value_from_object(bob) == datetime.date(2000, 2, 29)


def test_model_form_creates_and_edits():
    Form = modelform_factory(ExampleModel, fields="__all__")
    assert list(Form().fields) == ["example_type", "created_at", "description"]
    form = Form(data={"example_type": "2", "created_at": "2024-05-01 10:00:00", "description": ""})
    assert form.is_valid(), form.errors
    saved = form.save()
    assert ExampleModel.objects.get(pk=saved.pk).example_type == 2
    edit = Form(
        data={"example_type": "1", "created_at": "2024-05-01 10:00:00", "description": "edited"},
        instance=saved,
    )
    assert edit.is_valid(), edit.errors
    edit.save()
    assert ExampleModel.objects.get(pk=saved.pk).description == "edited"
    assert ExampleModel.objects.count() == 1
    invalid = Form(data={"example_type": "9", "created_at": "nope"})
    assert not invalid.is_valid() and set(invalid.errors) == {"example_type", "created_at"}
    ProfileForm = modelform_factory(Profile, fields=["username", "tags", "scores", "attributes"])
    profile_form = ProfileForm(
        data={
            "username": "cy",
            "tags": "x",
            "scores": "1, 2",
            "attributes_key_0": "a",
            "attributes_value_0": "b",
        }
    )
    assert profile_form.is_valid(), profile_form.errors
    profile_form.save()
    cy = Profile.objects.get(username="cy")
    assert cy.tags == {"x"} and cy.scores == [1, 2] and cy.attributes == {"a": "b"}


def test_views_use_models_through_django():
    from django.test import Client

    example = ExampleModel.objects.create(example_type=1, description="seen")
    client = Client()
    assert str(example.example_id) in client.get("/examples/").json()["examples"]
    assert client.get(f"/examples/{example.example_id}/").json()["description"] == "seen"
    assert client.get(f"/examples/{uuid.uuid4()}/").status_code == 404
