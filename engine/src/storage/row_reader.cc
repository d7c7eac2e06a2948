#include "storage/row_reader.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

#include "storage/cell.h"
#include "storage/keys.h"
#include "storage/stored_row_reader.h"
#include "types/comparable.h"
#include "types/token.h"

namespace cqld {
namespace {

constexpr int64_t kNoDeletion = INT64_MIN;
constexpr size_t kTokenLength = 8;

const CqlType& blob_type() {
  static const TypePtr t = primitive_type(TypeKind::kBlob);
  return *t;
}

std::string_view as_view(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

struct RangeTombstone {
  std::string begin;
  std::string end;
  int64_t timestamp;
};

// Range tombstone values: [u32 len][begin][u32 len][end], inside the cell's value.
bool decode_range(std::string_view v, std::string* begin, std::string* end) {
  std::string_view b, e;
  if (!take_length_prefixed(&v, &b) || !take_length_prefixed(&v, &e)) return false;
  begin->assign(b);
  end->assign(e);
  return true;
}

struct CellSlot {
  std::optional<Cell> cell;
  int64_t collection_deletion = kNoDeletion;
  std::vector<std::pair<std::string, Cell>> elements;  // element key (serialized), cell
};


}  // namespace

// Skips the clustering components at the front of "*rest"; a key that does not decode is
// reported with its bytes, since it means the store holds something this table cannot read.
static void skip_clustering(const TableDef& table, std::string_view key, std::string_view* rest,
                            std::vector<Value>* values) {
  try {
    for (size_t i = 0; i < table.clustering.size(); ++i) {
      const ColumnDef& c = table.columns[table.clustering[i]];
      std::string v = read_comparable(*c.type, c.descending, rest);
      if (values != nullptr) (*values)[table.clustering[i]] = Value::of(std::move(v));
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + " in key " + to_hex(key) + " of table " + table.keyspace + "." + table.name);
  }
}

// Replaces the clustering values decoded from the key by the ones written (see
// RowPart::kWrittenClustering): [u32 length][bytes] per clustering column.
static void restore_written_clustering(const TableDef& table, std::string_view key, std::string_view stored,
                                       std::vector<Value>* values) {
  std::vector<std::string> written;
  std::string_view part;
  while (written.size() < table.clustering.size() && take_length_prefixed(&stored, &part)) written.emplace_back(part);
  if (written.size() != table.clustering.size() || !stored.empty())
    throw std::runtime_error("corrupt clustering values in key " + to_hex(key) + " of table " + table.keyspace + "." + table.name);
  for (size_t i = 0; i < written.size(); ++i) (*values)[table.clustering[i]] = Value::of(std::move(written[i]));
}

struct StoredRowReader::Partition {
  std::string prefix;
  int64_t token = 0;
  std::string key;
  int64_t deletion = kNoDeletion;
  std::vector<RangeTombstone> ranges;
  std::vector<CellSlot> statics;
  bool emitted_row = false;
};

rocksdb::ReadOptions total_order_read() {
  rocksdb::ReadOptions options;
  options.total_order_seek = true;
  return options;
}

StoredRowReader::StoredRowReader(rocksdb::DB* db, const TableDef& table, std::unique_ptr<KeyRanges> ranges, ReadOrder order,
                                 int64_t now_seconds)
    : db_(db), table_(table), ranges_(std::move(ranges)), reversed_(order.reversed),
      include_static_only_(order.include_static_only), now_(now_seconds) {
  column_by_id_.assign(table.next_column_id + 1, -1);
  for (size_t i = 0; i < table.columns.size(); ++i) column_by_id_[table.columns[i].id] = static_cast<int>(i);
  if (!ranges_->within_partitions()) it_.reset(db_->NewIterator(total_order_read()));
}

// Bounds the iterator to the partition a range begins in, making a new one when the range is in
// another partition than the last. With the bound inside one prefix of the store's prefix
// extractor, auto_prefix_mode lets RocksDB consult each file's prefix filter before it reads
// any block of it: a point read touches the files that hold its partition, not every level.
void StoredRowReader::use_iterator_for(std::string_view range_begin) {
  std::string_view partition = range_begin.substr(0, partition_prefix_length(range_begin));
  if (it_ && partition == iterator_partition_) return;
  it_.reset();
  iterator_partition_.assign(partition);
  upper_bound_ = prefix_successor(partition);
  upper_bound_slice_ = std::make_unique<rocksdb::Slice>(upper_bound_);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = upper_bound_slice_.get();
  options.auto_prefix_mode = true;
  it_.reset(db_->NewIterator(options));
}

StoredRowReader::~StoredRowReader() = default;

void StoredRowReader::enter_partition(std::string_view prefix) {
  partition_ = std::make_unique<Partition>();
  Partition& p = *partition_;
  p.prefix.assign(prefix);
  p.token = read_token(prefix.substr(kTablePrefixLength));
  std::string_view rest = prefix.substr(kTablePrefixLength + kTokenLength);
  p.key = read_comparable(blob_type(), false, &rest);
  p.statics.resize(table_.columns.size());
  std::string end = p.prefix;
  end.push_back(static_cast<char>(EntryTag::kRow));
  // The header (partition deletion, range tombstones, statics) comes before the rows. When a
  // forward range began at or before this partition, the iterator stands on the partition's
  // first entry: the header is read from there and the rows follow, with no seek. A point
  // read or a scan saves two seeks a partition, each of which probes every level of the LSM.
  if (!reversed_ && std::string_view(ranges_->current().begin) <= prefix) {
    for (; it_->Valid() && as_view(it_->key()) < std::string_view(end); it_->Next()) read_header_entry();
    return;
  }
  // Otherwise (a range starting inside the partition, or a reversed read) read the header with
  // the same iterator, then go back to the key the row scan had reached.
  std::string resume(as_view(it_->key()));
  for (it_->Seek(p.prefix); it_->Valid() && as_view(it_->key()) < std::string_view(end); it_->Next()) read_header_entry();
  if (reversed_) it_->SeekForPrev(resume);
  else it_->Seek(resume);
}

// Folds the header entry under the iterator into the current partition.
void StoredRowReader::read_header_entry() {
  Partition& p = *partition_;
  std::string_view key = as_view(it_->key());
  auto cell = decode_cell(as_view(it_->value()));
  if (!cell) throw std::runtime_error("corrupt cell in key " + to_hex(key) + " of table " + table_.keyspace + "." + table_.name);
  auto tag = static_cast<EntryTag>(key[p.prefix.size()]);
  if (tag == EntryTag::kPartitionDeletion) {
    p.deletion = std::max(p.deletion, cell->timestamp);
  } else if (tag == EntryTag::kRangeTombstone) {
    RangeTombstone rt{{}, {}, cell->timestamp};
    if (decode_range(cell->value, &rt.begin, &rt.end)) p.ranges.push_back(std::move(rt));
  } else if (tag == EntryTag::kStatic) {
    std::string_view rest_key = key.substr(p.prefix.size() + 1);
    if (rest_key.size() < 2) return;
    uint16_t id = read_u16(rest_key);
    int ci = id < column_by_id_.size() ? column_by_id_[id] : -1;
    if (ci < 0) return;
    CellSlot& slot = p.statics[static_cast<size_t>(ci)];
    rest_key.remove_prefix(2);
    if (rest_key.empty()) {
      slot.cell = *cell;
    } else if (static_cast<ElementPart>(rest_key[0]) == ElementPart::kCollectionDeletion) {
      slot.collection_deletion = std::max(slot.collection_deletion, cell->timestamp);
    } else {
      slot.elements.emplace_back(std::string(rest_key.substr(1)), *cell);
    }
  }
}

namespace {

// Assembles the value of a column from its slot, or leaves it null. Returns true if live.
// A non-frozen UDT: each field's newest cell (a whole-value cell written before fields had
// cells of their own counts for every field at its timestamp). Null when no field is live.
bool resolve_fields(const CqlType& type, const CellSlot& slot, int64_t deletion, int64_t now, Value* value,
                    int64_t* writetime, int32_t* ttl, std::vector<CellTime>* times) {
  int64_t shadow = std::max(deletion, slot.collection_deletion);
  std::vector<std::optional<Cell>> fields(type.params.size());
  if (slot.cell && slot.cell->timestamp > shadow && slot.cell->is_live(now)) {
    std::vector<Value> whole = parse_tuple(slot.cell->value);
    for (size_t i = 0; i < whole.size() && i < fields.size(); ++i) {
      if (whole[i].is_null()) continue;
      Cell c = *slot.cell;
      c.value = whole[i].bytes;
      fields[i] = std::move(c);
    }
  }
  for (const auto& [encoded, cell] : slot.elements) {
    if (encoded.size() != 2 || cell.timestamp <= shadow) continue;
    size_t i = (static_cast<uint8_t>(encoded[0]) << 8) | static_cast<uint8_t>(encoded[1]);
    if (i >= fields.size() || (fields[i] && fields[i]->timestamp > cell.timestamp)) continue;
    fields[i] = cell;
  }
  std::vector<Value> out(fields.size(), Value::null());
  std::vector<CellTime> field_times(fields.size());
  bool any = false;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!fields[i] || !fields[i]->is_live(now)) continue;
    out[i] = Value::of(fields[i]->value);
    any = true;
    *writetime = std::max(*writetime, fields[i]->timestamp);
    field_times[i].writetime = fields[i]->timestamp;
    if (fields[i]->ttl > 0) {
      *ttl = static_cast<int32_t>(fields[i]->expires_at - now);
      field_times[i].ttl = *ttl;
    }
  }
  if (!any) return false;
  *times = std::move(field_times);
  *value = Value::of(serialize_tuple(out));
  return true;
}

bool resolve_slot(const CqlType& type, const CellSlot& slot, int64_t deletion, int64_t now,
                  Value* value, int64_t* writetime, int32_t* ttl, std::vector<CellTime>* times) {
  if (stored_per_field(type)) return resolve_fields(type, slot, deletion, now, value, writetime, ttl, times);
  if (!stored_per_element(type)) {
    if (!slot.cell || slot.cell->timestamp <= deletion || !slot.cell->is_live(now)) return false;
    *value = Value::of(slot.cell->value);
    *writetime = slot.cell->timestamp;
    *ttl = slot.cell->ttl > 0 ? static_cast<int32_t>(slot.cell->expires_at - now) : 0;
    return true;
  }
  int64_t shadow = std::max(deletion, slot.collection_deletion);
  const CqlType& key_type = type.kind == TypeKind::kList ? blob_type() : *type.params[0];
  std::vector<std::string> elements;
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& [encoded, cell] : slot.elements) {
    if (cell.timestamp <= shadow || !cell.is_live(now)) continue;
    std::string_view rest = encoded;
    std::string key = read_comparable(key_type, false, &rest);
    if (type.kind == TypeKind::kMap) entries.emplace_back(std::move(key), cell.value);
    else if (type.kind == TypeKind::kSet) elements.push_back(std::move(key));
    else elements.push_back(cell.value);
    *writetime = std::max(*writetime, cell.timestamp);
    times->push_back(CellTime{cell.timestamp, cell.ttl > 0 ? static_cast<int32_t>(cell.expires_at - now) : 0});
  }
  if (elements.empty() && entries.empty()) return false;
  *value = Value::of(type.kind == TypeKind::kMap ? serialize_map(entries) : serialize_collection(elements));
  return true;
}

}  // namespace

bool StoredRowReader::build_row(const std::vector<RawEntry>& entries, ReadRow* row) {
  const Partition& p = *partition_;
  std::string_view first = entries.front().key;
  std::string_view rest = std::string_view(first).substr(p.prefix.size() + 1);
  size_t cols = table_.columns.size();
  row->values.assign(cols, Value::null());
  row->writetimes.assign(cols, INT64_MIN);
  row->ttls.assign(cols, 0);
  row->cell_times.assign(cols, {});
  skip_clustering(table_, first, &rest, &row->values);
  size_t row_prefix_len = first.size() - rest.size();
  row->position.assign(first.substr(0, row_prefix_len));
  int64_t deletion = p.deletion;
  for (const auto& rt : p.ranges)
    if (row->position >= rt.begin && row->position < rt.end) deletion = std::max(deletion, rt.timestamp);
  std::optional<Cell> marker;
  std::vector<CellSlot> slots(cols);
  for (const auto& e : entries) {
    auto cell = decode_cell(e.value);
    if (!cell) throw std::runtime_error("corrupt cell in key " + to_hex(e.key) + " of table " + table_.keyspace + "." + table_.name);
    std::string_view part = std::string_view(e.key).substr(row_prefix_len);
    auto kind = static_cast<RowPart>(part[0]);
    if (kind == RowPart::kDeletion) {
      deletion = std::max(deletion, cell->timestamp);
    } else if (kind == RowPart::kMarker) {
      marker = *cell;
    } else if (kind == RowPart::kWrittenClustering) {
      restore_written_clustering(table_, e.key, cell->value, &row->values);
    } else if (part.size() >= 3) {
      uint16_t id = read_u16(part.substr(1));
      int ci = id < column_by_id_.size() ? column_by_id_[id] : -1;
      if (ci < 0) continue;
      CellSlot& slot = slots[static_cast<size_t>(ci)];
      std::string_view element = part.substr(3);
      if (element.empty()) slot.cell = *cell;
      else if (static_cast<ElementPart>(element[0]) == ElementPart::kCollectionDeletion)
        slot.collection_deletion = std::max(slot.collection_deletion, cell->timestamp);
      else slot.elements.emplace_back(std::string(element.substr(1)), *cell);
    }
  }
  bool live = marker && marker->timestamp > deletion && marker->is_live(now_);
  for (size_t i = 0; i < cols; ++i) {
    const ColumnDef& c = table_.columns[i];
    if (c.kind != ColumnKind::kRegular) continue;
    if (resolve_slot(*c.type, slots[i], deletion, now_, &row->values[i], &row->writetimes[i], &row->ttls[i],
                     &row->cell_times[i]))
      live = true;
  }
  if (!live) return false;
  finish_partition_row(row);
  for (size_t i = 0; i < cols; ++i) {
    const ColumnDef& c = table_.columns[i];
    if (c.kind == ColumnKind::kStatic)
      resolve_slot(*c.type, p.statics[i], p.deletion, now_, &row->values[i], &row->writetimes[i], &row->ttls[i],
                     &row->cell_times[i]);
  }
  row->static_only = false;
  return true;
}

void StoredRowReader::finish_partition_row(ReadRow* row) {
  const Partition& p = *partition_;
  row->token = p.token;
  row->partition_key = p.key;
  if (table_.partition_key.size() == 1) {
    row->values[table_.partition_key[0]] = Value::of(p.key);
  } else {
    auto parts = split_partition_key(p.key, table_.partition_key.size());
    for (size_t i = 0; i < parts.size(); ++i) row->values[table_.partition_key[i]] = Value::of(parts[i]);
  }
}

bool StoredRowReader::build_static_row(ReadRow* row) {
  const Partition& p = *partition_;
  size_t cols = table_.columns.size();
  row->values.assign(cols, Value::null());
  row->writetimes.assign(cols, INT64_MIN);
  row->ttls.assign(cols, 0);
  row->cell_times.assign(cols, {});
  bool live = false;
  for (size_t i = 0; i < cols; ++i) {
    if (table_.columns[i].kind != ColumnKind::kStatic) continue;
    if (resolve_slot(*table_.columns[i].type, p.statics[i], p.deletion, now_, &row->values[i], &row->writetimes[i], &row->ttls[i],
                     &row->cell_times[i]))
      live = true;
  }
  if (!live) return false;
  finish_partition_row(row);
  row->static_only = true;
  row->position = p.prefix;
  row->position.push_back(static_cast<char>(EntryTag::kStatic));
  return true;
}

bool StoredRowReader::advance_range() {
  if (exhausted_) return false;
  // Once every range is read the reader stays exhausted.
  if (!ranges_->next()) {
    exhausted_ = true;
    return false;
  }
  const KeyRange& r = ranges_->current();
  if (ranges_->within_partitions()) {
    // An error ends the read: it must not vanish with the iterator that met it.
    if (it_ && !it_->status().ok()) {
      exhausted_ = true;
      return false;
    }
    use_iterator_for(r.begin);
  }
  if (reversed_) {
    it_->SeekForPrev(r.end);
    if (it_->Valid() && as_view(it_->key()) >= std::string_view(r.end)) it_->Prev();
  } else {
    it_->Seek(r.begin);
  }
  range_started_ = true;
  return true;
}

// Gathers the entries of the next row in iteration order; header entries are skipped (they
// were read when the partition was entered). Returns false at the end of all ranges.
bool StoredRowReader::load_next_row(std::vector<RawEntry>* entries) {
  entries->clear();
  if (exhausted_ || (!range_started_ && !advance_range())) return false;
  size_t row_prefix_length = 0;  // of entries->front().key, once a row has started
  while (true) {
    const KeyRange& r = ranges_->current();
    bool in_range = it_->Valid() && (reversed_ ? as_view(it_->key()) >= std::string_view(r.begin)
                                               : as_view(it_->key()) < std::string_view(r.end));
    if (!in_range) {
      if (!entries->empty()) return true;
      if (!advance_range()) return false;
      continue;
    }
    std::string_view key = as_view(it_->key());
    size_t plen = partition_prefix_length(key);
    bool same_partition = partition_ && std::string_view(partition_->prefix) == key.substr(0, plen);
    if (!entries->empty()) {
      // Stop at the first key that does not belong to the row being gathered.
      std::string_view row_prefix = std::string_view(entries->front().key).substr(0, row_prefix_length);
      if (!same_partition || key.substr(0, row_prefix_length) != row_prefix) return true;
    } else if (!same_partition) {
      return true;  // the caller closes the previous partition, then enters this one
    }
    if (static_cast<EntryTag>(key[plen]) == EntryTag::kRow) {
      entries->push_back(RawEntry{std::string(key), std::string(as_view(it_->value()))});
      if (entries->size() == 1) {
        // The row's key prefix (partition, tag, clustering), decoded once per row.
        std::string_view first = entries->front().key;
        std::string_view rest = first.substr(partition_->prefix.size() + 1);
        skip_clustering(table_, first, &rest, nullptr);
        row_prefix_length = first.size() - rest.size();
      }
    }
    reversed_ ? it_->Prev() : it_->Next();
  }
}

// Decoding failures inside the reader end the read with a corruption status: the store holds
// bytes this table cannot read, which must be reported, never skipped.
bool StoredRowReader::next(ReadRow* row) {
  if (!status_.is_ok()) return false;
  try {
    if (next_row(row)) return true;
  } catch (const std::exception& e) {
    status_ = Status::corruption(e.what());
    return false;
  }
  if (it_ && !it_->status().ok()) status_ = Status::io_error("reading " + table_.keyspace + "." + table_.name + ": " + it_->status().ToString());
  return false;
}

bool StoredRowReader::next_row(ReadRow* row) {
  std::vector<RawEntry> entries;
  while (true) {
    if (!load_next_row(&entries)) {
      if (partition_ && !partition_->emitted_row && include_static_only_ && build_static_row(row)) {
        partition_->emitted_row = true;
        return true;
      }
      return false;
    }
    if (entries.empty()) {
      // A new partition starts at the iterator: close the current one first.
      if (partition_ && !partition_->emitted_row && include_static_only_) {
        partition_->emitted_row = true;
        if (build_static_row(row)) return true;
      }
      std::string_view key = as_view(it_->key());
      enter_partition(key.substr(0, partition_prefix_length(key)));
      continue;
    }
    if (build_row(entries, row)) {
      partition_->emitted_row = true;
      return true;
    }
  }
}

}  // namespace cqld

namespace cqld {
namespace {

// Materialized rows get the positions they would have if stored, so selections, order and
// paging apply to them unchanged.
class MaterializedRowReader : public RowReader {
 public:
  MaterializedRowReader(const TableDef& table, std::vector<std::vector<Value>> rows, const ReadSelection& selection,
                        ReadOrder order, const std::string& resume_position) {
    std::vector<KeyRange> ranges = key_ranges(table, selection, resume_position, order.reversed);
    for (auto& values : rows) {
      ReadRow r;
      std::vector<std::string_view> parts;
      for (size_t i : table.partition_key) parts.push_back(values[i].bytes);
      PartitionKey partition{0, serialize_partition_key(parts)};
      partition.token = murmur3_token(partition.key);
      Clustering clustering;
      for (size_t i : table.clustering) clustering.push_back(values[i].bytes);
      r.partition_key = partition.key;
      r.token = partition.token;
      r.position = row_key(table, partition, clustering);
      r.values = std::move(values);
      r.writetimes.assign(r.values.size(), INT64_MIN);
      r.ttls.assign(r.values.size(), 0);
      bool in_range = std::any_of(ranges.begin(), ranges.end(), [&](const KeyRange& k) {
        return r.position >= k.begin && r.position < k.end;
      });
      if (in_range) rows_.push_back(std::move(r));
    }
    std::sort(rows_.begin(), rows_.end(), [](const ReadRow& a, const ReadRow& b) { return a.position < b.position; });
    if (order.reversed) std::reverse(rows_.begin(), rows_.end());
  }

  bool next(ReadRow* row) override {
    if (index_ >= rows_.size()) return false;
    *row = std::move(rows_[index_++]);
    return true;
  }

 private:
  std::vector<ReadRow> rows_;
  size_t index_ = 0;
};

}  // namespace

std::unique_ptr<RowReader> read_materialized_rows(const TableDef& table, std::vector<std::vector<Value>> rows,
                                                  const ReadSelection& selection, ReadOrder order,
                                                  const std::string& resume_after_position) {
  return std::make_unique<MaterializedRowReader>(table, std::move(rows), selection, order, resume_after_position);
}

}  // namespace cqld
