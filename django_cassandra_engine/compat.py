"""The driver's modules and classes under one name, whichever driver is installed.

The names of the original package's ``compat`` module: DataStax's ``dse-driver`` (package
``dse``) is used when it is installed, else ``cassandra-driver`` or ``scylla-driver`` (package
``cassandra``).
"""

try:
    from dse import cqlengine
    from dse.auth import PlainTextAuthProvider
    from dse.cluster import Cluster, Session
    from dse.cqlengine import CQLEngineException, columns, connection, management, query
    from dse.cqlengine.management import create_keyspace_simple, drop_keyspace
    from dse.cqlengine.models import (
        BaseModel,
        ColumnDescriptor,
        Model,
        ModelDefinitionException,
        ModelException,
        ModelMetaClass,
    )
    from dse.util import OrderedDict
except ImportError:
    try:
        from cassandra import cqlengine
        from cassandra.auth import PlainTextAuthProvider
        from cassandra.cluster import Cluster, Session
        from cassandra.cqlengine import CQLEngineException, columns, connection, management, query
        from cassandra.cqlengine.management import create_keyspace_simple, drop_keyspace
        from cassandra.cqlengine.models import (
            BaseModel,
            ColumnDescriptor,
            Model,
            ModelDefinitionException,
            ModelException,
            ModelMetaClass,
        )
        from cassandra.util import OrderedDict
    except ImportError as exc:
        raise ImportError("Install cassandra-driver (or scylla-driver, or dse-driver).") from exc

__all__ = [
    "BaseModel",
    "CQLEngineException",
    "Cluster",
    "ColumnDescriptor",
    "Model",
    "ModelDefinitionException",
    "ModelException",
    "ModelMetaClass",
    "OrderedDict",
    "PlainTextAuthProvider",
    "Session",
    "columns",
    "connection",
    "cqlengine",
    "create_keyspace_simple",
    "drop_keyspace",
    "management",
    "query",
]
