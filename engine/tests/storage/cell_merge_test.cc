// The merge operator through a real RocksDB: versions of a key written out of timestamp order
// read back as Cassandra reconciles them, before and after compaction folds them (partial
// merges in upper levels, full merges at the bottom), counters add up, and a version that does
// not decode is reported, never dropped.
#include "storage/cell_merge.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

#include <unistd.h>

#include <filesystem>

#include "storage/cell.h"

namespace cqld {
namespace {

Cell live(int64_t ts, std::string value) {
  Cell c;
  c.timestamp = ts;
  c.value = std::move(value);
  return c;
}

Cell counter_delta(int64_t ts, uint64_t delta) {
  Cell c;
  c.timestamp = ts;
  c.counter = true;
  for (int shift = 56; shift >= 0; shift -= 8) c.value.push_back(static_cast<char>(delta >> shift));
  return c;
}

class CellMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cell_merge_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    rocksdb::Options options;
    options.create_if_missing = true;
    options.merge_operator = last_write_wins_merge();
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.string(), &db).ok());
    db_.reset(db);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void merge(const std::string& key, const Cell& cell) {
    ASSERT_TRUE(db_->Merge(rocksdb::WriteOptions(), key, encode_cell(cell)).ok());
  }
  void flush() { ASSERT_TRUE(db_->Flush(rocksdb::FlushOptions()).ok()); }
  void compact() { ASSERT_TRUE(db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr).ok()); }

  Cell get(const std::string& key) {
    std::string bytes;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &bytes);
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto cell = decode_cell(bytes);
    EXPECT_TRUE(cell.has_value());
    return cell.value_or(Cell{});
  }
  // What an iterator reads (DBIter merges the versions it meets on its own path).
  Cell iterate(const std::string& key) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    it->Seek(key);
    EXPECT_TRUE(it->Valid() && it->key() == key) << it->status().ToString();
    if (!it->Valid()) return Cell{};
    return decode_cell(std::string_view(it->value().data(), it->value().size())).value_or(Cell{});
  }

  std::filesystem::path dir_;
  std::unique_ptr<rocksdb::DB> db_;
};

TEST_F(CellMergeTest, TheHighestTimestampWinsWhateverTheWriteOrder) {
  merge("k", live(20, "newer"));
  merge("k", live(10, "older"));
  EXPECT_EQ(get("k").value, "newer");
  EXPECT_EQ(iterate("k").value, "newer");
  flush();
  merge("k", live(15, "middle"));
  EXPECT_EQ(get("k").value, "newer");
  merge("k", live(30, "newest"));
  flush();
  EXPECT_EQ(iterate("k").value, "newest");
  compact();
  Cell c = get("k");
  EXPECT_EQ(c.value, "newest");
  EXPECT_EQ(c.timestamp, 30);
}

TEST_F(CellMergeTest, ATieGoesToTheTombstoneThenToTheGreaterValue) {
  merge("a", live(5, "b"));
  merge("a", live(5, "c"));
  merge("a", live(5, "a"));
  EXPECT_EQ(get("a").value, "c");
  Cell tombstone;
  tombstone.timestamp = 5;
  tombstone.tombstone = true;
  merge("t", live(5, "z"));
  flush();
  merge("t", tombstone);
  merge("t", live(5, "zz"));
  compact();
  EXPECT_TRUE(get("t").tombstone);
}

TEST_F(CellMergeTest, CounterDeltasAddUpAcrossFilesAndCompaction) {
  merge("n", counter_delta(1, 2));
  flush();
  merge("n", counter_delta(3, 5));
  merge("n", counter_delta(2, 10));
  EXPECT_EQ(iterate("n").value, counter_delta(0, 17).value);
  flush();
  compact();
  Cell c = get("n");
  EXPECT_EQ(c.value, counter_delta(0, 17).value);
  EXPECT_EQ(c.timestamp, 3);
}

TEST_F(CellMergeTest, PartialMergesKeepTheWinnerWhole) {
  auto op = last_write_wins_merge();
  std::string merged;
  std::string newer = encode_cell(live(9, "x"));
  std::string older = encode_cell(live(8, "y"));
  ASSERT_TRUE(op->PartialMergeMulti("k", {newer, older}, &merged, nullptr));
  EXPECT_EQ(merged, newer);
  merged.clear();
  ASSERT_TRUE(op->PartialMerge("k", encode_cell(counter_delta(1, 1)), encode_cell(counter_delta(2, 2)), &merged, nullptr));
  EXPECT_EQ(decode_cell(merged)->value, counter_delta(0, 3).value);
}

TEST_F(CellMergeTest, AVersionThatDoesNotDecodeFailsTheRead) {
  merge("k", live(1, "fine"));
  ASSERT_TRUE(db_->Merge(rocksdb::WriteOptions(), "k", "xx").ok());
  std::string bytes;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), "k", &bytes);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  it->Seek("k");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
}

}  // namespace
}  // namespace cqld
