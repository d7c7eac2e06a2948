from cassandra.cqlengine import columns

from django_cassandra_engine.models import DjangoCassandraModel


class Session(DjangoCassandraModel):
    """A session row; written with a TTL equal to the session's age limit, so Cassandra removes
    expired sessions itself (no clearsessions needed)."""

    # The table is "session", the original package's, so a project that switches keeps its
    # users' sessions.

    session_key = columns.Text(primary_key=True, max_length=40)
    session_data = columns.Text()
    expire_date = columns.DateTime()

    def __str__(self) -> str:
        return self.session_key

    def get_decoded(self) -> dict:
        from django_cassandra_engine.sessions.backends.db import SessionStore

        return SessionStore().decode(self.session_data)
