#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

Result create_keyspace(const DdlContext& ctx, const ast::CreateKeyspaceStatement& s) {
  validate_keyspace_name(s.keyspace);
  // The node-local system keyspaces are refused as invalid; the replicated ones as unauthorized.
  if (s.keyspace == "system" || s.keyspace == "system_schema" || s.keyspace == "system_views" ||
      s.keyspace == "system_virtual_schema")
    throw InvalidRequest("System keyspace '" + s.keyspace + "' is not user-modifiable");
  refuse_system(s.keyspace);
  KeyspaceProperties props = parse_keyspace_properties(s.properties, s.keyspace);
  if (!props.has_replication) throw InvalidRequest("Missing mandatory option 'replication'");
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (schema.keyspaces.count(s.keyspace)) {
      if (s.if_not_exists) return std::nullopt;
      throw AlreadyExists(s.keyspace, "", "Cannot add existing keyspace \"" + s.keyspace + "\"");
    }
    auto ks = std::make_shared<KeyspaceDef>();
    ks->name = s.keyspace;
    ks->replication = props.replication;
    ks->durable_writes = props.durable_writes;
    schema.keyspaces[s.keyspace] = ks;
    return change(Change::kCreated, Target::kKeyspace, s.keyspace);
  }));
}

}  // namespace cqld
