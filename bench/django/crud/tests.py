"""Fifty tests doing CRUD on the ten models: five per model."""

from django.utils import timezone

from crud import models
from django_cassandra_engine.test import TestCase

MODELS = [getattr(models, f"Model{i}") for i in range(10)]


class CrudTests(TestCase):
    pass


def _create(model):
    def test(self):
        obj = model.objects.create(kind=1, name="a", tags={"x"}, created_at=timezone.now())
        self.assertEqual(model.objects.get(id=obj.id).name, "a")

    return test


def _update(model):
    def test(self):
        obj = model.objects.create(kind=1, name="a")
        obj.name = "b"
        obj.save()
        self.assertEqual(model.objects.get(id=obj.id).name, "b")

    return test


def _filter(model):
    def test(self):
        for kind in (1, 2, 2):
            model.objects.create(kind=kind, name="n")
        self.assertEqual(model.objects.filter(kind=2).count(), 2)

    return test


def _delete(model):
    def test(self):
        obj = model.objects.create(kind=1, name="a")
        obj.delete()
        self.assertFalse(model.objects.filter(id=obj.id).exists())

    return test


def _bulk(model):
    def test(self):
        for i in range(20):
            model.objects.create(kind=i % 3, name=str(i))
        self.assertEqual(model.objects.count(), 20)

    return test


for model in MODELS:
    for make in (_create, _update, _filter, _delete, _bulk):
        setattr(CrudTests, f"test_{make.__name__[1:]}_{model.__name__.lower()}", make(model))
