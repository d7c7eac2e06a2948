"""Driver connections to the Cassandra databases in DATABASES.

One driver ``Cluster``/``Session`` per database alias per process, shared by every thread (the
session is thread-safe; Django's per-thread ``DatabaseWrapper`` objects all use it) and registered
in cqlengine's connection registry under the alias, so ``DjangoCassandraModel`` and plain
cqlengine models use the same session. Nothing connects until first use. After ``fork()``
(Celery, uWSGI, gunicorn ``--preload``) the child drops the inherited sessions and reconnects on
its next query. Settings dicts are read, never modified.
"""

from __future__ import annotations

import atexit
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, Session
from cassandra.cqlengine import connection as cqlengine_connection
from django.conf import settings as django_settings

from django_cassandra_engine import embedded, querylog, tls
from django_cassandra_engine.base.cursor import Cursor
from django_cassandra_engine.errors import django_errors

# OPTIONS['connection'] keys that configure cqlengine's connection rather than Cluster().
ENGINE_KEYS = ("lazy_connect", "retry_connect", "consistency", "default")
EMBEDDED_HOSTS = ("", "embedded")


@dataclass(frozen=True)
class ConnectionSettings:
    """What a DATABASES entry says about connecting, parsed without touching the entry."""

    alias: str
    keyspace: str
    hosts: tuple[str, ...]  # empty for the embedded server and for Astra bundles
    port: int | None
    user: str | None
    password: str | None
    cluster_options: dict[str, Any] = field(default_factory=dict)
    session_options: dict[str, Any] = field(default_factory=dict)
    consistency: int | None = None
    embedded_data_dir: Path | None = None  # set when the database is the embedded cqld
    embedded_port: int = 0
    embedded_auth: embedded.ServerAuth = field(default_factory=lambda: embedded.ServerAuth())
    embedded_args: tuple[str, ...] = ()  # cqld's flags from OPTIONS['embedded'] (TLS)

    @property
    def is_embedded(self) -> bool:
        return self.embedded_data_dir is not None

    @classmethod
    def from_settings(cls, alias: str, settings_dict: dict[str, Any]) -> ConnectionSettings:
        options = settings_dict.get("OPTIONS") or {}
        connection_options = dict(options.get("connection") or {})
        engine_options = {
            k: connection_options.pop(k) for k in ENGINE_KEYS if k in connection_options
        }
        host = (settings_dict.get("HOST") or "").strip()
        is_cloud = "cloud" in connection_options
        embedded_dir = None
        embedded_options = options.get("embedded") or {}
        if host.lower() in EMBEDDED_HOSTS and not is_cloud:
            embedded_dir = Path(embedded_options.get("data_dir") or default_data_dir())
        port = settings_dict.get("PORT")
        user = settings_dict.get("USER") or None
        password = settings_dict.get("PASSWORD") or None
        auth = embedded.ServerAuth.from_options(embedded_options)
        if embedded_dir and auth.authenticator == "password" and not user:
            # An embedded server with authentication and no USER: log in as its superuser.
            user, password = embedded.DEFAULT_SUPERUSER, auth.superuser_password
        return cls(
            alias=alias,
            keyspace=settings_dict.get("NAME") or "",
            hosts=()
            if embedded_dir or is_cloud
            else tuple(h.strip() for h in host.split(",") if h.strip()),
            port=int(port) if port not in (None, "") else None,
            user=user,
            password=password,
            cluster_options=connection_options,
            session_options=dict(options.get("session") or {}),
            consistency=engine_options.get("consistency"),
            embedded_data_dir=embedded_dir,
            embedded_port=int(embedded_options.get("port") or 0),
            embedded_auth=auth,
            embedded_args=tls.embedded_args(embedded_options) if embedded_dir else (),
        )

    def cluster_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``cassandra.cluster.Cluster``."""
        kwargs = tls.driver_options(dict(self.cluster_options))
        if self.user and "auth_provider" not in kwargs:
            kwargs["auth_provider"] = PlainTextAuthProvider(
                username=self.user, password=self.password or ""
            )
        if "cloud" in kwargs:
            return kwargs
        if self.is_embedded:
            address = embedded.test_server.address() or embedded.ensure_server(
                self.embedded_data_dir,
                self.embedded_port,
                extra_args=self.embedded_args,
                auth=self.embedded_auth,
            )
            kwargs["contact_points"] = [address.host]
            kwargs["port"] = address.port
            # One local node: no need to discover peers or wait for schema agreement timeouts.
            kwargs.setdefault("protocol_version", 4)
            return kwargs
        kwargs["contact_points"] = list(self.hosts) or ["127.0.0.1"]
        if self.port is not None:
            kwargs["port"] = self.port
        return kwargs


def default_data_dir() -> Path:
    """``<BASE_DIR>/.cqld`` (next to db.sqlite3 in a startproject layout), else ``./.cqld``."""
    base = getattr(django_settings, "BASE_DIR", None)
    return Path(base or os.getcwd()) / ".cqld"


class CassandraConnection:
    """The driver cluster and session of one database in one process, made on first use.

    It has the attributes and methods of the original package's ``CassandraConnection``
    (``alias``, ``hosts``, ``keyspace``, ``user``, ``password``, ``options``,
    ``cluster_options``, ``session_options``, ``connection_options``, ``default``; ``register``,
    ``unregister``, ``cursor``, ``execute``, ``commit``, ``rollback``, ``close``), so code that
    reaches ``connections[alias].connection`` keeps working; ``settings_dict`` is only read.
    """

    def __init__(self, alias: str, **settings_dict: Any) -> None:
        self.alias = alias
        self.config = ConnectionSettings.from_settings(alias, settings_dict)
        self.pid = os.getpid()
        self.hosts = list(self.config.hosts)
        self.user = self.config.user
        self.password = self.config.password
        self.options = settings_dict.get("OPTIONS") or {}
        self.cluster_options = dict(self.config.cluster_options)
        if self.user and self.password and "auth_provider" not in self.cluster_options:
            self.cluster_options["auth_provider"] = PlainTextAuthProvider(
                username=self.user, password=self.password
            )
        self.session_options = dict(self.config.session_options)
        connection_options = self.options.get("connection") or {}
        self.connection_options = {
            "lazy_connect": connection_options.get("lazy_connect", False),
            "retry_connect": connection_options.get("retry_connect", False),
            "consistency": connection_options.get("consistency"),
        }
        self._cluster: Cluster | None = None
        self._session: Session | None = None
        self._connect_lock = threading.Lock()
        self.register()

    @property
    def keyspace(self) -> str:
        """The database's keyspace now: its test keyspace while tests run."""
        from django.db import connections

        if self.alias in connections.settings:
            return connections[self.alias].settings_dict["NAME"]
        return self.config.keyspace

    @property
    def default(self) -> bool:
        from django_cassandra_engine.utils import default_cassandra_alias

        return self.alias == default_cassandra_alias()

    # Connecting
    def connect(self) -> None:
        if self.pid != os.getpid():
            # Inherited through fork: the parent's driver threads and sockets are not ours.
            self.pid, self._cluster, self._session = os.getpid(), None, None
            self._connect_lock = threading.Lock()
        with self._connect_lock:
            if self._session is not None:
                return
            with django_errors():
                cluster = Cluster(**self.config.cluster_kwargs())
                try:
                    session = cluster.connect()
                except BaseException:
                    cluster.shutdown()
                    raise
            for name, value in self.session_options.items():
                setattr(session, name, value)
            querylog.install(session, self.alias)
            self._cluster, self._session = cluster, session
        _adopt(self)

    @property
    def connected(self) -> bool:
        return self._session is not None and self.usable

    @property
    def cluster(self) -> Cluster:
        self.connect()
        return self._cluster

    @property
    def session(self) -> Session:
        self.connect()
        return self._session

    @property
    def usable(self) -> bool:
        return self.pid == os.getpid() and not (self._cluster and self._cluster.is_shutdown)

    def shutdown(self) -> None:
        if self.pid == os.getpid() and self._cluster is not None:
            self._cluster.shutdown()

    # cqlengine's connection registry
    def register(self) -> None:
        """Registers the database with cqlengine under its alias (if it is not already)."""
        with _lock:
            if self.alias not in cqlengine_connection._connections:
                _register_lazy(self.alias, self)

    def unregister(self) -> None:
        """Removes the database from cqlengine's registry and closes its driver connection."""
        with _lock:
            if _shared.get(self.alias) is self:
                del _shared[self.alias]
            entry = cqlengine_connection._connections.get(self.alias)
            if entry is not None and entry.cluster is self._cluster:
                entry.cluster = None  # shut down below, once
            cqlengine_connection.unregister_connection(self.alias)
            self.shutdown()

    # Running CQL
    def cursor(self) -> Cursor:
        return Cursor(self)

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        """Runs a statement in the database's keyspace; the driver's ResultSet."""
        session = self.session
        with django_errors():
            if session.keyspace != self.keyspace:
                session.set_keyspace(self.keyspace)
            return session.execute(query, *args, **kwargs)

    # The DB-API surface Django's connection handling calls; Cassandra has no transactions.
    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        # Shared by all threads and kept for the life of the process; see shutdown_all().
        pass


_lock = threading.RLock()
_shared: dict[str, CassandraConnection] = {}


def _settings_dict(alias: str) -> dict[str, Any]:
    from django.db import connections

    return connections.settings[alias]


def get(alias: str) -> CassandraConnection:
    """The process's connection for ``alias`` (a DATABASES alias); it connects on first use."""
    with _lock:
        existing = _shared.get(alias)
        if existing is not None and existing.usable:
            return existing
        handle = CassandraConnection(alias, **_settings_dict(alias))
        _shared[alias] = handle
        return handle


def reset(alias: str) -> None:
    """Drops the connection for ``alias``; the next use connects again with current settings."""
    with _lock:
        handle = _shared.pop(alias, None)
        if handle is not None:
            handle.shutdown()
        _register_lazy(alias)


class _DjangoRegistryConnection(cqlengine_connection.Connection):
    """cqlengine's registry entry for a database: connects through its CassandraConnection on
    first use (the process's shared one for a DATABASES alias, which changes after a fork)."""

    handle: CassandraConnection | None = None

    def setup(self) -> None:
        if self.lazy_connect:
            return
        handle = self.handle if self.handle is not None else get(self.name)
        handle.connect()
        self.cluster, self.session = handle._cluster, handle._session
        self.setup_session()


def _register_lazy(alias: str, handle: CassandraConnection | None = None) -> None:
    from django_cassandra_engine.utils import default_cassandra_alias

    own = handle is not None and alias not in _settings_dicts()
    config = handle.config if handle is not None else None
    if config is None:
        config = ConnectionSettings.from_settings(alias, _settings_dict(alias))
    entry = _DjangoRegistryConnection(
        alias, hosts=list(config.hosts), consistency=config.consistency, lazy_connect=True
    )
    entry.handle = handle if own else None
    # cqlengine offers no public way to register a connection that is set up on first use by
    # someone else, so the entry goes into its registry directly.
    cqlengine_connection._connections[alias] = entry
    if alias == default_cassandra_alias():
        cqlengine_connection._connections[cqlengine_connection.DEFAULT_CONNECTION] = entry


def _settings_dicts() -> dict[str, Any]:
    from django.db import connections

    return connections.settings


def _adopt(handle: CassandraConnection) -> None:
    """Points cqlengine's registry entry for the handle's alias at its fresh session."""
    alias = handle.alias
    with _lock:
        entry = cqlengine_connection._connections.get(alias)
        if not isinstance(entry, _DjangoRegistryConnection):
            _register_lazy(alias, handle)
            entry = cqlengine_connection._connections[alias]
    with entry.lazy_connect_lock:
        entry.lazy_connect = False
        entry.cluster, entry.session = handle._cluster, handle._session
        entry.setup_session()
    from django_cassandra_engine.utils import default_cassandra_alias

    if alias == default_cassandra_alias():
        cqlengine_connection.set_default_connection(alias)
        point_default_keyspace()


def register_all() -> None:
    """Registers every Cassandra database with cqlengine, without connecting."""
    from django_cassandra_engine.utils import cassandra_aliases

    with _lock:
        for alias in cassandra_aliases():
            if alias not in cqlengine_connection._connections:
                _register_lazy(alias)
        point_default_keyspace()


def _after_fork_in_child() -> None:
    # The driver's threads did not survive the fork: forget the inherited sessions without
    # shutting them down (that would wait on threads that do not exist here).
    global _lock
    _lock = threading.RLock()
    _shared.clear()
    for entry in list(cqlengine_connection._connections.values()):
        if isinstance(entry, _DjangoRegistryConnection):
            entry.lazy_connect_lock = threading.RLock()
            entry.lazy_connect = True
            entry.cluster = entry.session = None


def shutdown_all() -> None:
    with _lock:
        for handle in _shared.values():
            handle.shutdown()
        _shared.clear()


__all__ = ["CassandraConnection", "ConnectionSettings", "Cursor"]


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(shutdown_all)


def point_default_keyspace() -> None:
    """Points cqlengine's default keyspace (used by plain cqlengine models that name none) at
    the default Cassandra database's current keyspace."""
    from cassandra.cqlengine import models as cqlengine_models

    from django_cassandra_engine.utils import default_cassandra_alias, keyspace_for

    alias = default_cassandra_alias()
    if alias is not None:
        cqlengine_models.DEFAULT_KEYSPACE = keyspace_for(alias)
