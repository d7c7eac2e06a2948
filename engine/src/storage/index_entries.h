// Internal to storage/: reading and building secondary-index entries (FORMAT.md, "Index
// entries"). A read through an index walks one value's entries and reads each row they point
// at; the rows are the caller's to recheck, since an entry outlives the value it was written for.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "storage/keys.h"
#include "storage/mutation.h"
#include "storage/row_reader.h"

namespace rocksdb {
class DB;
class Iterator;
}  // namespace rocksdb

namespace cqld {

// The row of each live entry of one value, as a key range, in entry order: token, partition,
// clustering, from "lower" (or after "resume_after", a row position) up to "upper".
class IndexEntryRanges : public KeyRanges {
 public:
  // "rows_are_partitions": the table has no clustering columns, so a range can begin at the
  // partition and the reader reads its header on the way to the row, with no seek of its own.
  IndexEntryRanges(rocksdb::DB* db, uint32_t table_id, bool rows_are_partitions, std::string value_prefix,
                   std::optional<TokenBound> lower, std::optional<TokenBound> upper, const std::string& resume_after,
                   int64_t now_seconds);
  ~IndexEntryRanges() override;

  bool next() override;
  const KeyRange& current() const override { return current_; }
  bool within_partitions() const override { return true; }
  Status status() const override { return status_; }
  // The write time of the entry current() came from.
  int64_t current_timestamp() const { return current_timestamp_; }

 private:
  bool past_upper(std::string_view row_tail) const;

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string table_prefix_;
  std::string value_prefix_;
  std::string start_;
  std::optional<TokenBound> upper_;
  bool rows_are_partitions_;
  int64_t now_;
  bool started_ = false;
  bool done_ = false;
  KeyRange current_;
  int64_t current_timestamp_ = 0;
  Status status_;
};

// The rows a value's entries name that hold the value now. An entry whose row holds another
// value written after it is stale for good (a later write of the value writes a newer entry),
// so it is deleted, at its own timestamp, through "write" (best effort: a stale entry costs a
// row read, never a wrong answer). Entries of deleted rows stay (the row is not there to date
// them).
class IndexedRowReader : public RowReader {
 public:
  using Writer = std::function<void(const Mutation&)>;
  IndexedRowReader(rocksdb::DB* db, const TableDef& table, const IndexDef& index, std::string_view value,
                   std::optional<TokenBound> lower, std::optional<TokenBound> upper, const std::string& resume_after,
                   int64_t now_seconds, Writer write);
  ~IndexedRowReader() override;

  bool next(ReadRow* row) override;
  Status status() const override;

 private:
  bool holds_value(std::string_view bytes) const;
  void delete_stale_entries();

  const IndexDef& index_;
  const ColumnDef& column_;
  std::string value_;
  std::string value_prefix_;
  IndexEntryRanges* entries_;  // owned by rows_
  std::unique_ptr<RowReader> rows_;
  int column_index_;
  Mutation stale_;
  Writer write_;
};

}  // namespace cqld
