#include <gtest/gtest.h>

#include <functional>

#include "common/errors.h"
#include "functions/json_codec.h"
#include "functions/json_parser.h"
#include "types/from_string.h"
#include "types/value.h"

namespace cqld {
namespace {

TypePtr T(const char* name) { return primitive_type_by_name(name); }

std::string syntax_error(std::string_view text) {
  try {
    parse_json(text);
  } catch (const JsonSyntaxError& e) {
    return e.what();
  }
  return "";
}

std::string decode_error(const TypePtr& type, std::string_view text) {
  try {
    value_from_json(*type, parse_json(text));
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "";
}

// The JSON of a value given as its CQL string form (what fromString accepts).
std::string json_of(const char* type, std::string_view text) {
  return value_to_json(*T(type), value_from_string(T(type)->kind, text));
}

// Decodes JSON into "type" and writes it back as JSON.
std::string round_trip(const TypePtr& type, std::string_view text) {
  return value_to_json(*type, value_from_json(*type, parse_json(text)));
}

TEST(JsonParserTest, NumbersKeepJacksonClassesAndText) {
  EXPECT_EQ(parse_json("2147483647").kind, JsonValue::Kind::kInteger);
  EXPECT_EQ(parse_json("-2147483648").kind, JsonValue::Kind::kInteger);
  EXPECT_EQ(parse_json("2147483648").kind, JsonValue::Kind::kLong);
  EXPECT_EQ(parse_json("-9223372036854775808").kind, JsonValue::Kind::kLong);
  JsonValue big = parse_json("123456789012345678901234567890");
  EXPECT_EQ(big.kind, JsonValue::Kind::kBigInteger);
  EXPECT_EQ(big.text, "123456789012345678901234567890");
  EXPECT_EQ(parse_json("1e2").kind, JsonValue::Kind::kDouble);
  EXPECT_EQ(parse_json("1e2").java_string(), "100.0");
  EXPECT_EQ(parse_json("1.5").java_string(), "1.5");
}

TEST(JsonParserTest, StringsObjectsAndArrays) {
  EXPECT_EQ(parse_json(R"("a\"b\\c\/d\n\u00e9\ud83d\ude00")").text, "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
  JsonValue object = parse_json(R"({"a": 1, "b": [1, "x", true, null], "a": 2})");
  ASSERT_EQ(object.members.size(), 2u);  // a repeated key keeps its place and its last value
  EXPECT_EQ(object.members[0].key, "a");
  EXPECT_EQ(object.members[0].value.text, "2");
  EXPECT_EQ(object.java_string(), "{a=2, b=[1, x, true, null]}");
  EXPECT_EQ(object.members[1].value.java_class(), std::string("ArrayList"));
  // What follows the first value is ignored, as ObjectMapper.readValue does.
  EXPECT_EQ(parse_json(R"({"p": 5} x)").members.size(), 1u);
}

TEST(JsonParserTest, ErrorsInJacksonWords) {
  EXPECT_EQ(syntax_error("not json"),
            "com.fasterxml.jackson.core.JsonParseException: Unrecognized token 'not': was expecting (JSON String, "
            "Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: REDACTED "
            "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 4]");
  EXPECT_EQ(syntax_error(R"({"k": 2, "mi": {1: "one"}})"),
            "com.fasterxml.jackson.core.JsonParseException: Unexpected character ('1' (code 49)): was expecting "
            "double-quote to start field name\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
            "disabled); line: 1, column: 17]");
  EXPECT_EQ(syntax_error("{"),
            "com.fasterxml.jackson.core.io.JsonEOFException: Unexpected end-of-input: expected close marker for Object "
            "(start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, "
            "column: 1])\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, "
            "column: 2]");
  EXPECT_NE(syntax_error("").find("No content to map due to end-of-input"), std::string::npos);
  EXPECT_NE(syntax_error("[1 2]").find("was expecting comma to separate Array entries"), std::string::npos);
  EXPECT_NE(syntax_error("01").find("Leading zeroes not allowed"), std::string::npos);
  EXPECT_NE(syntax_error(std::string(1001, '[')).find("Document nesting depth (1001)"), std::string::npos);
}

TEST(JsonCodecTest, ScalarsToJson) {
  EXPECT_EQ(json_of("text", "h\u00e9 \"q\" \\ \n"), "\"h\u00e9 \\\"q\\\" \\\\ \\n\"");
  EXPECT_EQ(json_of("bigint", "-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(json_of("varint", "123456789012345678901234567890"), "123456789012345678901234567890");
  EXPECT_EQ(json_of("decimal", "-0.001"), "-0.001");
  EXPECT_EQ(json_of("decimal", "-1.23E-12"), "-1.23E-12");
  EXPECT_EQ(json_of("decimal", "1.50"), "1.50");
  EXPECT_EQ(json_of("double", "1e-300"), "1.0E-300");
  EXPECT_EQ(json_of("double", "NaN"), "null");
  EXPECT_EQ(json_of("float", "-Infinity"), "null");
  EXPECT_EQ(json_of("float", "0.1"), "0.1");
  EXPECT_EQ(json_of("timestamp", "2024-05-06 07:08:09+0200"), "\"2024-05-06 05:08:09.000Z\"");
  EXPECT_EQ(json_of("timestamp", "253402300800000"), "\"+10000-01-01 00:00:00.000Z\"");
  EXPECT_EQ(json_of("timestamp", "-62135596800001"), "\"0001-12-31 23:59:59.999Z\"");  // 1 BC
  EXPECT_EQ(json_of("date", "2024-02-29"), "\"2024-02-29\"");
  EXPECT_EQ(json_of("time", "00:00:00"), "\"00:00:00.000000000\"");
  EXPECT_EQ(json_of("inet", "::1"), "\"0:0:0:0:0:0:0:1\"");
  EXPECT_EQ(json_of("uuid", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"), "\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\"");
  EXPECT_EQ(json_of("duration", "P1Y2M3DT4H5M6S"), "\"1y2mo3d4h5m6s\"");
  EXPECT_EQ(value_to_json(*T("blob"), std::string("\xca\xfe")), "\"0xcafe\"");
  EXPECT_EQ(value_to_json(*T("int"), Value::null()), "null");
}

TEST(JsonCodecTest, CompositesRoundTrip) {
  EXPECT_EQ(round_trip(set_type(T("text"), false), R"(["b", "a", "b"])"), R"(["a", "b"])");
  EXPECT_EQ(round_trip(map_type(T("int"), T("text"), false), R"({"2": "two", "1": "one"})"), R"({"1": "one", "2": "two"})");
  EXPECT_EQ(round_trip(tuple_type({T("int"), T("text"), T("boolean")}), "[1, null, false]"), "[1, null, false]");
  TypePtr addr = udt_type("ks", "addr", {"street", "Num"}, {T("text"), T("int")}, true);
  EXPECT_EQ(round_trip(addr, R"({"STREET": "x", "\"Num\"": 5})"), R"({"street": "x", "\"Num\"": 5})");
  EXPECT_EQ(round_trip(vector_type(T("float"), 3), "[0.5, 0.25, 0.125]"), "[0.5, 0.25, 0.125]");
  // Collections also take their JSON inside a string.
  EXPECT_EQ(round_trip(list_type(T("int"), false), R"("[1, 2]")"), "[1, 2]");
  EXPECT_EQ(round_trip(map_type(tuple_type({T("int")}), T("int"), true), R"({"[1]": 2})"), R"({"[1]": 2})");
}

TEST(JsonCodecTest, NumbersStayExact) {
  EXPECT_EQ(round_trip(T("varint"), "123456789012345678901234567890123456789"), "123456789012345678901234567890123456789");
  EXPECT_EQ(round_trip(T("decimal"), R"("1.50")"), "1.50");
  EXPECT_EQ(round_trip(T("decimal"), "123.4500"), "123.45");  // Jackson reads a number with a fraction as a Double
  EXPECT_EQ(round_trip(T("bigint"), R"("9223372036854775807")"), "9223372036854775807");
  EXPECT_EQ(round_trip(T("double"), R"("1e3")"), "1000.0");
}

TEST(JsonCodecTest, DecodingErrorsInCassandraWords) {
  EXPECT_EQ(decode_error(T("int"), "2147483648"), "Expected an int value, but got a Long: 2147483648");
  EXPECT_EQ(decode_error(T("int"), "1e2"), "Expected an int value, but got a Double: 100.0");
  EXPECT_EQ(decode_error(T("smallint"), "32768"), "Unable to make short from '32768'");
  EXPECT_EQ(decode_error(T("bigint"), "9223372036854775808"),
            "Expected a bigint value, but got a BigInteger: 9223372036854775808");
  EXPECT_EQ(decode_error(T("varint"), "1.5"), "Value '1.5' is not a valid representation of a varint value");
  EXPECT_EQ(decode_error(T("decimal"), R"("abc")"), "Value 'abc' is not a valid representation of a decimal value");
  EXPECT_EQ(decode_error(T("text"), "12"), "Expected a UTF-8 string, but got a Integer: 12");
  EXPECT_EQ(decode_error(T("blob"), R"("00ff")"),
            "Value '00ff' is not a valid blob representation: String representation of blob is missing 0x prefix: 00ff");
  EXPECT_EQ(decode_error(T("boolean"), "1"), "Expected a boolean value, but got a Integer: 1");
  EXPECT_EQ(decode_error(T("date"), "2147483648"),
            "Expected a string representation of a date value, but got a Long: 2147483648");
  EXPECT_EQ(decode_error(list_type(T("int"), false), "[1, null]"), "Invalid null element in list");
  EXPECT_EQ(decode_error(map_type(T("text"), T("int"), false), R"({"a": null})"), "Invalid null value in map");
  EXPECT_EQ(decode_error(tuple_type({T("int"), T("text"), T("boolean")}), R"([1, "x", true, 4])"),
            "Tuple contains extra items (expected 3): [1, x, true, 4]");
  EXPECT_EQ(decode_error(tuple_type({T("int")}), R"({"a": 1})"),
            "Expected a list representation of a tuple, but got a LinkedHashMap: {a=1}");
  TypePtr addr = udt_type("ks", "addr", {"street"}, {T("text")}, true);
  EXPECT_EQ(decode_error(addr, R"({"zip": 1})"), "Unknown field 'zip' in value of user defined type addr");
  EXPECT_EQ(decode_error(vector_type(T("float"), 3), "[1.5, 2.5]"),
            "List had incorrect size: expected 3 but given 2; [1.5, 2.5]");
}

TEST(JsonCodecTest, Keys) {
  EXPECT_EQ(json_key("k"), "k");
  EXPECT_EQ(json_key("Mixed"), "\\\"Mixed\\\"");
  EXPECT_EQ(json_key_to_name("\"Mixed\""), "Mixed");
  EXPECT_EQ(json_key_to_name("Mixed"), "mixed");
  EXPECT_EQ(json_object({"k", "v"}, {T("int"), T("text")}, {Value::of(std::string("\0\0\0\1", 4)), Value::null()}),
            R"({"k": 1, "v": null})");
}

}  // namespace
}  // namespace cqld
