// Materialized views kept in step with their base tables, end to end through the query
// processor on an in-memory database: inserts, updates, view-key changes, deletions of every
// kind, write timestamps, TTLs, batches, lightweight transactions and the initial build.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "common/errors.h"
#include "exec/database.h"
#include "schema/schema.h"
#include "schema/view.h"
#include "types/value.h"

namespace cqld {
namespace {

class ViewUpdatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.in_memory = true;
    db_ = open_database(options);
    run("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    run("USE ks");
    run("CREATE TABLE base (k int, c int, v int, w int, PRIMARY KEY (k, c))");
    run("CREATE MATERIALIZED VIEW by_v AS SELECT * FROM base WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL "
        "PRIMARY KEY (v, k, c)");
  }

  Result run(const std::string& cql) { return db_->query(client_, cql, QueryOptions{}); }
  RowsResult rows(const std::string& cql) { return std::get<RowsResult>(run(cql)); }

  // Every cell of the result as int64 text ("null" for null), row by row, "|" between columns.
  std::vector<std::string> table(const std::string& cql) {
    RowsResult r = rows(cql);
    std::vector<std::string> out;
    size_t width = r.metadata.columns.size();
    for (size_t i = 0; i < r.row_count; ++i) {
      std::string line;
      for (size_t c = 0; c < width; ++c) {
        const Value& v = r.cells[i * width + c];
        std::string text = v.is_null() ? "null"
                           : v.bytes.size() == 8 ? std::to_string(decode_int64(v.bytes))
                                                 : std::to_string(decode_int32(v.bytes));
        line += (c > 0 ? "|" : "") + text;
      }
      out.push_back(line);
    }
    return out;
  }

  using Rows = std::vector<std::string>;
  std::unique_ptr<QueryProcessor> db_;
  ClientState client_;
};

TEST_F(ViewUpdatesTest, InsertsAppearUnderTheViewKeyAndRowsWithoutItStayOut) {
  run("INSERT INTO base (k, c, v, w) VALUES (1, 1, 10, 100)");
  run("INSERT INTO base (k, c, v, w) VALUES (2, 1, 10, 200)");
  run("INSERT INTO base (k, c, w) VALUES (3, 1, 300)");
  EXPECT_EQ(table("SELECT v, k, c, w FROM by_v WHERE v = 10"), (Rows{"10|1|1|100", "10|2|1|200"}));
  EXPECT_EQ(rows("SELECT * FROM by_v").row_count, 2u);
}

TEST_F(ViewUpdatesTest, ChangingTheViewKeyMovesTheRow) {
  run("INSERT INTO base (k, c, v, w) VALUES (1, 1, 10, 100)");
  run("UPDATE base SET v = 20 WHERE k = 1 AND c = 1");
  EXPECT_EQ(rows("SELECT * FROM by_v WHERE v = 10").row_count, 0u);
  EXPECT_EQ(table("SELECT v, k, c, w FROM by_v WHERE v = 20"), (Rows{"20|1|1|100"}));
  run("UPDATE base SET w = 101 WHERE k = 1 AND c = 1");
  EXPECT_EQ(table("SELECT w FROM by_v WHERE v = 20"), (Rows{"101"}));
}

TEST_F(ViewUpdatesTest, SettingTheKeyOfARowThatHadNoneAddsIt) {
  run("INSERT INTO base (k, c, w) VALUES (1, 1, 100)");
  EXPECT_EQ(rows("SELECT * FROM by_v").row_count, 0u);
  run("UPDATE base SET v = 5 WHERE k = 1 AND c = 1");
  EXPECT_EQ(table("SELECT v, k, c, w FROM by_v"), (Rows{"5|1|1|100"}));
}

TEST_F(ViewUpdatesTest, DeletionsOfCellsRowsRangesAndPartitionsReachTheView) {
  for (int c = 1; c <= 4; ++c)
    run("INSERT INTO base (k, c, v, w) VALUES (1, " + std::to_string(c) + ", " + std::to_string(c * 10) + ", 7)");
  run("INSERT INTO base (k, c, v, w) VALUES (2, 1, 50, 7)");
  run("DELETE w FROM base WHERE k = 1 AND c = 1");
  EXPECT_EQ(table("SELECT v, w FROM by_v WHERE v = 10"), (Rows{"10|null"}));
  run("DELETE v FROM base WHERE k = 1 AND c = 1");  // the view key goes: so does the view row
  EXPECT_EQ(rows("SELECT * FROM by_v WHERE v = 10").row_count, 0u);
  run("DELETE FROM base WHERE k = 1 AND c = 2");
  EXPECT_EQ(rows("SELECT * FROM by_v WHERE v = 20").row_count, 0u);
  run("DELETE FROM base WHERE k = 1 AND c >= 3 AND c < 4");
  EXPECT_EQ(table("SELECT v FROM by_v WHERE v IN (30, 40)"), (Rows{"40"}));
  run("DELETE FROM base WHERE k = 1");
  EXPECT_EQ(table("SELECT v, k FROM by_v"), (Rows{"50|2"}));
}

TEST_F(ViewUpdatesTest, TheViewFollowsLastWriteWinsIncludingOlderTimestamps) {
  run("INSERT INTO base (k, c, v, w) VALUES (1, 1, 61, 1) USING TIMESTAMP 1000");
  run("UPDATE base USING TIMESTAMP 500 SET v = 62 WHERE k = 1 AND c = 1");  // loses to 1000
  EXPECT_EQ(table("SELECT v FROM by_v"), (Rows{"61"}));
  run("UPDATE base USING TIMESTAMP 2000 SET v = 63 WHERE k = 1 AND c = 1");
  EXPECT_EQ(table("SELECT v, writetime(w) FROM by_v"), (Rows{"63|1000"}));
  run("DELETE FROM base USING TIMESTAMP 1500 WHERE k = 1 AND c = 1");  // shadows only w
  EXPECT_EQ(table("SELECT v, w FROM by_v"), (Rows{"63|null"}));
  run("DELETE FROM base USING TIMESTAMP 3000 WHERE k = 1 AND c = 1");
  EXPECT_EQ(rows("SELECT * FROM by_v").row_count, 0u);
  run("INSERT INTO base (k, c, v, w) VALUES (1, 1, 64, 1) USING TIMESTAMP 2500");  // under the deletion
  EXPECT_EQ(rows("SELECT * FROM by_v").row_count, 0u);
  run("INSERT INTO base (k, c, v, w) VALUES (1, 1, 65, 1) USING TIMESTAMP 4000");
  EXPECT_EQ(table("SELECT v, writetime(w) FROM by_v"), (Rows{"65|4000"}));
}

TEST_F(ViewUpdatesTest, ViewRowsExpireWithTheirBaseCells) {
  run("INSERT INTO base (k, c, v, w) VALUES (1, 1, 10, 100) USING TTL 1000");
  RowsResult r = rows("SELECT ttl(w) FROM by_v WHERE v = 10");
  ASSERT_EQ(r.row_count, 1u);
  int32_t ttl = decode_int32(r.cells[0].bytes);
  EXPECT_GT(ttl, 990);
  EXPECT_LE(ttl, 1000);
  run("INSERT INTO base (k, c, v, w) VALUES (2, 1, 20, 200) USING TTL 1");
  EXPECT_EQ(rows("SELECT * FROM by_v WHERE v = 20").row_count, 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(rows("SELECT * FROM by_v WHERE v = 20").row_count, 0u);
  EXPECT_EQ(rows("SELECT * FROM base WHERE k = 2").row_count, 0u);
}

TEST_F(ViewUpdatesTest, BatchesAndLightweightTransactionsUpdateTheView) {
  run("BEGIN BATCH INSERT INTO base (k, c, v, w) VALUES (1, 1, 10, 1); "
      "INSERT INTO base (k, c, v, w) VALUES (2, 1, 20, 2); UPDATE base SET v = 11 WHERE k = 1 AND c = 1; APPLY BATCH");
  EXPECT_EQ(table("SELECT v, k FROM by_v WHERE v IN (10, 11, 20)"), (Rows{"11|1", "20|2"}));
  run("INSERT INTO base (k, c, v, w) VALUES (3, 1, 30, 3) IF NOT EXISTS");
  run("UPDATE base SET v = 31 WHERE k = 3 AND c = 1 IF w = 3");
  EXPECT_EQ(table("SELECT v, k FROM by_v WHERE v IN (30, 31)"), (Rows{"31|3"}));
  run("BEGIN BATCH INSERT INTO base (k, c, v, w) VALUES (4, 1, 40, 4) IF NOT EXISTS; "
      "INSERT INTO base (k, c, v, w) VALUES (4, 2, 41, 4); APPLY BATCH");
  EXPECT_EQ(table("SELECT v, c FROM by_v WHERE v IN (40, 41)"), (Rows{"40|1", "41|2"}));
}

TEST_F(ViewUpdatesTest, ANewViewIsBuiltFromTheRowsAlreadyThere) {
  run("INSERT INTO base (k, c, v, w) VALUES (1, 1, 10, 100)");
  run("INSERT INTO base (k, c, w) VALUES (1, 2, 200)");
  run("CREATE MATERIALIZED VIEW by_c AS SELECT k, c, w FROM base WHERE k IS NOT NULL AND c IS NOT NULL "
      "PRIMARY KEY (c, k)");
  EXPECT_EQ(table("SELECT c, k, w FROM by_c WHERE c = 2"), (Rows{"2|1|200"}));
  EXPECT_EQ(rows("SELECT * FROM by_c").row_count, 2u);
}

TEST_F(ViewUpdatesTest, ARestrictedViewHoldsOnlyTheRowsItSelects) {
  run("CREATE MATERIALIZED VIEW small_c AS SELECT k, c, v FROM base WHERE k IS NOT NULL AND c < 3 "
      "PRIMARY KEY (c, k)");
  for (int c = 1; c <= 4; ++c) run("INSERT INTO base (k, c, v) VALUES (1, " + std::to_string(c) + ", 0)");
  EXPECT_EQ(table("SELECT c FROM small_c"), (Rows{"1", "2"}));
}

TEST_F(ViewUpdatesTest, ViewsRefuseDirectWritesAndProtectTheirBase) {
  EXPECT_THROW(run("INSERT INTO by_v (v, k, c) VALUES (1, 1, 1)"), InvalidRequest);
  EXPECT_THROW(run("ALTER TABLE base DROP w"), InvalidRequest);
  EXPECT_THROW(run("DROP TABLE base"), InvalidRequest);
  EXPECT_THROW(run("TRUNCATE by_v"), InvalidRequest);
  run("DROP MATERIALIZED VIEW by_v");
  run("DROP TABLE base");
}

TEST(ViewSchemaTest, AViewSurvivesTheSchemaRecord) {
  Schema schema;
  auto ks = std::make_shared<KeyspaceDef>();
  ks->name = "ks";
  auto view = std::make_shared<TableDef>();
  view->keyspace = "ks";
  view->name = "v";
  auto def = std::make_shared<ViewDef>();
  def->base_table = "base";
  def->include_all_columns = true;
  def->where_clause = "k IS NOT NULL AND c > 5";
  def->restrictions.push_back(ViewRestriction{"c", ViewRestriction::Op::kGt, {std::string("\0\0\0\5", 4)}});
  view->view = def;
  ks->tables["v"] = view;
  schema.keyspaces["ks"] = ks;
  Schema back = deserialize_schema(serialize_schema(schema));
  const TableDef* t = back.find_table("ks", "v");
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->is_view());
  EXPECT_EQ(t->view->base_table, "base");
  EXPECT_TRUE(t->view->include_all_columns);
  EXPECT_EQ(t->view->where_clause, "k IS NOT NULL AND c > 5");
  ASSERT_EQ(t->view->restrictions.size(), 1u);
  EXPECT_EQ(t->view->restrictions[0].op, ViewRestriction::Op::kGt);
  EXPECT_EQ(t->view->restrictions[0].values[0], std::string("\0\0\0\5", 4));
}

}  // namespace
}  // namespace cqld
