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
    if (i < 0) throw InvalidRequest("Unknown definition " + name + " referenced in PRIMARY KEY");
    ColumnDef& c = t.columns[static_cast<size_t>(i)];
    if (c.kind == ColumnKind::kPartitionKey || c.kind == ColumnKind::kClustering)
      throw InvalidRequest("Duplicate column " + name + " in PRIMARY KEY");
    if (c.kind == ColumnKind::kStatic) throw InvalidRequest("Static column '" + name + "' cannot be part of the PRIMARY KEY");
    if (c.type->is_multi_cell() && c.type->kind == TypeKind::kUdt)
      throw InvalidRequest("Invalid non-frozen user-defined type \"" + c.type->udt_keyspace + "." + c.type->udt_name +
                           "\" for PRIMARY KEY column '" + name + "'");
    if (c.type->is_multi_cell())
      throw InvalidRequest("Invalid non-frozen collection type " + type_to_cql(*c.type) + " for PRIMARY KEY column '" + name + "'");
    if (c.type->kind == TypeKind::kCounter)
      throw InvalidRequest("counter type is not supported for PRIMARY KEY column '" + name + "'");
    if (c.type->kind == TypeKind::kDuration)
      throw InvalidRequest("duration type is not supported for PRIMARY KEY column '" + name + "'");
    c.kind = kind;
    c.position = position;
  };
  for (size_t i = 0; i < partition.size(); ++i) mark(partition[i], ColumnKind::kPartitionKey, static_cast<int>(i));
  for (size_t i = 0; i < clustering.size(); ++i) mark(clustering[i], ColumnKind::kClustering, static_cast<int>(i));
}

void apply_clustering_order(const ast::CreateTableStatement& s, TableDef& t) {
  if (s.clustering_order.empty()) return;
  for (size_t i = 0; i < s.clustering_order.size(); ++i) {
    const auto& item = s.clustering_order[i];
    int ci = t.column_index(item.column);
    if (ci < 0 || t.columns[ci].kind != ColumnKind::kClustering)
      throw InvalidRequest("Only clustering key columns can be defined in CLUSTERING ORDER directive: [" +
                           item.column + "] are not clustering columns");
    if (i >= s.clustering_columns.size() || s.clustering_columns[i] != item.column)
      throw InvalidRequest("The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns (" +
                           item.column + " must appear as " + (i < s.clustering_columns.size() ? s.clustering_columns[i] : std::string("?")) + ")");
    t.columns[ci].descending = item.descending;
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
        throw InvalidRequest("Duplicate column '" + def.name + "' declaration for table '" + ks_name + "." + t->name + "'");
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
