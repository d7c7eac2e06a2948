// Reads CQL rows out of the store: decodes keys back to partition key and clustering values,
// applies partition/range/row tombstones, TTL expiry and row-marker liveness, and assembles
// non-frozen collections from their element cells.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "schema/schema.h"
#include "storage/store.h"
#include "types/value.h"

namespace rocksdb {
class Iterator;
}

namespace cqld {

// Non-frozen collections are stored one cell per element; everything else (including
// non-frozen user types, whose fields are written whole) is a single cell.
inline bool stored_per_element(const CqlType& type) { return type.is_collection() && !type.frozen; }

struct ReadRow {
  int64_t token = 0;
  std::string partition_key;  // serialized
  bool static_only = false;   // the partition's static row (no live clustering row)
  std::vector<Value> values;  // one per table column, TableDef order
  std::vector<int64_t> writetimes;  // per column; INT64_MIN when none
  std::vector<int32_t> ttls;        // per column; 0 when none
  std::string position;       // storage key of the row (paging resumes after it)
};

// A half-open range of storage keys to read, in key order.
struct KeyRange {
  std::string begin;
  std::string end;
};

class RowReader {
 public:
  // Reads rows of "table" within "ranges" (ascending, non-overlapping), forward or reversed.
  // Static-only rows are produced for partitions without live rows when "include_static_only".
  RowReader(Store* store, const TableDef& table, std::vector<KeyRange> ranges, bool reversed,
            bool include_static_only, int64_t now_seconds);
  ~RowReader();

  // The next live row, or false at the end.
  bool next(ReadRow* row);

 private:
  struct Partition;
  struct RawEntry {
    std::string key;
    std::string value;
  };
  bool load_next_row(std::vector<RawEntry>* entries);
  bool advance_range();
  void enter_partition(std::string_view prefix);
  bool build_row(const std::vector<RawEntry>& entries, ReadRow* row);
  bool build_static_row(ReadRow* row);
  void finish_partition_row(ReadRow* row);
  size_t partition_prefix_length(std::string_view key) const;

  Store* store_;
  const TableDef& table_;
  std::vector<KeyRange> ranges_;
  bool reversed_;
  bool include_static_only_;
  int64_t now_;
  std::vector<int> column_by_id_;
  size_t range_index_ = 0;
  bool range_started_ = false;
  bool exhausted_ = false;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::unique_ptr<Partition> partition_;
  bool pending_static_ = false;
  ReadRow pending_static_row_;
};

// The storage key prefix of a partition's clustering rows: partition prefix + kRow tag.
std::string rows_prefix(const TableDef& table, int64_t token, std::string_view partition_key);
// The storage key of one row given all its clustering values.
std::string row_key(const TableDef& table, int64_t token, std::string_view partition_key,
                    const std::vector<std::string>& clustering);

}  // namespace cqld
