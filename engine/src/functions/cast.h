// CAST(value AS type) in selections, with Cassandra's conversions (CastFcts): between the numeric
// types (Java's narrowing and widening rules), to text and ascii (each type's toString form), and
// among timestamp, date and timeuuid.
#pragma once

#include <string>

#include "types/cql_type.h"
#include "types/value.h"

namespace cqld {

// Whether Cassandra defines a cast from "from" to "to".
bool cast_supported(TypeKind from, TypeKind to);

// Converts a serialized value; "value" must be set (null stays null, handled by the caller).
std::string cast_value(TypeKind from, TypeKind to, const std::string& value);

// blobAsType(): the bytes must be a valid value of "type", else Cassandra's message naming the
// function ("In call to function system.blobasint, value 0x0102 is not ...").
void check_blob_conversion(const std::string& function, const CqlType& type, const std::string& bytes);

// The text Cassandra's toString gives a value of a type that can be cast to text.
std::string value_to_text(TypeKind kind, const std::string& value);

}  // namespace cqld
