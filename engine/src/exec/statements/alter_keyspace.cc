#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

Result alter_keyspace(const DdlContext& ctx, const ast::AlterKeyspaceStatement& s) {
  refuse_system(s.keyspace);
  KeyspaceProperties props = parse_keyspace_properties(s.properties, s.keyspace);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.keyspaces.count(s.keyspace)) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + s.keyspace + "' doesn't exist");
    }
    KeyspaceDef& ks = mutable_keyspace(schema, s.keyspace);
    if (props.has_replication) ks.replication = props.replication;
    if (props.has_durable_writes) ks.durable_writes = props.durable_writes;
    return change(Change::kUpdated, Target::kKeyspace, s.keyspace);
  }));
}

}  // namespace cqld
