// Storage-attached indexes and ANN ordering: the index layer's pieces (class names, options,
// analyzers, similarity scores, the top-k keeper) and whole queries on an in-memory database.
#include <gtest/gtest.h>

#include <bit>
#include <memory>
#include <string>

#include "common/errors.h"
#include "exec/ann_ordering.h"
#include "exec/database.h"
#include "exec/sai_index.h"

namespace cqld {
namespace {

TEST(SaiIndex, ClassNamesThatMeanSai) {
  EXPECT_TRUE(is_sai_class("sai"));
  EXPECT_TRUE(is_sai_class("SAI"));
  EXPECT_TRUE(is_sai_class("StorageAttachedIndex"));
  EXPECT_TRUE(is_sai_class("org.apache.cassandra.index.sai.StorageAttachedIndex"));
  EXPECT_FALSE(is_sai_class("storageattachedindex"));
  EXPECT_FALSE(is_sai_class("org.apache.cassandra.index.sasi.SASIIndex"));
}

TEST(SaiIndex, AnalyzersFoldCaseNormalizeAndFoldToAscii) {
  TextAnalyzer lower;
  lower.case_insensitive = true;
  EXPECT_EQ(lower.apply("Caf\xC3\x89"), "caf\xC3\xA9");  // É -> é
  TextAnalyzer nfc;
  nfc.normalize = true;
  EXPECT_EQ(nfc.apply("Cafe\xCC\x81"), "Caf\xC3\xA9");  // e + combining acute -> é
  TextAnalyzer ascii;
  ascii.ascii = true;
  EXPECT_EQ(ascii.apply("Caf\xC3\xA9 Stra\xC3\x9F" "e"), "Cafe Strasse");
  EXPECT_EQ(ascii.apply("Cafe\xCC\x81"), "Cafe");
  EXPECT_FALSE(TextAnalyzer{}.analyzes());
}

TEST(SaiIndex, SimilarityScoresAsCassandraComputesThem) {
  std::vector<float> north{0, 1}, north_east{0.7f, 0.7f}, zero{0, 0};
  EXPECT_EQ(*similarity_score(Similarity::kCosine, north, north), 1.0f);
  EXPECT_FLOAT_EQ(*similarity_score(Similarity::kCosine, north_east, north), 0.8535534f);
  EXPECT_FALSE(similarity_score(Similarity::kCosine, zero, north).has_value());
  EXPECT_EQ(*similarity_score(Similarity::kEuclidean, {0, 0, 0}, {1, 1, 1}), 0.25f);
  EXPECT_FLOAT_EQ(*similarity_score(Similarity::kDotProduct, {0.6f, 0.8f}, {0.8f, 0.6f}), 0.98f);
}

class SaiQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.in_memory = true;
    db_ = open_database(options);
    run("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    run("USE ks");
  }

  Result run(const std::string& cql) { return db_->query(client_, cql, QueryOptions{}); }
  RowsResult rows(const std::string& cql) { return std::get<RowsResult>(run(cql)); }

  std::vector<int32_t> ints(const RowsResult& r) {
    std::vector<int32_t> out;
    size_t width = r.metadata.columns.size();
    for (size_t i = 0; i < r.row_count; ++i) out.push_back(decode_int32(r.cells[i * width].bytes));
    return out;
  }

  std::string message(const std::string& cql) {
    try {
      run(cql);
    } catch (const CqlError& e) {
      return e.what();
    }
    return "";
  }

  std::unique_ptr<QueryProcessor> db_;
  ClientState client_;
};

TEST_F(SaiQueryTest, RangesAndSeveralIndexesNeedNoAllowFiltering) {
  run("CREATE TABLE t (k int PRIMARY KEY, n int, b bigint, txt text)");
  run("CREATE INDEX ON t (n) USING 'sai'");
  run("CREATE CUSTOM INDEX ON t (b) USING 'StorageAttachedIndex'");
  for (int k = 1; k <= 5; ++k)
    run("INSERT INTO t (k, n, b) VALUES (" + std::to_string(k) + ", " + std::to_string(k * 10) + ", " +
        std::to_string(k % 2) + ")");
  RowsResult r = rows("SELECT k FROM t WHERE n >= 20 AND n < 50 AND b = 1");
  EXPECT_EQ(r.row_count, 1u);
  EXPECT_EQ(ints(r), (std::vector<int32_t>{3}));
  EXPECT_NE(message("SELECT k FROM t WHERE txt > 'a'").find("ALLOW FILTERING"), std::string::npos);
}

TEST_F(SaiQueryTest, ALegacyQueryReadsOneIndexAndKeyColumnsThroughTheirIndexes) {
  run("CREATE TABLE comp (a int, b int, c int, d int, PRIMARY KEY ((a, b), c, d))");
  run("CREATE INDEX ON comp (a)");
  run("CREATE INDEX ON comp (d)");
  run("INSERT INTO comp (a, b, c, d) VALUES (1, 1, 1, 1)");
  run("INSERT INTO comp (a, b, c, d) VALUES (1, 2, 1, 2)");
  EXPECT_EQ(rows("SELECT a FROM comp WHERE a = 1").row_count, 2u);     // a partition key component
  EXPECT_EQ(rows("SELECT a FROM comp WHERE d = 2").row_count, 1u);     // a clustering column past the prefix
  EXPECT_EQ(rows("SELECT a FROM comp WHERE a = 1 AND b = 2 AND d = 2").row_count, 1u);
  // Two legacy indexes: one is read, the other would be filtered.
  EXPECT_NE(message("SELECT a FROM comp WHERE a = 1 AND d = 2").find("ALLOW FILTERING"), std::string::npos);
  // Without the partition key, an unindexed clustering restriction is filtered.
  EXPECT_NE(message("SELECT a FROM comp WHERE c = 1 AND d = 1").find("ALLOW FILTERING"), std::string::npos);
}

TEST_F(SaiQueryTest, CreateIndexRefusesWhatSaiCannotIndex) {
  run("CREATE TABLE t (k int PRIMARY KEY, n int, v vector<int, 2>, w vector<float, 2>)");
  EXPECT_EQ(message("CREATE INDEX ON t (n) USING 'sai' WITH OPTIONS = {'case_sensitive': 'false'}"),
            "CQL type int cannot be analyzed.");
  EXPECT_EQ(message("CREATE INDEX ON t (v) USING 'sai'"),
            "SAI ANN indexes are only allowed on vector columns with float elements");
  EXPECT_EQ(message("CREATE INDEX ON t (w) USING 'sai' WITH OPTIONS = {'nosuch': '1'}"),
            "Properties specified [nosuch] are not understood by StorageAttachedIndex");
  EXPECT_EQ(message("CREATE INDEX ON t (n) USING 'nosuch'"), "Unable to find custom indexer class 'nosuch'");
}

TEST_F(SaiQueryTest, AnnOrdersBySimilarityAndFilters) {
  run("CREATE TABLE items (id int PRIMARY KEY, cat text, v vector<float, 2>)");
  run("CREATE INDEX ON items (v) USING 'sai' WITH OPTIONS = {'similarity_function': 'euclidean'}");
  run("CREATE INDEX ON items (cat) USING 'sai'");
  run("INSERT INTO items (id, cat, v) VALUES (1, 'a', [0.0, 0.0])");
  run("INSERT INTO items (id, cat, v) VALUES (2, 'b', [1.0, 1.0])");
  run("INSERT INTO items (id, cat, v) VALUES (3, 'a', [5.0, 5.0])");
  run("INSERT INTO items (id, cat) VALUES (4, 'a')");
  EXPECT_EQ(ints(rows("SELECT id FROM items ORDER BY v ANN OF [4.0, 4.0] LIMIT 10")), (std::vector<int32_t>{3, 2, 1}));
  EXPECT_EQ(ints(rows("SELECT id FROM items ORDER BY v ANN OF [0.9, 0.9] LIMIT 2")), (std::vector<int32_t>{2, 1}));
  EXPECT_EQ(ints(rows("SELECT id FROM items WHERE cat = 'a' ORDER BY v ANN OF [0.9, 0.9] LIMIT 5")),
            (std::vector<int32_t>{1, 3}));
  EXPECT_EQ(message("SELECT id FROM items ORDER BY v ANN OF [0.0, 1.0]"),
            "Top-K queries must have a limit specified and the limit must be less than the query page size");
  EXPECT_EQ(message("SELECT id FROM items ORDER BY v ANN OF [0.0, 1.0] DESC LIMIT 1"),
            "Descending ANN ordering is not supported");
}

TEST_F(SaiQueryTest, CosineRefusesAllZeroVectors) {
  run("CREATE TABLE items (id int PRIMARY KEY, v vector<float, 2>)");
  run("CREATE INDEX ON items (v) USING 'sai'");
  try {
    run("INSERT INTO items (id, v) VALUES (1, [0.0, 0.0])");
    FAIL() << "an all-zero vector was written under cosine";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kWriteFailure);
  }
  try {
    run("SELECT id FROM items ORDER BY v ANN OF [0.0, 0.0] LIMIT 1");
    FAIL() << "an all-zero query was scored under cosine";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kReadFailure);
  }
}

TEST(TopRows, KeepsTheBestInScoreOrderTiesInReadOrderAndTheFirstWrittenAtTheCut) {
  AnnOrdering ann;
  ann.column = 0;
  ann.column_name = "v";
  ann.similarity = Similarity::kDotProduct;
  auto vector = [](float x, float y) {
    return Value::of(encode_int32(std::bit_cast<int32_t>(x)) + encode_int32(std::bit_cast<int32_t>(y)));
  };
  ann.query = BoundTerm::computed([vector](const Bindings&) { return vector(1, 0); });
  Bindings b;
  TopRows top(ann, b, 3);
  float xs[] = {0.1f, 0.9f, 0.5f, 0.9f, 0.2f};
  for (int i = 0; i < 5; ++i) {
    ReadRow row;
    row.values = {vector(xs[i], 0)};
    row.position = std::to_string(i);
    top.offer(row);
  }
  std::vector<RankedRow> best = top.take();
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].row.position, "1");
  EXPECT_EQ(best[1].row.position, "3");
  EXPECT_EQ(best[2].row.position, "2");

  // Of equal scores beyond the limit, the vector written first is kept.
  TopRows one(ann, b, 1);
  for (int i = 0; i < 2; ++i) {
    ReadRow row;
    row.values = {vector(0.5f, 0)};
    row.writetimes = {i == 0 ? 200 : 100};
    row.position = std::to_string(i);
    one.offer(row);
  }
  std::vector<RankedRow> kept = one.take();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].row.position, "1");
}

}  // namespace
}  // namespace cqld
