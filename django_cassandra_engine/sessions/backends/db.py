from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from cassandra.cqlengine.query import LWTException
from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from django.utils import timezone


class SessionStore(SessionBase):
    """Sessions in the ``session`` table of the default Cassandra database."""

    @classmethod
    def get_model_class(cls) -> type:
        from django_cassandra_engine.sessions.models import Session

        return Session

    @property
    def model(self) -> type:
        return self.get_model_class()

    def load(self) -> dict[str, Any]:
        try:
            session = self.model.objects.get(session_key=self.session_key)
        except self.model.DoesNotExist:
            session = None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return {}
        return self.decode(session.session_data)

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key=session_key).exists()

    def create(self) -> None:
        while True:
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue  # the key was taken meanwhile
            self.modified = True
            return

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        ttl = max(int(self.get_expiry_age()), 1)
        values = {
            "session_key": self._get_or_create_session_key(),
            "session_data": self.encode(data),
            "expire_date": self.get_expiry_date(),
        }
        queryset = self.model.objects.ttl(ttl)
        try:
            # IF NOT EXISTS makes creation atomic: two requests cannot create the same key.
            (queryset.if_not_exists() if must_create else queryset).create(**values)
        except LWTException as exc:
            raise (CreateError if must_create else UpdateError) from exc

    def delete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key:
            self.model.objects.filter(session_key=session_key).delete()

    @classmethod
    def clear_expired(cls) -> None:
        """Nothing to do: rows expire by TTL."""

    # Async variants (Django 5.0+ calls these from async views).
    async def aload(self) -> dict[str, Any]:
        return await sync_to_async(self.load)()

    async def aexists(self, session_key: str) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def acreate(self) -> None:
        return await sync_to_async(self.create)()

    async def asave(self, must_create: bool = False) -> None:
        return await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        return await sync_to_async(self.delete)(session_key)

    @classmethod
    async def aclear_expired(cls) -> None:
        pass
