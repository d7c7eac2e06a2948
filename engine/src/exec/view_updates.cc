#include "exec/view_updates.h"

#include <algorithm>
#include <climits>
#include <map>
#include <mutex>

#include "schema/view.h"
#include "types/token.h"
#include "types/value.h"

namespace cqld {
namespace {

using Rows = std::map<std::string, ReadRow>;

void append_sized(std::string* out, std::string_view bytes) {
  uint32_t n = static_cast<uint32_t>(bytes.size());
  for (int s = 24; s >= 0; s -= 8) out->push_back(static_cast<char>(n >> s));
  out->append(bytes);
}

// A base row's identity in its table: its partition key and clustering values.
std::string row_identity(const TableDef& base, const ReadRow& row) {
  std::string id;
  append_sized(&id, row.partition_key);
  for (size_t ci : base.clustering) append_sized(&id, row.values[ci].bytes);
  return id;
}

Status read_rows(Store* store, const TableDef& base, const ReadSelection& selection, int64_t now_seconds, Rows* out) {
  auto reader = store->read_rows(base, selection, ReadOrder{}, "", now_seconds);
  ReadRow row;
  while (reader->next(&row)) {
    if (row.static_only) continue;  // views hold no static columns
    std::string id = row_identity(base, row);
    out->emplace(std::move(id), std::move(row));
  }
  return reader->status();
}

bool restriction_holds(const ViewRestriction& r, const CqlType& type, const std::string& value) {
  using Op = ViewRestriction::Op;
  if (r.op == Op::kIn || r.op == Op::kEq)
    return std::any_of(r.values.begin(), r.values.end(),
                       [&](const std::string& v) { return compare_values(type, value, v) == 0; });
  int c = compare_values(type, value, r.values.at(0));
  switch (r.op) {
    case Op::kLt: return c < 0;
    case Op::kLte: return c <= 0;
    case Op::kGt: return c > 0;
    case Op::kGte: return c >= 0;
    default: return false;
  }
}

// How one view maps to its base: the base column index of each view column.
struct ViewMapping {
  const TableDef* view;
  std::vector<int> base_index;  // per view column
  int key_regular = -1;         // the base's regular column in the view's key, if any (base index)

  ViewMapping(const TableDef& base, const TableDef& v) : view(&v) {
    for (const auto& c : v.columns) {
      int bi = base.column_index(c.name);
      base_index.push_back(bi);
      if (c.is_primary_key() && bi >= 0 && !base.columns[static_cast<size_t>(bi)].is_primary_key()) key_regular = bi;
    }
  }

  // Whether a base row has a row in the view: every view key column set, every restriction met.
  bool selects(const TableDef& base, const ReadRow& row) const {
    for (size_t i = 0; i < view->columns.size(); ++i)
      if (view->columns[i].is_primary_key() && !row.values[static_cast<size_t>(base_index[i])].is_set()) return false;
    for (const auto& r : view->view->restrictions) {
      int bi = base.column_index(r.column);
      if (bi < 0 || !row.values[static_cast<size_t>(bi)].is_set()) return false;
      if (!restriction_holds(r, *base.columns[static_cast<size_t>(bi)].type, row.values[static_cast<size_t>(bi)].bytes))
        return false;
    }
    return true;
  }

  void key_of(const ReadRow& row, PartitionKey* pk, Clustering* clustering) const {
    std::vector<std::string_view> parts;
    for (size_t vi : view->partition_key) parts.push_back(row.values[static_cast<size_t>(base_index[vi])].bytes);
    pk->key = serialize_partition_key(parts);
    pk->token = murmur3_token(pk->key);
    clustering->clear();
    for (size_t vi : view->clustering) clustering->push_back(row.values[static_cast<size_t>(base_index[vi])].bytes);
  }
};

int64_t latest_write(const ReadRow& row, int64_t fallback) {
  int64_t latest = INT64_MIN;
  for (int64_t t : row.writetimes) latest = std::max(latest, t);
  return latest == INT64_MIN ? fallback : latest;
}

Cell live(int64_t ts, int32_t ttl, int64_t now_seconds, std::string value) {
  Cell c;
  c.timestamp = ts;
  c.ttl = ttl;
  c.expires_at = ttl > 0 ? now_seconds + ttl : 0;
  c.value = std::move(value);
  return c;
}

Cell deletion(int64_t ts) {
  Cell c;
  c.timestamp = ts;
  c.tombstone = true;
  return c;
}

// The view row's liveness: the view-key base column's cell when the key has one (so the row
// goes when that cell does), else the base row's latest write, expiring when all its cells do.
Cell row_marker(const TableDef& base, const ViewMapping& m, const ReadRow& row, int64_t fallback_ts, int64_t now_s) {
  if (m.key_regular >= 0) {
    auto bi = static_cast<size_t>(m.key_regular);
    return live(row.writetimes[bi], row.ttls[bi], now_s, {});
  }
  int32_t ttl = 0;
  bool all_expiring = false;
  for (size_t i = 0; i < base.columns.size(); ++i) {
    if (base.columns[i].is_primary_key() || !row.values[i].is_set()) continue;
    if (row.ttls[i] == 0) return live(latest_write(row, fallback_ts), 0, now_s, {});
    all_expiring = true;
    ttl = std::max(ttl, row.ttls[i]);
  }
  return live(latest_write(row, fallback_ts), all_expiring ? ttl : 0, now_s, {});
}

// A non-frozen collection is rewritten whole: its old elements deleted at the latest of the
// base elements' write time and this write's (a removed element leaves no newer base cell), and
// the current ones written 1 microsecond later, so that the deletion does not shadow them.
void write_collection(const TableDef& view, const PartitionKey& pk, const Clustering& ck, const ColumnDef& c,
                      const std::string& bytes, int64_t ts, Mutation* out) {
  out->delete_collection(view, pk, ck, c, ts);
  Cell cell = live(ts + 1, 0, 0, {});
  if (c.type->kind == TypeKind::kMap) {
    for (auto& [key, value] : parse_map(bytes)) {
      cell.value = value;
      out->write_element(view, pk, ck, c, key, cell);
    }
  } else if (c.type->kind == TypeKind::kSet) {
    for (const auto& element : parse_collection(bytes)) out->write_element(view, pk, ck, c, element, cell);
  } else {
    for (auto& element : parse_collection(bytes)) {
      cell.value = std::move(element);
      out->append_list_element(view, pk, ck, c, false, cell);
      ++cell.timestamp;  // list elements are ordered by their timestamp
    }
  }
}

void write_view_row(const TableDef& base, const ViewMapping& m, const ReadRow& after, const ReadRow* before_same_key,
                    const ViewWrite& w, int64_t now_s, Mutation* out) {
  const TableDef& view = *m.view;
  PartitionKey pk;
  Clustering ck;
  m.key_of(after, &pk, &ck);
  out->write_row_marker(view, pk, ck, row_marker(base, m, after, w.timestamp, now_s));
  for (size_t vi = 0; vi < view.columns.size(); ++vi) {
    const ColumnDef& c = view.columns[vi];
    if (c.is_primary_key()) continue;
    auto bi = static_cast<size_t>(m.base_index[vi]);
    const Value& v = after.values[bi];
    if (!v.is_set()) {
      // Gone from the base row since the view row was written: remove it here too.
      if (before_same_key == nullptr || !before_same_key->values[bi].is_set()) continue;
      int64_t ts = std::max(w.timestamp, before_same_key->writetimes[bi]);
      if (stored_per_element(*c.type)) out->delete_collection(view, pk, ck, c, ts);
      else out->write_cell(view, pk, ck, c, deletion(ts));
      continue;
    }
    if (stored_per_element(*c.type)) {
      write_collection(view, pk, ck, c, v.bytes, std::max(after.writetimes[bi], w.timestamp), out);
      continue;
    }
    // When the view's key column expires the view row must go, so no cell outlives it.
    int32_t ttl = after.ttls[bi];
    if (m.key_regular >= 0 && after.ttls[static_cast<size_t>(m.key_regular)] > 0) {
      int32_t key_ttl = after.ttls[static_cast<size_t>(m.key_regular)];
      ttl = ttl == 0 ? key_ttl : std::min(ttl, key_ttl);
    }
    out->write_cell(view, pk, ck, c, live(after.writetimes[bi], ttl, now_s, v.bytes));
  }
}

std::string view_identity(const ViewMapping& m, const ReadRow& row) {
  PartitionKey pk;
  Clustering ck;
  m.key_of(row, &pk, &ck);
  std::string id;
  append_sized(&id, pk.key);
  for (const auto& c : ck) append_sized(&id, c);
  return id;
}

// The view writes for one base row that went from "before" to "after" (either may be absent).
void update_view(const TableDef& base, const ViewMapping& m, const ReadRow* before, const ReadRow* after,
                 const ViewWrite& w, int64_t now_s, Mutation* out) {
  bool was = before != nullptr && m.selects(base, *before);
  bool is = after != nullptr && m.selects(base, *after);
  bool same_key = was && is && view_identity(m, *before) == view_identity(m, *after);
  if (was && !same_key) {
    PartitionKey pk;
    Clustering ck;
    m.key_of(*before, &pk, &ck);
    out->delete_row(*m.view, pk, ck, std::max(w.timestamp, latest_write(*before, w.timestamp)));
  }
  if (is) write_view_row(base, m, *after, same_key ? before : nullptr, w, now_s, out);
}

void update_views(const TableDef& base, const std::vector<ViewMapping>& views, const Rows& before, const Rows& after,
                  const ViewWrite& w, int64_t now_s, Mutation* out) {
  for (const auto& [id, row] : before) {
    auto it = after.find(id);
    const ReadRow* a = it == after.end() ? nullptr : &it->second;
    if (a != nullptr && a->values == row.values && a->writetimes == row.writetimes && a->ttls == row.ttls) continue;
    for (const auto& m : views) update_view(base, m, &row, a, w, now_s, out);
  }
  for (const auto& [id, row] : after)
    if (!before.count(id))
      for (const auto& m : views) update_view(base, m, nullptr, &row, w, now_s, out);
}

// The touched partitions of one base table that has views.
struct BaseWrite {
  const TableDef* base = nullptr;
  std::vector<ViewMapping> views;
  std::vector<PartitionKey> keys;
  Rows before, after;
};

std::vector<BaseWrite> base_writes(const Schema& schema, const std::vector<TouchedPartition>& touched) {
  std::vector<BaseWrite> writes;
  for (const auto& t : touched) {
    const KeyspaceDef* ks = schema.find_keyspace(t.table->keyspace);
    const TableDef* base = ks == nullptr ? nullptr : ks->find_table(t.table->name);
    if (base == nullptr) continue;
    auto it = std::find_if(writes.begin(), writes.end(), [&](const BaseWrite& b) { return b.base == base; });
    if (it == writes.end()) {
      std::vector<const TableDef*> views = views_of(*ks, base->name);
      if (views.empty()) continue;
      BaseWrite b;
      b.base = base;
      for (const TableDef* v : views) b.views.emplace_back(*base, *v);
      writes.push_back(std::move(b));
      it = writes.end() - 1;
    }
    if (std::none_of(it->keys.begin(), it->keys.end(), [&](const PartitionKey& k) { return k.key == t.key.key; }))
      it->keys.push_back(t.key);
  }
  return writes;
}

// The lock stripes of every touched partition, in one global order (by address) so that two
// writes never wait on each other; the stripe a lightweight transaction holds is skipped.
std::vector<std::unique_lock<std::timed_mutex>> lock_partitions(const ViewWrite& w, const std::vector<BaseWrite>& writes) {
  std::vector<std::timed_mutex*> stripes;
  std::timed_mutex* held = w.held_token ? &w.locks->lock_for(*w.held_token) : nullptr;
  for (const auto& b : writes)
    for (const auto& k : b.keys)
      if (&w.locks->lock_for(k.token) != held) stripes.push_back(&w.locks->lock_for(k.token));
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  std::vector<std::unique_lock<std::timed_mutex>> locks;
  for (auto* m : stripes) locks.emplace_back(*m);
  return locks;
}

}  // namespace

ViewWrite view_write_for(const ExecutionContext& ctx, int64_t timestamp) {
  ViewWrite w;
  w.store = ctx.store;
  w.schema = ctx.schema->current();
  w.locks = ctx.locks;
  w.now_micros = ctx.bindings.now_micros;
  w.timestamp = timestamp;
  return w;
}

Status apply_with_views(const ViewWrite& w, const Mutation& base, const std::vector<TouchedPartition>& touched) {
  std::vector<BaseWrite> writes = base_writes(*w.schema, touched);
  if (writes.empty()) return w.store->apply(base);
  auto locks = lock_partitions(w, writes);
  int64_t now_s = w.now_micros / 1000000;
  for (auto& b : writes) {
    Status s = read_rows(w.store, *b.base, ReadSelection::partitions(b.keys), now_s, &b.before);
    if (!s.is_ok()) return s;
  }
  Status applied = w.store->apply(base);
  if (!applied.is_ok()) return applied;
  Mutation view_writes;
  for (auto& b : writes) {
    Status s = read_rows(w.store, *b.base, ReadSelection::partitions(b.keys), now_s, &b.after);
    if (!s.is_ok()) return s;
    update_views(*b.base, b.views, b.before, b.after, w, now_s, &view_writes);
  }
  return view_writes.empty() ? Status::ok() : w.store->apply(view_writes);
}

Status build_view(Store* store, const TableDef& base, const TableDef& view, int64_t now_micros) {
  constexpr size_t kRowsPerBatch = 512;  // bounds the memory of one batch of view writes
  ViewMapping m(base, view);
  ViewWrite w;
  w.timestamp = now_micros;
  int64_t now_s = now_micros / 1000000;
  auto reader = store->read_rows(base, ReadSelection::token_range(std::nullopt, std::nullopt), ReadOrder{}, "", now_s);
  Mutation batch;
  size_t rows = 0;
  ReadRow row;
  while (reader->next(&row)) {
    if (row.static_only || !m.selects(base, row)) continue;
    write_view_row(base, m, row, nullptr, w, now_s, &batch);
    if (++rows % kRowsPerBatch == 0) {
      Status s = store->apply(batch);
      if (!s.is_ok()) return s;
      batch = Mutation();
    }
  }
  if (!reader->status().is_ok()) return reader->status();
  return batch.empty() ? Status::ok() : store->apply(batch);
}

}  // namespace cqld
