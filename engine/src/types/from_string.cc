#include <algorithm>
#include "types/from_string.h"
#include "common/text.h"

#include <arpa/inet.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include "common/errors.h"
#include "types/bignum.h"
#include "types/duration.h"
#include "types/temporal.h"
#include "types/value.h"

namespace cqld {
namespace {

[[noreturn]] void unable(const char* what, std::string_view text) {
  throw InvalidRequest(std::string(what) + " from '" + std::string(text) + "'");
}

// Java's Long.parseLong and friends: an optional sign, decimal digits, within [min, max].
std::optional<int64_t> parse_java_integer(std::string_view s, int64_t min, int64_t max) {
  bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  const uint64_t limit =
      negative ? static_cast<uint64_t>(-(min + 1)) + 1 : static_cast<uint64_t>(max);
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (limit - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

std::string big_endian(int64_t v, size_t width) {
  std::string out(width, '\0');
  for (size_t i = 0; i < width; ++i)
    out[i] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * (width - 1 - i)));
  return out;
}

std::string fixed_integer(std::string_view text, size_t width, const char* java_name) {
  const int64_t max =
      width == 8 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (8 * width - 1)) - 1;
  auto v = parse_java_integer(text, -max - 1, max);
  if (!v) unable((std::string("Unable to make ") + java_name).c_str(), text);
  return big_endian(*v, width);
}

bool java_float_syntax(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  // CQL's lexer reads NaN and Infinity in any case.
  if (ascii_iequals(s, "NaN") || ascii_iequals(s, "Infinity")) return true;
  if (!s.empty() && std::string_view("fFdD").find(s.back()) != std::string_view::npos)
    s.remove_suffix(1);
  size_t i = 0, digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// Float.parseFloat / Double.parseDouble: surrounding blanks ignored, NaN is canonical.
std::string floating(std::string_view text, bool is_float) {
  std::string s(text);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.pop_back();
  size_t start = 0;
  while (start < s.size() && static_cast<unsigned char>(s[start]) <= ' ') ++start;
  s = s.substr(start);
  if (!java_float_syntax(s))
    unable(is_float ? "Unable to make float" : "Unable to make double", text);
  if (!s.empty() && std::string_view("fFdD").find(s.back()) != std::string_view::npos) s.pop_back();
  if (is_float) {
    float f = std::strtof(s.c_str(), nullptr);
    if (std::isnan(f)) f = std::numeric_limits<float>::quiet_NaN();
    return big_endian(static_cast<int64_t>(std::bit_cast<uint32_t>(f)), 4);
  }
  double d = std::strtod(s.c_str(), nullptr);
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  return big_endian(std::bit_cast<int64_t>(d), 8);
}

std::string boolean(std::string_view text) {
  std::string lower = ascii_lower(text);
  if (lower == "true") return std::string(1, '\x01');
  if (lower == "false") return std::string(1, '\x00');
  unable("Unable to make boolean", text);
}

// Java's encoder reports how many UTF-16 units the first unmappable character takes.
std::string ascii(std::string_view text) {
  for (char c : text) {
    uint8_t b = static_cast<uint8_t>(c);
    if (b >= 0x80) {
      int units = b >= 0xF0 ? 2 : 1;
      throw InvalidRequest(
          "Invalid ASCII character in string literal: "
          "java.nio.charset.UnmappableCharacterException: Input length = " +
          std::to_string(units));
    }
  }
  return std::string(text);
}

std::string inet(std::string_view text) {
  std::string s(text);
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (s == "localhost") s = "127.0.0.1";
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    // Java returns an IPv4 address for an IPv4-mapped IPv6 one.
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::equal(kMapped, kMapped + 12, buf))
      return std::string(reinterpret_cast<char*>(buf + 12), 4);
    return std::string(reinterpret_cast<char*>(buf), 16);
  }
  unable("Unable to make inet address", text);
}

std::optional<std::string> uuid_bytes(std::string_view s) {
  static constexpr std::string_view kShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (s.size() != kShape.size()) return std::nullopt;
  std::string out;
  int nibble = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (kShape[i] == '-') {
      if (s[i] != '-') return std::nullopt;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    int v = std::isdigit(static_cast<unsigned char>(s[i])) ? s[i] - '0'
                                                           : (std::tolower(s[i]) - 'a' + 10);
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<char>(nibble << 4 | v));
      nibble = -1;
    }
  }
  return out;
}

std::string uuid(std::string_view text, bool time_based) {
  auto bytes = uuid_bytes(text);
  if (!time_based) {
    if (!bytes) unable("Unable to make UUID", text);
    return *bytes;
  }
  if (!bytes) throw InvalidRequest("Unknown timeuuid representation: " + std::string(text));
  if ((static_cast<uint8_t>((*bytes)[6]) >> 4) != 1)
    throw InvalidRequest("TimeUUID supports only version 1 UUIDs");
  return *bytes;
}

}  // namespace

std::string blob_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0)
    throw InvalidRequest("cannot parse '" + std::string(hex) + "' as hex bytes");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (!std::isxdigit(static_cast<unsigned char>(hex[i])) ||
        !std::isxdigit(static_cast<unsigned char>(hex[i + 1])))
      throw InvalidRequest("cannot parse '" + std::string(hex) + "' as hex bytes");
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string value_from_string(TypeKind kind, std::string_view text) {
  bool empty_allowed =
      kind != TypeKind::kAscii && kind != TypeKind::kVarchar && kind != TypeKind::kBlob;
  if (text.empty() && empty_allowed) return "";
  switch (kind) {
    case TypeKind::kTinyint:
      return fixed_integer(text, 1, "byte");
    case TypeKind::kSmallint:
      return fixed_integer(text, 2, "short");
    case TypeKind::kInt:
      return fixed_integer(text, 4, "int");
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return fixed_integer(text, 8, "long");
    case TypeKind::kVarint: {
      auto v = varint_from_string(text);
      if (!v) unable("unable to make int", text);
      return *v;
    }
    case TypeKind::kDecimal: {
      auto v = decimal_from_string(text);
      if (!v) unable("unable to make BigDecimal", text);
      return *v;
    }
    case TypeKind::kFloat:
      return floating(text, true);
    case TypeKind::kDouble:
      return floating(text, false);
    case TypeKind::kBoolean:
      return boolean(text);
    case TypeKind::kAscii:
      return ascii(text);
    case TypeKind::kVarchar:
      return std::string(text);
    case TypeKind::kBlob:
      return blob_from_hex(text);
    case TypeKind::kInet:
      return inet(text);
    case TypeKind::kUuid:
      return uuid(text, false);
    case TypeKind::kTimeuuid:
      return uuid(text, true);
    case TypeKind::kTimestamp:
      return encode_int64(parse_timestamp(text));
    case TypeKind::kDate:
      return encode_int32(static_cast<int32_t>(parse_date(text)));
    case TypeKind::kTime:
      return encode_int64(parse_time(text));
    case TypeKind::kDuration:
      return serialize_duration(parse_duration(text));
    case TypeKind::kEmpty:
      throw InvalidRequest("'" + std::string(text) + "' is not empty");
    default:
      throw InvalidRequest("Cannot convert '" + std::string(text) + "' to a value of type " +
                           std::to_string(static_cast<int>(kind)));
  }
}

}  // namespace cqld
