// Functions typed at the call: the collection, masking and floor functions.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "function_test_support.h"
#include "functions/registry.h"
#include "types/duration.h"
#include "types/temporal.h"
#include "types/value.h"

namespace cqld {
namespace {

using function_tests::T;
using function_tests::message_of;

std::shared_ptr<const NativeFunction> specialized(const char* name, const std::vector<TypePtr>& types,
                                                  const std::vector<std::string>& texts) {
  const NativeFunction& f = native_functions().resolve(name, types, name);
  return f.specialize(types, std::vector<TypePtr>(types.size()), texts);
}

Value call(const NativeFunction& f, const std::vector<Value>& args) { return f.call(args, FunctionContext{}); }

std::string ints(std::initializer_list<int32_t> values) {
  std::vector<std::string> elements;
  for (int32_t v : values) elements.push_back(encode_int32(v));
  return serialize_collection(elements);
}

TEST(TypedAtCallTest, MapKeysAndValues) {
  TypePtr map = map_type(T("text"), T("int"), false);
  auto keys = specialized("map_keys", {map}, {"m"});
  EXPECT_EQ(type_to_cql(*keys->returns), "set<text>");
  std::string m = serialize_map({{"a", encode_int32(1)}, {"b", encode_int32(2)}});
  EXPECT_EQ(call(*keys, {Value::of(m)}).bytes, serialize_collection({"a", "b"}));
  auto values = specialized("map_values", {map}, {"m"});
  EXPECT_EQ(type_to_cql(*values->returns), "list<int>");
  EXPECT_EQ(call(*values, {Value::of(m)}).bytes, ints({1, 2}));
  EXPECT_EQ(message_of([] { specialized("map_keys", {list_type(T("int"), false)}, {"li"}); }),
            "Function system.map_keys requires a map argument, but found argument li of type list<int>");
}

TEST(TypedAtCallTest, CollectionAggregates) {
  TypePtr list = list_type(T("int"), false);
  EXPECT_EQ(decode_int32(call(*specialized("collection_count", {list}, {"l"}), {Value::of(ints({3, 1, 2}))}).bytes), 3);
  EXPECT_EQ(decode_int32(call(*specialized("collection_min", {list}, {"l"}), {Value::of(ints({3, 1, 2}))}).bytes), 1);
  EXPECT_EQ(decode_int32(call(*specialized("collection_max", {list}, {"l"}), {Value::of(ints({3, 1, 2}))}).bytes), 3);
  // The sum wraps in the element type; the average divides the exact sum.
  Value big = Value::of(ints({2147483647, 1}));
  EXPECT_EQ(decode_int32(call(*specialized("collection_sum", {list}, {"l"}), {big}).bytes), INT32_MIN);
  EXPECT_EQ(decode_int32(call(*specialized("collection_avg", {list}, {"l"}), {big}).bytes), 1073741824);
  EXPECT_FALSE(call(*specialized("collection_min", {list}, {"l"}), {Value::of(ints({}))}).is_set());
  // bigint sums wrap at 64 bits too (the exact sum is beyond a long: no undefined conversion).
  TypePtr longs = list_type(T("bigint"), false);
  Value huge = Value::of(serialize_collection({encode_int64(INT64_MAX), encode_int64(INT64_MAX)}));
  EXPECT_EQ(decode_int64(call(*specialized("collection_sum", {longs}, {"l"}), {huge}).bytes), -2);
  EXPECT_EQ(decode_int64(call(*specialized("collection_avg", {longs}, {"l"}), {huge}).bytes), INT64_MAX);
  EXPECT_EQ(message_of([] { specialized("collection_sum", {list_type(T("text"), false)}, {"lt"}); }),
            "Function system.collection_sum requires a numeric set/list argument, but found argument lt of type list<text>");
}

TEST(TypedAtCallTest, MaskingFunctions) {
  auto inner = specialized("mask_inner", {T("text"), nullptr, nullptr}, {"t", "1", "2"});
  Value name = Value::of("Alice Smith");
  EXPECT_EQ(call(*inner, {name, Value::of(encode_int32(1)), Value::of(encode_int32(2))}).bytes, "A********th");
  EXPECT_EQ(call(*inner, {name, Value::null(), Value::of(encode_int32(2))}).bytes, "*********th");
  auto outer = specialized("mask_outer", {T("text"), nullptr, nullptr, nullptr}, {"t", "2", "1", "'#'"});
  EXPECT_EQ(call(*outer, {name, Value::of(encode_int32(2)), Value::of(encode_int32(1)), Value::of("#")}).bytes,
            "##ice Smit#");
  EXPECT_EQ(message_of([] { specialized("mask_inner", {T("int"), nullptr, nullptr}, {"i", "1", "1"}); }),
            "Function system.mask_inner requires an argument of type [text|varchar|ascii], but found argument i of type int");
  auto masked = specialized("mask_default", {tuple_type({T("int"), T("text")})}, {"tu"});
  EXPECT_EQ(call(*masked, {Value::of("x")}).bytes,
            serialize_tuple({Value::of(encode_int32(0)), Value::of("****")}));
  auto hash = specialized("mask_hash", {T("text"), nullptr}, {"t", "'MD5'"});
  EXPECT_EQ(value_to_cql_literal(*T("blob"), call(*hash, {name, Value::of("MD5")}).bytes),
            "0x77a65d508fa6f1f86a37e0acb7ca931d");
  EXPECT_EQ(message_of([] { specialized("mask_hash", {T("text"), nullptr}, {"t", "'nosuch'"}); }),
            "Hash algorithm not found: nosuch");
}

TEST(TypedAtCallTest, FloorOfTimestampsAndDates) {
  const FunctionRegistry& r = native_functions();
  const NativeFunction& ts = r.resolve("floor", {T("timestamp"), nullptr}, "floor");
  Value t = Value::of(encode_int64(parse_timestamp("2024-03-04 05:06:07.089+0000")));
  Value hour = Value::of(serialize_duration(parse_duration("1h")));
  EXPECT_EQ(decode_int64(call(ts, {t, hour}).bytes), parse_timestamp("2024-03-04 05:00:00+0000"));
  const NativeFunction& dt = r.resolve("floor", {T("date"), nullptr}, "floor");
  Value day = Value::of(encode_int32(static_cast<int32_t>(parse_date("2024-03-04"))));
  Value month = Value::of(serialize_duration(parse_duration("1mo")));
  EXPECT_EQ(format_date(static_cast<uint32_t>(decode_int32(call(dt, {day, month}).bytes))), "2024-03-01");
  Value week = Value::of(serialize_duration(parse_duration("7d")));
  EXPECT_EQ(format_date(static_cast<uint32_t>(decode_int32(call(dt, {day, week}).bytes))), "2024-02-29");
}

}  // namespace
}  // namespace cqld
