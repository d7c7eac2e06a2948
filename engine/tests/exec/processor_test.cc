// Statements end to end through the query processor on an in-memory database.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "common/errors.h"
#include "exec/database.h"
#include "types/token.h"

namespace cqld {
namespace {

class ProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.in_memory = true;
    db_ = open_database(options);
    run("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    run("USE ks");
  }

  Result run(const std::string& cql, QueryOptions options = {}) { return db_->query(client_, cql, options); }

  RowsResult rows(const std::string& cql, QueryOptions options = {}) { return std::get<RowsResult>(run(cql, options)); }

  // The cells of one column, as int32 (null as -1).
  std::vector<int32_t> ints(const RowsResult& r, size_t column = 0) {
    std::vector<int32_t> out;
    size_t width = r.metadata.columns.size();
    for (size_t i = 0; i < r.row_count; ++i) {
      const Value& v = r.cells[i * width + column];
      out.push_back(v.is_null() ? -1 : decode_int32(v.bytes));
    }
    return out;
  }

  std::unique_ptr<QueryProcessor> db_;
  ClientState client_;
};

TEST_F(ProcessorTest, DdlAnswersSchemaChangeAndNoOpsAnswerVoid) {
  Result created = run("CREATE TABLE t (k int PRIMARY KEY, v int)");
  ASSERT_TRUE(std::holds_alternative<SchemaChangeResult>(created));
  EXPECT_EQ(std::get<SchemaChangeResult>(created).name, "t");
  EXPECT_TRUE(std::holds_alternative<VoidResult>(run("CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY)")));
  EXPECT_THROW(run("CREATE TABLE t (k int PRIMARY KEY)"), AlreadyExists);
  EXPECT_THROW(run("SELECT * FROM missing"), InvalidRequest);
}

TEST_F(ProcessorTest, ClusteringOrderAndSlices) {
  run("CREATE TABLE t (p int, c int, v int, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)");
  for (int c = 0; c < 5; ++c) run("INSERT INTO t (p, c, v) VALUES (1, " + std::to_string(c) + ", " + std::to_string(c * 10) + ")");
  EXPECT_EQ(ints(rows("SELECT c FROM t WHERE p = 1")), (std::vector<int32_t>{4, 3, 2, 1, 0}));
  EXPECT_EQ(ints(rows("SELECT c FROM t WHERE p = 1 ORDER BY c ASC")), (std::vector<int32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(ints(rows("SELECT c FROM t WHERE p = 1 AND c > 1 AND c <= 3")), (std::vector<int32_t>{3, 2}));
  EXPECT_EQ(ints(rows("SELECT c FROM t WHERE p = 1 AND c IN (3, 0, 2)")), (std::vector<int32_t>{3, 2, 0}));
  EXPECT_EQ(ints(rows("SELECT c FROM t WHERE p = 1 LIMIT 2")), (std::vector<int32_t>{4, 3}));
}

TEST_F(ProcessorTest, LastWriteWinsByTimestampWhateverTheArrivalOrder) {
  run("CREATE TABLE t (k int PRIMARY KEY, v int)");
  run("INSERT INTO t (k, v) VALUES (1, 2) USING TIMESTAMP 200");
  run("INSERT INTO t (k, v) VALUES (1, 1) USING TIMESTAMP 100");
  EXPECT_EQ(ints(rows("SELECT v FROM t WHERE k = 1")), (std::vector<int32_t>{2}));
  run("DELETE FROM t USING TIMESTAMP 150 WHERE k = 1");
  EXPECT_EQ(ints(rows("SELECT v FROM t WHERE k = 1")), (std::vector<int32_t>{2}));
  run("DELETE FROM t USING TIMESTAMP 250 WHERE k = 1");
  EXPECT_EQ(rows("SELECT v FROM t WHERE k = 1").row_count, 0u);
}

TEST_F(ProcessorTest, InsertCreatesARowThatOutlivesItsCellsButUpdateDoesNot) {
  run("CREATE TABLE t (k int PRIMARY KEY, v int)");
  run("INSERT INTO t (k, v) VALUES (1, 1)");
  run("UPDATE t SET v = 2 WHERE k = 2");
  run("DELETE v FROM t WHERE k = 1");
  run("DELETE v FROM t WHERE k = 2");
  RowsResult r = rows("SELECT k, v FROM t");
  ASSERT_EQ(r.row_count, 1u);
  EXPECT_EQ(ints(r), (std::vector<int32_t>{1}));
  EXPECT_EQ(ints(r, 1), (std::vector<int32_t>{-1}));
}

TEST_F(ProcessorTest, WritetimeAndTtlReportWhatWasWritten) {
  run("CREATE TABLE t (k int PRIMARY KEY, v int)");
  run("INSERT INTO t (k, v) VALUES (1, 1) USING TTL 1000 AND TIMESTAMP 1234");
  RowsResult r = rows("SELECT writetime(v), ttl(v) FROM t WHERE k = 1");
  ASSERT_EQ(r.row_count, 1u);
  EXPECT_EQ(decode_int64(r.cells[0].bytes), 1234);
  int32_t ttl = decode_int32(r.cells[1].bytes);
  EXPECT_GT(ttl, 990);
  EXPECT_LE(ttl, 1000);
}

TEST_F(ProcessorTest, RangeTombstonesShadowOnlyTheirSlice) {
  run("CREATE TABLE t (p int, c int, v int, PRIMARY KEY (p, c))");
  for (int c = 0; c < 6; ++c) run("INSERT INTO t (p, c, v) VALUES (1, " + std::to_string(c) + ", 0)");
  run("DELETE FROM t WHERE p = 1 AND c >= 2 AND c < 4");
  EXPECT_EQ(ints(rows("SELECT c FROM t WHERE p = 1")), (std::vector<int32_t>{0, 1, 4, 5}));
}

TEST_F(ProcessorTest, StaticColumnsAreSharedByThePartition) {
  run("CREATE TABLE t (p int, c int, s int STATIC, v int, PRIMARY KEY (p, c))");
  run("INSERT INTO t (p, c, s, v) VALUES (1, 1, 7, 1)");
  run("INSERT INTO t (p, c, v) VALUES (1, 2, 2)");
  run("UPDATE t SET s = 9 WHERE p = 2");
  RowsResult r = rows("SELECT p, c, s FROM t");
  EXPECT_EQ(r.row_count, 3u);
  EXPECT_EQ(ints(rows("SELECT s FROM t WHERE p = 1")), (std::vector<int32_t>{7, 7}));
  EXPECT_EQ(ints(rows("SELECT c FROM t WHERE p = 2")), (std::vector<int32_t>{-1}));
}

TEST_F(ProcessorTest, PagingCoversEveryRowOnceAndHonoursLimit) {
  run("CREATE TABLE t (p int, c int, PRIMARY KEY (p, c))");
  for (int p = 0; p < 7; ++p)
    for (int c = 0; c < 3; ++c) run("INSERT INTO t (p, c) VALUES (" + std::to_string(p) + ", " + std::to_string(c) + ")");
  for (int limit : {0, 10}) {
    QueryOptions options;
    options.page_size = 4;
    size_t seen = 0;
    std::string text = limit ? "SELECT * FROM t LIMIT 10" : "SELECT * FROM t";
    while (true) {
      RowsResult page = rows(text, options);
      EXPECT_LE(page.row_count, 4u);
      seen += page.row_count;
      if (!page.metadata.paging_state) break;
      options.paging_state = page.metadata.paging_state;
    }
    EXPECT_EQ(seen, limit ? 10u : 21u);
  }
}

TEST_F(ProcessorTest, ScansReturnPartitionsInTokenOrder) {
  run("CREATE TABLE t (k int PRIMARY KEY)");
  for (int k = 0; k < 50; ++k) run("INSERT INTO t (k) VALUES (" + std::to_string(k) + ")");
  RowsResult r = rows("SELECT k, token(k) FROM t");
  ASSERT_EQ(r.row_count, 50u);
  int64_t previous = INT64_MIN;
  for (size_t i = 0; i < r.row_count; ++i) {
    int64_t token = decode_int64(r.cells[i * 2 + 1].bytes);
    EXPECT_EQ(token, murmur3_token(r.cells[i * 2].bytes));
    EXPECT_GT(token, previous);
    previous = token;
  }
}

TEST_F(ProcessorTest, FilteringNeedsAnIndexOrAllowFiltering) {
  run("CREATE TABLE t (k int PRIMARY KEY, v int, w int)");
  for (int k = 0; k < 10; ++k) run("INSERT INTO t (k, v, w) VALUES (" + std::to_string(k) + ", " + std::to_string(k % 3) + ", 1)");
  EXPECT_THROW(rows("SELECT k FROM t WHERE v = 1"), InvalidRequest);
  EXPECT_EQ(rows("SELECT k FROM t WHERE v = 1 ALLOW FILTERING").row_count, 3u);
  run("CREATE INDEX ON t (v)");
  EXPECT_EQ(rows("SELECT k FROM t WHERE v = 2").row_count, 3u);
  EXPECT_EQ(decode_int64(rows("SELECT COUNT(*) FROM t WHERE v = 0").cells[0].bytes), 4);
}

TEST_F(ProcessorTest, LightweightTransactionsReportAppliedAndCurrentValues) {
  run("CREATE TABLE t (k int PRIMARY KEY, v int)");
  RowsResult first = rows("INSERT INTO t (k, v) VALUES (1, 1) IF NOT EXISTS");
  EXPECT_EQ(first.cells[0].bytes, std::string(1, '\1'));
  RowsResult second = rows("INSERT INTO t (k, v) VALUES (1, 2) IF NOT EXISTS");
  EXPECT_EQ(second.cells[0].bytes, std::string(1, '\0'));
  EXPECT_EQ(second.metadata.columns.size(), 3u);
  RowsResult update = rows("UPDATE t SET v = 3 WHERE k = 1 IF v = 2");
  EXPECT_EQ(update.cells[0].bytes, std::string(1, '\0'));
  EXPECT_EQ(decode_int32(update.cells[1].bytes), 1);
  EXPECT_EQ(rows("UPDATE t SET v = 3 WHERE k = 1 IF v = 1").cells[0].bytes, std::string(1, '\1'));
  EXPECT_EQ(ints(rows("SELECT v FROM t WHERE k = 1")), (std::vector<int32_t>{3}));
}

TEST_F(ProcessorTest, ConditionsOnElementsFieldsAndMembership) {
  run("CREATE TYPE pt (x int, y int)");
  run("CREATE TABLE t (k int PRIMARY KEY, l list<int>, m map<text, int>, s set<text>, u frozen<pt>)");
  run("INSERT INTO t (k, l, m, s, u) VALUES (1, [9, 10], {'a': 1}, {'x'}, {x: 3, y: 4})");
  auto applied = [&](const std::string& cql) { return rows(cql).cells[0].bytes == std::string(1, '\1'); };
  EXPECT_TRUE(applied("UPDATE t SET l = l + [11] WHERE k = 1 IF l[1] = 10"));
  EXPECT_TRUE(applied("UPDATE t SET l = l + [12] WHERE k = 1 IF l[7] = null"));  // past the end: absent
  EXPECT_FALSE(applied("UPDATE t SET l = [0] WHERE k = 1 IF l[7] > 1"));
  EXPECT_TRUE(applied("UPDATE t SET m['b'] = 2 WHERE k = 1 IF m['a'] IN (0, 1)"));
  EXPECT_TRUE(applied("UPDATE t SET m['c'] = 3 WHERE k = 1 IF m['zz'] = null AND m CONTAINS KEY 'b'"));
  EXPECT_TRUE(applied("UPDATE t SET s = s + {'y'} WHERE k = 1 IF s CONTAINS 'x' AND l CONTAINS 12"));
  EXPECT_TRUE(applied("UPDATE t SET u = {x: 5, y: 6} WHERE k = 1 IF u.x < 4"));
  EXPECT_FALSE(applied("UPDATE t SET u = {x: 0, y: 0} WHERE k = 1 IF u.y = 4"));
  EXPECT_THROW(run("UPDATE t SET l = [0] WHERE k = 1 IF l[-1] = 1"), InvalidRequest);
  EXPECT_THROW(run("UPDATE t SET s = {} WHERE k = 1 IF s['x'] = 'x'"), InvalidRequest);
  EXPECT_THROW(run("UPDATE t SET u = null WHERE k = 1 IF u.z = 1"), InvalidRequest);
  // Not applied: the whole columns of the conditions, in the order of the IF clause.
  RowsResult refused = rows("UPDATE t SET l = [0] WHERE k = 1 IF m['a'] = 5 AND l[0] = 9");
  ASSERT_EQ(refused.metadata.columns.size(), 3u);
  EXPECT_EQ(refused.metadata.columns[1].name, "m");
  EXPECT_EQ(refused.metadata.columns[2].name, "l");
  std::vector<int32_t> list;
  for (const auto& e : parse_collection(rows("SELECT l FROM t WHERE k = 1").cells[0].bytes)) list.push_back(decode_int32(e));
  EXPECT_EQ(list, (std::vector<int32_t>{9, 10, 11, 12}));
}

TEST_F(ProcessorTest, NonFrozenUdtFieldsAreWrittenOneByOne) {
  run("CREATE TYPE addr (street text, num int)");
  run("CREATE TABLE t (k int PRIMARY KEY, u addr)");
  auto fields = [&] {
    std::vector<Value> out;
    Value v = rows("SELECT u FROM t WHERE k = 1").cells[0];
    if (v.is_set()) out = parse_tuple(v.bytes);
    return out;
  };
  run("INSERT INTO t (k, u) VALUES (1, {street: 'Main', num: 1}) USING TIMESTAMP 100");
  run("UPDATE t USING TIMESTAMP 50 SET u.num = 2 WHERE k = 1");  // older: loses
  run("UPDATE t USING TIMESTAMP 200 SET u.street = 'Side' WHERE k = 1");
  auto f = fields();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].bytes, "Side");
  EXPECT_EQ(decode_int32(f[1].bytes), 1);
  run("DELETE u.street FROM t USING TIMESTAMP 300 WHERE k = 1");
  f = fields();
  EXPECT_TRUE(f[0].is_null());
  EXPECT_EQ(decode_int32(f[1].bytes), 1);
  run("UPDATE t USING TIMESTAMP 400 SET u = {street: 'New'} WHERE k = 1");  // replaces every field
  f = fields();
  EXPECT_EQ(f[0].bytes, "New");
  EXPECT_TRUE(f[1].is_null());
  run("DELETE u.street FROM t USING TIMESTAMP 500 WHERE k = 1");
  EXPECT_TRUE(fields().empty());  // no field left: the value is null
  EXPECT_THROW(run("UPDATE t SET u.nosuch = 1 WHERE k = 1"), InvalidRequest);
}

TEST_F(ProcessorTest, CountersAddUp) {
  run("CREATE TABLE c (k text PRIMARY KEY, n counter)");
  run("UPDATE c SET n = n + 5 WHERE k = 'a'");
  run("UPDATE c SET n = n - 2 WHERE k = 'a'");
  RowsResult r = rows("SELECT n FROM c WHERE k = 'a'");
  ASSERT_EQ(r.row_count, 1u);
  EXPECT_EQ(decode_int64(r.cells[0].bytes), 3);
  EXPECT_THROW(run("UPDATE c SET n = 1 WHERE k = 'a'"), InvalidRequest);
}

TEST_F(ProcessorTest, NonFrozenCollectionsMergeElementWrites) {
  run("CREATE TABLE t (k int PRIMARY KEY, s set<text>, m map<text, int>)");
  run("INSERT INTO t (k, s, m) VALUES (1, {'b', 'a'}, {'x': 1})");
  run("UPDATE t SET s = s + {'c'}, s = s - {'a'}, m['y'] = 2 WHERE k = 1");
  RowsResult r = rows("SELECT s, m FROM t WHERE k = 1");
  ASSERT_EQ(r.row_count, 1u);
  EXPECT_EQ(parse_collection(r.cells[0].bytes), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(parse_map(r.cells[1].bytes).size(), 2u);
}

TEST_F(ProcessorTest, ListUpdatesByIndexAndByValueReadTheCurrentList) {
  run("CREATE TABLE t (k int PRIMARY KEY, l list<int>)");
  run("INSERT INTO t (k, l) VALUES (1, [1, 2, 1, 3])");
  run("UPDATE t SET l = l - [1] WHERE k = 1");
  run("UPDATE t SET l[0] = 20 WHERE k = 1");
  run("DELETE l[1] FROM t WHERE k = 1");
  RowsResult r = rows("SELECT l FROM t WHERE k = 1");
  ASSERT_EQ(r.row_count, 1u);
  EXPECT_EQ(parse_collection(r.cells[0].bytes), (std::vector<std::string>{encode_int32(20)}));
  EXPECT_THROW(run("UPDATE t SET l[5] = 1 WHERE k = 1"), InvalidRequest);
}

TEST_F(ProcessorTest, GroupByFoldsEachKeyPrefixAndPagesByGroup) {
  run("CREATE TABLE t (p int, c int, v int, PRIMARY KEY (p, c))");
  for (int p = 0; p < 3; ++p)
    for (int c = 0; c <= p; ++c)
      run("INSERT INTO t (p, c, v) VALUES (" + std::to_string(p) + ", " + std::to_string(c) + ", 1)");
  RowsResult all = rows("SELECT p, count(*) FROM t GROUP BY p");
  ASSERT_EQ(all.row_count, 3u);
  int64_t total = 0;
  for (size_t i = 0; i < all.row_count; ++i) total += decode_int64(all.cells[i * 2 + 1].bytes);
  EXPECT_EQ(total, 6);
  QueryOptions paged;
  paged.page_size = 2;
  RowsResult first = rows("SELECT p, count(*) FROM t GROUP BY p", paged);
  EXPECT_EQ(first.row_count, 2u);
  ASSERT_TRUE(first.metadata.paging_state.has_value());
  paged.paging_state = first.metadata.paging_state;
  EXPECT_EQ(rows("SELECT p, count(*) FROM t GROUP BY p", paged).row_count, 1u);
  EXPECT_THROW(run("SELECT count(*) FROM t GROUP BY v"), InvalidRequest);
  EXPECT_THROW(run("SELECT count(*) FROM t GROUP BY c"), InvalidRequest);
}

TEST_F(ProcessorTest, SelectionArithmeticWrapsLikeJava) {
  run("CREATE TABLE t (k int PRIMARY KEY, i int, d double)");
  run("INSERT INTO t (k, i, d) VALUES (1, 2147483647, 1.5)");
  RowsResult r = rows("SELECT i + 1, i / 2, d * 2 FROM t WHERE k = 1");
  ASSERT_EQ(r.row_count, 1u);
  EXPECT_EQ(r.metadata.columns[0].name, "i + 1");
  EXPECT_EQ(decode_int32(r.cells[0].bytes), INT32_MIN);
  EXPECT_EQ(decode_int32(r.cells[1].bytes), 1073741823);
  EXPECT_EQ(r.metadata.columns[2].type->kind, TypeKind::kDouble);
}

TEST_F(ProcessorTest, MultiColumnRelationsCompareByValueInClusteringOrder) {
  run("CREATE TABLE t (p int, a int, b int, PRIMARY KEY (p, a, b)) WITH CLUSTERING ORDER BY (a DESC, b ASC)");
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) run("INSERT INTO t (p, a, b) VALUES (1, " + std::to_string(a) + ", " + std::to_string(b) + ")");
  RowsResult r = rows("SELECT a, b FROM t WHERE p = 1 AND (a, b) > (1, 1)");
  EXPECT_EQ(ints(r), (std::vector<int32_t>{2, 2, 2, 1}));
  EXPECT_EQ(ints(r, 1), (std::vector<int32_t>{0, 1, 2, 2}));
  EXPECT_EQ(rows("SELECT a FROM t WHERE p = 1 AND (a, b) IN ((0, 0), (2, 2), (5, 5))").row_count, 2u);
  EXPECT_THROW(run("SELECT a FROM t WHERE p = 1 AND (b, a) > (1, 1)"), InvalidRequest);
}

TEST_F(ProcessorTest, PreparedStatementsAreEvictedWhenTheirTableChanges) {
  run("CREATE TABLE t (k int PRIMARY KEY, v int)");
  Result prepared = db_->prepare(client_, "SELECT * FROM t WHERE k = ?");
  const auto& p = std::get<PreparedResult>(prepared);
  EXPECT_EQ(p.pk_indexes, (std::vector<uint16_t>{0}));
  EXPECT_EQ(std::get<PreparedResult>(db_->prepare(client_, "SELECT * FROM t WHERE k = ?")).id, p.id);
  QueryOptions options;
  options.values.push_back(Value::of(encode_int32(1)));
  EXPECT_NO_THROW(db_->execute(client_, p.id, options));
  run("ALTER TABLE t ADD w int");
  EXPECT_THROW(db_->execute(client_, p.id, options), Unprepared);
}

// Tuple ranges compare by value, column by column, whatever each column's clustering order: a
// DELETE with one removes exactly the rows a lexicographic comparison selects, and a SELECT
// with one returns them in clustering order.
TEST_F(ProcessorTest, MultiColumnRangesOnMixedClusteringOrder) {
  run("CREATE TABLE t (p int, a int, b int, c int, v int, PRIMARY KEY (p, a, b, c)) WITH CLUSTERING ORDER BY (a ASC, b DESC, c ASC)");
  struct Case {
    std::string where;
    std::function<bool(int, int, int)> deleted;
  };
  auto tuple_cmp = [](std::vector<int> x, std::vector<int> y) { return x < y ? -1 : x > y ? 1 : 0; };
  std::vector<Case> cases = {
      {"(a, b) > (1, 2)", [&](int a, int b, int) { return tuple_cmp({a, b}, {1, 2}) > 0; }},
      {"(a, b, c) >= (1, 1, 1) AND (a, b, c) < (2, 1, 2)",
       [&](int a, int b, int c) { return tuple_cmp({a, b, c}, {1, 1, 1}) >= 0 && tuple_cmp({a, b, c}, {2, 1, 2}) < 0; }},
      {"(a, b) >= (1, 3) AND (a, b) <= (1, 3)", [&](int a, int b, int) { return a == 1 && b == 3; }},
      {"(a, b) > (2, 0) AND (a, b) < (1, 0)", [&](int, int, int) { return false; }},
      {"a = 2 AND (b, c) < (1, 2)", [&](int a, int b, int c) { return a == 2 && tuple_cmp({b, c}, {1, 2}) < 0; }},
      {"(a, b) IN ((0, 1), (3, 3))", [&](int a, int b, int) { return (a == 0 && b == 1) || (a == 3 && b == 3); }},
  };
  for (size_t p = 0; p < cases.size(); ++p) {
    std::string key = std::to_string(p);
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 4; ++b)
        for (int c = 0; c < 3; ++c)
          run("INSERT INTO t (p, a, b, c, v) VALUES (" + key + ", " + std::to_string(a) + ", " + std::to_string(b) + ", " +
              std::to_string(c) + ", " + std::to_string(a * 100 + b * 10 + c) + ")");
    // Rows in clustering order: a ascending, b descending, c ascending.
    std::vector<int32_t> selected, kept;
    for (int a = 0; a < 4; ++a)
      for (int b = 3; b >= 0; --b)
        for (int c = 0; c < 3; ++c) (cases[p].deleted(a, b, c) ? selected : kept).push_back(a * 100 + b * 10 + c);
    EXPECT_EQ(ints(rows("SELECT v FROM t WHERE p = " + key + " AND " + cases[p].where)), selected) << cases[p].where;
    run("DELETE FROM t WHERE p = " + key + " AND " + cases[p].where);
    EXPECT_EQ(ints(rows("SELECT v FROM t WHERE p = " + key)), kept) << cases[p].where;
  }
}

}  // namespace
}  // namespace cqld
