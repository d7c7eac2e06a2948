"""The Django admin for DjangoCassandraModel models, within what CQL can do.

``admin.site.register(Model)`` and ``ModelAdmin`` subclasses work for Cassandra models: the
package derives their admin class from ``CassandraAdminMixin`` when they are registered (see
``registration.py``). The change list pages with COUNT and LIMIT instead of SQL, filters by
value (ALLOW FILTERING), searches exactly with CQL or by substring over a bounded scan
(``search.py``), and sorts with CQL within one partition or else each page in Python
(``ordering.py``). Rows with a composite primary key are named by their whole key (``keys.py``).
What CQL cannot do is refused by system checks (``manage.py check``) that name the limitation.
"""

from django_cassandra_engine.admin.changelist import CassandraChangeList, CassandraPaginator
from django_cassandra_engine.admin.filters import PartitionKeyListFilter
from django_cassandra_engine.admin.options import CassandraAdminMixin, CassandraModelAdmin

__all__ = [
    "CassandraAdminMixin",
    "CassandraChangeList",
    "CassandraModelAdmin",
    "CassandraPaginator",
    "PartitionKeyListFilter",
]
