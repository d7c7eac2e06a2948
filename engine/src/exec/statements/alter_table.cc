#include <algorithm>
#include <chrono>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

namespace {

void alter_add(const Schema& schema, TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& def : s.add) {
    const ColumnDef* existing = t.find_column(def.name);
    if (existing != nullptr) {
      if (s.if_column_exists) continue;
      throw InvalidRequest("Column with name '" + def.name + "' already exists");
    }
    ColumnDef c = make_column(def, schema, t.keyspace);
    // Cassandra reads a re-added column's older cells with the dropped type: it must be the same.
    if (auto dropped = t.dropped_columns.find(def.name); dropped != t.dropped_columns.end()) {
      std::string was = type_to_cql(*dropped->second.type), now = type_to_cql(*c.type);
      if (was != now)
        throw InvalidRequest("Cannot add a column '" + def.name + "' of type " + now +
                             ", incompatible with previously dropped column '" + def.name + "' of type " + was);
    }
    if (c.kind == ColumnKind::kStatic && t.clustering.empty())
      throw InvalidRequest("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
    // Cassandra's TableMetadata.validate words the second case, as a configuration error.
    if (t.is_counter && c.type->kind != TypeKind::kCounter)
      throw InvalidRequest("Cannot add a non counter column (" + def.name + ") in a counter table");
    if (!t.is_counter && c.type->kind == TypeKind::kCounter)
      throw ConfigurationError(t.keyspace + "." + t.name + ": Cannot have a counter column (\"" + def.name +
                               "\") in a non counter table");
    c.id = t.next_column_id++;
    t.columns.push_back(std::move(c));
    *changed = true;
  }
  sort_columns(t);
}

// The time a DROP records: its USING TIMESTAMP, else now (both in microseconds).
int64_t drop_time_micros(const ast::AlterTableStatement& s) {
  if (s.drop_timestamp && s.drop_timestamp->kind == ast::Term::Kind::kLiteral)
    return std::stoll(s.drop_timestamp->literal.text);
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void alter_drop(TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& name : s.drop) {
    int i = t.column_index(name);
    if (i < 0) {
      if (s.if_column_exists) continue;
      throw InvalidRequest("Column " + name + " was not found in table '" + t.keyspace + "." + t.name + "'");
    }
    if (t.columns[i].is_primary_key()) throw InvalidRequest("Cannot drop PRIMARY KEY column " + name);
    for (const auto& index : t.indexes)
      if (index.column == name)
        throw InvalidRequest("Cannot drop column " + name + " because it has dependent secondary indexes (" + index.name + ")");
    t.dropped_columns[name] = DroppedColumn{t.columns[i].type, t.columns[i].kind, drop_time_micros(s)};
    t.columns.erase(t.columns.begin() + i);
    *changed = true;
  }
  rebuild_key_indexes(t);
}

void alter_rename(TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& [from, to] : s.renames) {
    int i = t.column_index(from);
    if (i < 0) {
      // Cassandra looks an IF EXISTS rename's column up as a name of the table: a missing one is undefined.
      if (s.if_column_exists) throw InvalidRequest("Undefined column name " + from + " in table " + t.keyspace + "." + t.name);
      throw InvalidRequest("Column " + from + " was not found in table " + t.keyspace + "." + t.name);
    }
    if (!t.columns[i].is_primary_key())
      throw InvalidRequest("Cannot rename non PRIMARY KEY column " + from);
    if (t.find_column(to) != nullptr)
      throw InvalidRequest("Cannot rename column " + from + " to " + to + " in table '" + t.keyspace + "." + t.name + "'; another column with that name already exists");
    if (t.find_index_on(from) != nullptr)
      throw InvalidRequest("Cannot rename column " + from + " because it has dependent secondary indexes");
    t.columns[i].name = to;
    *changed = true;
  }
}

}  // namespace

Result alter_table(const DdlContext& ctx, const ast::AlterTableStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.find_keyspace(ks_name)) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    if (!schema.find_table(ks_name, s.table.name)) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Table '" + ks_name + "." + s.table.name + "' doesn't exist");
    }
    check_base_alter(*schema.find_keyspace(ks_name), *schema.find_table(ks_name, s.table.name), s);
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    auto t = mutable_table(ks, s.table.name);
    bool changed = false;
    switch (s.action) {
      case ast::AlterTableStatement::Action::kAdd:
        if (t->compact_storage) throw InvalidRequest("Cannot add new column to a COMPACT STORAGE table");
        alter_add(schema, *t, s, &changed);
        break;
      case ast::AlterTableStatement::Action::kDrop: alter_drop(*t, s, &changed); break;
      case ast::AlterTableStatement::Action::kRename: alter_rename(*t, s, &changed); break;
      case ast::AlterTableStatement::Action::kWith:
        apply_table_properties(s.properties, &t->options);
        changed = true;
        break;
      case ast::AlterTableStatement::Action::kAlterColumnType:
        throw InvalidRequest("Altering column types is no longer supported");
      case ast::AlterTableStatement::Action::kAlterColumnMask:
        throw InvalidRequest("Dynamic data masking is not supported by cqld");
      case ast::AlterTableStatement::Action::kDropCompactStorage:
        // cassandra.yaml's drop_compact_storage_enabled is false by default.
        throw InvalidRequest("DROP COMPACT STORAGE is disabled. Enable in cassandra.yaml to use.");
    }
    if (!changed) return std::nullopt;
    follow_base_alter(ks, *t, s);
    return change(Change::kUpdated, Target::kTable, ks_name, s.table.name);
  }));
}

}  // namespace cqld
