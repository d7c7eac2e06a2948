#include "exec/statements/describe_statement.h"

#include "exec/describe.h"

namespace cqld {

Result DescribeStatement::execute(ExecutionContext& ctx) const {
  return describe(raw_, *ctx.schema->current(), ctx.client->keyspace, ctx.node->cluster_name);
}

}  // namespace cqld
