// Masked columns (Cassandra 5.0's dynamic data masking, MASKED WITH): the checks a column's
// masking function gets when a table is defined. cqld checks the definition as Cassandra does
// but does not keep it (see the README's limitations).
#pragma once

#include <string>

#include "cql/ast.h"
#include "types/cql_type.h"

namespace cqld {

// Throws InvalidRequest, in Cassandra's words, when "mask" cannot mask "column" of "type": an
// unknown or non-masking function, arguments it does not take, or a result of another type.
void check_column_mask(const ast::ColumnMask& mask, const std::string& column, const TypePtr& type);

}  // namespace cqld
