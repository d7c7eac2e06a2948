"""Materialized views through the python-driver: the driver's schema metadata sees a view (from
system_schema.views and columns, refreshed on the SCHEMA_CHANGE event), and the view answers
queries that follow the base table's writes."""

from __future__ import annotations


def create_base_and_view(session) -> None:
    session.execute("CREATE TABLE base (k int, c int, v int, w text, PRIMARY KEY (k, c))")
    session.execute(
        "CREATE MATERIALIZED VIEW by_v AS SELECT * FROM base "
        "WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL "
        "PRIMARY KEY (v, k, c) WITH CLUSTERING ORDER BY (k DESC, c ASC) AND comment = 'by value'"
    )


def test_driver_metadata_shows_the_view(session, keyspace):
    create_base_and_view(session)
    cluster = session.cluster
    cluster.refresh_schema_metadata()
    ks = cluster.metadata.keyspaces[keyspace]
    assert "by_v" in ks.views
    assert "by_v" not in ks.tables
    view = ks.views["by_v"]
    assert view.base_table_name == "base"
    assert view.include_all_columns is True
    assert view.where_clause == "v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL"
    assert [c.name for c in view.partition_key] == ["v"]
    assert [c.name for c in view.clustering_key] == ["k", "c"]
    assert [c.is_reversed for c in view.clustering_key] == [True, False]
    assert set(view.columns) == {"k", "c", "v", "w"}
    assert view.options["comment"] == "by value"
    assert "by_v" in ks.tables["base"].views
    assert "CREATE MATERIALIZED VIEW" in view.export_as_string()


def test_view_metadata_goes_with_drop(session, keyspace):
    create_base_and_view(session)
    session.execute("DROP MATERIALIZED VIEW by_v")
    session.cluster.refresh_schema_metadata()
    ks = session.cluster.metadata.keyspaces[keyspace]
    assert "by_v" not in ks.views
    assert not ks.tables["base"].views


def test_view_follows_writes_with_prepared_statements(session):
    create_base_and_view(session)
    insert = session.prepare("INSERT INTO base (k, c, v, w) VALUES (?, ?, ?, ?)")
    for k in range(3):
        session.execute(insert, (k, 1, 10, f"w{k}"))
    session.execute("UPDATE base SET v = 20 WHERE k = 0 AND c = 1")
    select = session.prepare("SELECT k, w FROM by_v WHERE v = ?")
    assert [(r.k, r.w) for r in session.execute(select, (10,))] == [(2, "w2"), (1, "w1")]
    assert [(r.k, r.w) for r in session.execute(select, (20,))] == [(0, "w0")]
    session.execute("DELETE FROM base WHERE k = 2")
    assert [r.k for r in session.execute(select, (10,))] == [1]
