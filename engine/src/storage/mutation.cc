#include "storage/mutation.h"

#include <rocksdb/write_batch.h>

#include <atomic>
#include <random>

#include "storage/keys.h"
#include "types/comparable.h"

namespace cqld {
namespace {

const CqlType& blob_type() {
  static const TypePtr t = primitive_type(TypeKind::kBlob);
  return *t;
}

Cell tombstone(int64_t timestamp) {
  Cell c;
  c.timestamp = timestamp;
  c.tombstone = true;
  return c;
}

std::string element_key(std::string base, ElementPart part, std::string_view encoded) {
  base.push_back(static_cast<char>(part));
  base.append(encoded);
  return base;
}

// List element keys: time-ordered, unique within the process. Appends order by time, then by
// when they were made; prepends by negated time, then newest first, so that of two prepends
// with one timestamp (a batch) the later one ends up in front, as Cassandra's ever-decreasing
// prepend times place it. A prepend's elements are written last to first.
std::string list_element_suffix(int64_t timestamp, bool prepend) {
  static std::atomic<uint64_t> sequence{0};
  uint64_t order = static_cast<uint64_t>(prepend ? -timestamp : timestamp) ^ (uint64_t{1} << 63);
  std::string raw;
  for (int s = 56; s >= 0; s -= 8) raw.push_back(static_cast<char>(order >> s));
  uint64_t seq = sequence.fetch_add(1);
  if (prepend) seq = ~seq;
  for (int s = 56; s >= 0; s -= 8) raw.push_back(static_cast<char>(seq >> s));
  std::string out;
  append_comparable(blob_type(), raw, false, &out);
  return out;
}

// Range tombstones are kept under unique keys (timestamp, a per-process random nonce and a
// sequence number), so that two deletions never merge into one, even across restarts.
std::string range_tombstone_key(const std::string& partition, int64_t timestamp) {
  static std::atomic<uint64_t> sequence{0};
  static const uint64_t nonce = [] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) | rd();
  }();
  std::string key = partition + static_cast<char>(EntryTag::kRangeTombstone);
  for (uint64_t part : {static_cast<uint64_t>(timestamp), nonce, sequence.fetch_add(1)}) {
    append_u32(static_cast<uint32_t>(part >> 32), &key);
    append_u32(static_cast<uint32_t>(part), &key);
  }
  return key;
}

}  // namespace

Mutation::Mutation() : batch_(std::make_unique<rocksdb::WriteBatch>()) {}
Mutation::~Mutation() = default;
Mutation::Mutation(Mutation&&) noexcept = default;
Mutation& Mutation::operator=(Mutation&&) noexcept = default;

bool Mutation::empty() const { return batch_->Count() == 0; }

size_t Mutation::byte_size() const { return batch_->GetDataSize(); }

void Mutation::merge(const std::string& key, const Cell& cell) { batch_->Merge(key, encode_cell(cell)); }

// The first write of a row wins, as in Cassandra, where a row keeps the clustering it was
// created with: the cell's timestamp is the negated write time, so reconciliation keeps the
// earliest.
void Mutation::note_row(const TableDef& table, const std::string& row_key, const Clustering& row, int64_t timestamp) {
  if (!table.keeps_written_clustering() || row_key == last_noted_row_) return;
  last_noted_row_ = row_key;
  Cell written;
  written.timestamp = -timestamp;
  for (const std::string& value : row) append_length_prefixed(value, &written.value);
  merge(row_key + static_cast<char>(RowPart::kWrittenClustering), written);
}

void Mutation::delete_partition(const TableDef& table, const PartitionKey& partition, int64_t timestamp) {
  merge(partition_prefix(table, partition) + static_cast<char>(EntryTag::kPartitionDeletion), tombstone(timestamp));
}

void Mutation::delete_rows(const TableDef& table, const PartitionKey& partition, const ClusteringSlice& slice,
                           int64_t timestamp) {
  KeyRange range = slice_range(table, partition, slice);
  Cell rt = tombstone(timestamp);
  append_length_prefixed(range.begin, &rt.value);
  append_length_prefixed(range.end, &rt.value);
  merge(range_tombstone_key(partition_prefix(table, partition), timestamp), rt);
}

void Mutation::delete_row(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                          int64_t timestamp) {
  merge(row_key(table, partition, row) + static_cast<char>(RowPart::kDeletion), tombstone(timestamp));
}

void Mutation::write_row_marker(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                                const Cell& marker) {
  std::string key = row_key(table, partition, row);
  note_row(table, key, row, marker.timestamp);
  merge(key + static_cast<char>(RowPart::kMarker), marker);
}

void Mutation::write_cell(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                          const ColumnDef& column, const Cell& cell) {
  std::string key = column.kind == ColumnKind::kStatic ? std::string() : row_key(table, partition, row);
  if (column.kind != ColumnKind::kStatic) note_row(table, key, row, cell.timestamp);
  merge(column_key(table, partition, key, column), cell);
  if (!table.indexes.empty() && column.kind == ColumnKind::kRegular && !cell.tombstone)
    write_index_entries(table, column, key, cell);
}

// An entry is never taken back when the value changes or the row is deleted: writes stay blind,
// and reads through the index recheck every row they find (Store::read_indexed_rows).
void Mutation::write_index_entries(const TableDef& table, const ColumnDef& column, const std::string& row_key,
                                   const Cell& cell) {
  for (const IndexDef& index : table.indexes)
    if (index.storage_id != 0 && index.column == column.name) write_index_entry(index, column, row_key, cell.value, cell);
}

void Mutation::write_index_entry(const IndexDef& index, const ColumnDef& column, std::string_view row_position,
                                 std::string_view value, const Cell& cell) {
  Cell entry;
  entry.timestamp = cell.timestamp;
  entry.tombstone = cell.tombstone;
  entry.ttl = cell.ttl;
  entry.expires_at = cell.expires_at;
  merge(index_entry_key(index_value_prefix(index, column, value), row_position), entry);
}

void Mutation::delete_collection(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                                 const ColumnDef& column, int64_t timestamp) {
  std::string key = column.kind == ColumnKind::kStatic ? std::string() : row_key(table, partition, row);
  merge(element_key(column_key(table, partition, key, column), ElementPart::kCollectionDeletion, ""),
        tombstone(timestamp));
}

void Mutation::write_element(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                             const ColumnDef& column, std::string_view element, const Cell& cell) {
  std::string key = column.kind == ColumnKind::kStatic ? std::string() : row_key(table, partition, row);
  if (column.kind != ColumnKind::kStatic) note_row(table, key, row, cell.timestamp);
  std::string encoded;
  append_comparable(*column.type->params[0], element, false, &encoded);
  merge(element_key(column_key(table, partition, key, column), ElementPart::kElement, encoded), cell);
}

void Mutation::append_list_element(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                                   const ColumnDef& column, bool prepend, const Cell& cell) {
  std::string key = column.kind == ColumnKind::kStatic ? std::string() : row_key(table, partition, row);
  if (column.kind != ColumnKind::kStatic) note_row(table, key, row, cell.timestamp);
  merge(element_key(column_key(table, partition, key, column), ElementPart::kElement,
                    list_element_suffix(cell.timestamp, prepend)),
        cell);
}

void Mutation::write_field(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                           const ColumnDef& column, uint16_t field, const Cell& cell) {
  std::string key = column.kind == ColumnKind::kStatic ? std::string() : row_key(table, partition, row);
  if (column.kind != ColumnKind::kStatic) note_row(table, key, row, cell.timestamp);
  std::string position{static_cast<char>(field >> 8), static_cast<char>(field & 0xff)};
  merge(element_key(column_key(table, partition, key, column), ElementPart::kElement, position), cell);
}

void Mutation::write_list_element(const ListElement& element, const Cell& cell) { merge(element.key, cell); }

}  // namespace cqld
