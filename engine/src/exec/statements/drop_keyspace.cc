#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

Result drop_keyspace(const DdlContext& ctx, const ast::DropKeyspaceStatement& s) {
  refuse_system(s.keyspace);
  auto r = ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    auto it = schema.keyspaces.find(s.keyspace);
    if (it == schema.keyspaces.end()) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + s.keyspace + "' doesn't exist");
    }
    schema.keyspaces.erase(it);
    return change(Change::kDropped, Target::kKeyspace, s.keyspace);
  });
  return to_result(r);
}

}  // namespace cqld
