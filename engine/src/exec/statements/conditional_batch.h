// A batch with conditions, as Cassandra's BatchStatement runs one: all its statements on one
// partition of one table; every condition (IF NOT EXISTS, IF EXISTS, IF ...) is checked against
// the partition as it was before the batch, under the partition's lock; then every statement's
// writes are applied together at one timestamp, or none is. A batch that does not apply answers
// [applied] false with the rows its conditions read: the primary key and the condition columns,
// or every column when a statement asks IF [NOT] EXISTS.
#pragma once

#include <vector>

#include "exec/result.h"
#include "exec/statements/modification_statement.h"
#include "exec/statements/statement.h"

namespace cqld {

struct ConditionalBatchChild {
  const ModificationStatement* statement = nullptr;
  Bindings bindings;
};

// Throws InvalidRequest (Cassandra's messages) for a batch spanning tables or partitions, a
// custom timestamp, or contradictory conditions on one row.
RowsResult execute_conditional_batch(ExecutionContext& ctx, const std::vector<ConditionalBatchChild>& children);

}  // namespace cqld
