"""DRF on Cassandra models: DjangoCassandraModelSerializer and generic views."""

import datetime
import uuid

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient
from testapp.models import Address, ExampleModel, Profile, Reading
from testapp.serializers import ExampleSerializer, ProfileSerializer, ReadingSerializer

pytestmark = pytest.mark.django_db(databases=["default"])

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def test_every_column_type_gets_a_field_of_its_kind():
    fields = ProfileSerializer().fields
    assert isinstance(fields["username"], serializers.CharField)
    assert isinstance(fields["tags"], serializers.ListField)  # a set, as a JSON list
    assert isinstance(fields["scores"], serializers.ListField)
    assert isinstance(fields["scores"].child, serializers.IntegerField)
    assert isinstance(fields["attributes"], serializers.DictField)
    assert isinstance(fields["active"], serializers.BooleanField)
    assert isinstance(fields["birthday"], serializers.DateField)
    assert not fields["address"].required and fields["address"].allow_null
    example = ExampleSerializer().fields
    assert isinstance(example["example_id"], serializers.UUIDField)
    assert example["example_id"].read_only  # generated (uuid4 default)
    assert isinstance(example["created_at"], serializers.DateTimeField)
    assert isinstance(example["example_type"], serializers.ChoiceField)  # Meta.field_options
    reading = ReadingSerializer().fields
    assert not reading["sensor"].read_only and not reading["taken_at"].read_only


def test_collections_and_user_types_round_trip():
    profile = Profile.objects.create(
        username="ann",
        tags={"b", "a"},
        scores=[3, 1],
        attributes={"k": "v"},
        address=Address(street="Main", zipcode=1000),
        birthday=datetime.date(2000, 2, 29),
    )
    data = ProfileSerializer(profile).data
    assert data["tags"] == ["a", "b"] and data["scores"] == [3, 1]
    assert data["attributes"] == {"k": "v"}
    assert data["address"] == {"street": "Main", "zipcode": 1000}
    assert data["birthday"] == "2000-02-29"
    incoming = ProfileSerializer(
        data={
            "username": "bob",
            "tags": ["x", "y"],
            "scores": [1],
            "attributes": {"a": "b"},
            "address": {"street": "High", "zipcode": 2},
        }
    )
    assert incoming.is_valid(), incoming.errors
    incoming.save()
    bob = Profile.objects.get(username="bob")
    assert bob.tags == {"x", "y"} and bob.address.street == "High" and bob.address.zipcode == 2
    bad = ProfileSerializer(data={"username": "cy", "scores": ["x"], "address": {"nope": 1}})
    assert not bad.is_valid() and {"scores", "address"} <= set(bad.errors)


def test_composite_key_create_and_update():
    serializer = ReadingSerializer(
        data={"sensor": "s1", "taken_at": NOW.isoformat(), "value": 1.5, "note": "first"}
    )
    assert serializer.is_valid(), serializer.errors
    reading = serializer.save()
    assert Reading.objects.get(sensor="s1", pk=reading.taken_at).value == 1.5
    update = ReadingSerializer(reading, data={"value": 2.5}, partial=True)
    assert update.is_valid(), update.errors
    update.save()
    assert Reading.objects.get(sensor="s1", pk=reading.taken_at).value == 2.5
    assert Reading.objects.filter(sensor="s1").count() == 1


def test_generic_views_list_create_retrieve_update_delete():
    client = APIClient()
    response = client.post(
        "/api/profiles/",
        {"username": "dee", "tags": ["t"], "scores": [], "attributes": {}},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert client.get("/api/profiles/").json()[0]["username"] == "dee"
    assert client.get("/api/profiles/dee/").json()["tags"] == ["t"]
    response = client.patch("/api/profiles/dee/", {"scores": [5, 6]}, format="json")
    assert response.status_code == 200 and Profile.objects.get(username="dee").scores == [5, 6]
    assert client.delete("/api/profiles/dee/").status_code == 204
    assert client.get("/api/profiles/dee/").status_code == 404
    assert ExampleSerializer(ExampleModel(example_id=uuid.uuid4(), example_type=1)).data
