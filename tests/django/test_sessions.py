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
