"""Prepared statements keep working across schema changes: the driver re-prepares as needed."""

from __future__ import annotations


def test_prepared_statements_survive_alter_table(session):
    session.execute("CREATE TABLE kv (k int PRIMARY KEY, v text)")
    insert = session.prepare("INSERT INTO kv (k, v) VALUES (?, ?)")
    select_all = session.prepare("SELECT * FROM kv WHERE k = ?")
    session.execute(insert, (1, "one"))
    assert session.execute(select_all, (1,)).one() == (1, "one")

    session.execute("ALTER TABLE kv ADD extra int")
    session.execute(insert, (2, "two"))
    row = session.execute(select_all, (2,)).one()
    assert row._fields == ("k", "extra", "v")
    assert row == (2, None, "two")

    session.execute("UPDATE kv SET extra = 7 WHERE k = 1")
    assert session.execute(select_all, (1,)).one() == (1, 7, "one")


def test_prepared_statements_survive_drop_and_create_table(session):
    session.execute("CREATE TABLE kv (k int PRIMARY KEY, v text)")
    insert = session.prepare("INSERT INTO kv (k, v) VALUES (?, ?)")
    select = session.prepare("SELECT k, v FROM kv WHERE k = ?")
    session.execute(insert, (1, "before"))

    session.execute("DROP TABLE kv")
    session.execute("CREATE TABLE kv (k int PRIMARY KEY, v text)")
    assert session.execute(select, (1,)).one() is None
    session.execute(insert, (1, "after"))
    assert session.execute(select, (1,)).one() == (1, "after")


def test_prepared_statement_ids_are_deterministic(session, keyspace):
    """Ids are MD5(keyspace + query), so a second client gets the same id as the first."""
    session.execute("CREATE TABLE kv (k int PRIMARY KEY, v text)")
    query = "SELECT v FROM kv WHERE k = ?"
    first = session.prepare(query)
    other_cluster = session.cluster.__class__(
        session.cluster.contact_points,
        port=session.cluster.port,
        auth_provider=session.cluster.auth_provider,
    )
    try:
        second = other_cluster.connect(keyspace).prepare(query)
    finally:
        other_cluster.shutdown()
    assert first.query_id == second.query_id
    assert [c[2] for c in first.column_metadata] == ["k"]
