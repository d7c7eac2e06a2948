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

// Replaces every use of the user type ks.name inside "type" by its new definition.
TypePtr replace_udt(const TypePtr& type, const UserTypeDef& updated) {
  if (type->kind == TypeKind::kUdt && type->udt_keyspace == updated.keyspace && type->udt_name == updated.name)
    return updated.as_type(type->frozen);
  if (type->params.empty()) return type;
  auto copy = std::make_shared<CqlType>(*type);
  for (auto& p : copy->params) p = replace_udt(p, updated);
  return copy;
}

void propagate_type_change(KeyspaceDef& ks, const UserTypeDef& updated) {
  for (auto& [tn, t] : ks.tables) {
    bool uses = false;
    for (const auto& c : t->columns) uses = uses || type_references_udt(*c.type, ks.name, updated.name);
    if (!uses) continue;
    auto copy = std::make_shared<TableDef>(*t);
    for (auto& c : copy->columns) c.type = replace_udt(c.type, updated);
    t = copy;
  }
  for (auto& [name, other] : ks.types) {
    if (name == updated.name) continue;
    bool uses = false;
    for (const auto& f : other->field_types) uses = uses || type_references_udt(*f, ks.name, updated.name);
    if (!uses) continue;
    auto copy = std::make_shared<UserTypeDef>(*other);
    for (auto& f : copy->field_types) f = replace_udt(f, updated);
    other = copy;
  }
}

}  // namespace

Result alter_type(const DdlContext& ctx, const ast::AlterTypeStatement& s) {
  std::string ks_name = statement_keyspace(s.type.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    const UserTypeDef* old = existing->find_type(s.type.name);
    if (old == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Type " + ks_name + "." + s.type.name + " doesn't exist");
    }
    auto updated = std::make_shared<UserTypeDef>(*old);
    auto field_index = [&](const std::string& f) {
      auto it = std::find(updated->field_names.begin(), updated->field_names.end(), f);
      return it == updated->field_names.end() ? -1 : static_cast<int>(it - updated->field_names.begin());
    };
    if (s.action == ast::AlterTypeStatement::Action::kAdd) {
      if (field_index(s.field) >= 0) {
        if (s.if_field_exists) return std::nullopt;
        throw InvalidRequest("Cannot add field " + s.field + " to type " + ks_name + "." + s.type.name +
                             ": a field with name " + s.field + " already exists");
      }
      TypePtr t = resolve_type(s.field_type, schema, ks_name);
      if (t->kind == TypeKind::kUdt && t->is_multi_cell()) throw InvalidRequest("A user type cannot contain non-frozen UDTs");
      // A collection field stays as written (system_schema.types shows list<int>); a table may use
      // the type only frozen then (make_column), which freezes the field's value with it.
      // A partition key's token is of its serialized bytes: a new field would change them.
      std::string tables;
      for (const auto& [name, table] : existing->tables)
        for (size_t pk : table->partition_key)
          if (type_references_udt(*table->columns[pk].type, ks_name, s.type.name)) {
            tables += (tables.empty() ? "" : ", ") + ks_name + "." + name;
            break;
          }
      if (!tables.empty())
        throw InvalidRequest("Cannot add new field " + s.field + " of type " + type_to_cql(*t) + " to user type " + ks_name +
                             "." + s.type.name + " as the type is being used in partition key by the following tables: " +
                             tables);
      updated->field_names.push_back(s.field);
      updated->field_types.push_back(t);
    } else if (s.action == ast::AlterTypeStatement::Action::kRename) {
      for (const auto& [from, to] : s.renames) {
        int i = field_index(from);
        if (i < 0) {
          if (s.if_field_exists) continue;
          throw InvalidRequest("Unkown field " + from + " in user type " + ks_name + "." + s.type.name);
        }
        updated->field_names[static_cast<size_t>(i)] = to;
      }
      // Cassandra's UserType validation after the renames; its message names the keyspace as the type.
      std::set<std::string> names;
      for (const auto& name : updated->field_names)
        if (!names.insert(name).second) throw InvalidRequest("Duplicate field name " + name + " in type " + ks_name);
    } else {
      throw InvalidRequest("Altering field types is no longer supported");
    }
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.types[updated->name] = updated;
    propagate_type_change(ks, *updated);
    return change(Change::kUpdated, Target::kType, ks_name, updated->name);
  }));
}

}  // namespace cqld
