"""Tests of a project written for django-cassandra-engine 1.x, using its public API."""

import datetime
import uuid
from decimal import Decimal

from cassandra.cqlengine.query import QueryException
from django.core.management import call_command
from django.db import connections
from django.test import Client
from rest_framework.test import APIClient

from django_cassandra_engine import compat
from django_cassandra_engine.connection import CassandraConnection, Cursor
from django_cassandra_engine.models import DjangoCassandraModel, ReadOnlyDjangoCassandraQuerySet
from django_cassandra_engine.models.constants import ORDER_BY_ERROR_HELP, PK_META_MISSING_HELP
from django_cassandra_engine.sessions.backends.cached_db import SessionStore
from django_cassandra_engine.test import TestCase
from django_cassandra_engine.utils import (
    CursorWrapper,
    get_cassandra_connection,
    get_cassandra_connections,
    get_cassandra_db_alias,
    get_cassandra_db_aliases,
    get_cql_models,
    get_default_cassandra_connection,
    get_engine_from_db_alias,
    get_installed_apps,
)
from shop import models
from shop.forms import ProductForm
from shop.models import ArchivedOrder, Counter, Dimensions, Order, PriceChange, Product
from shop.serializers import PriceChangeSerializer

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0)


class CompatModuleTests(TestCase):
    def test_compat_exports_the_driver(self):
        from cassandra.cqlengine import models as cqlengine_models

        self.assertIs(compat.Model, cqlengine_models.Model)
        self.assertIs(compat.columns.Text, __import__("cassandra").cqlengine.columns.Text)
        for name in (
            "Cluster",
            "Session",
            "PlainTextAuthProvider",
            "CQLEngineException",
            "connection",
            "management",
            "query",
            "create_keyspace_simple",
            "drop_keyspace",
            "BaseModel",
            "ColumnDescriptor",
            "ModelDefinitionException",
            "ModelException",
            "ModelMetaClass",
            "OrderedDict",
            "cqlengine",
        ):
            self.assertTrue(hasattr(compat, name), name)
        self.assertIn("get_pk_field", PK_META_MISSING_HELP)
        self.assertIn("CASSANDRA_FALLBACK_ORDER_BY_PYTHON", ORDER_BY_ERROR_HELP)


class UtilsTests(TestCase):
    def test_helpers(self):
        self.assertEqual(list(get_cassandra_db_aliases()), ["default", "archive"])
        self.assertEqual(get_cassandra_db_alias(), "default")
        self.assertEqual(
            [alias for alias, _ in get_cassandra_connections()], ["default", "archive"]
        )
        alias, connection = get_default_cassandra_connection()
        self.assertEqual(alias, "default")
        self.assertIs(connection, connections["default"])
        self.assertIs(get_cassandra_connection("archive"), connections["archive"])
        self.assertIs(get_cassandra_connection(name="test_compat_archive"), connections["archive"])
        self.assertEqual(get_engine_from_db_alias("sql"), "django.db.backends.sqlite3")
        self.assertIsNone(get_engine_from_db_alias("nope"))
        self.assertIn(models, get_installed_apps())
        self.assertEqual(set(get_cql_models(models)), {Product, PriceChange, Counter})
        self.assertEqual(get_cql_models(models, connection="archive"), [ArchivedOrder])


class ConnectionTests(TestCase):
    def test_database_wrapper_connection(self):
        wrapper = get_cassandra_connection()
        wrapper.connect()
        self.assertTrue(wrapper.connected)
        self.assertIsInstance(wrapper.connection, CassandraConnection)
        self.assertEqual(wrapper.connection.keyspace, "test_compat_shop")
        self.assertIsInstance(wrapper.connection.cursor(), Cursor)
        self.assertIs(wrapper.connection.cursor().connection, wrapper.connection)
        self.assertEqual(wrapper.connection.session_options, {"default_timeout": 60})
        self.assertEqual(wrapper.connection.session.default_timeout, 60)
        self.assertTrue(wrapper.connection.default)
        self.assertEqual(
            set(wrapper.connection.connection_options),
            {"lazy_connect", "retry_connect", "consistency"},
        )

    def test_raw_cql_cursor_queries(self):
        cursor = connections["default"].cursor()
        self.assertIsInstance(cursor, CursorWrapper)
        self.assertEqual(cursor.execute("SELECT count(*) FROM product")[0]["count"], 0)
        Product.objects.create(name="kettle")
        rows = cursor.execute("SELECT name FROM product")
        self.assertEqual([row["name"] for row in rows], ["kettle"])
        self.assertEqual(
            connections["default"]
            .connection.execute("SELECT count(*) FROM product")
            .one()["count"],
            1,
        )

    def test_reconnect(self):
        wrapper = connections["default"]
        before = wrapper.connection.session
        wrapper.reconnect()
        self.assertIsNot(wrapper.connection.session, before)
        Product.objects.create(name="after reconnect")
        self.assertEqual(Product.objects.count(), 1)

    def test_introspection(self):
        introspection = connections["default"].introspection
        self.assertEqual(introspection.sequence_list(), [])
        self.assertIn("product", introspection.table_names())
        self.assertEqual(
            set(introspection.django_table_names()),
            {"product", "price_change", "counter", "session"},
        )


class ModelTests(TestCase):
    databases = {"default", "archive", "sql"}

    def test_crud_and_querysets(self):
        product = Product.objects.create(name="mug", price=Decimal("4.50"), tags={"kitchen"})
        self.assertEqual(Product.objects.get(pk=product.pk).name, "mug")
        self.assertEqual(Product.objects.filter(name="mug").count(), 1)
        self.assertEqual(Product.objects.values_list("name", flat=True)[0], "mug")
        self.assertTrue(Product.objects.filter(name="mug").exists())
        with self.assertRaises(AttributeError):
            Product.filter(name="mug")
        with self.assertRaises(QueryException):
            Product.objects.order_by("name")
        excluded = Product.objects.exclude(name="mug")
        self.assertIsInstance(excluded, ReadOnlyDjangoCassandraQuerySet)
        self.assertEqual(excluded.count(), 0)
        self.assertEqual(Product._meta.db_table, "shop_product")
        self.assertFalse(Product._meta.managed)
        self.assertTrue(issubclass(Product, DjangoCassandraModel))

    def test_composite_key_with_get_pk_field(self):
        product_id = uuid.uuid4()
        for minutes in range(3):
            PriceChange.objects.create(
                product_id=product_id,
                price=Decimal(minutes),
                changed_at=NOW + datetime.timedelta(minutes=minutes),
            )
        change = PriceChange.objects.get(product_id=product_id, pk=NOW)
        self.assertEqual(change.pk, NOW)
        self.assertEqual(
            PriceChange.objects.filter(product_id=product_id).values_list("product_id", flat=True)[
                0
            ],
            product_id,
        )
        self.assertEqual(
            PriceChange.objects.filter(product_id=product_id).values_list("pk")[0],
            [product_id, NOW + datetime.timedelta(minutes=2)],
        )
        newest_first = PriceChange.objects.filter(product_id=product_id).order_by("-changed_at")
        self.assertEqual(newest_first.first().price, Decimal(2))

    def test_plain_cqlengine_model(self):
        Counter.objects(name="visits").update(hits=1)
        Counter.objects(name="visits").update(hits=1)
        self.assertEqual(Counter.objects.get(name="visits").hits, 2)

    def test_second_database_with_metadata_disabled(self):
        self.assertFalse(connections["archive"].connection.cluster.schema_metadata_enabled)
        ArchivedOrder.objects.create(total=Decimal("9.99"))
        self.assertEqual(ArchivedOrder.objects.count(), 1)
        self.assertEqual(ArchivedOrder._get_keyspace(), "test_compat_archive")

    def test_sqlite_beside_cassandra(self):
        product = Product.objects.create(name="plate")
        Order.objects.create(product_id=product.id, quantity=2)
        self.assertEqual(Order.objects.using("sql").get().quantity, 2)

    def test_sync_commands(self):
        call_command("sync_cassandra", database="default", verbosity=0)
        call_command("syncdb", database="archive", verbosity=0)
        call_command("flush", database="archive", interactive=False, verbosity=0)


class FormTests(TestCase):
    def test_model_form_with_collections_and_a_user_type(self):
        form = ProductForm(
            data={
                "name": "lamp",
                "price": "12.00",
                "tags": "light",
                "sizes": "1, 2",
                "attributes_key_0": "colour",
                "attributes_value_0": "red",
                "dimensions_width": "3",
                "dimensions_height": "4",
            }
        )
        self.assertTrue(form.is_valid(), form.errors)
        lamp = form.save()
        stored = Product.objects.get(pk=lamp.pk)
        self.assertEqual((stored.tags, stored.sizes), ({"light"}, [1, 2]))
        self.assertEqual(stored.attributes, {"colour": "red"})
        self.assertEqual((stored.dimensions.width, stored.dimensions.height), (3, 4))
        edit = ProductForm(
            instance=stored,
            data={
                "name": "lamp",
                "price": "10.00",
                "tags": "",
                "sizes": "",
                "attributes_key_0": "",
                "attributes_value_0": "",
                "dimensions_width": "",
                "dimensions_height": "",
            },
        )
        self.assertTrue(edit.is_valid(), edit.errors)
        edit.save()
        edited = Product.objects.get(pk=lamp.pk)
        self.assertEqual(
            (edited.price, edited.tags, edited.dimensions), (Decimal("10.00"), set(), None)
        )


class RestTests(TestCase):
    def test_drf_views_and_serializers(self):
        client = APIClient()
        response = client.post(
            "/products/",
            {
                "name": "chair",
                "price": "30.00",
                "tags": ["wood"],
                "sizes": [1],
                "attributes": {"legs": "4"},
                "dimensions": {"width": 40, "height": 90},
                "created_at": "2024-05-01T12:00:00",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        product_id = response.json()["id"]
        detail = client.get(f"/products/{product_id}/").json()
        self.assertEqual(detail["dimensions"], {"width": 40, "height": 90})
        self.assertEqual(detail["tags"], ["wood"])
        self.assertEqual(len(client.get("/products/").json()), 1)
        response = client.patch(f"/products/{product_id}/", {"sizes": [2, 3]}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Product.objects.get(pk=uuid.UUID(product_id)).sizes, [2, 3])
        self.assertEqual(client.delete(f"/products/{product_id}/").status_code, 204)
        serializer = PriceChangeSerializer(
            data={"product_id": product_id, "changed_at": "2024-05-01T12:00:00", "price": "1.00"}
        )
        self.assertTrue(serializer.is_valid(), serializer.errors)
        serializer.save()
        self.assertEqual(PriceChange.objects.filter(product_id=uuid.UUID(product_id)).count(), 1)


class SessionTests(TestCase):
    def test_cached_db_sessions_through_the_middleware(self):
        client = Client()
        client.post("/basket/", {"item": "tea"})
        response = client.post("/basket/", {"item": "milk"})
        self.assertEqual(response.json(), {"basket": ["tea", "milk"]})
        key = client.cookies["sessionid"].value
        self.assertEqual(SessionStore(key).load()["basket"], ["tea", "milk"])
        from django_cassandra_engine.sessions.models import Session

        self.assertEqual(
            Session.objects.get(session_key=key).get_decoded()["basket"], ["tea", "milk"]
        )
        self.assertEqual(Dimensions(width=1, height=2).width, 1)
