#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

Result drop_type(const DdlContext& ctx, const ast::DropTypeStatement& s) {
  std::string ks_name = statement_keyspace(s.type.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr || existing->find_type(s.type.name) == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Type '" + ks_name + "." + s.type.name + "' doesn't exist");
    }
    std::vector<std::string> using_types, using_tables;
    for (const auto& [tn, other] : existing->types)
      for (const auto& f : other->field_types)
        if (type_references_udt(*f, ks_name, s.type.name)) {
          using_types.push_back(tn);
          break;
        }
    for (const auto& [tn, t] : existing->tables) {
      if (t->is_view()) continue;  // a view's columns are its base table's: Cassandra names the table
      for (const auto& c : t->columns)
        if (type_references_udt(*c.type, ks_name, s.type.name)) {
          using_tables.push_back(tn);
          break;
        }
    }
    auto join = [](const std::vector<std::string>& names) {
      std::string out;
      for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
      return out;
    };
    std::string prefix = "Cannot drop user type '" + ks_name + "." + s.type.name + "' as it is still used by ";
    if (!using_types.empty()) throw InvalidRequest(prefix + "user types " + join(using_types));
    if (!using_tables.empty()) throw InvalidRequest(prefix + "tables " + join(using_tables));
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.types.erase(s.type.name);
    ks.type_order.erase(std::find(ks.type_order.begin(), ks.type_order.end(), s.type.name));
    return change(Change::kDropped, Target::kType, ks_name, s.type.name);
  }));
}

}  // namespace cqld
