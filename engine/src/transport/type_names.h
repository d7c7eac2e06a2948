// How type options name types that a protocol version has no id for: Cassandra sends them as
// custom types carrying the Java marshal class name.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "types/cql_type.h"

namespace cqld::transport {

// The marshal class a type is sent as under "version", or empty if it has its own option id
// there (duration is custom in v3 and v4; date, time, smallint and tinyint are custom in v3).
std::string_view custom_class_for(TypeKind kind, uint8_t version);

// The reverse: the kind a known marshal class stands for, if cqld has a native type for it.
std::optional<TypeKind> kind_of_custom_class(std::string_view java_class);

// Whether "id" is the option id of a primitive (parameterless, non-custom) type in v4.
bool is_primitive_option_id(uint16_t id);

}  // namespace cqld::transport
