// The row reader at the edges of its ranges. (Built with AddressSanitizer, the first test caught
// a read past the range list after a partition's trailing static row.)
#include "storage/row_reader.h"

#include <gtest/gtest.h>

#include "storage/store.h"
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

std::unique_ptr<Store> memory_store() {
  StoreOptions options;
  options.in_memory = true;
  return Store::open(options);
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

}  // namespace
}  // namespace cqld
