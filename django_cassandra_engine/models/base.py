"""DjangoCassandraModel: a cqlengine model that Django code understands."""

from __future__ import annotations

from typing import Any

from cassandra.cqlengine import ValidationError as CQLValidationError
from cassandra.cqlengine import columns
from cassandra.cqlengine.models import (
    BaseModel,
    Model,
    ModelMetaClass,
    QuerySetDescriptor,
    hybrid_classmethod,
)
from django.apps import apps
from django.core import checks
from django.core import exceptions as django_exceptions
from django.db.models.base import ModelState
from django.utils.encoding import force_str

from django_cassandra_engine.models import temporal
from django_cassandra_engine.models.asynchronous import in_thread
from django_cassandra_engine.models.options import DjangoCassandraOptions
from django_cassandra_engine.models.queryset import DjangoCassandraDMLQuery, DjangoCassandraQuerySet
from django_cassandra_engine.models.routing import database_for_model, keyspace_for_model


def _is_model_clone(attrs: dict[str, Any]) -> bool:
    # cqlengine derives throwaway subclasses with type(name, (model,), {...}) for
    # `using(keyspace=...)` and ContextQuery; a class statement always defines __qualname__.
    return "__qualname__" not in attrs


class DjangoCassandraModelMetaClass(ModelMetaClass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
        for attr, value in attrs.items():
            if isinstance(value, columns.Column):
                temporal.adopt(value, f"{name}.{attr}")
        klass = super().__new__(mcs, name, bases, attrs)
        # Columns whose values from the driver carry naive UTC timestamps (see _construct_instance).
        klass._timestamp_columns = {
            column.db_field_name: column
            for column in klass._columns.values()
            if temporal.holds_timestamps(column)
        }
        if klass.__abstract__:
            return klass
        if _is_model_clone(attrs):
            # cqlengine's metaclass made `pk` the partition key again; keep the model's.
            if klass._meta.get_pk_field:
                klass.pk = _column_property(klass._meta.pk.attname)
            return klass
        meta = attrs.get("Meta") or getattr(klass, "Meta", None)
        app_label = getattr(meta, "app_label", None)
        if app_label is None:
            app_config = apps.get_containing_app_config(klass.__module__)
            if app_config is None:
                raise RuntimeError(
                    f"Model class {klass.__module__}.{name} doesn't declare an explicit app_label "
                    "and isn't in an application in INSTALLED_APPS."
                )
            app_label = app_config.label
        DjangoCassandraOptions(meta, app_label).contribute_to_class(klass, "_meta")
        if klass._meta.get_pk_field:
            # cqlengine's `pk` is the partition key; Django code means Meta.get_pk_field.
            klass.pk = _column_property(klass._meta.pk.attname)
        mcs._add_display_methods(klass)
        klass._meta.apps.register_model(app_label, klass)
        return klass

    @staticmethod
    def _add_display_methods(klass: type) -> None:
        for field in klass._meta.local_fields:
            if field.choices and not hasattr(klass, f"get_{field.name}_display"):

                def display(self: Any, field: Any = field) -> str:
                    value = getattr(self, field.attname)
                    return force_str(dict(field.flatchoices).get(value, value), strings_only=True)

                setattr(klass, f"get_{field.name}_display", display)


def _column_property(name: str) -> property:
    def get(self: Any) -> Any:
        return getattr(self, name)

    def set(self: Any, value: Any) -> None:
        setattr(self, name, value)

    return property(get, set)


def _use_objects(name: str) -> classmethod:
    def method(cls: type, *args: Any, **kwargs: Any) -> Any:
        raise AttributeError(
            f"model has no attribute '{name}': query through {cls.__name__}.objects.{name}()"
        )

    method.__name__ = name
    return classmethod(method)


class DjangoCassandraModel(Model, metaclass=DjangoCassandraModelMetaClass):
    """Define columns with ``cassandra.cqlengine.columns`` as with any cqlengine model.

    Django additions: ``_meta`` (with Django field objects), ``objects``/``_default_manager``
    returning a DjangoCassandraQuerySet, ``full_clean()``, ``_state``, and ``DoesNotExist`` /
    ``MultipleObjectsReturned`` that are also Django's ``ObjectDoesNotExist`` /
    ``MultipleObjectsReturned``. ``Meta.get_pk_field`` names the column Django treats as the
    primary key when the CQL primary key has several columns.
    """

    __abstract__ = True
    __queryset__ = DjangoCassandraQuerySet
    __dmlquery__ = DjangoCassandraDMLQuery

    _default_manager = QuerySetDescriptor()
    _base_manager = QuerySetDescriptor()

    # As in the original package, querying goes through `objects` only (cqlengine's class-level
    # shortcuts would skip the Django-aware queryset).
    get = _use_objects("get")
    filter = _use_objects("filter")
    all = _use_objects("all")

    # Where the model's rows live (see routing.py)
    @classmethod
    def _get_keyspace(cls) -> str | None:
        return keyspace_for_model(cls)

    @classmethod
    def _class_get_connection(cls) -> str | None:
        return database_for_model(cls)

    def _inst_get_connection(self) -> str | None:
        return self._connection or database_for_model(type(self), write=True)

    _get_connection = hybrid_classmethod(_class_get_connection, _inst_get_connection)

    @classmethod
    def _construct_instance(cls, values: dict[str, Any]) -> DjangoCassandraModel:
        # A row from the driver: its timestamps are naive UTC, where values given to a model are
        # naive local time (Django's rule), so they are made aware before the columns see them.
        if cls._timestamp_columns:
            values = dict(values)
            for db_name, column in cls._timestamp_columns.items():
                if db_name in values:
                    values[db_name] = temporal.from_database(column, values[db_name])
        return super()._construct_instance(values)

    # Django model instance API
    @property
    def _state(self) -> ModelState:
        state = ModelState()
        state.adding = not self._is_persisted
        state.db = self._get_connection()
        return state

    def __hash__(self) -> int:
        key = tuple(getattr(self, name) for name in self._primary_keys)
        if any(part is None for part in key):
            raise TypeError("Model instances without primary key value are unhashable")
        return hash((type(self), key))

    def _get_pk_val(self, meta: Any = None) -> Any:
        return getattr(self, (meta or self._meta).pk.attname)

    def serializable_value(self, field_name: str) -> Any:
        try:
            field = self._meta.get_field(field_name)
        except django_exceptions.FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    # Django's asynchronous model methods: cqlengine's writes on a worker thread (see
    # models/asynchronous.py), so they do not block the event loop.
    async def asave(self, **kwargs: Any) -> Any:
        return await in_thread(self.save)(**kwargs)

    async def adelete(self) -> Any:
        return await in_thread(self.delete)()

    def get_deferred_fields(self) -> set[str]:
        return set()

    def clean(self) -> None:
        """Model-wide validation; override as with Django models."""

    def clean_fields(self, exclude: Any = None) -> None:
        exclude = set(exclude or ())
        errors: dict[str, list[Any]] = {}
        for field in self._meta.local_fields:
            if field.name in exclude:
                continue
            raw_value = getattr(self, field.attname)
            if field.blank and raw_value in field.empty_values:
                continue
            try:
                setattr(self, field.attname, field.clean(raw_value, self))
                self._columns[field.name].validate(getattr(self, field.attname))
            except django_exceptions.ValidationError as exc:
                errors[field.name] = exc.error_list
            except CQLValidationError as exc:
                errors[field.name] = [django_exceptions.ValidationError(str(exc), code="invalid")]
        if errors:
            raise django_exceptions.ValidationError(errors)

    def validate_unique(self, exclude: Any = None) -> None:
        """Nothing to check: Cassandra has no unique constraints, and a write to an existing
        primary key updates that row (use ``if_not_exists()`` to refuse instead)."""

    def validate_constraints(self, exclude: Any = None) -> None:
        """Cassandra has no check constraints."""

    def full_clean(
        self, exclude: Any = None, validate_unique: bool = True, validate_constraints: bool = True
    ) -> None:
        errors: dict[str, Any] = {}
        for step in (lambda: self.clean_fields(exclude), self.clean):
            try:
                step()
            except django_exceptions.ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise django_exceptions.ValidationError(errors)

    # System checks (manage.py check)
    @classmethod
    def check(cls, **kwargs: Any) -> list[checks.CheckMessage]:
        messages: list[checks.CheckMessage] = []
        if len(cls._primary_keys) > 1 and not cls._meta.get_pk_field:
            messages.append(
                checks.Warning(
                    f"{cls.__name__} has a primary key of several columns; Django code (forms, the "
                    f"admin, pk lookups) will treat '{cls._meta.pk.name}' as its primary key.",
                    hint="Name the column in Meta.get_pk_field.",
                    obj=cls,
                    id="django_cassandra_engine.W001",
                )
            )
        return messages


# Set after the class statement: cqlengine's metaclass derives these from the base classes'
# and ignores ones defined in the class body. Models' own classes derive from these.
DjangoCassandraModel.DoesNotExist = type(
    "DoesNotExist",
    (BaseModel.DoesNotExist, django_exceptions.ObjectDoesNotExist),
    {"__module__": __name__},
)
DjangoCassandraModel.MultipleObjectsReturned = type(
    "MultipleObjectsReturned",
    (BaseModel.MultipleObjectsReturned, django_exceptions.MultipleObjectsReturned),
    {"__module__": __name__},
)
