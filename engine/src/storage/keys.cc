#include "storage/keys.h"

#include <algorithm>
#include <climits>

#include "types/comparable.h"
#include "types/cql_type.h"

namespace cqld {

void append_token(int64_t token, std::string* out) {
  uint64_t biased = static_cast<uint64_t>(token) ^ (uint64_t{1} << 63);
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(biased >> shift));
}

int64_t read_token(std::string_view bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return static_cast<int64_t>(v ^ (uint64_t{1} << 63));
}

void append_u32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

void append_u16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

uint16_t read_u16(std::string_view bytes) {
  return static_cast<uint16_t>((static_cast<uint8_t>(bytes[0]) << 8) | static_cast<uint8_t>(bytes[1]));
}

void append_length_prefixed(std::string_view part, std::string* out) {
  append_u32(static_cast<uint32_t>(part.size()), out);
  out->append(part);
}

bool take_length_prefixed(std::string_view* in, std::string_view* part) {
  if (in->size() < 4) return false;
  uint32_t n = 0;
  for (size_t i = 0; i < 4; ++i) n = (n << 8) | static_cast<uint8_t>((*in)[i]);
  if (in->size() - 4 < n) return false;
  *part = in->substr(4, n);
  in->remove_prefix(4 + n);
  return true;
}

std::string table_prefix(uint32_t table_id) {
  std::string key;
  key.push_back(static_cast<char>(KeySpace::kData));
  append_u32(table_id, &key);
  return key;
}

std::string partition_prefix(uint32_t table_id, int64_t token, std::string_view partition_key) {
  static const TypePtr kBlob = primitive_type(TypeKind::kBlob);
  std::string key = table_prefix(table_id);
  append_token(token, &key);
  append_comparable(*kBlob, partition_key, false, &key);
  return key;
}

std::string index_prefix(uint32_t index_id) {
  std::string key;
  key.push_back(static_cast<char>(KeySpace::kIndex));
  append_u32(index_id, &key);
  return key;
}

std::string index_value_prefix(const IndexDef& index, const ColumnDef& column, std::string_view value) {
  static const TypePtr kBlob = primitive_type(TypeKind::kBlob);
  std::string key = index_prefix(index.storage_id);
  append_comparable(index.custom ? *column.type : *kBlob, value, false, &key);
  return key;
}

std::string index_entry_key(std::string_view value_prefix, std::string_view row_position) {
  std::string key(value_prefix);
  key.append(row_position.substr(kTablePrefixLength));
  return key;
}

std::string prefix_successor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty() && static_cast<uint8_t>(out.back()) == 0xFF) out.pop_back();
  if (!out.empty()) out.back() = static_cast<char>(static_cast<uint8_t>(out.back()) + 1);
  return out;
}

size_t partition_prefix_length(std::string_view data_key) {
  static const TypePtr blob = primitive_type(TypeKind::kBlob);
  constexpr size_t kBeforeKey = 1 + 4 + 8;  // the 0x02 tag, the table id, the token
  std::string_view rest = data_key.substr(kBeforeKey);
  size_t before = rest.size();
  read_comparable(*blob, false, &rest);
  return kBeforeKey + (before - rest.size());
}

std::string meta_key(std::string_view name) {
  std::string key(1, static_cast<char>(KeySpace::kMeta));
  key.append(name);
  return key;
}

std::string partition_prefix(const TableDef& table, const PartitionKey& partition) {
  return partition_prefix(table.storage_id, partition.token, partition.key);
}

std::string rows_prefix(const TableDef& table, const PartitionKey& partition) {
  std::string key = partition_prefix(table, partition);
  key.push_back(static_cast<char>(EntryTag::kRow));
  return key;
}

std::string row_key(const TableDef& table, const PartitionKey& partition, const Clustering& clustering) {
  std::string key = rows_prefix(table, partition);
  for (size_t i = 0; i < clustering.size(); ++i) {
    const ColumnDef& c = table.columns[table.clustering[i]];
    append_comparable(*c.type, clustering[i], c.descending, &key);
  }
  return key;
}

std::string column_key(const TableDef& table, const PartitionKey& partition, const std::string& row,
                       const ColumnDef& column) {
  std::string key;
  if (column.kind == ColumnKind::kStatic) {
    key = partition_prefix(table, partition);
    key.push_back(static_cast<char>(EntryTag::kStatic));
  } else {
    key = row;
    key.push_back(static_cast<char>(RowPart::kCell));
  }
  append_u16(column.id, &key);
  return key;
}

KeyRange slice_range(const TableDef& table, const PartitionKey& partition, const ClusteringSlice& slice) {
  std::string prefix_key = row_key(table, partition, slice.prefix);
  KeyRange range{prefix_key, prefix_successor(prefix_key)};
  size_t k = slice.prefix.size();
  if (k >= table.clustering.size()) return range;
  const ColumnDef& c = table.columns[table.clustering[k]];
  // In key space a DESC column's lower value bound is an upper key bound.
  auto apply = [&](const std::optional<ClusteringBound>& bound, bool is_lower_value) {
    if (!bound) return;
    std::string key = prefix_key;
    append_comparable(*c.type, bound->value, c.descending, &key);
    bool key_lower = is_lower_value != c.descending;
    if (key_lower) range.begin = std::max(range.begin, bound->inclusive ? key : prefix_successor(key));
    else range.end = std::min(range.end, bound->inclusive ? prefix_successor(key) : key);
  };
  apply(slice.lower, true);
  apply(slice.upper, false);
  return range;
}

namespace {

std::vector<KeyRange> token_key_ranges(const TableDef& table, const ReadSelection& selection) {
  std::string base = table_prefix(table.storage_id);
  KeyRange range{base, prefix_successor(base)};
  if (selection.token_lower) {
    int64_t t = selection.token_lower->token;
    if (!selection.token_lower->inclusive) {
      if (t == INT64_MAX) return {};
      ++t;
    }
    range.begin = base;
    append_token(t, &range.begin);
  }
  if (selection.token_upper) {
    int64_t t = selection.token_upper->token;
    std::string key = base;
    if (selection.token_upper->inclusive) {
      if (t == INT64_MAX) key = prefix_successor(base);
      else append_token(t + 1, &key);
    } else {
      append_token(t, &key);
    }
    range.end = key;
  }
  if (range.begin < range.end) return {range};
  return {};
}

}  // namespace

KeyRangeCursor::KeyRangeCursor(const TableDef& table, ReadSelection selection, std::string resume_after,
                               bool reversed)
    : table_(table), selection_(std::move(selection)), resume_after_(std::move(resume_after)), reversed_(reversed) {
  slices_per_partition_ = std::max<size_t>(1, selection_.slices.size());
  total_ = selection_.whole_ring ? 1 : selection_.keys.size() * slices_per_partition_;
}

bool KeyRangeCursor::next() {
  while (produced_ < total_) {
    size_t n = produced_++;
    size_t i = reversed_ ? total_ - 1 - n : n;
    if (make(i / slices_per_partition_, i % slices_per_partition_)) return true;
  }
  return false;
}

bool KeyRangeCursor::make(size_t partition, size_t slice) {
  if (selection_.whole_ring) {
    std::vector<KeyRange> ranges = token_key_ranges(table_, selection_);
    if (ranges.empty()) return false;
    current_ = std::move(ranges[0]);
  } else if (selection_.slices.empty()) {
    std::string prefix = partition_prefix(table_, selection_.keys[partition]);
    current_ = KeyRange{prefix, prefix_successor(prefix)};
  } else {
    current_ = slice_range(table_, selection_.keys[partition], selection_.slices[slice]);
  }
  return resume(&current_) && current_.begin < current_.end;
}

// Narrows a range to what follows the resume position in iteration order; false if nothing does.
bool KeyRangeCursor::resume(KeyRange* r) const {
  if (resume_after_.empty()) return true;
  if (!reversed_) {
    std::string after = prefix_successor(resume_after_);
    if (r->end <= after) return false;
    r->begin = std::max(r->begin, after);
  } else {
    if (r->begin >= resume_after_) return false;
    r->end = std::min(r->end, resume_after_);
  }
  return true;
}

std::vector<KeyRange> key_ranges(const TableDef& table, const ReadSelection& selection, const std::string& resume_after,
                                 bool reversed) {
  KeyRangeCursor cursor(table, selection, resume_after, reversed);
  std::vector<KeyRange> ranges;
  while (cursor.next()) ranges.push_back(cursor.current());
  if (reversed) std::reverse(ranges.begin(), ranges.end());
  return ranges;
}

}  // namespace cqld
