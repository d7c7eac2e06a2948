#include "types/value.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "types/duration.h"
#include "types/from_string.h"

namespace cqld {
namespace {

TypePtr T(const char* name) {
  return primitive_type_by_name(name);
}
std::string V(const char* type, std::string_view text) {
  return value_from_string(T(type)->kind, text);
}
std::string X(std::string_view hex) {
  return blob_from_hex(hex);
}
int Cmp(const CqlType& type, std::string_view a, std::string_view b) {
  int c = compare_values(type, a, b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
int Cmp(const char* type, std::string_view a, std::string_view b) {
  return Cmp(*T(type), a, b);
}

TEST(CompareTest, Numbers) {
  EXPECT_EQ(Cmp("int", V("int", "-1"), V("int", "0")), -1);
  EXPECT_EQ(Cmp("bigint", V("bigint", "-9223372036854775808"), V("bigint", "9223372036854775807")),
            -1);
  EXPECT_EQ(Cmp("tinyint", V("tinyint", "-128"), V("tinyint", "127")), -1);
  EXPECT_EQ(Cmp("varint", X("00ff"), X("ff")), 1);
  EXPECT_EQ(Cmp("varint", X("0001"), X("01")), 0);
  EXPECT_EQ(Cmp("varint", X("ff00"), X("ff")), -1);
  EXPECT_EQ(Cmp("decimal", V("decimal", "1.0"), V("decimal", "1.00")), 0);
  EXPECT_EQ(Cmp("decimal", V("decimal", "0.5"), V("decimal", "1")), -1);
  EXPECT_EQ(Cmp("decimal", V("decimal", "-2"), V("decimal", "-1.5")), -1);
  EXPECT_EQ(Cmp("decimal", V("decimal", "1e10"), V("decimal", "99")), 1);
  EXPECT_EQ(Cmp("decimal", V("decimal", "0"), V("decimal", "0.000")), 0);
  EXPECT_EQ(Cmp("float", V("float", "-0.0"), V("float", "0.0")), -1);
  EXPECT_EQ(Cmp("double", V("double", "NaN"), V("double", "Infinity")), 1);
  EXPECT_EQ(Cmp("double", X("7ff8000000000001"), V("double", "NaN")), 0);
  EXPECT_EQ(Cmp("double", V("double", "-Infinity"), V("double", "-1e308")), -1);
}

TEST(CompareTest, Temporal) {
  EXPECT_EQ(Cmp("timestamp", V("timestamp", "-1"), V("timestamp", "0")), -1);
  EXPECT_EQ(Cmp("date", V("date", "1969-12-31"), V("date", "1970-01-01")), -1);
  EXPECT_EQ(Cmp("time", V("time", "00:00:01"), V("time", "00:00:00.5")), 1);
}

TEST(CompareTest, Uuids) {
  std::string early = V("timeuuid", "00000001-0000-1000-8000-000000000000");
  std::string late = V("timeuuid", "00000000-0001-1000-8000-000000000000");
  EXPECT_EQ(Cmp("timeuuid", early, late), -1);  // time_mid outranks time_low
  EXPECT_EQ(Cmp("uuid", early, late), -1);
  std::string v4 = V("uuid", "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(Cmp("uuid", X("ffffffffffff1fffffffffffffffffff"), v4), -1);  // version first
  // timeuuid compares the clock sequence and node as signed bytes; uuid as unsigned.
  std::string lo = V("timeuuid", "00000000-0000-1000-7f00-000000000000");
  std::string hi = V("timeuuid", "00000000-0000-1000-8000-000000000000");
  EXPECT_EQ(Cmp("timeuuid", lo, hi), 1);
  EXPECT_EQ(Cmp("uuid", lo, hi), -1);
}

TEST(CompareTest, BytesLike) {
  EXPECT_EQ(Cmp("text", "a", "b"), -1);
  EXPECT_EQ(Cmp("text", "b", "ba"), -1);
  EXPECT_EQ(Cmp("text", "\xc3\xa9", "z"), 1);
  EXPECT_EQ(Cmp("blob", X("ff"), X("00ff")), 1);
  EXPECT_EQ(Cmp("inet", V("inet", "::1"), V("inet", "127.0.0.1")), -1);
  EXPECT_EQ(Cmp("boolean", X("00"), X("01")), -1);
  EXPECT_EQ(Cmp("boolean", X("02"), X("01")), 0);
}

TEST(CompareTest, EmptyFirst) {
  EXPECT_EQ(Cmp("int", "", V("int", "-2147483648")), -1);
  EXPECT_EQ(Cmp("uuid", "", ""), 0);
  EXPECT_EQ(Cmp(*list_type(T("int"), true), "", serialize_collection({})), -1);
}

TEST(CompareTest, Composites) {
  auto list = list_type(T("int"), true);
  auto l = [](std::vector<int> v) {
    std::vector<std::string> e;
    for (int i : v) e.push_back(encode_int32(i));
    return serialize_collection(e);
  };
  EXPECT_EQ(Cmp(*list, l({1}), l({1, 0})), -1);
  EXPECT_EQ(Cmp(*list, l({2}), l({1, 5})), 1);
  EXPECT_EQ(Cmp(*list, l({}), l({-5})), -1);
  auto map = map_type(T("int"), T("text"), true);
  EXPECT_EQ(
      Cmp(*map, serialize_map({{encode_int32(1), "b"}}), serialize_map({{encode_int32(1), "c"}})),
      -1);
  EXPECT_EQ(
      Cmp(*map, serialize_map({{encode_int32(2), "a"}}), serialize_map({{encode_int32(1), "z"}})),
      1);
  auto tuple = tuple_type({T("int"), T("int")});
  auto one = Value::of(encode_int32(1));
  EXPECT_EQ(Cmp(*tuple, serialize_tuple({one, Value::null()}),
                serialize_tuple({one, Value::of(encode_int32(0))})),
            -1);
  EXPECT_EQ(Cmp(*tuple, serialize_tuple({one}), serialize_tuple({one, Value::null()})), 0);
  EXPECT_EQ(
      Cmp(*tuple, serialize_tuple({Value::null(), one}), serialize_tuple({one, Value::null()})),
      -1);
}

std::string ValidationError(const CqlType& type, std::string_view bytes) {
  try {
    validate_value(type, bytes);
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "valid";
}
std::string ValidationError(const char* type, std::string_view bytes) {
  return ValidationError(*T(type), bytes);
}

TEST(ValidateTest, Messages) {
  EXPECT_EQ(ValidationError("int", "abc"), "Expected 4 or 0 byte int (3)");
  EXPECT_EQ(ValidationError("int", ""), "valid");
  EXPECT_EQ(ValidationError("bigint", "abc"), "Expected 8 or 0 byte long (3)");
  EXPECT_EQ(ValidationError("smallint", ""), "Expected 2 bytes for a smallint (0)");
  EXPECT_EQ(ValidationError("tinyint", "ab"), "Expected 1 byte for a tinyint (2)");
  EXPECT_EQ(ValidationError("uuid", "abc"), "UUID should be 16 or 0 bytes (3)");
  EXPECT_EQ(ValidationError("timeuuid", X("00000000000040000000000000000000")),
            "Invalid version for TimeUUID type.");
  EXPECT_EQ(ValidationError("text", "\xc3"), "String didn't validate.");
  EXPECT_EQ(ValidationError("text", "\xed\xa0\x80"), "String didn't validate.");
  EXPECT_EQ(ValidationError("text", "h\xc3\xa9\xf0\x9f\x98\x80"), "valid");
  EXPECT_EQ(ValidationError("ascii", "\x80"), "Invalid byte for ascii: -128");
  EXPECT_EQ(ValidationError("date", "abc"), "Expected 4 byte long for date (3)");
  EXPECT_EQ(ValidationError("timestamp", "abc"), "Expected 8 or 0 byte long for date (3)");
  EXPECT_EQ(ValidationError("decimal", "ab"), "Expected 0 or at least 4 bytes (2)");
  EXPECT_EQ(ValidationError("duration", X("020201")),
            "The duration months, days and nanoseconds must be all of the same sign (1, 1, -1)");
  auto list = list_type(T("int"), false);
  EXPECT_EQ(ValidationError(*list, X("00000001000000")), "Not enough bytes to read a list");
  EXPECT_EQ(ValidationError(*list, X("000000010000000400000001ff")),
            "Unexpected extraneous bytes after list value");
  EXPECT_EQ(ValidationError(*list, X("0000000100000002ffff")), "Expected 4 or 0 byte int (2)");
  EXPECT_EQ(ValidationError(*list, X("00000001ffffffff")),
            "null is not supported inside collections");
  auto tuple = tuple_type({T("int")});
  EXPECT_EQ(ValidationError(*tuple, X("ffffffff")), "valid");
  EXPECT_EQ(ValidationError(*tuple, X("ffffffff00")),
            "Invalid remaining data after end of tuple value");
}

TEST(FormatTest, CqlLiterals) {
  EXPECT_EQ(value_to_cql_literal(*T("text"), "it's"), "'it''s'");
  EXPECT_EQ(value_to_cql_literal(*T("blob"), X("cafe")), "0xcafe");
  EXPECT_EQ(value_to_cql_literal(*T("int"), V("int", "-5")), "-5");
  EXPECT_EQ(value_to_cql_literal(*T("int"), ""), "blobAsInt(0x)");
  EXPECT_EQ(value_to_cql_literal(*T("varint"), V("varint", "-123456789012345678901")),
            "-123456789012345678901");
  EXPECT_EQ(value_to_cql_literal(*T("decimal"), V("decimal", "-0.001")), "-0.001");
  EXPECT_EQ(value_to_cql_literal(*T("decimal"), V("decimal", "1e3")), "1000");
  EXPECT_EQ(value_to_cql_literal(*T("decimal"), V("decimal", "-12e100")), "-12E100");
  EXPECT_EQ(value_to_cql_literal(*T("decimal"), V("decimal", "0")), "0");
  EXPECT_EQ(value_to_cql_literal(*T("decimal"), V("decimal", "5e-70")), "5E-70");
  EXPECT_EQ(value_to_cql_literal(*T("double"), V("double", "0.1")), "0.1");
  EXPECT_EQ(value_to_cql_literal(*T("float"), V("float", "-Infinity")), "-Infinity");
  EXPECT_EQ(value_to_cql_literal(*T("boolean"), X("01")), "true");
  EXPECT_EQ(value_to_cql_literal(*T("uuid"), V("uuid", "550e8400-e29b-41d4-a716-446655440000")),
            "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(value_to_cql_literal(*T("inet"), V("inet", "::1")), "'::1'");
  EXPECT_EQ(value_to_cql_literal(*T("timestamp"), V("timestamp", "2024-01-02 03:04:05.678")),
            "'2024-01-02 03:04:05.678Z'");
  EXPECT_EQ(value_to_cql_literal(*T("timestamp"), V("timestamp", "-1")),
            "'1969-12-31 23:59:59.999Z'");
  EXPECT_EQ(value_to_cql_literal(*T("date"), V("date", "2024-02-29")), "'2024-02-29'");
  EXPECT_EQ(value_to_cql_literal(*T("time"), V("time", "03:04:05.1")), "'03:04:05.100000000'");
  EXPECT_EQ(value_to_cql_literal(*T("duration"), V("duration", "1y2mo3d4h5m6s7ms")),
            "1y2mo3d4h5m6s7ms");
  auto map = map_type(T("text"), list_type(T("int"), true), false);
  EXPECT_EQ(
      value_to_cql_literal(
          *map, serialize_map({{"k", serialize_collection({encode_int32(1), encode_int32(2)})}})),
      "{'k': [1, 2]}");
  auto udt = udt_type("ks", "u", {"a", "b"}, {T("int"), T("text")}, true);
  EXPECT_EQ(value_to_cql_literal(*udt, serialize_tuple({Value::of(encode_int32(1))})),
            "{a: 1, b: null}");
  EXPECT_EQ(value_to_cql_literal(*tuple_type({T("int"), T("text")}),
                                 serialize_tuple({Value::null(), Value::of("x")})),
            "(null, 'x')");
}

TEST(FramingTest, Int32AndInt64) {
  EXPECT_EQ(decode_int32(encode_int32(-123456)), -123456);
  EXPECT_EQ(decode_int64(encode_int64(INT64_MIN)), INT64_MIN);
  EXPECT_EQ(parse_tuple(serialize_tuple({Value::of(""), Value::null()})),
            (std::vector<Value>{Value::of(""), Value::null()}));
  EXPECT_THROW((void)parse_collection(X("0000000200000001")), InvalidRequest);
}

// A vint of 9 bytes (values of over 56 bits, as durations of a century in nanoseconds are) is
// 0xFF and then the value's 8 bytes. Found by the value fuzz target.
TEST(UnsignedVint, NineByteValuesRoundTrip) {
  for (uint64_t v : {uint64_t{1} << 56, uint64_t{1} << 63, ~uint64_t{0}}) {
    std::string bytes;
    append_unsigned_vint(v, &bytes);
    ASSERT_EQ(bytes.size(), 9u);
    EXPECT_EQ(static_cast<uint8_t>(bytes[0]), 0xFF);
    std::string_view in = bytes;
    EXPECT_EQ(read_unsigned_vint(&in), v);
    EXPECT_TRUE(in.empty());
  }
  EXPECT_EQ(value_to_cql_literal(*T("duration"), V("duration", "-3110000011s")), "-863888h53m31s");
}

}  // namespace
}  // namespace cqld
