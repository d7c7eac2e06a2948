// The fixed-width numeric types as numbers, for aggregates and arithmetic: reading a value as a
// long double, writing one back in a type's encoding (integers truncate and wrap as Java's
// narrowing does).
#pragma once

#include <string>

#include "types/cql_type.h"

namespace cqld {

// tinyint, smallint, int, bigint, counter, float, double.
bool is_fixed_width_number(TypeKind kind);
long double to_number(TypeKind kind, const std::string& bytes);
std::string from_number(TypeKind kind, long double value);

}  // namespace cqld
