#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

Result drop_index(const DdlContext& ctx, const ast::DropIndexStatement& s) {
  std::string ks_name = statement_keyspace(s.index.keyspace, *ctx.client);
  // Cassandra's DropIndexStatement refuses system keyspaces as an invalid request.
  if (is_system_keyspace(ks_name)) throw InvalidRequest("System keyspace '" + ks_name + "' is not user-modifiable");
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    }
    for (const auto& [tn, t] : existing->tables) {
      for (size_t i = 0; i < t->indexes.size(); ++i) {
        if (t->indexes[i].name != s.index.name) continue;
        std::string table_name = tn;
        KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
        auto copy = mutable_table(ks, table_name);
        copy->indexes.erase(copy->indexes.begin() + static_cast<long>(i));
        return change(Change::kUpdated, Target::kTable, ks_name, table_name);
      }
    }
    if (s.if_exists) return std::nullopt;
    throw InvalidRequest("Index '" + ks_name + "." + s.index.name + "' doesn't exist'");
  }));
}

}  // namespace cqld
