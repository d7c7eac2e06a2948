"""The Django admin for DjangoCassandraModel models, within what CQL can do.

``admin.site.register(Model)`` and ``ModelAdmin`` subclasses work for Cassandra models: the
package derives their admin class from ``CassandraAdminMixin`` when they are registered (see
``registration.py``), so the change list pages with COUNT and LIMIT instead of SQL, and filters
and searches by exact values (ALLOW FILTERING). What CQL cannot do is refused by system checks
(``manage.py check``) that name the limitation.
"""

from django_cassandra_engine.admin.changelist import CassandraChangeList, CassandraPaginator
from django_cassandra_engine.admin.options import CassandraAdminMixin, CassandraModelAdmin

__all__ = [
    "CassandraAdminMixin",
    "CassandraChangeList",
    "CassandraModelAdmin",
    "CassandraPaginator",
]
