// value_from_json: each CQL type's fromJSONObject, with the messages of Cassandra's
// MarshalExceptions. Strings go through the type's fromString, so every CQL literal form of a
// value (dates, durations, "NaN", digits for numbers) is accepted in JSON as a string.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>

#include "common/errors.h"
#include "functions/json_codec.h"
#include "types/bignum.h"
#include "types/from_string.h"
#include "types/vector.h"

namespace cqld {
namespace {

using Kind = JsonValue::Kind;

[[noreturn]] void expected(const std::string& what, const JsonValue& json) {
  throw InvalidRequest("Expected " + what + ", but got a " + json.java_class() + ": " + json.java_string());
}

std::string java_qualified_class(const JsonValue& json) {
  switch (json.kind) {
    case Kind::kArray: return "java.util.ArrayList";
    case Kind::kObject: return "java.util.LinkedHashMap";
    default: return std::string("java.lang.") + json.java_class();
  }
}

std::string blob_from_json(const JsonValue& json) {
  std::string why;
  if (json.kind != Kind::kString) {
    std::string cls = java_qualified_class(json);
    why = "class " + cls + " cannot be cast to class java.lang.String (" + cls +
          " and java.lang.String are in module java.base of loader 'bootstrap')";
  } else if (json.text.rfind("0x", 0) != 0) {
    why = "String representation of blob is missing 0x prefix: " + json.text;
  } else {
    try {
      return blob_from_hex(std::string_view(json.text).substr(2));
    } catch (const InvalidRequest& e) {
      why = e.what();
    }
  }
  throw InvalidRequest("Value '" + json.java_string() + "' is not a valid blob representation: " + why);
}

// A Java Number's doubleValue(): the number the text denotes, rounded once.
double number_value(const JsonValue& json) {
  return json.kind == Kind::kDouble ? json.number : std::strtod(json.text.c_str(), nullptr);
}

std::string floating_from_json(TypeKind kind, const JsonValue& json) {
  bool is_float = kind == TypeKind::kFloat;
  if (json.kind == Kind::kString) return value_from_string(kind, json.text);
  if (!json.is_number()) expected(is_float ? "a float value" : "a double value", json);
  double d = number_value(json);
  if (is_float) return encode_int32(static_cast<int32_t>(std::bit_cast<uint32_t>(static_cast<float>(d))));
  return encode_int64(std::bit_cast<int64_t>(d));
}

// Integer types: strings through fromString; numbers of the Java classes the type accepts.
std::string integer_from_json(TypeKind kind, const JsonValue& json) {
  if (json.kind == Kind::kString) return value_from_string(kind, json.text);
  switch (kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
      // ByteType and ShortType parse String.valueOf(number): "Unable to make short from '1.5'".
      if (json.is_number()) return value_from_string(kind, json.java_string());
      expected(kind == TypeKind::kTinyint ? "a byte value" : "a short value", json);
    case TypeKind::kInt:
      if (json.kind == Kind::kInteger) return value_from_string(kind, json.text);
      expected("an int value", json);
    default:  // bigint, counter
      if (json.kind == Kind::kInteger || json.kind == Kind::kLong) return value_from_string(kind, json.text);
      expected("a bigint value", json);
  }
}

// varint and decimal: new BigInteger(object.toString()) / new BigDecimal(object.toString()).
std::string big_number_from_json(TypeKind kind, const JsonValue& json) {
  std::string text = json.java_string();
  bool varint = kind == TypeKind::kVarint;
  std::optional<std::string> v = varint ? varint_from_string(text) : decimal_from_string(text);
  if (!v || json.kind == Kind::kNull || text.empty()) {
    throw InvalidRequest("Value '" + text + "' is not a valid representation of a " + (varint ? "varint" : "decimal") +
                         " value");
  }
  return *v;
}

// The types that take only strings (and timestamps, which also take integer milliseconds).
std::string string_typed_from_json(TypeKind kind, const JsonValue& json) {
  if (json.kind == Kind::kString && kind == TypeKind::kTimestamp) {
    // TimestampSerializer.dateStringToTimestamp words its refusal apart from the CQL literal's.
    try {
      return value_from_string(kind, json.text);
    } catch (const InvalidRequest&) {
      throw InvalidRequest("Unable to parse a date/time from '" + json.text + "'");
    }
  }
  if (json.kind == Kind::kString) return value_from_string(kind, json.text);
  switch (kind) {
    case TypeKind::kTimestamp:
      if (json.kind == Kind::kInteger || json.kind == Kind::kLong) return value_from_string(TypeKind::kBigint, json.text);
      expected("a long or a datestring representation of a timestamp value", json);
    case TypeKind::kDate: expected("a string representation of a date value", json);
    case TypeKind::kTime: expected("a string representation of a time value", json);
    case TypeKind::kUuid: expected("a string representation of a uuid", json);
    case TypeKind::kTimeuuid: expected("a string representation of a timeuuid", json);
    case TypeKind::kInet: expected("a string representation of an inet value", json);
    case TypeKind::kDuration: expected("a string representation of a duration", json);
    case TypeKind::kAscii: expected("an ascii string", json);
    default: expected("a UTF-8 string", json);
  }
}

std::string scalar_from_json(TypeKind kind, const JsonValue& json) {
  switch (kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter: return integer_from_json(kind, json);
    case TypeKind::kVarint:
    case TypeKind::kDecimal: return big_number_from_json(kind, json);
    case TypeKind::kFloat:
    case TypeKind::kDouble: return floating_from_json(kind, json);
    case TypeKind::kBoolean:
      if (json.kind == Kind::kBoolean) return std::string(1, json.boolean ? '\x01' : '\x00');
      if (json.kind == Kind::kString) return value_from_string(kind, json.text);
      expected("a boolean value", json);
    case TypeKind::kBlob:
    case TypeKind::kCustom: return blob_from_json(json);
    default: return string_typed_from_json(kind, json);
  }
}

// Collections, tuples, UDTs and vectors also take their JSON inside a string.
JsonValue decode_if_string(const JsonValue& json) {
  if (json.kind != Kind::kString) return json;
  try {
    return parse_json(json.text);
  } catch (const JsonSyntaxError& e) {
    throw InvalidRequest("Could not decode JSON string '" + json.text + "': " + e.what());
  }
}

std::string set_or_list_from_json(const CqlType& type, const JsonValue& json) {
  bool is_set = type.kind == TypeKind::kSet;
  if (json.kind != Kind::kArray) expected(is_set ? "a list (representing a set)" : "a list", json);
  const CqlType& element = *type.params[0];
  std::vector<std::string> values;
  for (const JsonValue& e : json.elements) {
    if (e.is_null()) throw InvalidRequest(is_set ? "Invalid null element in set" : "Invalid null element in list");
    values.push_back(value_from_json(element, e).bytes);
  }
  if (is_set) {
    std::stable_sort(values.begin(), values.end(),
                     [&](const std::string& a, const std::string& b) { return compare_values(element, a, b) < 0; });
    values.erase(std::unique(values.begin(), values.end(),
                             [&](const std::string& a, const std::string& b) { return compare_values(element, a, b) == 0; }),
                 values.end());
  }
  return serialize_collection(values);
}

std::string map_from_json(const CqlType& type, const JsonValue& json) {
  if (json.kind != Kind::kObject) expected("a map", json);
  const CqlType& key_type = *type.params[0];
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& [key, value] : json.members) {
    if (value.is_null()) throw InvalidRequest("Invalid null value in map");
    JsonValue key_json;
    key_json.kind = Kind::kString;
    key_json.text = key;
    entries.emplace_back(value_from_json(key_type, key_json).bytes, value_from_json(*type.params[1], value).bytes);
  }
  // Sorted by key, a key written twice keeping its last value.
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const auto& a, const auto& b) { return compare_values(key_type, a.first, b.first) < 0; });
  std::vector<std::pair<std::string, std::string>> unique;
  for (auto& e : entries) {
    if (!unique.empty() && compare_values(key_type, unique.back().first, e.first) == 0) unique.back().second = std::move(e.second);
    else unique.push_back(std::move(e));
  }
  return serialize_map(unique);
}

std::string tuple_from_json(const CqlType& type, const JsonValue& json) {
  if (json.kind != Kind::kArray) expected("a list representation of a tuple", json);
  size_t n = type.params.size();
  std::string expected_count = "(expected " + std::to_string(n) + "): " + json.java_string();
  if (json.elements.size() > n) throw InvalidRequest("Tuple contains extra items " + expected_count);
  if (json.elements.size() < n) throw InvalidRequest("Tuple is missing items " + expected_count);
  std::vector<Value> fields;
  for (size_t i = 0; i < n; ++i)
    fields.push_back(json.elements[i].is_null() ? Value::null() : value_from_json(*type.params[i], json.elements[i]));
  return serialize_tuple(fields);
}

// Fields are matched case-insensitively unless the key is in double quotes; missing fields
// are null; a key naming no field is refused once the fields are decoded.
std::string udt_from_json(const CqlType& type, const JsonValue& json) {
  if (json.kind != Kind::kObject) expected("a map", json);
  std::vector<std::pair<std::string, const JsonValue*>> members;
  for (const auto& [key, value] : json.members) members.emplace_back(json_key_to_name(key), &value);
  std::vector<Value> fields;
  for (size_t i = 0; i < type.field_names.size(); ++i) {
    const JsonValue* value = nullptr;
    for (const auto& [name, v] : members)
      if (name == type.field_names[i]) value = v;
    if (value == nullptr || value->is_null()) {
      fields.push_back(Value::null());
      continue;
    }
    fields.push_back(value_from_json(*type.params[i], *value));
  }
  for (const auto& [name, v] : members) {
    if (std::find(type.field_names.begin(), type.field_names.end(), name) == type.field_names.end())
      throw InvalidRequest("Unknown field '" + name + "' in value of user defined type " + type.udt_name);
  }
  return serialize_tuple(fields);
}

std::string vector_from_json(const CqlType& type, const JsonValue& json) {
  if (json.kind != Kind::kArray) expected("a list", json);
  if (json.elements.size() != static_cast<size_t>(type.dimension)) {
    throw InvalidRequest("List had incorrect size: expected " + std::to_string(type.dimension) + " but given " +
                         std::to_string(json.elements.size()) + "; " + json.java_string());
  }
  std::vector<std::string> elements;
  for (const JsonValue& e : json.elements) {
    if (e.is_null()) throw InvalidRequest("Invalid null element in list");
    elements.push_back(value_from_json(*type.params[0], e).bytes);
  }
  return serialize_vector(type, elements);
}

}  // namespace

Value value_from_json(const CqlType& type, const JsonValue& json) {
  if (json.is_null()) return Value::null();
  switch (type.kind) {
    case TypeKind::kList:
    case TypeKind::kSet: return Value::of(set_or_list_from_json(type, decode_if_string(json)));
    case TypeKind::kMap: return Value::of(map_from_json(type, decode_if_string(json)));
    case TypeKind::kTuple: return Value::of(tuple_from_json(type, decode_if_string(json)));
    case TypeKind::kUdt: return Value::of(udt_from_json(type, decode_if_string(json)));
    case TypeKind::kVector: return Value::of(vector_from_json(type, decode_if_string(json)));
    default: return Value::of(scalar_from_json(type.kind, json));
  }
}

}  // namespace cqld
