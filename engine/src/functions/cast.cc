#include "functions/cast.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/errors.h"
#include "types/bignum.h"
#include "types/temporal.h"
#include "types/timeuuid.h"

namespace cqld {
namespace {

constexpr int64_t kMillisPerDay = 86400000LL;

bool is_integer(TypeKind k) {
  return k == TypeKind::kTinyint || k == TypeKind::kSmallint || k == TypeKind::kInt || k == TypeKind::kBigint ||
         k == TypeKind::kCounter || k == TypeKind::kVarint;
}
bool is_number(TypeKind k) {
  return is_integer(k) || k == TypeKind::kFloat || k == TypeKind::kDouble || k == TypeKind::kDecimal;
}
bool is_text(TypeKind k) { return k == TypeKind::kVarchar || k == TypeKind::kAscii; }

int64_t fixed_integer(TypeKind k, const std::string& b) {
  switch (k) {
    case TypeKind::kTinyint: return static_cast<int8_t>(b[0]);
    case TypeKind::kSmallint: return static_cast<int16_t>((static_cast<uint8_t>(b[0]) << 8) | static_cast<uint8_t>(b[1]));
    case TypeKind::kInt: return decode_int32(b);
    default: return decode_int64(b);
  }
}

double floating(TypeKind k, const std::string& b) {
  if (k == TypeKind::kFloat) {
    uint32_t bits = static_cast<uint32_t>(decode_int32(b));
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  uint64_t bits = static_cast<uint64_t>(decode_int64(b));
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

// Java's Float/Double.toString: shortest round-trip digits, plain between 1e-3 and 1e7,
// otherwise d.dddE[-]n.
std::string java_floating(double v, bool is_float) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  auto res = is_float ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v), std::chars_format::scientific)
                      : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  int exponent = std::stoi(sci.substr(e + 1));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  std::string out;
  double magnitude = std::fabs(v);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      std::string whole = digits.substr(0, std::min<size_t>(digits.size(), exponent + 1));
      whole.append(exponent + 1 > static_cast<int>(digits.size()) ? exponent + 1 - digits.size() : 0, '0');
      std::string frac = static_cast<int>(digits.size()) > exponent + 1 ? digits.substr(exponent + 1) : "0";
      out = whole + "." + frac;
    } else {
      out = "0." + std::string(-exponent - 1, '0') + digits;
    }
  } else {
    std::string frac = digits.size() > 1 ? digits.substr(1) : "0";
    out = digits.substr(0, 1) + "." + frac + "E" + std::to_string(exponent);
  }
  return negative ? "-" + out : out;
}

// The exact decimal text of any number (integers and decimals exactly, floats by Java's rules).
std::string number_text(TypeKind k, const std::string& b) {
  if (k == TypeKind::kVarint) return varint_to_string(b);
  if (k == TypeKind::kDecimal) return decimal_to_string(b);
  if (k == TypeKind::kFloat || k == TypeKind::kDouble) return java_floating(floating(k, b), k == TypeKind::kFloat);
  return std::to_string(fixed_integer(k, b));
}

// The low 64 bits of a value's integer part, as Java's longValue() gives them.
int64_t wrapped_long(TypeKind k, const std::string& b) {
  if (k == TypeKind::kFloat || k == TypeKind::kDouble) {
    double d = floating(k, b);
    if (std::isnan(d)) return 0;
    if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
    if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(d);
  }
  std::string varint = b;
  if (k == TypeKind::kDecimal) {
    std::string text = decimal_to_string(b);
    // The integer part of the decimal's text (toBigInteger truncates toward zero).
    std::string integer_part = text.substr(0, text.find_first_of(".Ee"));
    if (text.find_first_of("Ee") != std::string::npos) {
      auto d = std::strtold(text.c_str(), nullptr);
      integer_part = std::to_string(static_cast<long long>(d));
    }
    auto v = varint_from_string(integer_part.empty() || integer_part == "-" ? "0" : integer_part);
    varint = v ? *v : std::string(1, '\0');
  } else if (k != TypeKind::kVarint) {
    return fixed_integer(k, b);
  }
  uint64_t low = 0;
  bool negative = !varint.empty() && (static_cast<uint8_t>(varint[0]) & 0x80);
  for (size_t i = 0; i < 8; ++i) {
    size_t pos = varint.size() >= 8 - i ? varint.size() - 8 + i : std::string::npos;
    uint8_t byte = pos == std::string::npos || pos >= varint.size() ? (negative ? 0xFF : 0x00) : static_cast<uint8_t>(varint[pos]);
    low = (low << 8) | byte;
  }
  return static_cast<int64_t>(low);
}

std::string encode_fixed(TypeKind to, int64_t v) {
  switch (to) {
    case TypeKind::kTinyint: return std::string(1, static_cast<char>(static_cast<int8_t>(v)));
    case TypeKind::kSmallint: {
      auto s = static_cast<uint16_t>(static_cast<int16_t>(v));
      return std::string{static_cast<char>(s >> 8), static_cast<char>(s)};
    }
    case TypeKind::kInt: return encode_int32(static_cast<int32_t>(v));
    default: return encode_int64(v);
  }
}

std::string cast_number(TypeKind from, TypeKind to, const std::string& b) {
  switch (to) {
    case TypeKind::kFloat: {
      float f = static_cast<float>(std::strtod(number_text(from, b).c_str(), nullptr));
      if (from == TypeKind::kFloat || from == TypeKind::kDouble) f = static_cast<float>(floating(from, b));
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      return encode_int32(static_cast<int32_t>(bits));
    }
    case TypeKind::kDouble: {
      double d = (from == TypeKind::kFloat || from == TypeKind::kDouble) ? floating(from, b)
                                                                         : std::strtod(number_text(from, b).c_str(), nullptr);
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      return encode_int64(static_cast<int64_t>(bits));
    }
    case TypeKind::kDecimal: {
      auto d = decimal_from_string(number_text(from, b));
      if (!d) throw InvalidRequest("Cannot cast " + number_text(from, b) + " to decimal");
      return *d;
    }
    case TypeKind::kVarint: {
      std::string text = number_text(from, b);
      if (!is_integer(from)) text = std::to_string(wrapped_long(from, b));
      auto v = varint_from_string(text);
      if (!v) throw InvalidRequest("Cannot cast " + text + " to varint");
      return *v;
    }
    default: {
      int64_t v = wrapped_long(from, b);
      // Java casts a float or double to int first (saturating), then narrows to short/byte.
      if ((from == TypeKind::kFloat || from == TypeKind::kDouble) && to != TypeKind::kBigint && to != TypeKind::kCounter) {
        double d = floating(from, b);
        v = std::isnan(d) ? 0 : d >= 2147483647.0 ? 2147483647 : d <= -2147483648.0 ? -2147483648LL : static_cast<int64_t>(d);
      }
      return encode_fixed(to, v);
    }
  }
}

std::string uuid_text(const std::string& b) {
  std::string hex = to_hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" + hex.substr(20);
}

// Java's InetAddress text: dotted IPv4, and IPv6 as eight hex groups without compression.
std::string inet_text(const std::string& b) {
  if (b.size() == 4) {
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, b.data(), buf, sizeof buf);
    return buf;
  }
  std::string out;
  for (size_t i = 0; i + 1 < b.size(); i += 2) {
    char group[8];
    std::snprintf(group, sizeof group, "%x", (static_cast<uint8_t>(b[i]) << 8) | static_cast<uint8_t>(b[i + 1]));
    if (i) out.push_back(':');
    out += group;
  }
  return out;
}


int64_t date_days(const std::string& b) {
  return static_cast<int64_t>(static_cast<uint32_t>(decode_int32(b))) - (int64_t{1} << 31);
}

std::string date_from_millis(int64_t millis) {
  int64_t days = millis / kMillisPerDay - ((millis % kMillisPerDay) < 0 ? 1 : 0);
  return encode_int32(static_cast<int32_t>(static_cast<uint32_t>(days + (int64_t{1} << 31))));
}

std::string iso_timestamp(int64_t millis) {
  std::string s = format_timestamp(millis);  // "yyyy-mm-dd hh:mm:ss.fffZ"
  if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
  return s;
}

}  // namespace

void check_blob_conversion(const std::string& function, const CqlType& type, const std::string& bytes) {
  try {
    validate_value(type, bytes);
  } catch (const CqlError&) {
    throw InvalidRequest("In call to function system." + function + ", value 0x" + to_hex(bytes) +
                         " is not a valid binary representation for type " + type_to_cql(type));
  }
}

bool cast_supported(TypeKind from, TypeKind to) {
  if (from == to) return true;
  if (is_number(from) && (is_number(to) && to != TypeKind::kCounter)) return true;
  if (to == TypeKind::kVarchar)
    return from != TypeKind::kBlob && from != TypeKind::kDuration && from != TypeKind::kVarchar;
  if (to == TypeKind::kAscii)
    return from != TypeKind::kBlob && from != TypeKind::kDuration && !is_text(from);
  if (from == TypeKind::kTimestamp) return to == TypeKind::kDate || to == TypeKind::kBigint;
  if (from == TypeKind::kDate) return to == TypeKind::kTimestamp;
  if (from == TypeKind::kTimeuuid) return to == TypeKind::kTimestamp || to == TypeKind::kDate;
  return false;
}

std::string value_to_text(TypeKind kind, const std::string& b) {
  if (is_number(kind)) return number_text(kind, b);
  switch (kind) {
    case TypeKind::kBoolean: return !b.empty() && b[0] ? "true" : "false";
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid: return uuid_text(b);
    case TypeKind::kInet: return inet_text(b);
    case TypeKind::kTimestamp: return iso_timestamp(decode_int64(b));
    case TypeKind::kDate: return format_date(static_cast<uint32_t>(decode_int32(b)));
    case TypeKind::kTime: return format_time(decode_int64(b));
    default: return b;  // ascii and text
  }
}

std::string cast_value(TypeKind from, TypeKind to, const std::string& b) {
  if (from == to || (from == TypeKind::kAscii && to == TypeKind::kVarchar)) return b;
  if (to == TypeKind::kVarchar || to == TypeKind::kAscii) return value_to_text(from, b);
  if (is_number(from) && is_number(to)) return cast_number(from, to, b);
  if (from == TypeKind::kTimestamp && to == TypeKind::kDate) return date_from_millis(decode_int64(b));
  if (from == TypeKind::kTimestamp && to == TypeKind::kBigint) return b;
  if (from == TypeKind::kDate && to == TypeKind::kTimestamp) return encode_int64(date_days(b) * kMillisPerDay);
  if (from == TypeKind::kTimeuuid && to == TypeKind::kTimestamp) return encode_int64(timeuuid_to_millis(b));
  if (from == TypeKind::kTimeuuid && to == TypeKind::kDate) return date_from_millis(timeuuid_to_millis(b));
  throw InvalidRequest("Unsupported cast");
}

}  // namespace cqld
