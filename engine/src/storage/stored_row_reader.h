// Internal to storage/: the RowReader over RocksDB that Store::read_rows returns. An iterator
// sees the database as it was when it was made, so a read never sees half of a concurrent write
// to a partition, with no snapshot to take and release. A token-range read uses one iterator for
// every range; a read of named partitions one per partition, bounded by the partition's end, so
// that RocksDB's prefix filters skip the files that do not hold it (store.cc).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/keys.h"
#include "storage/row_reader.h"

namespace rocksdb {
class DB;
class Iterator;
class Slice;
struct ReadOptions;
}  // namespace rocksdb

namespace cqld {

// Options for an iterator that may cross prefixes of the store's prefix extractor (kFiltered-
// PrefixLength): without total order, RocksDB would stop at the first prefix's end.
rocksdb::ReadOptions total_order_read();

class StoredRowReader : public RowReader {
 public:
  // Reads rows of "table" within the cursor's ranges, in order (reversed: backwards within each
  // range too). "db" and "table" must outlive the reader.
  StoredRowReader(rocksdb::DB* db, const TableDef& table, std::unique_ptr<KeyRanges> ranges, ReadOrder order,
                  int64_t now_seconds);
  ~StoredRowReader() override;

  bool next(ReadRow* row) override;
  Status status() const override { return status_.is_ok() ? ranges_->status() : status_; }

 private:
  struct Partition;
  struct RawEntry {
    std::string key;
    std::string value;
  };
  bool next_row(ReadRow* row);
  bool load_next_row(std::vector<RawEntry>* entries);
  bool advance_range();
  void use_iterator_for(std::string_view range_begin);
  void enter_partition(std::string_view prefix);
  void read_header_entry();
  bool build_row(const std::vector<RawEntry>& entries, ReadRow* row);
  bool build_static_row(ReadRow* row);
  void finish_partition_row(ReadRow* row);

  rocksdb::DB* db_;
  const TableDef& table_;
  std::unique_ptr<KeyRanges> ranges_;
  bool reversed_;
  bool include_static_only_;
  int64_t now_;
  std::vector<int> column_by_id_;
  bool range_started_ = false;
  bool exhausted_ = false;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string iterator_partition_;  // the partition prefix it_ is bounded to, if any
  std::string upper_bound_;          // its bound (ReadOptions keeps a pointer to the slice)
  std::unique_ptr<rocksdb::Slice> upper_bound_slice_;
  std::unique_ptr<Partition> partition_;
  Status status_;
};

}  // namespace cqld
