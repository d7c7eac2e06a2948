"""``Model._meta`` for DjangoCassandraModel: Django's own Options, filled from cqlengine columns."""

from __future__ import annotations

from typing import Any

from django.db.models.options import Options, make_immutable_fields_list

from django_cassandra_engine.models.fields import make_field

# Meta attributes that are ours, not Django's (Django rejects names it does not know).
#   get_pk_field: the column Django code treats as the primary key when the CQL primary key
#                 has several columns.
#   field_options: {column name: {Django field option: value}} (verbose_name, help_text,
#                  choices, validators, editable, blank, max_length), since cqlengine columns
#                  do not take them.
CASSANDRA_META_NAMES = ("get_pk_field", "field_options")


def _django_meta(meta: type | None) -> type | None:
    if meta is None:
        return None
    attrs = {
        name: getattr(meta, name)
        for name in dir(meta)
        if not name.startswith("_") and name not in CASSANDRA_META_NAMES
    }
    return type("Meta", (), attrs)


class DjangoCassandraOptions(Options):
    def __init__(self, meta: type | None, app_label: str | None) -> None:
        super().__init__(_django_meta(meta), app_label)
        self.get_pk_field: str | None = getattr(meta, "get_pk_field", None)
        self.field_options: dict[str, dict[str, Any]] = dict(
            getattr(meta, "field_options", None) or {}
        )

    def contribute_to_class(self, cls: type, name: str) -> None:
        super().contribute_to_class(cls, name)
        self.managed = False  # tables are created by sync_cassandra, never by migrations
        self.concrete_model = cls
        # db_table keeps Django's "app_model" form, as in the original package; the CQL table
        # is cls.column_family_name(include_keyspace=False).
        unknown = set(self.field_options) - set(cls._columns)
        if unknown:
            raise TypeError(
                f"{cls.__name__}.Meta.field_options names unknown columns: {sorted(unknown)}"
            )
        for column_name, column in cls._columns.items():
            self.add_field(make_field(column_name, column, self.field_options.get(column_name)))
        for field in self.local_fields:
            field.model = cls
        # The original package listed its columns as private fields; code written for it
        # reads them there. They are the same field objects as local_fields.
        self.private_fields = list(self.local_fields)
        self.pk = self._choose_pk(cls)
        for field in self.local_fields:
            # Django serializes the pk apart ("pk" in fixtures); other key columns are fields.
            field.serialize = field is not self.pk

    def _get_fields(self, *args: Any, **kwargs: Any) -> Any:
        # Each column is both a local and a private field: list it once.
        fields = super()._get_fields(*args, **kwargs)
        unique = list(dict.fromkeys(fields))
        if len(unique) == len(fields):
            return fields
        return make_immutable_fields_list("get_fields()", unique)

    @property
    def related_objects(self) -> list:
        return []  # Cassandra models have no relations

    def get_all_related_objects_with_model(self, *args: Any, **kwargs: Any) -> list:
        return []

    def _choose_pk(self, cls: type) -> Any:
        if self.get_pk_field:
            if self.get_pk_field not in cls._primary_keys:
                raise TypeError(
                    f"{cls.__name__}.Meta.get_pk_field = {self.get_pk_field!r} "
                    "is not a primary key column"
                )
            return self.get_field(self.get_pk_field)
        # The first partition key column; a system check asks for get_pk_field when the
        # primary key has more columns (see DjangoCassandraModel.check).
        return self.get_field(next(iter(cls._primary_keys)))

    def can_migrate(self, connection: Any) -> bool:
        return False

    @property
    def primary_key_fields(self) -> list[Any]:
        """All primary key columns' fields: partition key first, then clustering columns."""
        return [self.get_field(name) for name in self.model._primary_keys]
