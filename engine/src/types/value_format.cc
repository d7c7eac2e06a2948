// value_to_cql_literal: values printed as CQL literals that parse back to the same value.
#include <arpa/inet.h>

#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>

#include "common/errors.h"
#include "types/bignum.h"
#include "types/duration.h"
#include "types/temporal.h"
#include "types/value.h"
#include "types/wire.h"
#include "types/vector.h"

namespace cqld {
namespace {

std::string quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (char c : bytes) {
    out.push_back(kDigits[static_cast<uint8_t>(c) >> 4]);
    out.push_back(kDigits[static_cast<uint8_t>(c) & 0xF]);
  }
  return out;
}

template <typename Float>
std::string format_float(Float f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  return std::string(buf, end);
}

std::string format_uuid(std::string_view b) {
  std::string h = hex(b).substr(2);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string format_inet(std::string_view b) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(b.size() == 4 ? AF_INET : AF_INET6, b.data(), buf, sizeof buf);
  return quote(buf);
}

std::string join(const std::vector<std::string>& parts, const char* open, const char* close) {
  std::string out = open;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ", ";
    out += parts[i];
  }
  return out + close;
}

std::string format_collection(const CqlType& type, std::string_view bytes) {
  std::vector<std::string> parts;
  if (type.kind == TypeKind::kMap) {
    for (const auto& [k, v] : parse_map(bytes))
      parts.push_back(value_to_cql_literal(*type.params[0], k) + ": " +
                      value_to_cql_literal(*type.params[1], v));
    return join(parts, "{", "}");
  }
  for (const auto& e : parse_collection(bytes))
    parts.push_back(value_to_cql_literal(*type.params[0], e));
  return type.kind == TypeKind::kList ? join(parts, "[", "]") : join(parts, "{", "}");
}

std::string field_literal(const CqlType& type, const Value& v) {
  return v.is_null() ? "null" : value_to_cql_literal(type, v.bytes);
}

std::string format_tuple(const CqlType& type, std::string_view bytes) {
  std::vector<Value> fields = parse_tuple(bytes);
  std::vector<std::string> parts;
  for (size_t i = 0; i < type.params.size(); ++i) {
    Value v = i < fields.size() ? fields[i] : Value::null();
    if (type.kind == TypeKind::kUdt) {
      parts.push_back(type.field_names[i] + ": " + field_literal(*type.params[i], v));
    } else {
      parts.push_back(field_literal(*type.params[i], v));
    }
  }
  return type.kind == TypeKind::kUdt ? join(parts, "{", "}") : join(parts, "(", ")");
}

std::string format_vector(const CqlType& type, std::string_view bytes) {
  std::vector<std::string> parts;
  for (std::string_view element : split_vector(type, bytes)) parts.push_back(value_to_cql_literal(*type.params[0], element));
  return join(parts, "[", "]");
}

bool is_textual(TypeKind k) {
  return k == TypeKind::kAscii || k == TypeKind::kVarchar;
}

}  // namespace

std::string value_to_cql_literal(const CqlType& type, std::string_view bytes) {
  if (is_textual(type.kind)) return quote(bytes);
  if (type.kind == TypeKind::kBlob || type.kind == TypeKind::kCustom) return hex(bytes);
  // An empty value of a non-text type has no literal of its own; this expression yields it.
  if (bytes.empty() && type.params.empty()) {
    std::string name = type_to_cql(type);
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    return "blobAs" + name + "(0x)";
  }
  // Bytes that are not a valid value of the type can only be shown as a blob.
  try {
    validate_value(type, bytes);
  } catch (const CqlError&) {
    return hex(bytes);
  }
  switch (type.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return std::to_string(wire::read_signed_be(bytes, bytes.size()));
    case TypeKind::kVarint:
      return varint_to_string(bytes);
    case TypeKind::kDecimal:
      return decimal_to_string(bytes);
    case TypeKind::kFloat:
      return format_float(std::bit_cast<float>(static_cast<uint32_t>(wire::read_be(bytes, 4))));
    case TypeKind::kDouble:
      return format_float(std::bit_cast<double>(wire::read_be(bytes, 8)));
    case TypeKind::kBoolean:
      return bytes[0] != 0 ? "true" : "false";
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return format_uuid(bytes);
    case TypeKind::kInet:
      return format_inet(bytes);
    case TypeKind::kTimestamp:
      return quote(format_timestamp(decode_int64(bytes)));
    case TypeKind::kDate:
      return quote(format_date(static_cast<uint32_t>(decode_int32(bytes))));
    case TypeKind::kTime:
      return quote(format_time(decode_int64(bytes)));
    case TypeKind::kDuration: {
      auto d = deserialize_duration(bytes);
      if (!d) return hex(bytes);
      std::string s = duration_to_string(*d);
      return s.empty() || s == "-" ? "0s" : s;
    }
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      return format_collection(type, bytes);
    case TypeKind::kTuple:
    case TypeKind::kUdt:
      return format_tuple(type, bytes);
    case TypeKind::kVector:
      return format_vector(type, bytes);
    default:
      return hex(bytes);
  }
}

}  // namespace cqld
