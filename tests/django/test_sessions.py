"""Sessions stored in Cassandra (django_cassandra_engine.sessions)."""

import pytest
from django.db import connections

from django_cassandra_engine.sessions.backends.db import SessionStore

pytestmark = pytest.mark.django_db(databases=["default"])


def test_session_round_trip_with_ttl():
    store = SessionStore()
    store["cart"] = [1, 2]
    store.save()
    key = store.session_key
    assert SessionStore(key).load() == {"cart": [1, 2]}
    assert SessionStore().exists(key)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT TTL(session_data) FROM session WHERE session_key = %s", [key])
        ttl = cursor.fetchone()[0]
    assert 0 < ttl <= store.get_expiry_age()
    store.delete()
    assert not SessionStore().exists(key)
    assert SessionStore(key).load() == {}


def test_unknown_session_key_starts_empty():
    store = SessionStore("no-such-session-key-000000000000")
    assert store.load() == {} and store.session_key is None


def test_sessions_through_the_middleware(client, settings):
    settings.SESSION_ENGINE = "django_cassandra_engine.sessions.backends.db"

    session = client.session
    session["visits"] = 3
    session.save()
    assert SessionStore(session.session_key).load()["visits"] == 3


def test_cached_db_sessions_write_through_and_read_from_the_cache(settings):
    from django.core.cache import caches

    from django_cassandra_engine.sessions.backends.cached_db import SessionStore as CachedStore
    from django_cassandra_engine.sessions.models import Session

    settings.SESSION_ENGINE = "django_cassandra_engine.sessions.backends.cached_db"
    store = CachedStore()
    store["basket"] = ["tea"]
    store.save()
    key = store.session_key
    cache = caches[settings.SESSION_CACHE_ALIAS]
    assert cache.get("dce.sessions.cached_db" + key) == {"basket": ["tea"]}
    assert Session.objects.get(session_key=key).get_decoded() == {"basket": ["tea"]}
    # A read comes from the cache while it holds the session...
    Session.objects(session_key=key).update(session_data=SessionStore().encode({"x": 1}))
    assert CachedStore(key).load() == {"basket": ["tea"]}
    # ... and from Cassandra once the cache lost it.
    cache.clear()
    assert CachedStore(key).load() == {"x": 1}
    assert CachedStore().exists(key)
    CachedStore(key).delete()
    assert not CachedStore().exists(key) and cache.get("dce.sessions.cached_db" + key) is None
