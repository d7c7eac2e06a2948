#include "functions/json_codec.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/errors.h"
#include "common/text.h"
#include "functions/cast.h"
#include "types/bignum.h"
#include "types/duration.h"
#include "types/from_string.h"
#include "types/temporal.h"
#include "types/vector.h"
#include "types/wire.h"

namespace cqld {
namespace {

std::string quoted(std::string_view body) { return "\"" + quote_json_string(body) + "\""; }

std::string hex_blob(std::string_view bytes) { return "0x" + to_hex(std::string(bytes)); }

// BigDecimal.toString: plain unless the scale is negative or the number is below 1e-6, then
// one digit, the rest after a point, and E with the adjusted exponent ("-1.23E-12", "1E+3").
std::string java_decimal_string(std::string_view bytes) {
  int32_t scale = decode_int32(bytes.substr(0, 4));
  std::string unscaled = varint_to_string(bytes.substr(4));
  bool negative = !unscaled.empty() && unscaled[0] == '-';
  std::string digits = negative ? unscaled.substr(1) : unscaled;
  if (digits.empty()) digits = "0";
  int64_t adjusted = -static_cast<int64_t>(scale) + static_cast<int64_t>(digits.size()) - 1;
  std::string out;
  if (scale >= 0 && adjusted >= -6) {
    size_t s = static_cast<size_t>(scale);
    if (s == 0) out = digits;
    else if (digits.size() > s) out = digits.substr(0, digits.size() - s) + "." + digits.substr(digits.size() - s);
    else out = "0." + std::string(s - digits.size(), '0') + digits;
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += "E" + std::string(adjusted > 0 ? "+" : "") + std::to_string(adjusted);
  }
  return negative ? "-" + out : out;
}

// The JSON formatter's "yyyy-MM-dd HH:mm:ss.SSSX" in UTC: the year of the era (year 0 is 1 BC,
// printed 0001), four digits at least, with a '+' once it needs more.
std::string json_timestamp(int64_t millis) {
  constexpr int64_t kMillisPerDay = 86400000;
  int64_t days = millis / kMillisPerDay - (millis % kMillisPerDay < 0 ? 1 : 0);
  int64_t in_day = millis - days * kMillisPerDay;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  civil_from_days(days, &year, &month, &day);
  std::string era_year = std::to_string(year <= 0 ? 1 - year : year);
  if (era_year.size() < 4) era_year.insert(0, 4 - era_year.size(), '0');
  else if (era_year.size() > 4) era_year.insert(0, 1, '+');
  char rest[32];
  std::snprintf(rest, sizeof rest, "-%02u-%02u %02d:%02d:%02d.%03dZ", month, day, static_cast<int>(in_day / 3600000),
                static_cast<int>(in_day / 60000 % 60), static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
  return era_year + rest;
}

std::string join(const std::vector<std::string>& parts, char open, char close) {
  std::string out(1, open);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ", ";
    out += parts[i];
  }
  out.push_back(close);
  return out;
}

std::string collection_to_json(const CqlType& type, std::string_view bytes) {
  std::vector<std::string> parts;
  if (type.kind == TypeKind::kMap) {
    for (const auto& [k, v] : parse_map(bytes)) {
      // JSON object keys are strings: a key whose JSON is not one becomes a string of its JSON.
      std::string key = value_to_json(*type.params[0], k);
      if (key.empty() || key[0] != '"') key = quoted(key);
      parts.push_back(key + ": " + value_to_json(*type.params[1], v));
    }
    return join(parts, '{', '}');
  }
  for (const auto& e : parse_collection(bytes)) parts.push_back(value_to_json(*type.params[0], e));
  return join(parts, '[', ']');
}

std::string tuple_to_json(const CqlType& type, std::string_view bytes) {
  std::vector<Value> fields = parse_tuple(bytes);
  std::vector<std::string> parts;
  for (size_t i = 0; i < type.params.size(); ++i) {
    std::string field = value_to_json(*type.params[i], i < fields.size() ? fields[i] : Value::null());
    parts.push_back(type.kind == TypeKind::kUdt ? "\"" + json_key(type.field_names[i]) + "\": " + field : field);
  }
  return join(parts, type.kind == TypeKind::kUdt ? '{' : '[', type.kind == TypeKind::kUdt ? '}' : ']');
}

std::string vector_to_json(const CqlType& type, std::string_view bytes) {
  std::vector<std::string> parts;
  for (std::string_view e : split_vector(type, bytes)) parts.push_back(value_to_json(*type.params[0], e));
  return join(parts, '[', ']');
}

bool is_number_kind(TypeKind k) {
  switch (k) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kVarint:
    case TypeKind::kDecimal:
    case TypeKind::kFloat:
    case TypeKind::kDouble: return true;
    default: return false;
  }
}

std::string scalar_to_json(const CqlType& type, const std::string& b) {
  switch (type.kind) {
    case TypeKind::kDecimal: return java_decimal_string(b);
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      double d = type.kind == TypeKind::kFloat ? std::bit_cast<float>(static_cast<uint32_t>(wire::read_be(b, 4)))
                                               : std::bit_cast<double>(wire::read_be(b, 8));
      if (std::isnan(d) || std::isinf(d)) return "null";
      return value_to_text(type.kind, b);
    }
    case TypeKind::kBoolean: return b[0] != 0 ? "true" : "false";
    case TypeKind::kDuration: {
      auto d = deserialize_duration(b);
      return quoted(d ? duration_to_string(*d) : hex_blob(b));
    }
    default:
      if (is_number_kind(type.kind)) return value_to_text(type.kind, b);
      return quoted(value_to_text(type.kind, b));  // uuid, timeuuid, inet, date, time
  }
}

}  // namespace

std::string value_to_json(const CqlType& type, const Value& value) {
  return value.is_set() ? value_to_json(type, value.bytes) : "null";
}

std::string value_to_json(const CqlType& type, std::string_view bytes) {
  switch (type.kind) {
    case TypeKind::kAscii:
    case TypeKind::kVarchar: return quoted(bytes);
    case TypeKind::kBlob:
    case TypeKind::kCustom: return quoted(hex_blob(bytes));
    case TypeKind::kTimestamp:
      return bytes.size() == 8 ? quoted(json_timestamp(decode_int64(bytes))) : "\"\"";
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: return collection_to_json(type, bytes);
    case TypeKind::kTuple:
    case TypeKind::kUdt: return tuple_to_json(type, bytes);
    case TypeKind::kVector: return vector_to_json(type, bytes);
    default: break;
  }
  // An empty value of a type that has no empty form prints as Cassandra's "".
  if (bytes.empty()) return "\"\"";
  try {
    validate_value(type, bytes);
  } catch (const CqlError&) {
    return quoted(hex_blob(bytes));
  }
  return scalar_to_json(type, std::string(bytes));
}

std::string json_key(const std::string& name) {
  return quote_json_string(name == ascii_lower(name) ? name : "\"" + name + "\"");
}

std::string json_key_to_name(const std::string& key) {
  if (key.size() >= 2 && key.front() == '"' && key.back() == '"') return key.substr(1, key.size() - 2);
  return ascii_lower(key);
}

std::string json_object(const std::vector<std::string>& names, const std::vector<TypePtr>& types,
                        const std::vector<Value>& values) {
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += "\"" + json_key(names[i]) + "\": " + value_to_json(*types[i], values[i]);
  }
  return out + "}";
}

}  // namespace cqld
