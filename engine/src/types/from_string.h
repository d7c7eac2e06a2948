// Cassandra's AbstractType.fromString for the native types: the text of a constant (or of a
// string cast/JSON value) to its serialized value, with Cassandra's error messages.
#pragma once

#include <string>
#include <string_view>

#include "types/cql_type.h"

namespace cqld {

// Converts "text" to a value of the native type "kind" (an empty string gives an empty value
// for the types Cassandra allows it). Throws InvalidRequest, e.g. "Unable to make int from 'x'".
std::string value_from_string(TypeKind kind, std::string_view text);

// Hex digits (no 0x prefix) to bytes. Throws InvalidRequest "cannot parse '...' as hex bytes".
std::string blob_from_hex(std::string_view hex);

}  // namespace cqld
