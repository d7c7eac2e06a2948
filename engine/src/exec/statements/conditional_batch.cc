#include "exec/statements/conditional_batch.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "common/errors.h"
#include "exec/view_updates.h"
#include "exec/write_failure.h"

namespace cqld {
namespace {

using Guard = ModificationStatement::Guard;

// The row of one statement's condition: a clustering, or nullopt for the static row.
using GuardedRow = std::optional<Clustering>;

void check_one_table_and_partition(const std::vector<ConditionalBatchChild>& children, PartitionKey* key) {
  const TableDef& first = children.front().statement->table();
  for (const auto& child : children) {
    const TableDef& t = child.statement->table();
    if (t.keyspace != first.keyspace || t.name != first.name)
      throw InvalidRequest("Batch with conditions cannot span multiple tables");
    if (child.statement->has_timestamp()) throw InvalidRequest("Cannot provide custom timestamp for conditional updates");
  }
  bool have_key = false;
  for (const auto& child : children) {
    std::vector<PartitionKey> keys = child.statement->written_partitions(child.bindings);
    if (keys.size() != 1 || (have_key && keys[0].key != key->key))
      throw InvalidRequest("Batch with conditions cannot span multiple partitions");
    *key = keys[0];
    have_key = true;
  }
}

// Cassandra's CQL3CasRequest: one kind of condition per row.
void register_guard(std::map<GuardedRow, Guard>& guards, const GuardedRow& row, Guard guard) {
  auto [it, inserted] = guards.emplace(row, guard);
  if (inserted || it->second == guard) return;
  bool previous_exists = it->second != Guard::kConditions;
  if (previous_exists && guard != Guard::kConditions)
    throw InvalidRequest("Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row");
  if (previous_exists) throw InvalidRequest("Cannot mix IF conditions and IF NOT EXISTS for the same row");
  throw InvalidRequest(std::string("Cannot mix IF conditions and IF ") + (guard == Guard::kIfNotExists ? "NOT " : "") +
                       "EXISTS for the same row");
}

std::optional<ReadRow> first_row(std::unique_ptr<RowReader> reader) {
  ReadRow row;
  bool found = reader->next(&row);
  if (!reader->status().is_ok()) throw ServerError(reader->status().message());
  if (!found) return std::nullopt;
  return row;
}

// The live row at "clustering" (with the partition's static values), or nullopt.
std::optional<ReadRow> read_row(const TableDef& t, const PartitionKey& key, const Clustering& clustering, Store* store,
                                int64_t now_seconds) {
  std::vector<ClusteringSlice> slices;
  if (!t.clustering.empty()) slices.push_back(ClusteringSlice{clustering, {}, {}});
  ReadOrder order;
  order.include_static_only = t.clustering.empty();
  return first_row(store->read_rows(t, ReadSelection::partitions({key}, std::move(slices)), order, "", now_seconds));
}

// The partition's first row, or its static row when it has no live row.
std::optional<ReadRow> read_first_row(const TableDef& t, const PartitionKey& key, Store* store, int64_t now_seconds) {
  ReadOrder order;
  order.include_static_only = true;
  return first_row(store->read_rows(t, ReadSelection::partitions({key}, {}), order, "", now_seconds));
}

int compare_clusterings(const TableDef& t, const Clustering& a, const Clustering& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    const ColumnDef& c = t.columns[t.clustering[i]];
    int cmp = compare_values(*c.type, a[i], b[i]);
    if (cmp != 0) return c.descending ? -cmp : cmp;
  }
  return 0;
}

struct PartitionState {
  std::map<Clustering, std::optional<ReadRow>> rows;  // every guarded row, read once
  std::optional<ReadRow> statics;                     // the static values, if any is live
};

bool child_applies(const ModificationStatement& m, const GuardedRow& row, const PartitionState& state,
                   const Bindings& b) {
  const std::optional<ReadRow>& current = row ? state.rows.at(*row) : state.statics;
  switch (m.guard()) {
    case Guard::kNone: return true;
    case Guard::kIfNotExists: return !current.has_value();
    case Guard::kIfExists: return current.has_value();
    case Guard::kConditions: break;
  }
  const std::optional<ReadRow>& seen = current ? current : state.statics;
  for (const auto& c : m.conditions())
    if (!c.holds(seen ? seen->values[static_cast<size_t>(c.column())] : Value::null(), b)) return false;
  return true;
}

// The columns of the not-applied result: the key then the condition columns, or all of them.
std::vector<int> shown_columns(const TableDef& t, const std::vector<ConditionalBatchChild>& children, bool wildcard) {
  std::vector<int> shown;
  if (wildcard) {
    for (size_t i = 0; i < t.columns.size(); ++i) shown.push_back(static_cast<int>(i));
    return shown;
  }
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].is_primary_key()) shown.push_back(static_cast<int>(i));
  for (const auto& child : children)
    for (int ci : child.statement->condition_columns())
      if (std::find(shown.begin(), shown.end(), ci) == shown.end()) shown.push_back(ci);
  return shown;
}

}  // namespace

RowsResult execute_conditional_batch(ExecutionContext& ctx, const std::vector<ConditionalBatchChild>& children) {
  PartitionKey key;
  check_one_table_and_partition(children, &key);
  const TableDef& t = children.front().statement->table();
  int64_t now_seconds = ctx.bindings.now_micros / 1000000;

  std::map<GuardedRow, Guard> guards;
  std::vector<GuardedRow> child_rows;
  for (const auto& child : children) {
    const ModificationStatement& m = *child.statement;
    child_rows.push_back(m.is_conditional() ? m.guarded_row(child.bindings) : std::nullopt);
    if (m.is_conditional()) register_guard(guards, child_rows.back(), m.guard());
  }

  auto consistency = static_cast<uint16_t>(ctx.options->serial_consistency);
  auto until = std::min(ctx.deadline.at, std::chrono::steady_clock::now() + ctx.limits->cas_contention_timeout);
  std::unique_lock<std::timed_mutex> lock(ctx.locks->lock_for(key.token), std::defer_lock);
  if (!lock.try_lock_until(until)) throw RequestTimeout::cas(consistency);

  PartitionState state;
  for (const auto& [row, guard] : guards)
    if (row) state.rows[*row] = read_row(t, key, *row, ctx.store, now_seconds);
  if (t.has_static()) state.statics = ModificationStatement::static_values(t, key, ctx.store, ctx.bindings);

  bool applied = true;
  for (size_t i = 0; i < children.size() && applied; ++i)
    applied = child_applies(*children[i].statement, child_rows[i], state, children[i].bindings);

  RowsResult result;
  result.metadata.columns.push_back(ColumnSpec{t.keyspace, t.name, "[applied]", primitive_type(TypeKind::kBoolean)});
  if (applied) {
    result.cells.push_back(Value::of(std::string(1, '\1')));
    result.row_count = 1;
    Mutation mutation;
    std::vector<TouchedPartition> touched;
    for (const auto& child : children) {
      WriteContext write{child.bindings, ctx.bindings.now_micros, ctx.store};
      child.statement->add_mutations(write, &mutation);
      child.statement->add_touched(write, &touched);
    }
    ViewWrite views = view_write_for(ctx, ctx.bindings.now_micros);
    views.held_token = key.token;  // this batch holds the partition's lock already
    check_write(apply_with_views(views, mutation, touched));
    return result;
  }

  // Not applied: the rows the conditions read, in clustering order; with conditions on the
  // static row only, the partition's first row.
  bool wildcard = false, shows_statics = false;
  for (const auto& child : children) {
    Guard g = child.statement->guard();
    wildcard = wildcard || g == Guard::kIfNotExists || g == Guard::kIfExists;
    shows_statics = shows_statics || child.statement->writes_static();
  }
  for (const auto& [row, guard] : guards) shows_statics = shows_statics || !row;
  std::vector<const ReadRow*> rows;
  for (const auto& [clustering, row] : state.rows)
    if (row) rows.push_back(&*row);
  std::optional<ReadRow> first;
  if (state.rows.empty() && (first = read_first_row(t, key, ctx.store, now_seconds))) rows.push_back(&*first);
  std::sort(rows.begin(), rows.end(), [&](const ReadRow* a, const ReadRow* b) {
    Clustering ca, cb;
    for (size_t ci : t.clustering) {
      ca.push_back(a->values[ci].bytes);
      cb.push_back(b->values[ci].bytes);
    }
    return compare_clusterings(t, ca, cb) < 0;
  });
  std::vector<int> shown = shown_columns(t, children, wildcard);
  for (int ci : shown) {
    const ColumnDef& c = t.columns[static_cast<size_t>(ci)];
    result.metadata.columns.push_back(ColumnSpec{t.keyspace, t.name, c.name, c.type});
  }
  for (const ReadRow* row : rows) {
    result.cells.push_back(Value::of(std::string(1, '\0')));
    for (int ci : shown) {
      bool hidden = t.columns[static_cast<size_t>(ci)].kind == ColumnKind::kStatic && wildcard && !shows_statics;
      result.cells.push_back(hidden ? Value::null() : row->values[static_cast<size_t>(ci)]);
    }
  }
  result.row_count = rows.size();
  if (rows.empty()) {
    result.metadata.columns.resize(1);
    result.cells.push_back(Value::of(std::string(1, '\0')));
    result.row_count = 1;
  }
  return result;
}

}  // namespace cqld
