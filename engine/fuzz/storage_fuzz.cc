// Storage cell and key decoding: what the row reader makes of the entries it finds in RocksDB.
// The input is a list of writes into an in-memory RocksDB for one table (composite partition
// key; int, DESC text and decimal clustering, so written clusterings are kept; a static column,
// a list, a map and a set): well-formed keys built by storage's own key functions holding cells
// with fuzzed fields, and keys and values that are fuzzed, truncated or mangled. The table is
// then read whole in both directions. Stored bytes that do not decode must end the read with a
// corruption status, never crash, hang or escape as an exception; every row read has one value
// per column. The last input bytes are also decoded as a cell and as a schema record.
#include <fuzzer/FuzzedDataProvider.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "schema/schema.h"
#include "storage/cell.h"
#include "storage/keys.h"
#include "storage/stored_row_reader.h"
#include "types/comparable.h"
#include "types/token.h"
#include "types/value.h"

namespace {

using namespace cqld;

constexpr size_t kMaxWrites = 48;
constexpr size_t kMaxRowsRead = 4096;

TablePtr make_table() {
  auto t = std::make_shared<TableDef>();
  t->keyspace = "ks";
  t->name = "t";
  t->storage_id = 9;
  auto int_type = primitive_type(TypeKind::kInt);
  auto text_type = primitive_type(TypeKind::kVarchar);
  t->columns = {
      ColumnDef{"p1", ColumnKind::kPartitionKey, 0, int_type, false, 1},
      ColumnDef{"p2", ColumnKind::kPartitionKey, 1, text_type, false, 2},
      ColumnDef{"c1", ColumnKind::kClustering, 0, int_type, false, 3},
      ColumnDef{"c2", ColumnKind::kClustering, 1, text_type, true, 4},
      ColumnDef{"c3", ColumnKind::kClustering, 2, primitive_type(TypeKind::kDecimal), false, 5},
      ColumnDef{"l", ColumnKind::kRegular, -1, list_type(int_type, false), false, 6},
      ColumnDef{"m", ColumnKind::kRegular, -1, map_type(text_type, int_type, false), false, 7},
      ColumnDef{"s", ColumnKind::kStatic, -1, int_type, false, 8},
      ColumnDef{"st", ColumnKind::kRegular, -1, set_type(text_type, false), false, 9},
      ColumnDef{"v", ColumnKind::kRegular, -1, text_type, false, 10},
  };
  t->next_column_id = 11;
  rebuild_key_indexes(*t);
  return t;
}

const TableDef& table() {
  static const TablePtr t = make_table();
  return *t;
}

rocksdb::DB* open_db() {
  static std::unique_ptr<rocksdb::Env> env(rocksdb::NewMemEnv(rocksdb::Env::Default()));
  rocksdb::Options options;
  options.env = env.get();
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, "/fuzz", &db);
  if (!s.ok()) {
    fprintf(stderr, "cannot open the in-memory database: %s\n", s.ToString().c_str());
    abort();
  }
  return db;
}

// One database for the run, emptied after each input.
rocksdb::DB* db() {
  static rocksdb::DB* db = open_db();
  return db;
}

PartitionKey pick_partition(FuzzedDataProvider& in) {
  std::string p1 = encode_int32(in.ConsumeIntegralInRange<int32_t>(0, 3));
  std::string p2 = in.ConsumeBool() ? "a" : "";
  PartitionKey pk;
  pk.key = serialize_partition_key({p1, p2});
  pk.token = murmur3_token(pk.key);
  return pk;
}

Clustering pick_clustering(FuzzedDataProvider& in) {
  Clustering c;
  c.push_back(encode_int32(in.ConsumeIntegralInRange<int32_t>(-2, 2)));
  c.push_back(in.ConsumeRandomLengthString(8));
  // A decimal: scale, then an unscaled varint of one to three bytes.
  std::string decimal = encode_int32(in.ConsumeIntegralInRange<int32_t>(0, 2));
  decimal += in.ConsumeBytesAsString(in.ConsumeIntegralInRange<size_t>(1, 3));
  if (decimal.size() == 4) decimal.push_back('\0');
  c.push_back(decimal);
  return c;
}

Cell pick_cell(FuzzedDataProvider& in) {
  Cell cell;
  cell.timestamp = in.ConsumeIntegralInRange<int64_t>(-5, 5);
  auto flags = in.ConsumeIntegral<uint8_t>();
  cell.tombstone = flags & 1;
  cell.counter = flags & 4;
  if (flags & 2) {
    cell.ttl = in.ConsumeIntegralInRange<int32_t>(1, 10);
    cell.expires_at = in.ConsumeIntegralInRange<int64_t>(0, 20);
  }
  cell.value = in.ConsumeRandomLengthString(16);
  return cell;
}

const ColumnDef& pick_column(FuzzedDataProvider& in) {
  const auto& columns = table().columns;
  return columns[in.ConsumeIntegralInRange<size_t>(5, columns.size() - 1)];
}

std::string pick_value(FuzzedDataProvider& in, const Cell& cell) {
  return in.ConsumeBool() ? encode_cell(cell) : in.ConsumeRandomLengthString(32);
}

// One write; returns false when the input is used up.
bool write_one(FuzzedDataProvider& in, rocksdb::WriteBatch* batch) {
  if (in.remaining_bytes() == 0) return false;
  const TableDef& t = table();
  auto kind = in.ConsumeIntegral<uint8_t>();
  PartitionKey pk = pick_partition(in);
  std::string prefix = partition_prefix(t, pk);
  std::string row = row_key(t, pk, pick_clustering(in));
  std::string key;
  switch (kind % 9) {
    case 0: key = column_key(t, pk, row, pick_column(in)); break;
    case 1: key = row + static_cast<char>(RowPart::kMarker); break;
    case 2: key = row + static_cast<char>(RowPart::kDeletion); break;
    case 3: key = prefix + static_cast<char>(EntryTag::kPartitionDeletion); break;
    case 4: key = table_prefix(t.storage_id) + in.ConsumeRandomLengthString(40); break;
    case 5: {  // a well-formed key cut short or with a byte changed
      key = column_key(t, pk, row, pick_column(in));
      size_t at = in.ConsumeIntegralInRange<size_t>(5, key.size() - 1);  // the table prefix stays
      if (in.ConsumeBool()) key.resize(std::max<size_t>(at, 5));
      else key[at] = static_cast<char>(in.ConsumeIntegral<uint8_t>());
      break;
    }
    case 6: {  // a range tombstone over [begin, end) of fuzzed or real row keys
      key = prefix + static_cast<char>(EntryTag::kRangeTombstone) + in.ConsumeBytesAsString(16);
      Cell cell = pick_cell(in);
      cell.tombstone = true;
      cell.value.clear();
      append_length_prefixed(in.ConsumeBool() ? row : in.ConsumeRandomLengthString(24), &cell.value);
      append_length_prefixed(in.ConsumeBool() ? prefix_successor(row) : in.ConsumeRandomLengthString(24), &cell.value);
      batch->Put(key, in.ConsumeBool() ? encode_cell(cell) : in.ConsumeRandomLengthString(24));
      return true;
    }
    case 7: {  // the written clustering of a row whose decimal has another spelling
      key = row + static_cast<char>(RowPart::kWrittenClustering);
      break;
    }
    default: {  // a collection element or collection deletion
      const ColumnDef& column = t.columns[in.ConsumeIntegralInRange<size_t>(5, 8)];
      key = column_key(t, pk, row, column) + in.ConsumeRandomLengthString(12);
      break;
    }
  }
  Cell cell = pick_cell(in);
  batch->Put(key, pick_value(in, cell));
  return true;
}

void read_all(bool reversed) {
  const TableDef& t = table();
  ReadOrder order;
  order.reversed = reversed;
  order.include_static_only = true;
  auto ranges = std::make_unique<KeyRangeCursor>(t, ReadSelection::token_range(std::nullopt, std::nullopt), "", reversed);
  StoredRowReader reader(db(), t, std::move(ranges), order, 10);
  ReadRow row;
  for (size_t n = 0; n < kMaxRowsRead && reader.next(&row); ++n) {
    if (row.values.size() != t.columns.size()) {
      fprintf(stderr, "a row read with %zu values for %zu columns\n", row.values.size(), t.columns.size());
      abort();
    }
  }
}

void decode_records(std::string_view bytes) {
  decode_cell(bytes);
  try {
    Schema schema = deserialize_schema(std::string(bytes));
    deserialize_schema(serialize_schema(schema));
  } catch (const std::runtime_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  rocksdb::WriteBatch batch;
  for (size_t i = 0; i < kMaxWrites && write_one(in, &batch); ++i) {
  }
  db()->Write(rocksdb::WriteOptions(), &batch);
  read_all(false);
  read_all(true);
  std::string prefix = table_prefix(table().storage_id);
  db()->DeleteRange(rocksdb::WriteOptions(), db()->DefaultColumnFamily(), prefix, prefix_successor(prefix));
  decode_records(std::string_view(reinterpret_cast<const char*>(data), size).substr(size / 2));
  return 0;
}
