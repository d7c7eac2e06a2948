// Internal to storage/: reading and building secondary-index entries (FORMAT.md, "Index
// entries"). A read through an index walks one value's entries and reads each row they point
// at; the rows are the caller's to recheck, since an entry outlives the value it was written for.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "storage/keys.h"

namespace rocksdb {
class DB;
class Iterator;
}  // namespace rocksdb

namespace cqld {

// The row of each live entry of one value, as a key range, in entry order: token, partition,
// clustering, from "lower" (or after "resume_after", a row position) up to "upper".
class IndexEntryRanges : public KeyRanges {
 public:
  IndexEntryRanges(rocksdb::DB* db, uint32_t table_id, std::string value_prefix, std::optional<TokenBound> lower,
                   std::optional<TokenBound> upper, const std::string& resume_after, int64_t now_seconds);
  ~IndexEntryRanges() override;

  bool next() override;
  const KeyRange& current() const override { return current_; }
  Status status() const override { return status_; }

 private:
  bool past_upper(std::string_view row_tail) const;

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string table_prefix_;
  std::string value_prefix_;
  std::string start_;
  std::optional<TokenBound> upper_;
  int64_t now_;
  bool started_ = false;
  bool done_ = false;
  KeyRange current_;
  Status status_;
};

}  // namespace cqld
