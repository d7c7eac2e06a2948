"""Conditional batches sent as the protocol's BATCH message, with prepared children and their own
values, as drivers send them: applied together or not at all, and the rows their conditions read
when they do not apply."""

from __future__ import annotations

import pytest
from cassandra import InvalidRequest
from cassandra.query import BatchStatement


def test_conditional_batch_applies_all_or_nothing(session):
    session.execute("CREATE TABLE acct (owner text, id int, balance int, version int STATIC, PRIMARY KEY (owner, id))")
    insert = session.prepare("INSERT INTO acct (owner, id, balance) VALUES (?, ?, ?) IF NOT EXISTS")
    move = session.prepare("UPDATE acct SET balance = ? WHERE owner = ? AND id = ? IF balance = ?")
    bump = session.prepare("UPDATE acct SET version = ? WHERE owner = ? IF version = ?")

    opened = BatchStatement()
    opened.add(insert, ("ann", 1, 100))
    opened.add(insert, ("ann", 2, 50))
    assert session.execute(opened).was_applied

    session.execute("UPDATE acct SET version = 1 WHERE owner = 'ann'")
    transfer = BatchStatement()
    transfer.add(move, (70, "ann", 1, 100))
    transfer.add(move, (80, "ann", 2, 50))
    transfer.add(bump, (2, "ann", 1))
    assert session.execute(transfer).was_applied

    stale = BatchStatement()
    stale.add(move, (0, "ann", 1, 70))
    stale.add(move, (0, "ann", 2, 999))  # false: nothing of the batch is written
    result = session.execute(stale)
    assert not result.was_applied
    rows = [(row.id, row.balance) for row in result.current_rows]
    assert rows == [(1, 70), (2, 80)]
    assert result.column_names == ["[applied]", "owner", "id", "balance"]

    balances = session.execute("SELECT id, balance, version FROM acct WHERE owner = 'ann'")
    assert [tuple(row) for row in balances] == [(1, 70, 2), (2, 80, 2)]


def test_conditional_batch_spanning_partitions_is_refused(session):
    session.execute("CREATE TABLE kv (k int PRIMARY KEY, v int)")
    insert = session.prepare("INSERT INTO kv (k, v) VALUES (?, ?) IF NOT EXISTS")
    batch = BatchStatement()
    batch.add(insert, (1, 1))
    batch.add(insert, (2, 2))
    with pytest.raises(InvalidRequest, match="Batch with conditions cannot span multiple partitions"):
        session.execute(batch)
    assert session.execute("SELECT count(*) FROM kv").one()[0] == 0
