// The row reader at the edges of its ranges. (Built with AddressSanitizer, the first test caught
// a read past the range list after a partition's trailing static row.)
#include "storage/row_reader.h"

#include <gtest/gtest.h>

#include "storage/store.h"
#include "memory_store.h"
#include "types/token.h"

namespace cqld {
namespace {

TablePtr static_table() {
  auto t = std::make_shared<TableDef>();
  t->keyspace = "ks";
  t->name = "t";
  t->storage_id = 7;
  t->columns = {ColumnDef{"p", ColumnKind::kPartitionKey, 0, primitive_type(TypeKind::kInt), false, 1},
                ColumnDef{"c", ColumnKind::kClustering, 0, primitive_type(TypeKind::kInt), false, 2},
                ColumnDef{"s", ColumnKind::kStatic, -1, primitive_type(TypeKind::kInt), false, 3}};
  t->next_column_id = 4;
  rebuild_key_indexes(*t);
  return t;
}

TEST(RowReaderTest, StaticOnlyPartitionThenStaysAtTheEnd) {
  auto store = memory_store();
  TablePtr t = static_table();
  PartitionKey pk{0, encode_int32(1)};
  pk.token = murmur3_token(pk.key);
  Cell cell;
  cell.timestamp = 10;
  cell.value = encode_int32(42);
  Mutation m;
  m.write_cell(*t, pk, {}, t->columns[2], cell);
  ASSERT_TRUE(store->apply(m).is_ok());

  ReadOrder order;
  order.include_static_only = true;
  auto reader = store->read_rows(*t, ReadSelection::partitions({pk}), order, "", 0);
  ReadRow row;
  ASSERT_TRUE(reader->next(&row));
  EXPECT_TRUE(row.static_only);
  EXPECT_EQ(decode_int32(row.values[2].bytes), 42);
  EXPECT_FALSE(reader->next(&row));
  EXPECT_FALSE(reader->next(&row));  // asking again past the end reads nothing
  EXPECT_TRUE(reader->status().is_ok());
}

TEST(RowReaderTest, NoPartitionsReadsNothing) {
  auto store = memory_store();
  TablePtr t = static_table();
  for (bool reversed : {false, true}) {
    ReadOrder order;
    order.reversed = reversed;
    order.include_static_only = true;
    auto reader = store->read_rows(*t, ReadSelection::partitions({}), order, "", 0);
    ReadRow row;
    EXPECT_FALSE(reader->next(&row));
    EXPECT_FALSE(reader->next(&row));
  }
}

// A table with a non-frozen set and a non-frozen UDT, the columns whose cells have times of
// their own (what writetime() and ttl() of them report).
TablePtr multi_cell_table() {
  auto t = std::make_shared<TableDef>();
  t->keyspace = "ks";
  t->name = "m";
  t->storage_id = 8;
  TypePtr text = primitive_type(TypeKind::kVarchar), i = primitive_type(TypeKind::kInt);
  t->columns = {ColumnDef{"p", ColumnKind::kPartitionKey, 0, i, false, 1},
                ColumnDef{"st", ColumnKind::kRegular, -1, set_type(text, false), false, 2},
                ColumnDef{"u", ColumnKind::kRegular, -1, udt_type("ks", "pt", {"x", "y", "z"}, {i, i, i}, false), false, 3}};
  t->next_column_id = 4;
  rebuild_key_indexes(*t);
  return t;
}

Cell cell_at(int64_t timestamp, std::string value, int32_t ttl = 0, int64_t expires_at = 0) {
  Cell c;
  c.timestamp = timestamp;
  c.value = std::move(value);
  c.ttl = ttl;
  c.expires_at = expires_at;
  return c;
}

TEST(RowReaderTest, CellTimesFollowElementOrderAndFieldPositions) {
  auto store = memory_store();
  TablePtr t = multi_cell_table();
  PartitionKey pk{0, encode_int32(1)};
  pk.token = murmur3_token(pk.key);
  Mutation m;
  // Written out of key order: the times must come back in the set's order ('a', 'b', 'c').
  m.write_element(*t, pk, {}, t->columns[1], "c", cell_at(300, ""));
  m.write_element(*t, pk, {}, t->columns[1], "a", cell_at(100, "", 50, 1000));
  m.write_element(*t, pk, {}, t->columns[1], "b", cell_at(200, ""));
  m.write_element(*t, pk, {}, t->columns[1], "gone", cell_at(400, "", 10, 900));  // expired by now
  // Field y is never written: its entry stays, with no time.
  m.write_field(*t, pk, {}, t->columns[2], 2, cell_at(700, encode_int32(3)));
  m.write_field(*t, pk, {}, t->columns[2], 0, cell_at(600, encode_int32(1), 20, 1010));
  ASSERT_TRUE(store->apply(m).is_ok());

  auto reader = store->read_rows(*t, ReadSelection::partitions({pk}), ReadOrder{}, "", 990);
  ReadRow row;
  ASSERT_TRUE(reader->next(&row));
  ASSERT_EQ(row.cell_times.size(), 3u);
  EXPECT_TRUE(row.cell_times[0].empty());
  EXPECT_EQ(parse_collection(row.values[1].bytes), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(row.cell_times[1], (std::vector<CellTime>{{100, 10}, {200, 0}, {300, 0}}));
  EXPECT_EQ(row.writetimes[1], 300);
  EXPECT_EQ(row.cell_times[2], (std::vector<CellTime>{{600, 20}, {INT64_MIN, 0}, {700, 0}}));
  EXPECT_EQ(row.writetimes[2], 700);
}

}  // namespace
}  // namespace cqld
