// The RocksDB key layout (see storage/FORMAT.md). Keys are byte-comparable, so RocksDB's
// bytewise order is CQL order: table, token, partition key, then clustering in declared order.
// Internal to storage/: everything above it addresses data by values (read_selection.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schema/schema.h"
#include "storage/read_selection.h"
#include "storage/status.h"

namespace cqld {

// First byte of every key: which keyspace of the store it belongs to.
enum class KeySpace : uint8_t { kMeta = 0x01, kData = 0x02, kIndex = 0x03 };

// The length of KeySpace::kData plus a table's storage id: what a row position adds to the
// part an index entry keeps.
constexpr size_t kTablePrefixLength = 5;

// What follows the partition prefix. Their order is the order of a partition's entries.
enum class EntryTag : uint8_t {
  kPartitionDeletion = 0x00,  // value: tombstone cell
  kRangeTombstone = 0x01,     // + unique suffix; value: RangeTombstone
  kStatic = 0x02,             // + column id (+ element): static cells
  kRow = 0x03,                // + clustering + RowPart
  kPartitionEnd = 0x04,       // never stored: the key just past a partition's entries
};

// What follows a row's clustering.
enum class RowPart : uint8_t {
  kDeletion = 0x00,  // row tombstone
  kMarker = 0x01,    // primary key liveness (INSERT)
  kCell = 0x02,      // + column id (+ 0x00 collection tombstone | 0x01 element key)
  // The clustering values as first written, for tables whose clustering types have inexact
  // key encodings (comparable_is_exact): a decimal's scale is not in the key.
  kWrittenClustering = 0x03,
};

enum class ElementPart : uint8_t { kCollectionDeletion = 0x00, kElement = 0x01 };

// Tokens are signed; flipping the sign bit makes their big-endian bytes sort numerically.
void append_token(int64_t token, std::string* out);
int64_t read_token(std::string_view bytes);

void append_u32(uint32_t v, std::string* out);
void append_u16(uint16_t v, std::string* out);
uint16_t read_u16(std::string_view bytes);
// Values made of parts: each part is [u32 big-endian length][bytes].
void append_length_prefixed(std::string_view part, std::string* out);
// Takes one part off the front of "*in"; false (and "*in" unchanged) if it is truncated.
bool take_length_prefixed(std::string_view* in, std::string_view* part);

std::string meta_key(std::string_view name);
// KeySpace::kData | table id (u32).
std::string table_prefix(uint32_t table_id);
// table prefix | token | partition key (blob comparable encoding of the serialized key).
std::string partition_prefix(uint32_t table_id, int64_t token, std::string_view partition_key);
std::string partition_prefix(const TableDef& table, const PartitionKey& partition);
// The smallest key greater than every key starting with "prefix".
std::string prefix_successor(std::string_view prefix);
// The length of a data key's partition prefix (table, token and partition key).
size_t partition_prefix_length(std::string_view data_key);

// The prefix of a partition's clustering rows: partition prefix + kRow tag.
std::string rows_prefix(const TableDef& table, const PartitionKey& partition);
// A row's key given all its clustering values (or a prefix, for the rows below it).
std::string row_key(const TableDef& table, const PartitionKey& partition, const Clustering& clustering);
// The key of a column's cell: in the row "row" (row_key), or among the statics when "row" is
// empty and the column is static.
std::string column_key(const TableDef& table, const PartitionKey& partition, const std::string& row,
                       const ColumnDef& column);

// The store's prefix extractor takes this many bytes of a key: the keyspace byte, the table id
// and the token of a data key, so that a partition's keys share one prefix and each data file
// keeps a filter of the prefixes it holds. Iterators that cross prefixes read in total order.
constexpr size_t kFilteredPrefixLength = 1 + 4 + 8;

// Index entries (FORMAT.md): KeySpace::kIndex | index storage id (u32) | the indexed value |
// the row's position without its table prefix. One value's entries therefore come in the base
// table's order: token, partition, clustering.
std::string index_prefix(uint32_t index_id);
// The prefix of one value's entries; "value" is serialized (protocol encoding). As in
// Cassandra, a legacy index looks values up by their bytes (1.5 and 1.50 are two decimals to
// it) and an SAI by value: the value is the blob, or the column type's, byte-comparable form.
std::string index_value_prefix(const IndexDef& index, const ColumnDef& column, std::string_view value);
// A row's entry under "value_prefix", from the row's position (row_key).
std::string index_entry_key(std::string_view value_prefix, std::string_view row_position);

// A half-open range of storage keys, in key order.
struct KeyRange {
  std::string begin;
  std::string end;
};

// Where a reader finds its rows: ranges of keys in iteration order.
class KeyRanges {
 public:
  virtual ~KeyRanges() = default;
  // Moves to the next non-empty range; false at the end (and from then on).
  virtual bool next() = 0;
  virtual const KeyRange& current() const = 0;
  // Whether each range lies within one partition (named partitions, index entries), so that a
  // reader may seek it with the partition's prefix filter (store.cc); token ranges do not.
  virtual bool within_partitions() const = 0;
  // Not ok when producing ranges stopped on corrupt data or an I/O error.
  virtual Status status() const { return Status::ok(); }
};

// The key ranges a selection covers, one at a time in iteration order (forward, or last first
// when reversed), after "resume_after" (a row position) when it is not empty. Ranges are made as
// they are needed: IN restrictions on partition key and clustering multiply, and their product
// is read range by range, never held at once.
class KeyRangeCursor : public KeyRanges {
 public:
  KeyRangeCursor(const TableDef& table, ReadSelection selection, std::string resume_after, bool reversed);
  bool next() override;
  const KeyRange& current() const override { return current_; }
  bool within_partitions() const override { return !selection_.whole_ring; }

 private:
  bool make(size_t partition, size_t slice);
  bool resume(KeyRange* range) const;

  const TableDef& table_;
  ReadSelection selection_;
  std::string resume_after_;
  bool reversed_;
  size_t slices_per_partition_;
  size_t total_ = 0;
  size_t produced_ = 0;  // ranges considered so far
  KeyRange current_;
};

// Every range of a selection at once (small selections: materialized rows).
std::vector<KeyRange> key_ranges(const TableDef& table, const ReadSelection& selection,
                                 const std::string& resume_after = "", bool reversed = false);
// The keys [begin, end) of the rows a clustering slice selects in one partition.
KeyRange slice_range(const TableDef& table, const PartitionKey& partition, const ClusteringSlice& slice);

}  // namespace cqld
