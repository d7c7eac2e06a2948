"""JSON through prepared statements: INSERT JSON ? and fromJson(?) markers, SELECT JSON metadata.

The conformance suite sends every statement unprepared; these are the forms drivers prepare.
A PREPARE of INSERT ... JSON ? names its one marker "[json]" (varchar), and SELECT JSON's result
has one varchar column "[json]".
"""

from __future__ import annotations

import json

import pytest
from cassandra import InvalidRequest
from cassandra.query import BatchStatement


@pytest.fixture
def tables(session):
    session.execute(
        "CREATE TABLE j (p int, c int, v text, n bigint, l list<int>, PRIMARY KEY (p, c))"
    )
    return session


def test_insert_json_marker_is_named_json(tables):
    s = tables
    insert = s.prepare("INSERT INTO j JSON ?")
    assert [(m.name, m.type.typename) for m in insert.column_metadata] == [("[json]", "varchar")]
    assert not insert.routing_key_indexes
    s.execute(insert, ['{"p": 1, "c": 2, "v": "x", "n": 9007199254740993, "l": [3, 1]}'])
    row = s.execute("SELECT v, n, l FROM j WHERE p = 1 AND c = 2").one()
    assert (row.v, row.n, row.l) == ("x", 9007199254740993, [3, 1])


def test_insert_json_marker_with_options(tables):
    s = tables
    insert = s.prepare("INSERT INTO j JSON ? DEFAULT UNSET USING TIMESTAMP ?")
    assert [m.name for m in insert.column_metadata] == ["[json]", "[timestamp]"]
    s.execute(insert, ['{"p": 1, "c": 1, "v": "first"}', 1000])
    s.execute(insert, ['{"p": 1, "c": 1, "n": 5}', 2000])
    row = s.execute("SELECT v, n, writetime(n) AS wn FROM j WHERE p = 1 AND c = 1").one()
    assert (row.v, row.n, row.wn) == ("first", 5, 2000)


def test_each_execution_decodes_its_own_text(tables):
    s = tables
    insert = s.prepare("INSERT INTO j JSON ?")
    batch = BatchStatement()
    for c in range(3):
        batch.add(insert, [json.dumps({"p": 2, "c": c, "v": f"v{c}"})])
    s.execute(batch)
    rows = s.execute("SELECT c, v FROM j WHERE p = 2")
    assert [(r.c, r.v) for r in rows] == [(0, "v0"), (1, "v1"), (2, "v2")]


def test_insert_json_bad_value_names_the_column(tables):
    s = tables
    insert = s.prepare("INSERT INTO j JSON ?")
    with pytest.raises(InvalidRequest, match="Error decoding JSON value for n: Unable to make long from 'x'"):
        s.execute(insert, ['{"p": 3, "c": 1, "n": "x"}'])
    with pytest.raises(InvalidRequest, match="JSON values map contains unrecognized column: nope"):
        s.execute(insert, ['{"p": 3, "c": 1, "nope": 1}'])


def test_from_json_marker(tables):
    s = tables
    update = s.prepare("UPDATE j SET l = fromJson(?) WHERE p = ? AND c = ?")
    assert [m.name for m in update.column_metadata] == ["arg0(system.fromjson)", "p", "c"]
    assert update.column_metadata[0].type.typename == "varchar"
    s.execute(update, ["[7, 8]", 4, 1])
    assert s.execute("SELECT l FROM j WHERE p = 4 AND c = 1").one().l == [7, 8]


def test_select_json_result_metadata_and_paging(tables):
    s = tables
    for c in range(5):
        s.execute("INSERT INTO j (p, c, v) VALUES (5, %s, 'x')", [c])
    select = s.prepare("SELECT JSON c, v AS \"V\" FROM j WHERE p = ?")
    assert [(m[2], m[3].typename) for m in select.result_metadata] == [("[json]", "varchar")]
    select.fetch_size = 2
    rows = list(s.execute(select, [5]))
    assert [json.loads(r[0]) for r in rows] == [{"c": c, '"V"': "x"} for c in range(5)]
