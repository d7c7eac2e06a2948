#include "types/value.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "common/errors.h"
#include "types/bignum.h"
#include "types/vector.h"
#include "types/wire.h"

namespace cqld {
namespace {

using wire::byte_at;
using wire::read_be;
using wire::read_signed_be;

int sign_of(int64_t v) {
  return v < 0 ? -1 : v > 0 ? 1 : 0;
}

int compare_bytes(std::string_view a, std::string_view b) {
  int c = a.compare(b);  // char_traits<char>::compare is unsigned (memcmp)
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// Fixed-width signed numbers; a value of another width compares as its bytes do.
int compare_signed(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.size() > 8) return compare_bytes(a, b);
  int64_t x = read_signed_be(a, a.size());
  int64_t y = read_signed_be(b, b.size());
  return x < y ? -1 : x > y ? 1 : 0;
}

// Java's Float.compare/Double.compare: -0.0 < 0.0, and every NaN is equal and greatest.
template <typename Float, typename Bits>
int compare_float(std::string_view a, std::string_view b) {
  if (a.size() != sizeof(Bits) || b.size() != sizeof(Bits)) return compare_bytes(a, b);
  Float x = std::bit_cast<Float>(static_cast<Bits>(read_be(a, sizeof(Bits))));
  Float y = std::bit_cast<Float>(static_cast<Bits>(read_be(b, sizeof(Bits))));
  if (x < y) return -1;
  if (x > y) return 1;
  bool nx = x != x, ny = y != y;
  if (nx || ny) return nx == ny ? 0 : nx ? 1 : -1;
  bool sx = std::signbit(x), sy = std::signbit(y);
  return sx == sy ? 0 : sx ? -1 : 1;
}

// A v1 UUID's 60-bit timestamp with its version nibble on top (TimeUUIDType.reorderTimestampBytes).
uint64_t reordered_msb(std::string_view u) {
  uint64_t msb = read_be(u, 8);
  return (msb << 48) | ((msb << 16) & 0xFFFF00000000ULL) | (msb >> 32);
}

int compare_u64(uint64_t x, uint64_t y) {
  return x < y ? -1 : x > y ? 1 : 0;
}

// UUIDType: version first, then the timestamp for v1 or the msb otherwise, then the lsb, all
// unsigned.
int compare_uuid(std::string_view a, std::string_view b) {
  if (a.size() != 16 || b.size() != 16) return compare_bytes(a, b);
  int va = byte_at(a, 6) >> 4, vb = byte_at(b, 6) >> 4;
  if (va != vb) return va < vb ? -1 : 1;
  int c = va == 1 ? compare_u64(reordered_msb(a), reordered_msb(b))
                  : compare_u64(read_be(a, 8), read_be(b, 8));
  return c != 0 ? c : compare_u64(read_be(a.substr(8), 8), read_be(b.substr(8), 8));
}

// TimeUUIDType: the timestamp, then the clock sequence and node as signed bytes.
int compare_timeuuid(std::string_view a, std::string_view b) {
  if (a.size() != 16 || b.size() != 16) return compare_bytes(a, b);
  int c = compare_u64(reordered_msb(a), reordered_msb(b));
  if (c != 0) return c;
  for (size_t i = 8; i < 16; ++i) {
    int8_t x = static_cast<int8_t>(a[i]), y = static_cast<int8_t>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

int compare_boolean(std::string_view a, std::string_view b) {
  int x = byte_at(a, 0) != 0, y = byte_at(b, 0) != 0;
  return x - y;
}

int compare_sequences(const CqlType& element, const std::vector<std::string>& a,
                      const std::vector<std::string>& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    int c = compare_values(element, a[i], b[i]);
    if (c != 0) return c;
  }
  return sign_of(static_cast<int64_t>(a.size()) - static_cast<int64_t>(b.size()));
}

int compare_maps(const CqlType& type, std::string_view a, std::string_view b) {
  auto x = parse_map(a), y = parse_map(b);
  for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
    int c = compare_values(*type.params[0], x[i].first, y[i].first);
    if (c == 0) c = compare_values(*type.params[1], x[i].second, y[i].second);
    if (c != 0) return c;
  }
  return sign_of(static_cast<int64_t>(x.size()) - static_cast<int64_t>(y.size()));
}

bool all_null_from(const std::vector<Value>& fields, size_t from) {
  for (size_t i = from; i < fields.size(); ++i) {
    if (!fields[i].is_null()) return false;
  }
  return true;
}

// TupleType: field by field, a null field before any value; missing trailing fields equal nulls.
int compare_tuples(const CqlType& type, std::string_view a, std::string_view b) {
  auto x = parse_tuple(a), y = parse_tuple(b);
  size_t n = std::min({x.size(), y.size(), type.params.size()});
  for (size_t i = 0; i < n; ++i) {
    if (x[i].is_null() || y[i].is_null()) {
      if (x[i].is_null() && y[i].is_null()) continue;
      return x[i].is_null() ? -1 : 1;
    }
    int c = compare_values(*type.params[i], x[i].bytes, y[i].bytes);
    if (c != 0) return c;
  }
  bool x_rest_null = all_null_from(x, n), y_rest_null = all_null_from(y, n);
  if (x_rest_null && y_rest_null) return 0;
  return x_rest_null ? -1 : 1;
}

// VectorType: element by element.
int compare_vectors(const CqlType& type, std::string_view a, std::string_view b) {
  auto x = split_vector(type, a), y = split_vector(type, b);
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (int c = compare_values(*type.params[0], x[i], y[i]); c != 0) return c;
  }
  return 0;
}

}  // namespace

int compare_values(const CqlType& type, std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : a.empty() ? -1 : 1;
  switch (type.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return compare_signed(a, b);
    case TypeKind::kFloat:
      return compare_float<float, uint32_t>(a, b);
    case TypeKind::kDouble:
      return compare_float<double, uint64_t>(a, b);
    case TypeKind::kVarint:
      return compare_varints(a, b);
    case TypeKind::kDecimal:
      if (a.size() < 4 || b.size() < 4) return compare_bytes(a, b);
      return compare_decimals(a, b);
    case TypeKind::kUuid:
      return compare_uuid(a, b);
    case TypeKind::kTimeuuid:
      return compare_timeuuid(a, b);
    case TypeKind::kBoolean:
      return compare_boolean(a, b);
    case TypeKind::kList:
    case TypeKind::kSet:
      return compare_sequences(*type.params[0], parse_collection(a), parse_collection(b));
    case TypeKind::kMap:
      return compare_maps(type, a, b);
    case TypeKind::kTuple:
    case TypeKind::kUdt:
      return compare_tuples(type, a, b);
    case TypeKind::kVector:
      return compare_vectors(type, a, b);
    default:
      // ascii, text, blob, inet, date (unsigned days), duration, custom: bytewise.
      return compare_bytes(a, b);
  }
}

std::string encode_int32(int32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint32_t>(v) >> (24 - 8 * i));
  return out;
}

std::string encode_int64(int64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint64_t>(v) >> (56 - 8 * i));
  return out;
}

int32_t decode_int32(std::string_view b) {
  return static_cast<int32_t>(read_be(b, 4));
}
int64_t decode_int64(std::string_view b) {
  return static_cast<int64_t>(read_be(b, 8));
}

std::string serialize_collection(const std::vector<std::string>& elements) {
  std::string out = encode_int32(static_cast<int32_t>(elements.size()));
  for (const auto& e : elements) {
    out += encode_int32(static_cast<int32_t>(e.size()));
    out += e;
  }
  return out;
}

std::string serialize_map(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out = encode_int32(static_cast<int32_t>(entries.size()));
  for (const auto& [k, v] : entries) {
    out += encode_int32(static_cast<int32_t>(k.size()));
    out += k;
    out += encode_int32(static_cast<int32_t>(v.size()));
    out += v;
  }
  return out;
}

namespace {

// Reads [int32 length][bytes] from the front of "*in"; length < 0 yields null.
bool read_framed(std::string_view* in, Value* out) {
  if (in->size() < 4) return false;
  int32_t n = decode_int32(*in);
  in->remove_prefix(4);
  if (n < 0) {
    *out = Value::null();
    return true;
  }
  if (in->size() < static_cast<size_t>(n)) return false;
  *out = Value::of(std::string(in->substr(0, static_cast<size_t>(n))));
  in->remove_prefix(static_cast<size_t>(n));
  return true;
}

[[noreturn]] void not_enough(const char* what) {
  throw InvalidRequest(std::string("Not enough bytes to read a ") + what);
}

}  // namespace

std::vector<std::string> parse_collection(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (bytes.size() < 4) not_enough("list");
  int32_t count = decode_int32(bytes);
  bytes.remove_prefix(4);
  if (count < 0) not_enough("list");
  std::vector<std::string> out;
  out.reserve(std::min<size_t>(static_cast<size_t>(count), bytes.size() / 4));
  for (int32_t i = 0; i < count; ++i) {
    Value v;
    if (!read_framed(&bytes, &v)) not_enough("list");
    if (v.is_null()) throw InvalidRequest("null is not supported inside collections");
    out.push_back(std::move(v.bytes));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_map(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (bytes.size() < 4) not_enough("map");
  int32_t count = decode_int32(bytes);
  bytes.remove_prefix(4);
  if (count < 0) not_enough("map");
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(std::min<size_t>(static_cast<size_t>(count), bytes.size() / 8));
  for (int32_t i = 0; i < count; ++i) {
    Value k, v;
    if (!read_framed(&bytes, &k) || !read_framed(&bytes, &v)) not_enough("map");
    if (k.is_null() || v.is_null())
      throw InvalidRequest("null is not supported inside collections");
    out.emplace_back(std::move(k.bytes), std::move(v.bytes));
  }
  return out;
}

std::string serialize_tuple(const std::vector<Value>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (!f.is_set()) {
      out += encode_int32(-1);
      continue;
    }
    out += encode_int32(static_cast<int32_t>(f.bytes.size()));
    out += f.bytes;
  }
  return out;
}

std::vector<Value> parse_tuple(std::string_view bytes) {
  std::vector<Value> out;
  while (!bytes.empty()) {
    Value v;
    if (!read_framed(&bytes, &v)) {
      throw InvalidRequest("Not enough bytes to read " + std::to_string(out.size()) +
                           "th component");
    }
    out.push_back(std::move(v));
  }
  return out;
}


}  // namespace cqld
