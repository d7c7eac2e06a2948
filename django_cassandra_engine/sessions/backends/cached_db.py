"""Sessions in Cassandra with a write-through cache in front (Django's ``cached_db`` for the
Cassandra session table): reads come from ``SESSION_CACHE_ALIAS`` when they can, every write goes
to both. ``SESSION_ENGINE = "django_cassandra_engine.sessions.backends.cached_db"``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches

from django_cassandra_engine.sessions.backends.db import SessionStore as DBStore

KEY_PREFIX = "dce.sessions.cached_db"  # the original package's, so cached sessions carry over


class SessionStore(DBStore):
    cache_key_prefix = KEY_PREFIX

    def __init__(self, session_key: str | None = None) -> None:
        self._cache = caches[settings.SESSION_CACHE_ALIAS]
        super().__init__(session_key)

    @property
    def cache_key(self) -> str:
        return self.cache_key_prefix + self._get_or_create_session_key()

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # a cache that is down must not lose the session
            data = None
        if data is None:
            data = super().load()
            if self.session_key is not None:
                # The expiry from the data just read: asking the session would load it again.
                expiry = data.get("_session_expiry") or settings.SESSION_COOKIE_AGE
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=expiry))
        return data

    def exists(self, session_key: str) -> bool:
        return (self.cache_key_prefix + session_key) in self._cache or super().exists(session_key)

    def save(self, must_create: bool = False) -> None:
        super().save(must_create)
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:  # the database has the session; the cache is refilled on next load
            pass

    def delete(self, session_key: str | None = None) -> None:
        super().delete(session_key)
        session_key = session_key or self.session_key
        if session_key:
            self._cache.delete(self.cache_key_prefix + session_key)

    def flush(self) -> None:
        """Removes the session from the database and the cache, and starts a new one."""
        self.clear()
        self.delete(self.session_key)
        self._session_key = None
