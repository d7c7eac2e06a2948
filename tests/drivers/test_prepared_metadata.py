"""What drivers read from a PREPARE answer and an error: routing indexes, markers' names, messages.

The python-driver routes a bound statement to a replica of its partition (token-aware routing)
from the partition key indexes of the PREPARE answer, and refuses UNSET for those markers on the
client side; it decodes every error message as UTF-8 and drops the connection when it cannot.
"""

from __future__ import annotations

import pytest
from cassandra import InvalidRequest
from cassandra.policies import TokenAwarePolicy, RoundRobinPolicy
from cassandra.protocol import SyntaxException
from cassandra.query import UNSET_VALUE


@pytest.fixture
def tables(session):
    session.execute("CREATE TABLE r (k int, c int, d int, v int, PRIMARY KEY (k, c, d))")
    session.execute("CREATE TABLE composite (a int, b text, c int, v int, PRIMARY KEY ((a, b), c))")
    return session


def test_named_markers_are_routing_indexes(tables):
    s = tables
    assert s.prepare("SELECT * FROM r WHERE k = :k").routing_key_indexes == [0]
    assert s.prepare("SELECT * FROM r WHERE k = :key AND c = :c").routing_key_indexes == [0]
    update = s.prepare("UPDATE r SET v = :v WHERE k = :kk AND c = 1 AND d = 2")
    assert update.routing_key_indexes == [1]
    assert [m.name for m in update.column_metadata] == ["v", "kk"]
    insert = s.prepare("INSERT INTO composite (c, b, a, v) VALUES (:c, :b, :a, :v)")
    assert insert.routing_key_indexes == [2, 1]
    select = s.prepare("SELECT * FROM composite WHERE b = :bee AND a = :ay")
    assert select.routing_key_indexes == [1, 0]


def test_a_bound_statement_carries_its_routing_key(tables):
    s = tables
    insert = s.prepare("INSERT INTO composite (a, b, c, v) VALUES (:a, :b, :c, :v)")
    bound = insert.bind({"a": 1, "b": "x", "c": 2, "v": 3})
    assert bound.routing_key is not None
    # The routing key is the partition key serialized as Cassandra composes it.
    assert bound.routing_key == b"\x00\x04\x00\x00\x00\x01\x00" + b"\x00\x01x\x00"
    s.execute(bound)
    assert s.execute("SELECT v FROM composite WHERE a = 1 AND b = 'x'").one().v == 3


def test_token_aware_routing_with_named_markers(cql_server, keyspace, tables):
    cluster = cql_server.cluster(load_balancing_policy=TokenAwarePolicy(RoundRobinPolicy()))
    try:
        s = cluster.connect(keyspace)
        select = s.prepare("SELECT v FROM r WHERE k = :k AND c = :c AND d = :d")
        s.execute("INSERT INTO r (k, c, d, v) VALUES (5, 6, 7, 8)")
        result = s.execute(select, {"k": 5, "c": 6, "d": 7})
        assert result.one().v == 8
        assert select.bind({"k": 5, "c": 6, "d": 7}).routing_key == b"\x00\x00\x00\x05"
    finally:
        cluster.shutdown()


def test_markers_inside_functions_and_token_are_not_key_markers(tables):
    s = tables
    by_token = s.prepare("SELECT * FROM r WHERE token(k) > ?")
    assert not by_token.routing_key_indexes
    assert by_token.column_metadata[0].name == "partition key token"
    by_function = s.prepare("SELECT * FROM r WHERE k = blobAsInt(?)")
    assert not by_function.routing_key_indexes
    assert by_function.column_metadata[0].name == "arg0(system.blobasint)"
    by_token_function = s.prepare("SELECT * FROM r WHERE token(k) > token(?)")
    assert not by_token_function.routing_key_indexes


def test_unset_is_accepted_for_markers_that_are_not_keys(tables):
    s = tables
    s.execute("INSERT INTO r (k, c, d, v) VALUES (1, 1, 1, 10)")
    insert = s.prepare("INSERT INTO r (k, c, d, v) VALUES (?, ?, ?, ?)")
    s.execute(insert, (1, 1, 1, UNSET_VALUE))  # an unset value writes nothing
    assert s.execute("SELECT v FROM r WHERE k = 1 AND c = 1 AND d = 1").one().v == 10
    # A marker inside a function call is no key marker: the driver lets UNSET through and the
    # server answers for it.
    update = s.prepare("UPDATE r SET v = ? WHERE k = blobAsInt(?) AND c = 1 AND d = 1")
    with pytest.raises(InvalidRequest, match="Invalid unset value for argument in call to function blobasint"):
        s.execute(update, (11, UNSET_VALUE))


def test_a_syntax_error_on_non_ascii_text_is_valid_utf8(tables):
    s = tables
    with pytest.raises(SyntaxException) as error:
        s.execute("CREATE TABLE ks_missing.שלום (k int PRIMARY KEY)")
    assert "ש" in str(error.value)
    with pytest.raises(SyntaxException) as error:
        s.execute("SELECT * FROM r WHERE v = 'שלום' x")
    assert "'שלום' [x]" in str(error.value)
    # The connection survived both answers.
    assert s.execute("SELECT count(*) FROM r").one()[0] == 0


def test_a_tuple_of_the_wrong_arity_is_an_invalid_request(tables):
    s = tables
    with pytest.raises(InvalidRequest, match="Expected 2 elements in value tuple, but got 3"):
        s.prepare("SELECT * FROM r WHERE k = ? AND (c, d) > (?, ?, ?)")
    with pytest.raises(InvalidRequest, match="Expected 2 elements in value tuple, but got 1"):
        s.execute("SELECT * FROM r WHERE k = 1 AND (c, d) = (1)")


def test_vector_columns_carry_their_type_in_metadata(session):
    """A vector column is described to drivers as Cassandra's VectorType custom type: its element
    type and dimension are what the driver decodes by, for bound values and for results."""
    session.execute("CREATE TABLE vec (k int PRIMARY KEY, v vector<float, 3>, t vector<text, 2>)")
    insert = session.prepare("INSERT INTO vec (k, v, t) VALUES (?, ?, ?)")
    v_type, t_type = insert.column_metadata[1].type, insert.column_metadata[2].type
    assert (v_type.vector_size, v_type.subtype.typename) == (3, "float")
    assert (t_type.vector_size, t_type.subtype.typename) == (2, "text")
    session.execute(insert, (1, [1.5, -2.0, 3.25], ["a", "it's"]))
    select = session.prepare("SELECT v, t FROM vec WHERE k = ?")
    assert select.result_metadata[0][3].vector_size == 3
    row = session.execute(select, (1,)).one()
    assert (list(row.v), list(row.t)) == ([1.5, -2.0, 3.25], ["a", "it's"])
    with pytest.raises(InvalidRequest, match="expected 3 elements, but given 2"):
        session.execute("INSERT INTO vec (k, v) VALUES (2, [1.0, 2.0])")
