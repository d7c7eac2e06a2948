// The vector type's values (Cassandra 5's VectorType): n elements, none null. Elements of a
// fixed-size type (int, float, uuid, ...) are concatenated; others each carry an unsigned vint
// length before their bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "types/cql_type.h"

namespace cqld {

// The serialized size of every value of "type", or 0 when values vary in size (Cassandra's
// valueLengthIfFixed).
size_t fixed_value_size(const CqlType& type);

// The elements of a vector value; throws InvalidRequest when the bytes are not n elements.
std::vector<std::string_view> split_vector(const CqlType& vector, std::string_view bytes);
std::string serialize_vector(const CqlType& vector, const std::vector<std::string>& elements);

}  // namespace cqld
