// Cell and parameter values: the protocol-v4 serialized form of a CQL value, or null/unset.
// cqld keeps values in their wire encoding end to end; type-aware code decodes on demand.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "types/cql_type.h"

namespace cqld {

struct Value {
  enum class State : uint8_t { kNull, kUnset, kSet };
  State state = State::kNull;
  std::string bytes;  // the serialized value when state == kSet (may be empty: an "empty value")

  static Value null() { return Value{}; }
  static Value unset() { return Value{State::kUnset, {}}; }
  static Value of(std::string b) { return Value{State::kSet, std::move(b)}; }
  bool is_null() const { return state == State::kNull; }
  bool is_unset() const { return state == State::kUnset; }
  bool is_set() const { return state == State::kSet; }
  bool operator==(const Value& o) const { return state == o.state && bytes == o.bytes; }
};

// Orders two serialized values of one type as Cassandra does (clustering order, range
// restrictions, min/max): signed numbers numerically, text/blob/ascii bytewise, uuid by
// version then time for v1 (TimeUUIDType order for timeuuid), inet by address bytes,
// booleans false < true, collections/tuples/UDTs element by element. An empty value sorts
// first. Returns <0, 0, >0.
int compare_values(const CqlType& type, std::string_view a, std::string_view b);

// Checks that "bytes" is a valid serialization of "type" (lengths, UTF-8 for text, ASCII for
// ascii, collection framing). Throws InvalidRequest with Cassandra's message otherwise.
void validate_value(const CqlType& type, std::string_view bytes);

// Human/CQL-literal form of a value, as cqlsh would print it inside a CQL statement:
// 'text' quoted, blobs 0x.., uuids bare, timestamps '2024-01-02 03:04:05.000Z' quoted...
std::string value_to_cql_literal(const CqlType& type, std::string_view bytes);

// Collection framing helpers (v4: int32 counts and lengths).
std::string serialize_collection(const std::vector<std::string>& elements);  // list/set
std::string serialize_map(const std::vector<std::pair<std::string, std::string>>& entries);
std::vector<std::string> parse_collection(std::string_view bytes);  // list/set elements
std::vector<std::pair<std::string, std::string>> parse_map(std::string_view bytes);
// Tuples and UDTs: concatenated [int32 length][bytes] (length -1 = null field).
std::string serialize_tuple(const std::vector<Value>& fields);
std::vector<Value> parse_tuple(std::string_view bytes);


// Fixed-width encoders used everywhere.
std::string encode_int32(int32_t v);
std::string encode_int64(int64_t v);
int32_t decode_int32(std::string_view b);
int64_t decode_int64(std::string_view b);

}  // namespace cqld
