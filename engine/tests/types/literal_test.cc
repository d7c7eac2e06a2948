#include "types/literal.h"

#include <gtest/gtest.h>

#include "types/bignum.h"

#include "common/errors.h"
#include "types/value.h"

namespace cqld {
namespace {

using K = Literal::Kind;

Literal L(K kind, std::string text = "") {
  return Literal{kind, std::move(text), {}, {}};
}
Literal Str(std::string s) {
  return L(K::kString, std::move(s));
}
Literal Int(std::string s) {
  return L(K::kInteger, std::move(s));
}
Literal Flt(std::string s) {
  return L(K::kFloat, std::move(s));
}
Literal Coll(K kind, std::vector<Literal> elements) {
  return Literal{kind, "", std::move(elements), {}};
}
TypePtr T(const char* name) {
  return primitive_type_by_name(name);
}

std::string Bytes(const CqlType& type, const Literal& lit) {
  Value v = literal_to_value(lit, type, "a");
  EXPECT_TRUE(v.is_set());
  return v.bytes;
}
std::string Bytes(const char* type, const Literal& lit) {
  return Bytes(*T(type), lit);
}

std::string Error(const CqlType& type, const Literal& lit) {
  try {
    literal_to_value(lit, type, "a");
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "no error";
}
std::string Error(const char* type, const Literal& lit) {
  return Error(*T(type), lit);
}

std::string Hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    out += d[static_cast<uint8_t>(c) >> 4];
    out += d[static_cast<uint8_t>(c) & 15];
  }
  return out;
}

TEST(LiteralTest, Integers) {
  EXPECT_EQ(Hex(Bytes("int", Int("-2"))), "fffffffe");
  EXPECT_EQ(Hex(Bytes("tinyint", Int("127"))), "7f");
  EXPECT_EQ(Hex(Bytes("smallint", Int("-32768"))), "8000");
  EXPECT_EQ(Hex(Bytes("bigint", Int("9223372036854775807"))), "7fffffffffffffff");
  EXPECT_EQ(Hex(Bytes("counter", Int("5"))), "0000000000000005");
  EXPECT_EQ(Error("int", Int("3000000000")), "Unable to make int from '3000000000'");
  EXPECT_EQ(Error("tinyint", Int("128")), "Unable to make byte from '128'");
  EXPECT_EQ(Error("smallint", Int("40000")), "Unable to make short from '40000'");
  EXPECT_EQ(Error("bigint", Int("9223372036854775808")),
            "Unable to make long from '9223372036854775808'");
  EXPECT_EQ(Error("int", Str("abc")), "Invalid STRING constant (abc) for \"a\" of type int");
  EXPECT_EQ(Error("int", Flt("1.5")), "Invalid FLOAT constant (1.5) for \"a\" of type int");
  EXPECT_EQ(Error("int", L(K::kBoolean, "true")),
            "Invalid BOOLEAN constant (true) for \"a\" of type int");
}

TEST(LiteralTest, Varint) {
  EXPECT_EQ(Hex(Bytes("varint", Int("0"))), "00");
  EXPECT_EQ(Hex(Bytes("varint", Int("128"))), "0080");
  EXPECT_EQ(Hex(Bytes("varint", Int("-129"))), "ff7f");
  EXPECT_EQ(Hex(Bytes("varint", Int("-128"))), "80");
  EXPECT_EQ(Hex(Bytes("varint", Int("18446744073709551616"))), "010000000000000000");
}

TEST(LiteralTest, Decimal) {
  EXPECT_EQ(Hex(Bytes("decimal", Flt("12.5"))), "000000017d");
  EXPECT_EQ(Hex(Bytes("decimal", Flt("1e10"))), "fffffff601");
  EXPECT_EQ(Hex(Bytes("decimal", Flt("-0.001"))), "00000003ff");
  EXPECT_EQ(Hex(Bytes("decimal", Int("100"))), "0000000064");
  EXPECT_EQ(Error("decimal", Flt("NaN")), "unable to make BigDecimal from 'NaN'");
  // Java's BigDecimal limits, which Cassandra applies to every floating-point literal.
  EXPECT_EQ(decimal_range_error("10E+2147483648"), "Exponent overflow.");
  EXPECT_EQ(decimal_range_error("1.5E-2147483647"), "Scale out of range.");
  EXPECT_EQ(decimal_range_error("1E+99999999999"), "Too many nonzero exponent digits.");
  EXPECT_EQ(decimal_range_error("1E+0000000000001"), std::nullopt);
  EXPECT_EQ(decimal_range_error("1E-2147483647"), std::nullopt);
  EXPECT_EQ(decimal_range_error("12.5"), std::nullopt);
}

TEST(LiteralTest, FloatingPoint) {
  EXPECT_EQ(Hex(Bytes("double", Flt("1.5"))), "3ff8000000000000");
  EXPECT_EQ(Hex(Bytes("float", Flt("1.5"))), "3fc00000");
  EXPECT_EQ(Hex(Bytes("float", Int("3"))), "40400000");
  EXPECT_EQ(Hex(Bytes("double", Flt("NaN"))), "7ff8000000000000");
  EXPECT_EQ(Hex(Bytes("double", Flt("-NaN"))), "7ff8000000000000");
  EXPECT_EQ(Hex(Bytes("double", Flt("Infinity"))), "7ff0000000000000");
  EXPECT_EQ(Hex(Bytes("float", Flt("-Infinity"))), "ff800000");
  EXPECT_EQ(Hex(Bytes("float", Flt("1e40"))), "7f800000");
}

TEST(LiteralTest, BooleanBlobText) {
  EXPECT_EQ(Hex(Bytes("boolean", L(K::kBoolean, "true"))), "01");
  EXPECT_EQ(Hex(Bytes("boolean", L(K::kBoolean, "false"))), "00");
  EXPECT_EQ(Hex(Bytes("blob", L(K::kHex, "CAfe"))), "cafe");
  EXPECT_EQ(Bytes("blob", L(K::kHex, "")), "");
  EXPECT_EQ(Error("blob", Str("cafe")), "Invalid STRING constant (cafe) for \"a\" of type blob");
  EXPECT_EQ(Error("text", L(K::kHex, "01")), "Invalid HEX constant (0x01) for \"a\" of type text");
  EXPECT_EQ(Bytes("text", Str("h\xc3\xa9")), "h\xc3\xa9");
  EXPECT_EQ(Bytes("ascii", Str("")), "");
  EXPECT_EQ(
      Error("ascii", Str("h\xc3\xa9")),
      "Invalid ASCII character in string literal: java.nio.charset.UnmappableCharacterException: "
      "Input length = 1");
}

TEST(LiteralTest, Uuids) {
  const char* v4 = "550e8400-e29b-41d4-a716-446655440000";
  const char* v1 = "2a92d750-d8dc-11e6-a2de-cf8ecd4cf053";
  EXPECT_EQ(Hex(Bytes("uuid", L(K::kUuid, v4))), "550e8400e29b41d4a716446655440000");
  EXPECT_EQ(Hex(Bytes("timeuuid", L(K::kUuid, v1))), "2a92d750d8dc11e6a2decf8ecd4cf053");
  EXPECT_EQ(Error("timeuuid", L(K::kUuid, v4)), "TimeUUID supports only version 1 UUIDs");
  EXPECT_EQ(Error("uuid", Str(v4)),
            std::string("Invalid STRING constant (") + v4 + ") for \"a\" of type uuid");
}

TEST(LiteralTest, Inet) {
  EXPECT_EQ(Hex(Bytes("inet", Str("127.0.0.1"))), "7f000001");
  EXPECT_EQ(Hex(Bytes("inet", Str("::1"))), "00000000000000000000000000000001");
  EXPECT_EQ(Hex(Bytes("inet", Str("::ffff:10.0.0.1"))), "0a000001");
  EXPECT_EQ(Error("inet", Str("300.1.1.1")), "Unable to make inet address from '300.1.1.1'");
}

TEST(LiteralTest, Timestamps) {
  auto ms = [](const char* s) { return decode_int64(Bytes("timestamp", Str(s))); };
  EXPECT_EQ(ms("2024-01-02"), 1704153600000);
  EXPECT_EQ(ms("2024-01-02 03:04"), 1704164640000);
  EXPECT_EQ(ms("2024-01-02 03:04:05"), 1704164645000);
  EXPECT_EQ(ms("2024-01-02T03:04:05"), 1704164645000);
  EXPECT_EQ(ms("2024-01-02 03:04:05.678"), 1704164645678);
  EXPECT_EQ(ms("2024-01-02 03:04:05.5"), 1704164645500);  // a fraction of a second, as Cassandra 5 reads it
  EXPECT_EQ(ms("2024-01-02 03:04:05+0000"), 1704164645000);
  EXPECT_EQ(ms("2024-01-02 03:04:05Z"), 1704164645000);
  EXPECT_EQ(ms("2024-01-02T03:04:05.000+01:00"), 1704164645000 - 3600000);
  EXPECT_EQ(ms("2024-01-02 03:04:05 UTC"), 1704164645000);
  EXPECT_EQ(ms("2024-01-02 03:04:05 -0130"), 1704164645000 + 5400000);
  EXPECT_EQ(ms("2024-01-02 03:04:05 GMT+02:00"), 1704164645000 - 7200000);
  EXPECT_EQ(ms("2024-01-02+0200"), 1704153600000 - 7200000);
  EXPECT_EQ(ms("-1000"), -1000);
  EXPECT_EQ(decode_int64(Bytes("timestamp", Int("1704153600000"))), 1704153600000);
  EXPECT_EQ(Bytes("timestamp", Str("")), "");
  EXPECT_EQ(Error("timestamp", Str("2024-13-01")), "Unable to parse a date/time from '2024-13-01'");
  EXPECT_EQ(Error("timestamp", Str("2023-02-29")), "Unable to parse a date/time from '2023-02-29'");
  EXPECT_EQ(Error("timestamp", Str("99999999999999999999")),
            "Unable to make long (for date) from: '99999999999999999999'");
}

TEST(LiteralTest, Dates) {
  auto days = [](const Literal& l) {
    return static_cast<uint32_t>(decode_int32(Bytes("date", l)));
  };
  EXPECT_EQ(days(Str("1970-01-01")), 1u << 31);
  EXPECT_EQ(days(Str("2024-01-02")), (1u << 31) + 19724);
  EXPECT_EQ(days(Str("1969-12-31")), (1u << 31) - 1);
  EXPECT_EQ(days(Int("2147483648")), 1u << 31);
  EXPECT_EQ(days(Str("0")), 0u);
  EXPECT_EQ(days(Int("4294967295")), 4294967295u);
  EXPECT_EQ(Error("date", Int("4294967296")),
            "Unable to make unsigned int (for date) from: '4294967296'");
  EXPECT_EQ(Error("date", Int("-1")), "Unable to make unsigned int (for date) from: '-1'");
  EXPECT_EQ(Error("date", Str("2024-1-02")),
            "Unable to coerce '2024-1-02' to a formatted date (long)");
  EXPECT_EQ(Error("date", Str("+9999999-01-01")),
            "Input date +9999999-01-01 is greater than max supported date 5881580-07-11T00:00Z");
}

TEST(LiteralTest, Times) {
  auto nanos = [](const Literal& l) { return decode_int64(Bytes("time", l)); };
  EXPECT_EQ(nanos(Str("03:04:05")), 11045000000000);
  EXPECT_EQ(nanos(Str("03:04:05.123")), 11045123000000);
  EXPECT_EQ(nanos(Str("03:04:05.123456789")), 11045123456789);
  EXPECT_EQ(nanos(Int("1000")), 1000);
  EXPECT_EQ(Error("time", Str("24:00:00")),
            "(TimeType) Unable to coerce '24:00:00' to a formatted time (long)");
  EXPECT_EQ(Error("time", Int("86400000000000")),
            "Unable to make long (for time) from: '86400000000000'");
}

TEST(LiteralTest, Durations) {
  auto dur = [](const char* s) { return Hex(Bytes("duration", L(K::kDuration, s))); };
  // Expected bytes from the python-driver: DurationType.serialize(Duration(0, 0, 5400000000000),
  // 4).
  EXPECT_EQ(dur("1h30m"), "0000fc09d29229e000");
  EXPECT_EQ(dur("-1y2mo3d1ns"), "1b0501");
  EXPECT_EQ(dur("1mo2d"), "020400");
  EXPECT_EQ(dur("P1Y2M3DT4H5M6S"), dur("1y2mo3d4h5m6s"));
  EXPECT_EQ(dur("P1W"), dur("7d"));
  EXPECT_EQ(dur("P0001-02-03T04:05:06"), dur("1y2mo3d4h5m6s"));
  EXPECT_EQ(dur("-1d"), "000100");
  EXPECT_EQ(Error("duration", L(K::kDuration, "1d2y")),
            "Invalid duration. The days should be after years");
  EXPECT_EQ(Error("duration", L(K::kDuration, "1d1d")),
            "Invalid duration. The days are specified multiple times");
  EXPECT_EQ(Error("duration", Int("10")), "Unable to convert '10' to a duration");
  EXPECT_EQ(Error("duration", Str("1h")),
            "Invalid STRING constant (1h) for \"a\" of type duration");
}

TEST(LiteralTest, Collections) {
  auto list = list_type(T("int"), false);
  EXPECT_EQ(Hex(Bytes(*list, Coll(K::kList, {Int("1"), Int("2")}))),
            "00000002000000040000000100000004"
            "00000002");
  EXPECT_EQ(Error(*list, Coll(K::kList, {Int("1"), Str("x")})),
            "Invalid list literal for a: value 'x' is not of type int");
  EXPECT_EQ(Error(*list, Coll(K::kSet, {Int("1")})), "Invalid set literal for a of type list<int>");
  EXPECT_EQ(Error(*list, Coll(K::kList, {L(K::kNull)})),
            "null is not supported inside collections");
  auto set = set_type(T("int"), false);
  EXPECT_EQ(Bytes(*set, Coll(K::kSet, {Int("3"), Int("-1"), Int("3")})),
            serialize_collection({encode_int32(-1), encode_int32(3)}));
  EXPECT_EQ(Bytes(*set, Coll(K::kMap, {})), serialize_collection({}));
  auto map = map_type(T("text"), T("int"), false);
  EXPECT_EQ(
      Bytes(*map, Coll(K::kMap, {Str("b"), Int("1"), Str("a"), Int("2"), Str("b"), Int("3")})),
      serialize_map({{"a", encode_int32(2)}, {"b", encode_int32(3)}}));
  EXPECT_EQ(Bytes(*map, Coll(K::kMap, {})), serialize_map({}));
  EXPECT_EQ(Error(*map, Coll(K::kMap, {Int("1"), Int("1")})),
            "Invalid map literal for a: key 1 is not of type text");
  EXPECT_EQ(Error("int", Coll(K::kList, {})), "Unexpected receiver type 'int'; only list and vector are expected");
  auto nested = list_type(set_type(T("int"), true), true);
  EXPECT_EQ(Bytes(*nested, Coll(K::kList, {Coll(K::kSet, {Int("2"), Int("1")})})),
            serialize_collection({serialize_collection({encode_int32(1), encode_int32(2)})}));
  EXPECT_EQ(Error(*list, Coll(K::kList, {Int("3000000000")})),
            "Unable to make int from '3000000000'");
}

TEST(LiteralTest, TuplesAndUdts) {
  auto tuple = tuple_type({T("int"), T("text")});
  EXPECT_EQ(Bytes(*tuple, Coll(K::kTuple, {Int("1"), Str("x")})),
            serialize_tuple({Value::of(encode_int32(1)), Value::of("x")}));
  EXPECT_EQ(Bytes(*tuple, Coll(K::kTuple, {Int("1")})),
            serialize_tuple({Value::of(encode_int32(1))}));
  EXPECT_EQ(Error(*tuple, Coll(K::kTuple, {Int("1"), Str("x"), Int("2")})),
            "Invalid tuple literal for a: too many elements. Type frozen<tuple<int, text>> expects "
            "2 but got 3");
  EXPECT_EQ(Error(*tuple, Coll(K::kTuple, {Str("x")})),
            "Invalid tuple literal for a: component 0 is not of type int");
  auto udt = udt_type("ks", "address", {"street", "zip"}, {T("text"), T("int")}, true);
  Literal lit{K::kUdt, "", {Int("75000"), Str("Main")}, {"zip", "street"}};
  EXPECT_EQ(Bytes(*udt, lit), serialize_tuple({Value::of("Main"), Value::of(encode_int32(75000))}));
  Literal partial{K::kUdt, "", {Str("Main")}, {"street"}};
  EXPECT_EQ(Bytes(*udt, partial), serialize_tuple({Value::of("Main"), Value::null()}));
  Literal unknown{K::kUdt, "", {Int("1")}, {"city"}};
  EXPECT_EQ(Error(*udt, unknown), "Unknown field 'city' in value of user defined type address");
  Literal wrong{K::kUdt, "", {Str("x")}, {"zip"}};
  EXPECT_EQ(Error(*udt, wrong), "Invalid user type literal for a: field zip is not of type int");
}

TEST(LiteralTest, Null) {
  EXPECT_TRUE(literal_to_value(L(K::kNull), *T("int"), "a").is_null());
  EXPECT_EQ(Error("counter", L(K::kNull)), "Invalid null value for counter increment/decrement");
}

}  // namespace
}  // namespace cqld
