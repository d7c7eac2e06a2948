"""The change list's search box over ``search_fields``.

``"=column"`` entries match the whole search term exactly, by CQL equality (ALLOW FILTERING),
over the whole table. Other entries (``"column"``, ``"^column"``, ``"@column"``) are matched as
Django matches them, case-insensitively: each word of the term (quoted phrases kept whole) must
be contained in (``^``: begin) one of those columns' values. CQL has no substring search, so
these rows are found by reading the rows the change list selects, at most the admin's scan
limit of them (``CASSANDRA_ADMIN_SCAN_LIMIT``, default 10,000), and filtering them here. A row
found either way is a result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import smart_split, unescape_string_literal

from django_cassandra_engine.admin.keys import AdminRows
from django_cassandra_engine.models.fields import CollectionField, CqlJSONEncoder

SCAN_LIMIT_SETTING = "CASSANDRA_ADMIN_SCAN_LIMIT"
DEFAULT_SCAN_LIMIT = 10_000


def scan_limit() -> int:
    return int(getattr(settings, SCAN_LIMIT_SETTING, DEFAULT_SCAN_LIMIT))


@dataclass(frozen=True)
class SearchField:
    field: Any
    mode: str  # "exact" (CQL equality), "startswith" or "contains" (Python, over a scan)


def search_field(model: type, entry: str) -> SearchField:
    modes = {"=": "exact", "^": "startswith", "@": "contains"}
    mode = modes.get(entry[:1], "contains")
    name = entry[1:] if entry[:1] in modes else entry
    return SearchField(model._meta.get_field(name), mode)


@dataclass
class SearchResult:
    rows: Any  # a queryset (one "=" entry alone) or AdminRows
    scanned: int | None = None  # rows read for substring matching
    truncated: bool = False  # the scan stopped at its limit


def search(queryset: Any, entries: Iterable[str], term: str, limit: int) -> SearchResult:
    fields = [search_field(queryset.model, entry) for entry in entries]
    exact = [f.field for f in fields if f.mode == "exact"]
    partial = [f for f in fields if f.mode != "exact"]
    matches = [match for field in exact if (match := _equal_to(queryset, field, term)) is not None]
    if not partial and len(matches) == 1:
        return SearchResult(matches[0])  # still a CQL queryset: paged by the server
    found: dict[tuple, Any] = {}
    for match in matches:
        for row in match.limit(limit):
            found.setdefault(_key(row), row)
    result = SearchResult(None)
    if partial:
        words = _words(term)
        scanned = list(queryset.limit(limit + 1))
        result.truncated = len(scanned) > limit
        scanned = scanned[:limit]
        result.scanned = len(scanned)
        for row in scanned:
            if _matches_words(row, partial, words):
                found.setdefault(_key(row), row)
    result.rows = AdminRows(found.values(), queryset.model)
    return result


def _equal_to(queryset: Any, field: Any, term: str) -> Any:
    try:
        value = field.to_python(term)
    except (ValidationError, ValueError):
        return None  # a term that is no value of this column matches no row
    return queryset.filter(**{field.name: value})


def _key(row: Any) -> tuple:
    return tuple(getattr(row, name) for name in type(row)._primary_keys)


def _words(term: str) -> list[str]:
    words = []
    for bit in smart_split(term):
        if bit[:1] in ('"', "'") and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        words.append(bit.casefold())
    return words


def _matches_words(row: Any, fields: list[SearchField], words: list[str]) -> bool:
    texts = [(f.mode, _text(row, f.field).casefold()) for f in fields]
    return all(
        any(text.startswith(word) if mode == "startswith" else word in text for mode, text in texts)
        for word in words
    )


def _text(row: Any, field: Any) -> str:
    value = getattr(row, field.attname)
    if value is None:
        return ""
    if isinstance(field, CollectionField):
        return json.dumps(field.value_from_object(row), cls=CqlJSONEncoder, ensure_ascii=False)
    return str(value)
