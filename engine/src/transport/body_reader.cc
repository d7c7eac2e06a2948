#include "transport/body_reader.h"

#include <string>

#include "common/errors.h"
#include "transport/type_names.h"

namespace cqld::transport {
namespace {

constexpr int32_t kNullLength = -1;
constexpr int32_t kUnsetLength = -2;
constexpr size_t kUuidSize = 16;
constexpr uint16_t kMaxConsistency = static_cast<uint16_t>(Consistency::kLocalOne);
// An [option] nests at most this deep (collections of tuples of UDTs...): a bound against
// stack exhaustion on hostile input.
constexpr int kMaxOptionDepth = 64;

uint64_t read_be(std::string_view b) {
  uint64_t v = 0;
  for (char c : b) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

TypePtr read_option_at_depth(BodyReader& r, int depth);

std::vector<TypePtr> read_option_list(BodyReader& r, int depth) {
  uint16_t n = r.read_short();
  std::vector<TypePtr> types;
  for (uint16_t i = 0; i < n; ++i) types.push_back(read_option_at_depth(r, depth + 1));
  return types;
}

TypePtr read_udt_option(BodyReader& r, int depth) {
  std::string keyspace(r.read_string());
  std::string name(r.read_string());
  uint16_t n = r.read_short();
  std::vector<std::string> field_names;
  std::vector<TypePtr> field_types;
  for (uint16_t i = 0; i < n; ++i) {
    field_names.emplace_back(r.read_string());
    field_types.push_back(read_option_at_depth(r, depth + 1));
  }
  return udt_type(std::move(keyspace), std::move(name), std::move(field_names),
                  std::move(field_types), /*frozen=*/false);
}

TypePtr read_option_at_depth(BodyReader& r, int depth) {
  if (depth > kMaxOptionDepth) throw ProtocolError("Type option nesting is too deep");
  uint16_t id = r.read_short();
  switch (static_cast<TypeKind>(id)) {
    case TypeKind::kCustom: {
      std::string java_class(r.read_string());
      if (auto kind = kind_of_custom_class(java_class)) return primitive_type(*kind);
      return custom_type(std::move(java_class));
    }
    case TypeKind::kList:
      return list_type(read_option_at_depth(r, depth + 1), false);
    case TypeKind::kSet:
      return set_type(read_option_at_depth(r, depth + 1), false);
    case TypeKind::kMap: {
      TypePtr key = read_option_at_depth(r, depth + 1);
      return map_type(std::move(key), read_option_at_depth(r, depth + 1), false);
    }
    case TypeKind::kUdt:
      return read_udt_option(r, depth);
    case TypeKind::kTuple:
      return tuple_type(read_option_list(r, depth));
    default:
      if (!is_primitive_option_id(id)) {
        throw ProtocolError("Unknown type option id " + std::to_string(id));
      }
      return primitive_type(static_cast<TypeKind>(id));
  }
}

}  // namespace

std::string_view BodyReader::take(size_t n, const char* what) {
  if (n > remaining()) {
    throw ProtocolError(std::string("Not enough bytes to read ") + what);
  }
  std::string_view out = body_.substr(pos_, n);
  pos_ += n;
  return out;
}

size_t BodyReader::read_count(const char* what) {
  uint16_t n = read_short();
  // Every element takes at least two bytes, so a count larger than that is a lie.
  if (n > remaining() / 2) throw ProtocolError(std::string("Invalid count for ") + what);
  return n;
}

uint8_t BodyReader::read_byte() {
  return static_cast<uint8_t>(take(1, "a [byte]")[0]);
}

uint16_t BodyReader::read_short() {
  return static_cast<uint16_t>(read_be(take(2, "a [short]")));
}

int32_t BodyReader::read_int() {
  return static_cast<int32_t>(read_be(take(4, "an [int]")));
}

int64_t BodyReader::read_long() {
  return static_cast<int64_t>(read_be(take(8, "a [long]")));
}

std::string_view BodyReader::read_string() {
  return take(read_short(), "a [string]");
}

std::string_view BodyReader::read_long_string() {
  int32_t n = read_int();
  if (n < 0) throw ProtocolError("Negative length for a [long string]");
  return take(static_cast<size_t>(n), "a [long string]");
}

std::string_view BodyReader::read_uuid() {
  return take(kUuidSize, "a [uuid]");
}

std::vector<std::string> BodyReader::read_string_list() {
  size_t n = read_count("a [string list]");
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(read_string());
  return out;
}

std::optional<std::string_view> BodyReader::read_bytes() {
  int32_t n = read_int();
  if (n < 0) return std::nullopt;
  return take(static_cast<size_t>(n), "[bytes]");
}

std::string_view BodyReader::read_short_bytes() {
  return take(read_short(), "[short bytes]");
}

Value BodyReader::read_value(bool allow_unset) {
  int32_t n = read_int();
  if (n >= 0) return Value::of(std::string(take(static_cast<size_t>(n), "a [value]")));
  if (n == kNullLength) return Value::null();
  if (n == kUnsetLength && allow_unset) return Value::unset();
  throw ProtocolError("Invalid length for a [value]: " + std::to_string(n));
}

std::map<std::string, std::string> BodyReader::read_string_map() {
  size_t n = read_count("a [string map]");
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string key(read_string());
    out[std::move(key)] = std::string(read_string());
  }
  return out;
}

std::map<std::string, std::vector<std::string>> BodyReader::read_string_multimap() {
  size_t n = read_count("a [string multimap]");
  std::map<std::string, std::vector<std::string>> out;
  for (size_t i = 0; i < n; ++i) {
    std::string key(read_string());
    out[std::move(key)] = read_string_list();
  }
  return out;
}

std::map<std::string, std::optional<std::string>> BodyReader::read_bytes_map() {
  size_t n = read_count("a [bytes map]");
  std::map<std::string, std::optional<std::string>> out;
  for (size_t i = 0; i < n; ++i) {
    std::string key(read_string());
    auto value = read_bytes();
    out[std::move(key)] = value ? std::optional<std::string>(*value) : std::nullopt;
  }
  return out;
}

Inet BodyReader::read_inet() {
  uint8_t size = read_byte();
  if (size != 4 && size != 16) throw ProtocolError("Invalid [inet] address size");
  Inet inet;
  inet.address = std::string(take(size, "an [inet]"));
  inet.port = read_int();
  return inet;
}

Consistency BodyReader::read_consistency() {
  uint16_t code = read_short();
  if (code > kMaxConsistency) {
    throw ProtocolError("Unknown code " + std::to_string(code) + " for a consistency level");
  }
  return static_cast<Consistency>(code);
}

TypePtr BodyReader::read_option() {
  return read_option_at_depth(*this, 0);
}

}  // namespace cqld::transport
