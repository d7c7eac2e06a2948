// Internal to storage/: the RowReader over RocksDB that Store::read_rows returns. One iterator
// reads every range and every partition header, re-seeking: an iterator sees the database as it
// was when it was made, so a read never sees half of a concurrent write, with no snapshot to
// take and release.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/keys.h"
#include "storage/row_reader.h"

namespace rocksdb {
class DB;
class Iterator;
}  // namespace rocksdb

namespace cqld {

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
  std::unique_ptr<Partition> partition_;
  Status status_;
};

}  // namespace cqld
