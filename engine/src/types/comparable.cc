// The byte-comparable encoding (see comparable.h and shared reference ByteComparable.md).
//
// A component is a header byte and a body: 0x3F for an empty value (no body), 0x40 and the
// body otherwise; inside tuples and UDTs 0x3E marks a null field; 0x38 ends a collection, tuple
// or UDT. Bodies are prefix-free whatever byte follows them (storage appends its own tags right
// after the last component), which is why variable-length bytes end in 00 00 rather than in a
// single 00 as in Cassandra's weaker form. DESC complements every byte of the component.
#include "types/comparable.h"

#include <bit>
#include <cmath>
#include <stdexcept>

#include "types/bignum.h"
#include "types/duration.h"
#include "types/value.h"
#include "types/vector.h"
#include "types/wire.h"

namespace cqld {
namespace {

constexpr char kNull = 0x3E;
constexpr char kEmpty = 0x3F;
constexpr char kPresent = 0x40;
constexpr char kEnd = 0x38;

[[noreturn]] void corrupt(const char* what) {
  throw std::runtime_error(std::string("corrupt comparable encoding: ") + what);
}

size_t fixed_width(TypeKind kind) {
  switch (kind) {
    case TypeKind::kTinyint:
      return 1;
    case TypeKind::kSmallint:
      return 2;
    case TypeKind::kInt:
    case TypeKind::kDate:
    case TypeKind::kFloat:
      return 4;
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
    case TypeKind::kDouble:
      return 8;
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return 16;
    case TypeKind::kBoolean:
      return 1;
    default:
      return 0;
  }
}

void append_be(uint64_t v, size_t n, std::string* out) {
  for (size_t i = n; i > 0; --i) out->push_back(static_cast<char>(v >> (8 * (i - 1))));
}

// Reads bytes of one component, undoing the DESC complement on the fly.
class Reader {
 public:
  Reader(std::string_view* in, bool flip) : in_(in), flip_(flip) {}
  uint8_t next() {
    if (in_->empty()) corrupt("truncated");
    uint8_t b = static_cast<uint8_t>((*in_)[0]) ^ (flip_ ? 0xFF : 0x00);
    in_->remove_prefix(1);
    return b;
  }
  uint8_t peek() const {
    if (in_->empty()) corrupt("truncated");
    return static_cast<uint8_t>((*in_)[0]) ^ (flip_ ? 0xFF : 0x00);
  }
  std::string take(size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(next()));
    return out;
  }
  uint64_t be(size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | next();
    return v;
  }

 private:
  std::string_view* in_;
  bool flip_;
};

// --- numbers -------------------------------------------------------------------------------

void encode_float(std::string_view v, std::string* out) {
  size_t n = v.size();
  uint64_t bits = wire::read_be(v, n);
  uint64_t sign = uint64_t{1} << (8 * n - 1);
  uint64_t all = n == 8 ? ~uint64_t{0} : (uint64_t{1} << 32) - 1;
  bool nan = n == 4 ? std::isnan(std::bit_cast<float>(static_cast<uint32_t>(bits)))
                    : std::isnan(std::bit_cast<double>(bits));
  // Java's compare treats every NaN as the canonical one.
  if (nan) bits = n == 4 ? 0x7fc00000ULL : 0x7ff8000000000000ULL;
  append_be((bits & sign) ? (~bits & all) : (bits | sign), n, out);
}

std::string decode_float(Reader* r, size_t n) {
  uint64_t bits = r->be(n);
  uint64_t sign = uint64_t{1} << (8 * n - 1);
  uint64_t all = n == 8 ? ~uint64_t{0} : (uint64_t{1} << 32) - 1;
  std::string out;
  append_be((bits & sign) ? (bits & ~sign) : (~bits & all), n, &out);
  return out;
}

// The version nibble first, then the time fields high to low for v1, else the rest of the msb.
uint64_t uuid_msb_order(uint64_t msb) {
  uint64_t version = (msb >> 12) & 0xF;
  if (version == 1) return (msb << 48) | ((msb << 16) & 0xFFFF00000000ULL) | (msb >> 32);
  return (version << 60) | ((msb >> 16) << 12) | (msb & 0xFFF);
}

uint64_t uuid_msb_restore(uint64_t ordered) {
  uint64_t version = ordered >> 60;
  if (version == 1) return (ordered << 32) | ((ordered >> 16) & 0xFFFF0000ULL) | (ordered >> 48);
  return (((ordered >> 12) & 0xFFFFFFFFFFFFULL) << 16) | (version << 12) | (ordered & 0xFFF);
}

constexpr uint64_t kSignedBytesFlip = 0x8080808080808080ULL;

void encode_uuid(TypeKind kind, std::string_view v, std::string* out) {
  append_be(uuid_msb_order(wire::read_be(v, 8)), 8, out);
  uint64_t lsb = wire::read_be(v.substr(8), 8);
  append_be(kind == TypeKind::kTimeuuid ? lsb ^ kSignedBytesFlip : lsb, 8, out);
}

std::string decode_uuid(TypeKind kind, Reader* r) {
  std::string out;
  append_be(uuid_msb_restore(r->be(8)), 8, &out);
  uint64_t lsb = r->be(8);
  append_be(kind == TypeKind::kTimeuuid ? lsb ^ kSignedBytesFlip : lsb, 8, &out);
  return out;
}

// Varint: a sign byte, the byte length as an order-preserving vint (complemented for negative
// numbers, so longer means smaller), then the minimal two's complement bytes.
void encode_varint(std::string_view v, std::string* out) {
  std::string m = minimal_varint(v);
  bool negative = static_cast<uint8_t>(m[0]) & 0x80;
  out->push_back(negative ? 0x00 : 0x01);
  std::string length;
  append_unsigned_vint(m.size(), &length);
  if (negative) {
    for (char& c : length) c = static_cast<char>(~c);
  }
  *out += length + m;
}

std::string decode_varint(Reader* r) {
  bool negative = r->next() == 0x00;
  uint8_t first = r->next() ^ (negative ? 0xFF : 0x00);
  std::string length(1, static_cast<char>(first));
  for (int i = std::countl_one(first); i > 0; --i)
    length.push_back(static_cast<char>(r->next() ^ (negative ? 0xFF : 0x00)));
  std::string_view view = length;
  auto n = read_unsigned_vint(&view);
  if (!n || *n == 0 || *n > (uint64_t{1} << 31)) corrupt("varint length");
  return r->take(*n);
}

// Decimal: 0x80 for zero; otherwise a sign byte (0xC0 positive, 0x40 negative) and the body of
// the magnitude (complemented when negative): the base-100 exponent as a sign-flipped int64,
// then base-100 digit pairs stored as pair + 1, then 0x00.
void encode_decimal(std::string_view v, std::string* out) {
  DecimalParts p = decimal_parts(v);
  if (p.sign == 0) {
    out->push_back(static_cast<char>(0x80));
    return;
  }
  std::string digits = p.digits;
  int64_t e = p.exponent;
  if (e % 2 != 0) {
    digits.insert(digits.begin(), '0');
    e += 1;
  }
  if (digits.size() % 2 != 0) digits.push_back('0');
  std::string body;
  append_be(static_cast<uint64_t>(e / 2) ^ (uint64_t{1} << 63), 8, &body);
  for (size_t i = 0; i < digits.size(); i += 2) {
    body.push_back(static_cast<char>((digits[i] - '0') * 10 + (digits[i + 1] - '0') + 1));
  }
  body.push_back('\0');
  out->push_back(p.sign > 0 ? static_cast<char>(0xC0) : 0x40);
  if (p.sign < 0) {
    for (char& c : body) c = static_cast<char>(~c);
  }
  *out += body;
}

std::string decode_decimal(Reader* r) {
  uint8_t lead = r->next();
  DecimalParts p;
  if (lead == 0x80) return decimal_from_parts(p);
  if (lead != 0xC0 && lead != 0x40) corrupt("decimal sign");
  p.sign = lead == 0xC0 ? 1 : -1;
  uint8_t flip = p.sign < 0 ? 0xFF : 0x00;
  uint64_t e = 0;
  for (int i = 0; i < 8; ++i) e = (e << 8) | (r->next() ^ flip);
  // Written exponents stay near int32's range; a far larger one is corrupt (and doubling it
  // could overflow).
  int64_t half_exponent = static_cast<int64_t>(e ^ (uint64_t{1} << 63));
  if (half_exponent > (int64_t{1} << 40) || half_exponent < -(int64_t{1} << 40)) corrupt("decimal exponent");
  p.exponent = 2 * half_exponent;
  for (uint8_t b = r->next() ^ flip; b != 0; b = r->next() ^ flip) {
    if (b > 100) corrupt("decimal digits");
    p.digits.push_back(static_cast<char>('0' + (b - 1) / 10));
    p.digits.push_back(static_cast<char>('0' + (b - 1) % 10));
  }
  if (p.digits.empty()) corrupt("decimal digits");
  if (p.digits[0] == '0') {
    p.digits.erase(0, 1);
    p.exponent -= 1;
  }
  while (!p.digits.empty() && p.digits.back() == '0') p.digits.pop_back();
  // A written decimal's scale is an int32; its stripped form can lie below that range only by
  // the trailing zeros it lost. An exponent beyond that is corrupt input, which would otherwise
  // ask decimal_from_parts for that many zero digits (found by fuzz_storage).
  constexpr int64_t kMaxStrippedZeros = int64_t{1} << 20;
  int64_t scale = static_cast<int64_t>(p.digits.size()) - p.exponent;
  if (scale > std::numeric_limits<int32_t>::max() ||
      scale < int64_t{std::numeric_limits<int32_t>::min()} - kMaxStrippedZeros) {
    corrupt("decimal exponent");
  }
  return decimal_from_parts(p);
}

// --- variable-length bytes: 00 -> 00 FF, terminated by 00 00 ---------------------------------

void encode_bytes(std::string_view v, std::string* out) {
  for (char c : v) {
    out->push_back(c);
    if (c == '\0') out->push_back(static_cast<char>(0xFF));
  }
  out->push_back('\0');
  out->push_back('\0');
}

std::string decode_bytes(Reader* r) {
  std::string out;
  for (;;) {
    uint8_t b = r->next();
    if (b != 0) {
      out.push_back(static_cast<char>(b));
      continue;
    }
    uint8_t escape = r->next();
    if (escape == 0x00) return out;
    if (escape != 0xFF) corrupt("byte escape");
    out.push_back('\0');
  }
}

// --- composite values ----------------------------------------------------------------------

void encode_body(const CqlType& type, std::string_view v, std::string* out);
std::string decode_body(const CqlType& type, Reader* r);

void encode_component(const CqlType& type, std::string_view v, std::string* out) {
  if (v.empty()) {
    out->push_back(kEmpty);
    return;
  }
  out->push_back(kPresent);
  encode_body(type, v, out);
}

std::string decode_component(const CqlType& type, Reader* r) {
  uint8_t header = r->next();
  if (header == kEmpty) return "";
  if (header != kPresent) corrupt("component header");
  return decode_body(type, r);
}

void encode_tuple(const CqlType& type, std::string_view v, std::string* out) {
  std::vector<Value> fields = parse_tuple(v);
  // Trailing nulls equal missing fields in Cassandra's order, so neither is written.
  while (!fields.empty() && fields.back().is_null()) fields.pop_back();
  if (fields.size() > type.params.size()) corrupt("tuple has more fields than its type");
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].is_null()) {
      out->push_back(kNull);
    } else {
      encode_component(*type.params[i], fields[i].bytes, out);
    }
  }
  out->push_back(kEnd);
}

std::string decode_tuple(const CqlType& type, Reader* r) {
  std::vector<Value> fields;
  while (r->peek() != static_cast<uint8_t>(kEnd)) {
    if (fields.size() >= type.params.size()) corrupt("tuple field count");
    if (r->peek() == static_cast<uint8_t>(kNull)) {
      r->next();
      fields.push_back(Value::null());
    } else {
      fields.push_back(Value::of(decode_component(*type.params[fields.size()], r)));
    }
  }
  r->next();
  fields.resize(type.params.size());
  return serialize_tuple(fields);
}

void encode_collection(const CqlType& type, std::string_view v, std::string* out) {
  if (type.kind == TypeKind::kMap) {
    for (const auto& [key, value] : parse_map(v)) {
      encode_component(*type.params[0], key, out);
      encode_component(*type.params[1], value, out);
    }
  } else {
    for (const auto& element : parse_collection(v)) encode_component(*type.params[0], element, out);
  }
  out->push_back(kEnd);
}

std::string decode_collection(const CqlType& type, Reader* r) {
  if (type.kind == TypeKind::kMap) {
    std::vector<std::pair<std::string, std::string>> entries;
    while (r->peek() != static_cast<uint8_t>(kEnd)) {
      std::string key = decode_component(*type.params[0], r);
      entries.emplace_back(std::move(key), decode_component(*type.params[1], r));
    }
    r->next();
    return serialize_map(entries);
  }
  std::vector<std::string> elements;
  while (r->peek() != static_cast<uint8_t>(kEnd))
    elements.push_back(decode_component(*type.params[0], r));
  r->next();
  return serialize_collection(elements);
}

void encode_body(const CqlType& type, std::string_view v, std::string* out) {
  size_t width = fixed_width(type.kind);
  if (width != 0 && v.size() != width) {
    corrupt("value of the wrong size for its type");
  }
  switch (type.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      out->push_back(static_cast<char>(v[0] ^ 0x80));
      out->append(v.substr(1));
      return;
    case TypeKind::kDate:
      out->append(v);
      return;
    case TypeKind::kBoolean:
      out->push_back(v[0] != 0 ? 0x01 : 0x00);
      return;
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      return encode_float(v, out);
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return encode_uuid(type.kind, v, out);
    case TypeKind::kVarint:
      return encode_varint(v, out);
    case TypeKind::kDecimal:
      if (v.size() < 4) corrupt("decimal of fewer than 4 bytes");
      return encode_decimal(v, out);
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      return encode_collection(type, v, out);
    case TypeKind::kTuple:
    case TypeKind::kUdt:
      return encode_tuple(type, v, out);
    case TypeKind::kVector:
      for (std::string_view element : split_vector(type, v)) encode_component(*type.params[0], element, out);
      return;
    default:
      return encode_bytes(v, out);  // text, ascii, blob, inet, duration, custom
  }
}

std::string decode_body(const CqlType& type, Reader* r) {
  switch (type.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime: {
      std::string out = r->take(fixed_width(type.kind));
      out[0] = static_cast<char>(out[0] ^ 0x80);
      return out;
    }
    case TypeKind::kDate:
      return r->take(4);
    case TypeKind::kBoolean: {
      uint8_t b = r->next();
      if (b > 1) corrupt("boolean");
      return std::string(1, static_cast<char>(b));
    }
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      return decode_float(r, fixed_width(type.kind));
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return decode_uuid(type.kind, r);
    case TypeKind::kVarint:
      return decode_varint(r);
    case TypeKind::kDecimal:
      return decode_decimal(r);
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      return decode_collection(type, r);
    case TypeKind::kTuple:
    case TypeKind::kUdt:
      return decode_tuple(type, r);
    case TypeKind::kVector: {
      std::vector<std::string> elements;
      for (int i = 0; i < type.dimension; ++i) elements.push_back(decode_component(*type.params[0], r));
      return serialize_vector(type, elements);
    }
    default:
      return decode_bytes(r);
  }
}

}  // namespace

void append_comparable(const CqlType& type, std::string_view value, bool descending,
                       std::string* out) {
  size_t start = out->size();
  encode_component(type, value, out);
  if (descending) {
    for (size_t i = start; i < out->size(); ++i) (*out)[i] = static_cast<char>(~(*out)[i]);
  }
}

bool comparable_is_exact(const CqlType& type) {
  if (type.kind == TypeKind::kDecimal || type.kind == TypeKind::kVarint) return false;
  for (const TypePtr& param : type.params) {
    if (!comparable_is_exact(*param)) return false;
  }
  return true;
}

std::string read_comparable(const CqlType& type, bool descending, std::string_view* in) {
  Reader r(in, descending);
  return decode_component(type, &r);
}

}  // namespace cqld
