"""Give admin classes of Cassandra models the CassandraAdminMixin when they are registered.

``AdminSite.register`` tells a model from a list of models by ``isinstance(x, ModelBase)``,
which a cqlengine model class is not; and a plain ``ModelAdmin`` would run SQL-only queries
(Q objects, ``order_by("-pk")``). Wrapping ``register`` changes nothing for other models.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import admin
from django.contrib.admin.sites import AdminSite, all_sites

from django_cassandra_engine.admin.options import CassandraAdminMixin


def _is_cassandra_model(model: Any) -> bool:
    from django_cassandra_engine.models import DjangoCassandraModel

    return isinstance(model, type) and issubclass(model, DjangoCassandraModel)


def cassandra_admin_class(admin_class: type) -> type:
    if issubclass(admin_class, CassandraAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (CassandraAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )


def install() -> None:
    original = AdminSite.register
    if getattr(original, "cassandra_aware", False):
        return

    @functools.wraps(original)
    def register(self: AdminSite, model_or_iterable: Any, admin_class: Any = None, **options: Any):
        if _is_cassandra_model(model_or_iterable):
            model_or_iterable = [model_or_iterable]
        for model in model_or_iterable:
            model_admin = admin_class
            if _is_cassandra_model(model):
                model_admin = cassandra_admin_class(admin_class or admin.ModelAdmin)
            original(self, [model], model_admin, **options)

    register.cassandra_aware = True
    AdminSite.register = register
    # Models registered before this ran (when the admin's app comes first in INSTALLED_APPS).
    for site in all_sites:
        for model, model_admin in list(site._registry.items()):
            if _is_cassandra_model(model) and not isinstance(model_admin, CassandraAdminMixin):
                site._registry[model] = cassandra_admin_class(type(model_admin))(model, site)
