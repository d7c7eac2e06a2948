#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

namespace {

// Whether a duration is anywhere in the type (frozen<list<duration>> too), as Cassandra's
// referencesDuration, which a vector does not answer for its elements (vector<duration, 2> keys pass).
bool references_duration(const CqlType& type) {
  if (type.kind == TypeKind::kDuration) return true;
  if (type.kind == TypeKind::kVector) return false;
  for (const auto& p : type.params)
    if (references_duration(*p)) return true;
  return false;
}

void assign_primary_key(const ast::CreateTableStatement& s, TableDef& t) {
  std::vector<std::string> partition = s.partition_key;
  std::vector<std::string> clustering = s.clustering_columns;
  for (const auto& def : s.columns) {
    if (!def.primary_key) continue;
    if (!partition.empty())
      throw InvalidRequest("Multiple PRIMARY KEY specified for table '" + t.name + "' (exactly one required)");
    partition.push_back(def.name);
  }
  if (partition.empty()) throw InvalidRequest("No PRIMARY KEY specifed for table '" + t.name + "' (exactly one required)");
  auto mark = [&](const std::string& name, ColumnKind kind, int position) {
    int i = t.column_index(name);
    if (i < 0) throw InvalidRequest("Unknown column '" + name + "' referenced in PRIMARY KEY for table '" + t.name + "'");
    ColumnDef& c = t.columns[static_cast<size_t>(i)];
    if (c.kind == ColumnKind::kPartitionKey || c.kind == ColumnKind::kClustering)
      throw InvalidRequest("Duplicate column '" + name + "' in PRIMARY KEY clause for table '" + t.name + "'");
    if (c.kind == ColumnKind::kStatic) throw InvalidRequest("Static column '" + name + "' cannot be part of the PRIMARY KEY");
    if (c.type->is_multi_cell() && c.type->kind == TypeKind::kUdt)
      throw InvalidRequest("Invalid non-frozen user-defined type \"" + c.type->udt_keyspace + "." + c.type->udt_name +
                           "\" for PRIMARY KEY column '" + name + "'");
    if (c.type->is_multi_cell())
      throw InvalidRequest("Invalid non-frozen collection type " + type_to_cql(*c.type) + " for PRIMARY KEY column '" + name + "'");
    if (c.type->kind == TypeKind::kCounter)
      throw InvalidRequest("counter type is not supported for PRIMARY KEY column '" + name + "'");
    if (references_duration(*c.type))
      throw InvalidRequest("duration type is not supported for PRIMARY KEY column '" + name + "'");
    c.kind = kind;
    c.position = position;
  };
  for (size_t i = 0; i < partition.size(); ++i) mark(partition[i], ColumnKind::kPartitionKey, static_cast<int>(i));
  for (size_t i = 0; i < clustering.size(); ++i) mark(clustering[i], ColumnKind::kClustering, static_cast<int>(i));
}

// Cassandra refuses a column ordered twice while reading the statement, before any other check.
void check_clustering_order_names(const ast::CreateTableStatement& s) {
  std::set<std::string> seen;
  for (const auto& item : s.clustering_order)
    if (!seen.insert(item.column).second)
      throw InvalidRequest("Duplicate column '" + item.column + "' in CLUSTERING ORDER BY clause for table '" +
                           s.table.name + "'");
}

bool orders(const ast::CreateTableStatement& s, const std::string& column) {
  for (const auto& item : s.clustering_order)
    if (item.column == column) return true;
  return false;
}

// CreateTableStatement's checks, in its order: only clustering columns, then each ordered column
// in its clustering position (a later one ordered too early, or an earlier one not ordered).
void apply_clustering_order(const ast::CreateTableStatement& s, TableDef& t) {
  if (s.clustering_order.empty()) return;
  for (const auto& item : s.clustering_order) {
    int ci = t.column_index(item.column);
    if (ci < 0 || t.columns[ci].kind != ColumnKind::kClustering)
      throw InvalidRequest("Only clustering key columns can be defined in CLUSTERING ORDER directive: [" +
                           item.column + "] are not clustering columns");
  }
  for (size_t i = 0; i < s.clustering_order.size(); ++i) {
    const auto& item = s.clustering_order[i];
    const std::string& expected = s.clustering_columns[i];
    if (item.column != expected) {
      if (orders(s, expected))
        throw InvalidRequest("The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns (" +
                             expected + " must appear before " + item.column + ")");
      throw InvalidRequest("Missing CLUSTERING ORDER for column " + expected);
    }
    t.columns[t.column_index(item.column)].descending = item.descending;
  }
}

void validate_table_columns(const TableDef& t) {
  bool has_counter = false, has_non_counter = false;
  for (const auto& c : t.columns) {
    if (c.is_primary_key()) continue;
    (c.type->kind == TypeKind::kCounter ? has_counter : has_non_counter) = true;
    if (c.kind == ColumnKind::kStatic && t.clustering.empty())
      throw InvalidRequest("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
  }
  if (has_counter && has_non_counter)
    throw InvalidRequest("Cannot mix counter and non counter columns in the same table");
}

// What COMPACT STORAGE cannot hold, checked as Cassandra 5.0's CreateTableStatement does.
void validate_compact_table(const ast::CreateTableStatement& s, const TableDef& t) {
  std::vector<std::string> values;  // the columns outside the primary key, as declared
  for (const auto& def : s.columns) {
    const ColumnDef* c = t.find_column(def.name);
    if (!c->is_primary_key()) values.push_back(c->name);
  }
  for (const auto& c : t.columns)
    if (c.type->is_multi_cell()) throw InvalidRequest("Non-frozen collections and UDTs are not supported with COMPACT STORAGE");
  for (const auto& c : t.columns)
    if (c.kind == ColumnKind::kStatic) throw InvalidRequest("Static columns are not supported in COMPACT STORAGE tables");
  if (t.clustering.empty()) {
    if (values.empty()) throw InvalidRequest("No definition found that is not part of the PRIMARY KEY");
    return;
  }
  if (values.size() > 1) {
    std::string names;
    for (const auto& v : values) names += (names.empty() ? "" : ", ") + v;
    throw InvalidRequest("COMPACT STORAGE with composite PRIMARY KEY allows no more than one column not part of the PRIMARY KEY (got: " +
                         names + ")");
  }
}

}  // namespace

Result create_table(const DdlContext& ctx, const ast::CreateTableStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  check_clustering_order_names(s);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.keyspaces.count(ks_name)) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    validate_table_name(ks_name, s.table.name);
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing->tables.count(s.table.name)) {
      if (s.if_not_exists) return std::nullopt;
      throw AlreadyExists(ks_name, s.table.name, "Cannot add already existing table \"" + s.table.name + "\" to keyspace \"" + ks_name + "\"");
    }
    auto t = std::make_shared<TableDef>();
    t->keyspace = ks_name;
    t->name = s.table.name;
    t->id = random_uuid();
    t->storage_id = schema.next_storage_id++;
    std::set<std::string> seen;
    for (const auto& def : s.columns) {
      if (!seen.insert(def.name).second)
        throw InvalidRequest("Duplicate column '" + def.name + "' declaration for table '" + t->name + "'");
      ColumnDef c = make_column(def, schema, ks_name);
      c.id = t->next_column_id++;
      t->columns.push_back(std::move(c));
    }
    assign_primary_key(s, *t);
    sort_columns(*t);
    apply_clustering_order(s, *t);
    validate_table_columns(*t);
    for (const auto& c : t->columns)
      if (c.type->kind == TypeKind::kCounter) t->is_counter = true;
    if (s.compact_storage) validate_compact_table(s, *t);
    t->compact_storage = s.compact_storage;
    t->options = default_table_options();
    apply_table_properties(s.properties, &t->options);
    if (t->is_counter && std::get<int32_t>(t->options["default_time_to_live"]) > 0)
      throw InvalidRequest("Cannot set default_time_to_live on a table with counters");
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.tables[t->name] = t;
    return change(Change::kCreated, Target::kTable, ks_name, t->name);
  }));
}

}  // namespace cqld
