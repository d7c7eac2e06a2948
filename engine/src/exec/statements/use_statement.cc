#include "exec/statements/use_statement.h"

#include "common/errors.h"
#include "schema/system_tables.h"

namespace cqld {

Result UseStatement::execute(ExecutionContext& ctx) const {
  bool exists = ctx.schema->current()->find_keyspace(keyspace_) != nullptr ||
                find_virtual_table(keyspace_, "keyspaces") != nullptr || is_system_keyspace(keyspace_);
  if (!exists) throw InvalidRequest("Keyspace '" + keyspace_ + "' does not exist");
  ctx.client->keyspace = keyspace_;
  return SetKeyspaceResult{keyspace_};
}

}  // namespace cqld
