#include "functions/numbers.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "types/value.h"

namespace cqld {

bool is_fixed_width_number(TypeKind k) {
  return k == TypeKind::kInt || k == TypeKind::kBigint || k == TypeKind::kSmallint || k == TypeKind::kTinyint ||
         k == TypeKind::kFloat || k == TypeKind::kDouble || k == TypeKind::kCounter;
}

long double to_number(TypeKind k, const std::string& b) {
  switch (k) {
    case TypeKind::kTinyint: return static_cast<int8_t>(b[0]);
    case TypeKind::kSmallint: return static_cast<int16_t>((static_cast<uint8_t>(b[0]) << 8) | static_cast<uint8_t>(b[1]));
    case TypeKind::kInt: return decode_int32(b);
    case TypeKind::kFloat: {
      uint32_t bits = static_cast<uint32_t>(decode_int32(b));
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    case TypeKind::kDouble: {
      uint64_t bits = static_cast<uint64_t>(decode_int64(b));
      double d;
      std::memcpy(&d, &bits, 8);
      return d;
    }
    default: return static_cast<long double>(decode_int64(b));
  }
}

namespace {

// v's integer part as a long, saturating at the ends and 0 for NaN, as Java's (long) cast does
// (a plain cast of an out-of-range value is undefined).
int64_t to_long(long double v) {
  if (std::isnan(v)) return 0;
  if (v >= 9223372036854775807.0L) return INT64_MAX;
  if (v <= -9223372036854775808.0L) return INT64_MIN;
  return static_cast<int64_t>(v);
}

}  // namespace

std::string from_number(TypeKind k, long double v) {
  switch (k) {
    case TypeKind::kTinyint: return std::string(1, static_cast<char>(static_cast<int8_t>(to_long(v))));
    case TypeKind::kSmallint: {
      auto s = static_cast<uint16_t>(static_cast<int16_t>(to_long(v)));
      return std::string{static_cast<char>(s >> 8), static_cast<char>(s)};
    }
    case TypeKind::kInt: return encode_int32(static_cast<int32_t>(to_long(v)));
    case TypeKind::kFloat: {
      float f = static_cast<float>(v);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      return encode_int32(static_cast<int32_t>(bits));
    }
    case TypeKind::kDouble: {
      double d = static_cast<double>(v);
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      return encode_int64(static_cast<int64_t>(bits));
    }
    default: return encode_int64(to_long(v));
  }
}

}  // namespace cqld
