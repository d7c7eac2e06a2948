// The row reader at the edges of its ranges. (Built with AddressSanitizer, the last test caught
// a read past the range list after a partition's trailing static row.)
#include "exec/row_reader.h"

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>

#include "storage/cell.h"
#include "storage/keys.h"
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
  StoreOptions options;
  options.in_memory = true;
  auto store = Store::open(options);
  TablePtr t = static_table();
  std::string pk = encode_int32(1);
  int64_t token = murmur3_token(pk);
  std::string partition = partition_prefix(t->storage_id, token, pk);
  std::string key = partition + static_cast<char>(EntryTag::kStatic);
  append_u16(3, &key);
  Cell cell;
  cell.timestamp = 10;
  cell.value = encode_int32(42);
  rocksdb::WriteBatch batch;
  batch.Merge(key, encode_cell(cell));
  store->write(&batch);

  RowReader reader(store.get(), *t, {KeyRange{partition, prefix_successor(partition)}}, false, true, 0);
  ReadRow row;
  ASSERT_TRUE(reader.next(&row));
  EXPECT_TRUE(row.static_only);
  EXPECT_EQ(decode_int32(row.values[2].bytes), 42);
  EXPECT_FALSE(reader.next(&row));
  EXPECT_FALSE(reader.next(&row));  // asking again past the end reads nothing
}

TEST(RowReaderTest, NoRangesReadsNothing) {
  StoreOptions options;
  options.in_memory = true;
  auto store = Store::open(options);
  TablePtr t = static_table();
  for (bool reversed : {false, true}) {
    RowReader reader(store.get(), *t, {}, reversed, true, 0);
    ReadRow row;
    EXPECT_FALSE(reader.next(&row));
    EXPECT_FALSE(reader.next(&row));
  }
}

}  // namespace
}  // namespace cqld
