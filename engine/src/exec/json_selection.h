// The JSON parts of a SELECT clause: toJson(x) selectors and SELECT JSON's one-column rows.
#pragma once

#include <memory>
#include <vector>

#include "exec/result.h"
#include "exec/selection.h"

namespace cqld {

// toJson(argument): the argument's value as JSON text (varchar); a null argument gives "null".
std::unique_ptr<SelectorNode> to_json_selector(std::unique_ptr<SelectorNode> argument);

// SELECT JSON's result column: "[json]" varchar of the table read.
ColumnSpec json_result_column(const std::string& keyspace, const std::string& table);

// One SELECT JSON row: the values of "columns" (as the selection names and types them) as a
// JSON object, keys in selection order (a name selected twice appears twice, as in Cassandra).
Value json_row(const std::vector<ColumnSpec>& columns, const std::vector<Value>& values);

}  // namespace cqld
