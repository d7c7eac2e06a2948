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

bool is_replicated_system_keyspace(const std::string& keyspace) {
  return keyspace == "system_auth" || keyspace == "system_distributed" || keyspace == "system_traces";
}

}  // namespace

Result alter_keyspace(const DdlContext& ctx, const ast::AlterKeyspaceStatement& s) {
  // Cassandra lets the replicated system keyspaces (system_auth, system_distributed,
  // system_traces) be altered; cqld keeps such a change until it restarts (see the README).
  if (!is_replicated_system_keyspace(s.keyspace)) refuse_system(s.keyspace);
  KeyspaceProperties props = parse_keyspace_properties(s.properties, s.keyspace);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.keyspaces.count(s.keyspace)) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + s.keyspace + "' doesn't exist");
    }
    const KeyspaceDef& current = *schema.keyspaces.at(s.keyspace);
    bool same_replication = !props.has_replication || props.replication == current.replication;
    bool same_durability = !props.has_durable_writes || props.durable_writes == current.durable_writes;
    if (same_replication && same_durability) return std::nullopt;  // no schema difference: Void, as Cassandra
    KeyspaceDef& ks = mutable_keyspace(schema, s.keyspace);
    if (props.has_replication) ks.replication = props.replication;
    if (props.has_durable_writes) ks.durable_writes = props.durable_writes;
    return change(Change::kUpdated, Target::kKeyspace, s.keyspace);
  }));
}

}  // namespace cqld
