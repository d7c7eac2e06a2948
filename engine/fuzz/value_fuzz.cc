// Every type's value codec. The input picks a type (any native type, or lists, sets, maps,
// tuples and user types nesting up to three deep) and two serialized values. Each value is
// validated as a client's would be; valid ones are formatted as CQL literals and go through the
// byte-comparable key encoding, checked against the properties storage relies on:
//   - decoding an encoding gives back a value equal to the original (the same bytes when the
//     type's encoding is exact) and consumes exactly what was written;
//   - the unsigned byte order of two encodings is compare_values() order (reversed for DESC).
// The first value's bytes are also read as text by value_from_string for native types.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/errors.h"
#include "common/text.h"
#include "types/comparable.h"
#include "types/from_string.h"
#include "types/value.h"

namespace {

using namespace cqld;

constexpr int kMaxDepth = 3;

constexpr TypeKind kNativeKinds[] = {
    TypeKind::kAscii,    TypeKind::kBigint, TypeKind::kBlob,     TypeKind::kBoolean,  TypeKind::kCounter,
    TypeKind::kDecimal,  TypeKind::kDouble, TypeKind::kFloat,    TypeKind::kInt,      TypeKind::kTimestamp,
    TypeKind::kUuid,     TypeKind::kVarchar, TypeKind::kVarint,  TypeKind::kTimeuuid, TypeKind::kInet,
    TypeKind::kDate,     TypeKind::kTime,   TypeKind::kSmallint, TypeKind::kTinyint,  TypeKind::kDuration,
};

TypePtr pick_type(FuzzedDataProvider& in, int depth);

std::vector<TypePtr> pick_types(FuzzedDataProvider& in, int depth) {
  std::vector<TypePtr> types(in.ConsumeIntegralInRange<size_t>(1, 3));
  for (auto& t : types) t = pick_type(in, depth + 1);
  return types;
}

TypePtr pick_type(FuzzedDataProvider& in, int depth) {
  auto choice = in.ConsumeIntegral<uint8_t>();
  if (depth >= kMaxDepth || choice < 0xA0) return primitive_type(kNativeKinds[choice % std::size(kNativeKinds)]);
  // Only the outermost collection may be non-frozen, as in a column's type.
  bool frozen = depth > 0 || (choice & 0x80) == 0 || in.ConsumeBool();
  switch (choice % 5) {
    case 0: return list_type(pick_type(in, depth + 1), frozen);
    case 1: return set_type(pick_type(in, depth + 1), frozen);
    case 2: {
      TypePtr key = pick_type(in, depth + 1);
      return map_type(key, pick_type(in, depth + 1), frozen);
    }
    case 3: return tuple_type(pick_types(in, depth));
    default: {
      std::vector<TypePtr> fields = pick_types(in, depth);
      std::vector<std::string> names;
      for (size_t i = 0; i < fields.size(); ++i) names.push_back("f" + std::to_string(i));
      return udt_type("ks", "u", names, fields, true);
    }
  }
}

[[noreturn]] void fail(const CqlType& type, const std::string& what, std::string_view a, std::string_view b = {}) {
  fprintf(stderr, "%s: type %s, value %s %s\n", what.c_str(), type_to_cql(type).c_str(), to_hex(a).c_str(),
          to_hex(b).c_str());
  abort();
}

bool is_valid(const CqlType& type, std::string_view v) {
  try {
    validate_value(type, v);
    return true;
  } catch (const CqlError&) {
    return false;
  }
}

int sign(int c) { return (c > 0) - (c < 0); }

std::string comparable(const CqlType& type, std::string_view v, bool descending) {
  std::string out;
  append_comparable(type, v, descending, &out);
  return out;
}

// Values with more than one spelling, whose key encoding keeps the value, not the bytes, as
// Cassandra's byte-comparable form does: a boolean is any one byte, non-zero for true; a float or
// double NaN has many payloads; a tuple or user type field of any negative length is null.
bool has_spellings(const CqlType& type) {
  switch (type.kind) {
    case TypeKind::kBoolean:
    case TypeKind::kFloat:
    case TypeKind::kDouble:
    case TypeKind::kTuple:
    case TypeKind::kUdt:
      return true;
    default:
      break;
  }
  for (const TypePtr& param : type.params)
    if (has_spellings(*param)) return true;
  return false;
}

void check_one(const CqlType& type, std::string_view v) {
  value_to_cql_literal(type, v);
  if (compare_values(type, v, v) != 0) fail(type, "a value does not compare equal to itself", v);
  for (bool descending : {false, true}) {
    std::string encoded = comparable(type, v, descending);
    std::string_view in = encoded;
    std::string decoded = read_comparable(type, descending, &in);
    if (!in.empty()) fail(type, "decoding left bytes of the encoding", v, encoded);
    if (compare_values(type, decoded, v) != 0) fail(type, "decoded value differs", v, decoded);
    if (comparable_is_exact(type) && !has_spellings(type) && decoded != v) fail(type, "exact encoding gave other bytes", v, decoded);
  }
}

void check_order(const CqlType& type, std::string_view a, std::string_view b) {
  int expected = sign(compare_values(type, a, b));
  if (sign(compare_values(type, b, a)) != -expected) fail(type, "compare_values is not antisymmetric", a, b);
  if (sign(comparable(type, a, false).compare(comparable(type, b, false))) != expected)
    fail(type, "ascending encodings order unlike the values", a, b);
  if (sign(comparable(type, a, true).compare(comparable(type, b, true))) != -expected)
    fail(type, "descending encodings order unlike the values", a, b);
}

void check_from_string(const CqlType& type, std::string_view text) {
  if (type.kind == TypeKind::kCounter || !type.params.empty()) return;
  try {
    std::string v = value_from_string(type.kind, text);
    // Empty text makes the empty value for every type but text and blob, as Cassandra's
    // fromString does; tinyint and smallint then refuse it where it is bound.
    if (text.empty() && v.empty()) return;
    // Text is kept as written; a literal that is not UTF-8 (or ASCII) is refused where it is
    // bound ("String didn't validate"), which the prepare and session targets cover.
    if ((type.kind == TypeKind::kVarchar || type.kind == TypeKind::kAscii) && !is_valid(type, v)) return;
    if (!is_valid(type, v)) fail(type, "value_from_string made an invalid value from " + std::string(text), v);
    check_one(type, v);
  } catch (const CqlError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  TypePtr type = pick_type(in, 0);
  std::string a = in.ConsumeRandomLengthString(size);
  std::string b = in.ConsumeRemainingBytesAsString();
  bool a_valid = is_valid(*type, a);
  bool b_valid = is_valid(*type, b);
  if (a_valid) check_one(*type, a);
  if (b_valid) check_one(*type, b);
  if (a_valid && b_valid) check_order(*type, a, b);
  check_from_string(*type, a);
  return 0;
}
