// CQL values to and from JSON, as each Cassandra type's toJSONString and fromJSONObject do it:
// what toJson(), SELECT JSON, fromJson() and INSERT JSON share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "functions/json_parser.h"
#include "types/cql_type.h"
#include "types/value.h"

namespace cqld {

// The JSON text of a serialized value: numbers bare (NaN and infinities as null, decimals as
// BigDecimal.toString), text escaped, blobs "0x..", timestamps "2024-01-02 03:04:05.678Z"
// (UTC, whatever the client's or server's zone), dates, times, durations, uuids and inets as
// strings, lists/sets/tuples/vectors as arrays, maps and UDTs as objects (map keys that are not
// text become strings of their JSON).
std::string value_to_json(const CqlType& type, std::string_view bytes);
// The same for a value that may be null ("null").
std::string value_to_json(const CqlType& type, const Value& value);

// The value "json" stands for in a column of "type". JSON null is a null value (callers that
// forbid it check first). Throws InvalidRequest with the message of Cassandra's MarshalException
// ("Expected an int value, but got a Long: 2147483648").
Value value_from_json(const CqlType& type, const JsonValue& json);

// A result or field name as a JSON object key: in double quotes when it is not all lower case
// (so it reads back as the case-sensitive name), then escaped as a JSON string body.
std::string json_key(const std::string& name);

// A key of an INSERT JSON object or of a UDT's JSON as the column or field it names:
// "\"Name\"" is the case-sensitive Name, anything else is folded to lower case.
std::string json_key_to_name(const std::string& key);

// One SELECT JSON row: {"name": value, ...} over the selected columns' names and types.
std::string json_object(const std::vector<std::string>& names, const std::vector<TypePtr>& types,
                        const std::vector<Value>& values);

}  // namespace cqld
