"""Django's asynchronous queryset API on DjangoCassandraQuerySet (``aget``, ``acount``,
``async for``...).

Reads run on the driver's own asynchronous execution (``Session.execute_async``): the event
loop awaits a future that the driver's I/O thread completes, page by page, and no thread waits
for Cassandra. Writes (``acreate``, ``adelete``, ``aget_or_create``...) run cqlengine's write
path, which is synchronous, on a worker thread (asgiref's ``sync_to_async`` with
``thread_sensitive=False``: the driver session is shared and thread-safe), so they do not block
the event loop either. The first query of a process connects on a worker thread as well.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from cassandra.cqlengine import connection as cqlengine_connection
from cassandra.query import SimpleStatement

from django_cassandra_engine.errors import translate


def in_thread(function: Any) -> Any:
    """``function`` as a coroutine function running on a worker thread."""
    return sync_to_async(function, thread_sensitive=False)


class _Pages:
    """The pages of one request, as the driver completes them, delivered to the event loop."""

    def __init__(self, response_future: Any) -> None:
        self._loop = asyncio.get_running_loop()
        self._response = response_future
        self._page = self._loop.create_future()
        response_future.add_callbacks(self._arrived, self._failed)

    def _arrived(self, rows: Any) -> None:  # on the driver's thread
        self._loop.call_soon_threadsafe(self._settle, list(rows or ()), None)

    def _failed(self, exc: BaseException) -> None:  # on the driver's thread
        self._loop.call_soon_threadsafe(self._settle, None, exc)

    def _settle(self, rows: list | None, exc: BaseException | None) -> None:
        if self._page.done():
            return
        if exc is not None:
            self._page.set_exception(translate(exc) or exc)
        else:
            self._page.set_result(rows)

    async def __aiter__(self) -> AsyncIterator[list]:
        while True:
            rows = await self._page
            yield rows
            if not self._response.has_more_pages:
                return
            self._page = self._loop.create_future()  # before the driver can complete it
            self._response.start_fetching_next_page()


async def _session(queryset: Any) -> Any:
    name = queryset._connection or queryset.model._get_connection()
    entry = cqlengine_connection._connections.get(name or cqlengine_connection.DEFAULT_CONNECTION)
    if entry is None or entry.lazy_connect:
        entry = await in_thread(cqlengine_connection.get_connection)(name)  # connects
    return entry.session


async def execute(queryset: Any, statement: Any) -> AsyncIterator[list]:
    """The pages of rows (dicts) a cqlengine statement returns, as cqlengine's synchronous
    ``_execute`` would send it (consistency, timeout, fetch size, routing key, keyspace)."""
    model = queryset.model
    session = await _session(queryset)
    query = SimpleStatement(
        str(statement),
        consistency_level=queryset._consistency,
        fetch_size=statement.fetch_size,
    )
    if model._partition_key_index:
        key_values = statement.partition_key_values(model._partition_key_index)
        if not any(value is None for value in key_values):
            protocol = session.cluster.protocol_version
            query.routing_key = model._routing_key_from_values(key_values, protocol)
            query.keyspace = model._get_keyspace()
    try:
        response = session.execute_async(query, statement.get_context(), timeout=queryset._timeout)
    except Exception as exc:
        raise (translate(exc) or exc) from exc
    async for page in _Pages(response):
        yield page


async def rows(queryset: Any) -> AsyncIterator[Any]:
    """The queryset's results (instances, or values_list rows), read without blocking."""
    construct = queryset._maybe_inject_deferred(queryset._get_result_constructor())
    async for page in execute(queryset, queryset._select_query()):
        for row in page:
            yield construct(row)


async def count(queryset: Any) -> int:
    query = queryset._select_query()
    query.count = True
    async for page in execute(queryset, query):
        return next(iter(page[0].values()))
    return 0


async def first_rows(queryset: Any, limit: int) -> list[Any]:
    return [row async for row in rows(queryset.limit(limit))]


class AsyncQuerySetMixin:
    """The ``a``-prefixed methods of Django's QuerySet (Django 4.1+) and ``async for``."""

    # Reads, on the driver's asynchronous execution
    def __aiter__(self) -> AsyncIterator[Any]:
        if self._result_cache is not None:
            return _iterate(list(self._result_cache))
        return rows(self)

    def aiterator(self, chunk_size: int | None = None) -> AsyncIterator[Any]:
        return rows(self.fetch_size(chunk_size) if chunk_size else self)

    async def aget(self, *args: Any, **kwargs: Any) -> Any:
        queryset = self.filter(*args, **kwargs) if args or kwargs else self
        found = await first_rows(queryset, 2)
        name = self.model.__name__
        if not found:
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        if len(found) > 1:
            raise self.model.MultipleObjectsReturned(f"get() returned more than one {name}.")
        return found[0]

    async def afirst(self) -> Any:
        found = await first_rows(self, 1)
        return found[0] if found else None

    async def aexists(self) -> bool:
        if self._result_cache is not None:
            return bool(self._result_cache)
        return bool(await first_rows(self, 1))

    async def acount(self) -> int:
        if self._result_cache is not None or self._distinct_fields:
            return await in_thread(self.count)()  # cqlengine counts these rows itself
        if self._count is None:
            self._count = await count(self)
        return self._count

    async def ain_bulk(self, id_list: Any = None) -> dict[Any, Any]:
        pk_name = self.model._meta.pk.name
        queryset = self.filter(**{f"{pk_name}__in": list(id_list)}) if id_list is not None else self
        return {getattr(row, pk_name): row async for row in rows(queryset)}

    # Writes, through cqlengine on a worker thread
    async def acreate(self, **kwargs: Any) -> Any:
        return await in_thread(self.create)(**kwargs)

    async def aget_or_create(self, defaults: Any = None, **kwargs: Any) -> tuple[Any, bool]:
        return await in_thread(self.get_or_create)(defaults=defaults, **kwargs)

    async def aupdate_or_create(self, defaults: Any = None, **kwargs: Any) -> tuple[Any, bool]:
        return await in_thread(self.update_or_create)(defaults=defaults, **kwargs)

    async def aupdate(self, **values: Any) -> Any:
        return await in_thread(self.update)(**values)

    async def adelete(self) -> Any:
        return await in_thread(self.delete)()

    # What CQL cannot do, refused as the synchronous methods are
    async def alast(self) -> Any:
        return self.last()

    async def aaggregate(self, *args: Any, **kwargs: Any) -> Any:
        return self.aggregate(*args, **kwargs)


async def _iterate(items: list[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item
