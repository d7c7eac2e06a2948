// Reading rows through index entries: a read finds the rows its value's entries name and no
// others (it does not read the table), in the table's order, resumes after a row, keeps within
// token bounds, skips expired entries, and an index build writes the entries rows lack.
#include <gtest/gtest.h>

#include <algorithm>

#include "storage/store.h"
#include "memory_store.h"
#include "types/token.h"

namespace cqld {
namespace {

constexpr int64_t kNow = 1000000;

// t (p int, c int, v int, PRIMARY KEY (p, c)) with an index on v that keeps entries.
TablePtr indexed_table() {
  auto t = std::make_shared<TableDef>();
  t->keyspace = "ks";
  t->name = "t";
  t->storage_id = 7;
  t->columns = {ColumnDef{"p", ColumnKind::kPartitionKey, 0, primitive_type(TypeKind::kInt), false, 1},
                ColumnDef{"c", ColumnKind::kClustering, 0, primitive_type(TypeKind::kInt), false, 2},
                ColumnDef{"v", ColumnKind::kRegular, -1, primitive_type(TypeKind::kInt), false, 3}};
  t->next_column_id = 4;
  IndexDef index;
  index.name = "t_v_idx";
  index.column = "v";
  index.storage_id = 8;
  t->indexes.push_back(index);
  rebuild_key_indexes(*t);
  return t;
}

PartitionKey partition(int32_t p) {
  PartitionKey pk{0, encode_int32(p)};
  pk.token = murmur3_token(pk.key);
  return pk;
}

Cell int_cell(int32_t v, int64_t timestamp, int32_t ttl = 0) {
  Cell cell;
  cell.timestamp = timestamp;
  cell.value = encode_int32(v);
  if (ttl > 0) {
    cell.ttl = ttl;
    cell.expires_at = kNow + ttl;
  }
  return cell;
}

void write_v(Store& store, const TableDef& table, int32_t p, int32_t c, int32_t v, int64_t timestamp = 1, int32_t ttl = 0) {
  Mutation m;
  m.write_cell(table, partition(p), {encode_int32(c)}, table.columns[2], int_cell(v, timestamp, ttl));
  ASSERT_TRUE(store.apply(m).is_ok());
}

struct Found {
  int32_t p, c, v;
  bool operator==(const Found& o) const { return p == o.p && c == o.c && v == o.v; }
};

std::vector<Found> read_value(Store& store, const TableDef& table, int32_t v, std::optional<TokenBound> lower = {},
                              std::optional<TokenBound> upper = {}, const std::string& resume = "",
                              std::string* last_position = nullptr, size_t limit = SIZE_MAX, int64_t now = kNow) {
  auto reader = store.read_indexed_rows(table, table.indexes[0], encode_int32(v), lower, upper, resume, now);
  std::vector<Found> out;
  ReadRow row;
  while (out.size() < limit && reader->next(&row)) {
    out.push_back({decode_int32(row.values[0].bytes), decode_int32(row.values[1].bytes),
                   row.values[2].is_set() ? decode_int32(row.values[2].bytes) : -1});
    if (last_position) *last_position = row.position;
  }
  EXPECT_TRUE(reader->status().is_ok());
  return out;
}

TEST(IndexEntriesTest, ReadsOnlyTheRowsItsEntriesName) {
  auto store = memory_store();
  TablePtr t = indexed_table();
  TableDef unindexed = *t;
  unindexed.indexes.clear();
  write_v(*store, *t, 1, 1, 5);
  write_v(*store, unindexed, 2, 1, 5);  // a row with the value but no entry: a table read would find it
  write_v(*store, *t, 3, 1, 6);
  EXPECT_EQ(read_value(*store, *t, 5), (std::vector<Found>{{1, 1, 5}}));
  EXPECT_EQ(read_value(*store, *t, 6), (std::vector<Found>{{3, 1, 6}}));
  EXPECT_TRUE(read_value(*store, *t, 7).empty());

  ASSERT_TRUE(store->build_index(*t, t->indexes[0], kNow).is_ok());
  std::vector<Found> built = read_value(*store, *t, 5);
  std::sort(built.begin(), built.end(), [](const Found& a, const Found& b) { return a.p < b.p; });
  EXPECT_EQ(built, (std::vector<Found>{{1, 1, 5}, {2, 1, 5}}));
}

TEST(IndexEntriesTest, AnEntryOverwrittenByANewerValueIsSkippedAndDeleted) {
  auto store = memory_store();
  TablePtr t = indexed_table();
  TableDef unindexed = *t;
  unindexed.indexes.clear();
  write_v(*store, *t, 1, 1, 5, 10);
  write_v(*store, *t, 1, 1, 6, 20);
  write_v(*store, *t, 2, 1, 5, 30);
  write_v(*store, *t, 2, 1, 6, 25);  // older than the 5 it would overwrite: the row keeps 5
  EXPECT_EQ(read_value(*store, *t, 5), (std::vector<Found>{{2, 1, 5}}));
  EXPECT_EQ(read_value(*store, *t, 6), (std::vector<Found>{{1, 1, 6}}));
  // The stale entry of row 1 under 5 is gone: a 5 written back with no entry is not found.
  write_v(*store, unindexed, 1, 1, 5, 40);
  EXPECT_EQ(read_value(*store, *t, 5), (std::vector<Found>{{2, 1, 5}}));
  // The entry of a deleted row stays, and finds nothing.
  Mutation m;
  m.delete_row(*t, partition(2), {encode_int32(1)}, 50);
  ASSERT_TRUE(store->apply(m).is_ok());
  EXPECT_TRUE(read_value(*store, *t, 5).empty());
}

TEST(IndexEntriesTest, EntriesComeInTableOrderAndResumeAfterARow) {
  auto store = memory_store();
  TablePtr t = indexed_table();
  for (int32_t p = 0; p < 20; ++p)
    for (int32_t c = 0; c < 3; ++c) write_v(*store, *t, p, c, p % 2);
  std::vector<Found> all = read_value(*store, *t, 0);
  ASSERT_EQ(all.size(), 30u);
  auto table_order = store->read_rows(*t, ReadSelection::token_range(std::nullopt, std::nullopt), ReadOrder{}, "", kNow);
  std::vector<Found> scanned;
  ReadRow row;
  while (table_order->next(&row))
    if (decode_int32(row.values[2].bytes) == 0)
      scanned.push_back({decode_int32(row.values[0].bytes), decode_int32(row.values[1].bytes), 0});
  EXPECT_EQ(all, scanned);

  std::vector<Found> paged;
  std::string position;
  while (true) {
    std::vector<Found> page = read_value(*store, *t, 0, {}, {}, position, &position, 7);
    if (page.empty()) break;
    paged.insert(paged.end(), page.begin(), page.end());
  }
  EXPECT_EQ(paged, all);
}

TEST(IndexEntriesTest, TokenBoundsAndExpiredEntries) {
  auto store = memory_store();
  TablePtr t = indexed_table();
  for (int32_t p = 0; p < 20; ++p) write_v(*store, *t, p, 0, 1);
  std::vector<Found> all = read_value(*store, *t, 1);
  ASSERT_EQ(all.size(), 20u);
  int64_t middle = partition(all[10].p).token;
  std::vector<Found> above = read_value(*store, *t, 1, TokenBound{middle, false});
  EXPECT_EQ(above, std::vector<Found>(all.begin() + 11, all.end()));
  std::vector<Found> up_to = read_value(*store, *t, 1, std::nullopt, TokenBound{middle, true});
  EXPECT_EQ(up_to, std::vector<Found>(all.begin(), all.begin() + 11));

  write_v(*store, *t, 100, 0, 2, 1, 5);
  EXPECT_EQ(read_value(*store, *t, 2).size(), 1u);
  EXPECT_TRUE(read_value(*store, *t, 2, {}, {}, "", nullptr, SIZE_MAX, kNow + 5).empty());
}

TEST(IndexEntriesTest, TruncateAndDropRemoveEntries) {
  auto store = memory_store();
  TablePtr t = indexed_table();
  write_v(*store, *t, 1, 1, 5);
  ASSERT_TRUE(store->truncate(t->storage_id, {t->indexes[0].storage_id}).is_ok());
  TableDef unindexed = *t;
  unindexed.indexes.clear();
  write_v(*store, unindexed, 1, 1, 5);  // the row again, with no entry of its own
  EXPECT_TRUE(read_value(*store, *t, 5).empty());
  write_v(*store, *t, 2, 1, 5);
  ASSERT_TRUE(store->drop_index_entries(t->indexes[0].storage_id).is_ok());
  EXPECT_TRUE(read_value(*store, *t, 5).empty());
}

}  // namespace
}  // namespace cqld
