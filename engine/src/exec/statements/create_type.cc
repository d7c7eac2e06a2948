#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

Result create_type(const DdlContext& ctx, const ast::CreateTypeStatement& s) {
  std::string ks_name = statement_keyspace(s.type.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    if (existing->find_type(s.type.name) != nullptr) {
      if (s.if_not_exists) return std::nullopt;
      throw InvalidRequest("A user type with name '" + s.type.name + "' already exists");
    }
    auto type = std::make_shared<UserTypeDef>();
    type->keyspace = ks_name;
    type->name = s.type.name;
    std::set<std::string> seen;
    for (const auto& [field, raw] : s.fields) {
      if (!seen.insert(field).second) throw InvalidRequest("Duplicate field name " + field + " in type " + s.type.name);
      // Checked on the type as written, before its name is looked up: a name that is no
      // native type is a user type, and a field cannot hold one unfrozen (as in Cassandra).
      if (raw.kind == TypeKind::kUdt && !raw.frozen) throw InvalidRequest("A user type cannot contain non-frozen UDTs");
      TypePtr t = resolve_type(raw, schema, ks_name);
      if (t->kind == TypeKind::kUdt && t->is_multi_cell()) throw InvalidRequest("A user type cannot contain non-frozen UDTs");
      // A collection field stays as written (system_schema.types shows list<int>); a table may use
      // the type only frozen then (make_column), which freezes the field's value with it.
      if (t->kind == TypeKind::kCounter) throw InvalidRequest("A user type cannot contain counters");
      type->field_names.push_back(field);
      type->field_types.push_back(t);
    }
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.types[type->name] = type;
    ks.type_order.push_back(type->name);
    return change(Change::kCreated, Target::kType, ks_name, type->name);
  }));
}

}  // namespace cqld
