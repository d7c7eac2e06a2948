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

void alter_add(const Schema& schema, TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& def : s.add) {
    const ColumnDef* existing = t.find_column(def.name);
    if (existing != nullptr) {
      if (s.if_column_exists) continue;
      throw InvalidRequest("Column with name '" + def.name + "' already exists");
    }
    ColumnDef c = make_column(def, schema, t.keyspace);
    if (c.kind == ColumnKind::kStatic && t.clustering.empty())
      throw InvalidRequest("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
    if ((c.type->kind == TypeKind::kCounter) != t.is_counter)
      throw InvalidRequest(t.is_counter ? "Cannot add a non counter column (" + def.name + ") in a counter table"
                                        : "Cannot add a counter column (" + def.name + ") in a non counter table");
    c.id = t.next_column_id++;
    t.columns.push_back(std::move(c));
    *changed = true;
  }
  sort_columns(t);
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
    t.columns.erase(t.columns.begin() + i);
    *changed = true;
  }
  rebuild_key_indexes(t);
}

void alter_rename(TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& [from, to] : s.renames) {
    int i = t.column_index(from);
    if (i < 0) {
      if (s.if_column_exists) continue;
      throw InvalidRequest("Column " + from + " was not found in table " + t.keyspace + "." + t.name);
    }
    if (!t.columns[i].is_primary_key())
      throw InvalidRequest("Cannot rename non PRIMARY KEY column " + from);
    if (t.find_column(to) != nullptr)
      throw InvalidRequest("Cannot rename column " + from + " to " + to + " in table '" + t.name + "'; another column with that name already exists");
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
      case ast::AlterTableStatement::Action::kAdd: alter_add(schema, *t, s, &changed); break;
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
        if (!t->compact_storage) throw InvalidRequest("Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE");
        t->compact_storage = false;
        changed = true;
        break;
    }
    if (!changed) return std::nullopt;
    follow_base_alter(ks, *t, s);
    return change(Change::kUpdated, Target::kTable, ks_name, s.table.name);
  }));
}

}  // namespace cqld
