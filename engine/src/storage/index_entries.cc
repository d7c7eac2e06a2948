#include "storage/index_entries.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>

#include <algorithm>

#include "storage/cell.h"
#include "storage/stored_row_reader.h"
#include "types/value.h"

namespace cqld {
namespace {

constexpr size_t kTokenLength = 8;

std::string_view as_view(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

std::string token_key(std::string_view prefix, int64_t token) {
  std::string key(prefix);
  append_token(token, &key);
  return key;
}

}  // namespace

IndexEntryRanges::IndexEntryRanges(rocksdb::DB* db, uint32_t table_id, bool rows_are_partitions,
                                   std::string value_prefix, std::optional<TokenBound> lower,
                                   std::optional<TokenBound> upper, const std::string& resume_after,
                                   int64_t now_seconds)
    : it_(db->NewIterator(total_order_read())), table_prefix_(table_prefix(table_id)),
      value_prefix_(std::move(value_prefix)), upper_(upper), rows_are_partitions_(rows_are_partitions),
      now_(now_seconds) {
  start_ = value_prefix_;
  if (lower) {
    std::string at = token_key(value_prefix_, lower->token);
    start_ = std::max(start_, lower->inclusive ? at : prefix_successor(at));
  }
  if (!resume_after.empty()) start_ = std::max(start_, prefix_successor(index_entry_key(value_prefix_, resume_after)));
}

IndexEntryRanges::~IndexEntryRanges() = default;

bool IndexEntryRanges::past_upper(std::string_view row_tail) const {
  if (!upper_) return false;
  int64_t token = read_token(row_tail.substr(0, kTokenLength));
  return token > upper_->token || (token == upper_->token && !upper_->inclusive);
}

bool IndexEntryRanges::next() {
  if (done_) return false;
  if (!started_) {
    it_->Seek(start_);
    started_ = true;
  } else {
    it_->Next();
  }
  for (; it_->Valid(); it_->Next()) {
    std::string_view key = as_view(it_->key());
    if (!key.starts_with(value_prefix_)) break;
    std::string_view row_tail = key.substr(value_prefix_.size());
    if (row_tail.size() < kTokenLength) {
      status_ = Status::corruption("index entry without a row position");
      break;
    }
    if (past_upper(row_tail)) break;
    auto entry = decode_cell(as_view(it_->value()));
    if (!entry) {
      status_ = Status::corruption("corrupt index entry cell");
      break;
    }
    if (!entry->is_live(now_)) continue;
    current_timestamp_ = entry->timestamp;
    current_.begin = table_prefix_;
    current_.begin.append(row_tail);
    current_.end = prefix_successor(current_.begin);
    if (rows_are_partitions_) current_.begin.pop_back();  // the row tag: what is left is the partition
    return true;
  }
  if (status_.is_ok() && !it_->status().ok()) status_ = Status::io_error(it_->status().ToString());
  done_ = true;
  return false;
}

IndexedRowReader::IndexedRowReader(rocksdb::DB* db, const TableDef& table, const IndexDef& index,
                                   std::string_view value, std::optional<TokenBound> lower,
                                   std::optional<TokenBound> upper, const std::string& resume_after,
                                   int64_t now_seconds, Writer write)
    : index_(index), column_(*table.find_column(index.column)), value_(value),
      value_prefix_(index_value_prefix(index, column_, value)),
      column_index_(table.column_index(index.column)), write_(std::move(write)) {
  auto entries = std::make_unique<IndexEntryRanges>(db, table.storage_id, table.clustering.empty(), value_prefix_,
                                                    lower, upper, resume_after, now_seconds);
  entries_ = entries.get();
  // A row found through a regular column's entry has that column: a partition's static row alone
  // never matches.
  rows_ = std::make_unique<StoredRowReader>(db, table, std::move(entries), ReadOrder{}, now_seconds);
}

IndexedRowReader::~IndexedRowReader() { delete_stale_entries(); }

Status IndexedRowReader::status() const { return rows_->status(); }

bool IndexedRowReader::next(ReadRow* row) {
  while (rows_->next(row)) {
    const Value& value = row->values[static_cast<size_t>(column_index_)];
    if (value.is_set() && holds_value(value.bytes)) return true;
    // The reader reads one entry's row at a time: the current entry is this row's.
    if (value.is_set() && row->writetimes[static_cast<size_t>(column_index_)] > entries_->current_timestamp() &&
        entries_->current().end == prefix_successor(row->position)) {
      Cell tombstone;
      tombstone.timestamp = entries_->current_timestamp();
      tombstone.tombstone = true;
      stale_.write_index_entry(index_, column_, row->position, value_, tombstone);
    }
  }
  delete_stale_entries();
  return false;
}

// As the entries are keyed: a legacy index by the value's bytes, an SAI by the value as its type
// orders it (decimal 1.5 and 1.50 are one SAI value, two legacy ones).
bool IndexedRowReader::holds_value(std::string_view bytes) const {
  return index_.custom ? compare_values(*column_.type, bytes, value_) == 0 : bytes == value_;
}

void IndexedRowReader::delete_stale_entries() {
  if (stale_.empty() || !write_) return;
  write_(stale_);
  stale_ = Mutation();
}

}  // namespace cqld
