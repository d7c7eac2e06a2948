#include "functions/registry.h"

#include <gtest/gtest.h>

#include <tuple>

#include "common/errors.h"
#include "function_test_support.h"
#include "types/bignum.h"
#include "types/value.h"

namespace cqld {
namespace {

using function_tests::T;
using function_tests::message_of;

TEST(RegistryTest, ResolvesByArgumentTypes) {
  const FunctionRegistry& r = native_functions();
  EXPECT_EQ(type_to_cql(*r.resolve("todate", {T("timestamp")}, "todate").returns), "date");
  EXPECT_EQ(r.resolve("totimestamp", {T("timeuuid")}, "totimestamp").arguments[0]->kind, TypeKind::kTimeuuid);
  // A constant or marker argument takes the type of the one overload there is.
  EXPECT_EQ(r.resolve("blobasint", {nullptr}, "blobasint").arguments[0]->kind, TypeKind::kBlob);
  EXPECT_EQ(r.resolve("intasblob", {nullptr}, "intasblob").arguments[0]->kind, TypeKind::kInt);
  // "any"-typed aggregates return their argument's type.
  const NativeFunction& max = r.resolve("max", {T("text")}, "max");
  EXPECT_EQ(max.return_type({T("text")})->kind, TypeKind::kVarchar);
}

TEST(RegistryTest, ErrorsInCassandrasWords) {
  const FunctionRegistry& r = native_functions();
  EXPECT_EQ(message_of([&] { r.resolve("median", {T("int")}, "median"); }), "Unknown function 'median'");
  EXPECT_EQ(message_of([&] { r.resolve("blobasint", {nullptr, nullptr}, "blobasint"); }),
            "Invalid number of arguments in call to function system.blobasint: 1 required but 2 provided");
  EXPECT_EQ(message_of([&] { r.resolve("todate", {T("date")}, "todate"); }),
            "Invalid call to function todate, none of its type signatures match (known type signatures: "
            "system.todate : (timeuuid) -> date, system.todate : (timestamp) -> date)");
  EXPECT_EQ(message_of([&] { r.resolve("tounixtimestamp", {nullptr}, "tounixtimestamp"); }).rfind(
                "Ambiguous call to function tounixtimestamp (can be matched by following signatures: ", 0),
            0u);
}

TEST(RegistryTest, ScalarsReturnNullOnNullInput) {
  const NativeFunction& f = native_functions().resolve("blobasint", {T("blob")}, "blobasint");
  EXPECT_FALSE(f.call({Value::null()}, FunctionContext{}).is_set());
  EXPECT_EQ(decode_int32(f.call({Value::of(encode_int32(7))}, FunctionContext{}).bytes), 7);
  EXPECT_THROW(f.call({Value::of(std::string("\x01\x02", 2))}, FunctionContext{}), InvalidRequest);
}

TEST(RegistryTest, ClockFunctionsReadTheStatementsClock) {
  FunctionContext ctx{1'700'000'000'123'456};  // 2023-11-14T22:13:20.123456Z
  const NativeFunction& ts = native_functions().resolve("currenttimestamp", std::vector<TypePtr>{}, "currenttimestamp");
  EXPECT_EQ(decode_int64(ts.call({}, ctx).bytes), 1'700'000'000'123);
  const NativeFunction& now = native_functions().resolve("now", std::vector<TypePtr>{}, "now");
  Value a = now.call({}, ctx), b = now.call({}, ctx);
  EXPECT_NE(a.bytes, b.bytes);  // strictly increasing within one tick
  EXPECT_FALSE(now.deterministic);
}

TEST(RegistryTest, AggregatesFoldRows) {
  const NativeFunction& sum = native_functions().resolve("sum", {T("int")}, "sum");
  auto state = sum.aggregate.start({T("int")});
  for (int32_t v : {1, 2, 3}) sum.aggregate.add(*state, {Value::of(encode_int32(v))});
  sum.aggregate.add(*state, {Value::null()});  // nulls are skipped
  EXPECT_EQ(decode_int32(sum.aggregate.finish(*state).bytes), 6);
  const NativeFunction& min = native_functions().resolve("min", {T("text")}, "min");
  auto m = min.aggregate.start({T("text")});
  for (const char* v : {"b", "a", "c"}) min.aggregate.add(*m, {Value::of(v)});
  EXPECT_EQ(min.aggregate.finish(*m).bytes, "a");
}

Value decimal(int32_t scale, int64_t unscaled) {
  return Value::of(encode_int32(scale) + *varint_from_string(std::to_string(unscaled)));
}

TEST(RegistryTest, ExactSumAndAverageOfVarintAndDecimal) {
  const NativeFunction& sum = native_functions().resolve("avg", {T("decimal")}, "avg");
  auto state = sum.aggregate.start({T("decimal")});
  for (int64_t unscaled : {11, 22, 33}) sum.aggregate.add(*state, {decimal(1, unscaled)});
  EXPECT_EQ(decimal_to_string(sum.aggregate.finish(*state).bytes), "2.2");
  // HALF_EVEN at the sum's scale: (0.1 + 0.2) / 2 = 0.15 is 0.2, (0.1 + 0.4) / 2 = 0.25 is 0.2.
  for (auto [a, b, want] : {std::tuple{1, 2, "0.2"}, {1, 4, "0.2"}, {-1, -4, "-0.2"}, {1, 6, "0.4"}}) {
    auto s2 = sum.aggregate.start({T("decimal")});
    sum.aggregate.add(*s2, {decimal(1, a)});
    sum.aggregate.add(*s2, {decimal(1, b)});
    EXPECT_EQ(decimal_to_string(sum.aggregate.finish(*s2).bytes), want);
  }
  const NativeFunction& vsum = native_functions().resolve("sum", {T("varint")}, "sum");
  auto v = vsum.aggregate.start({T("varint")});
  vsum.aggregate.add(*v, {Value::of(*varint_from_string("12345678901234567890"))});
  vsum.aggregate.add(*v, {Value::of(*varint_from_string("-1"))});
  EXPECT_EQ(varint_to_string(vsum.aggregate.finish(*v).bytes), "12345678901234567889");
  const NativeFunction& vavg = native_functions().resolve("avg", {T("varint")}, "avg");
  auto w = vavg.aggregate.start({T("varint")});
  for (const char* x : {"-7", "0"}) vavg.aggregate.add(*w, {Value::of(*varint_from_string(x))});
  EXPECT_EQ(varint_to_string(vavg.aggregate.finish(*w).bytes), "-3");  // truncated
}

TEST(RegistryTest, ConstantsTakeTheirPreferredType) {
  const FunctionRegistry& r = native_functions();
  // abs(-7) is abs(int) and abs(-7.5) abs(double); abs(null) stays ambiguous.
  EXPECT_EQ(r.resolve("abs", {{nullptr}, {T("int")}, {"-7"}}, "abs").arguments[0]->kind, TypeKind::kInt);
  EXPECT_EQ(r.resolve("abs", {{nullptr}, {T("double")}, {"-7.5"}}, "abs").arguments[0]->kind, TypeKind::kDouble);
  EXPECT_EQ(message_of([&] { r.resolve("abs", {{nullptr}, {nullptr}, {"null"}}, "abs"); }).rfind("Ambiguous call", 0), 0u);
}

TEST(RegistryTest, TheOnlyOverloadChecksArgumentTypes) {
  EXPECT_EQ(message_of([&] { native_functions().resolve("intasblob", {{T("text")}, {}, {"t"}}, "intasblob"); }),
            "Type error: t cannot be passed as argument 0 of function system.intasblob of type int");
}

TEST(RegistryTest, SnakeCaseNamesOfCassandra5) {
  const FunctionRegistry& r = native_functions();
  EXPECT_EQ(r.resolve("to_date", {T("timestamp")}, "to_date").name, "to_date");
  EXPECT_EQ(r.resolve("blob_as_int", {T("blob")}, "blob_as_int").returns->kind, TypeKind::kInt);
  EXPECT_EQ(r.overloads("dateof"), nullptr);  // removed in 5.0
}

TEST(RegistryTest, MathOnDecimalsAndIntegers) {
  const FunctionRegistry& r = native_functions();
  auto call = [&](const char* name, const char* type, const Value& v) {
    return r.resolve(name, {T(type)}, name).call({v}, FunctionContext{});
  };
  // HALF_UP: 2.5 rounds to 3 and -2.5 to -3; 0.4 to 0.
  EXPECT_EQ(decimal_to_string(call("round", "decimal", decimal(1, 25)).bytes), "3");
  EXPECT_EQ(decimal_to_string(call("round", "decimal", decimal(1, -25)).bytes), "-3");
  EXPECT_EQ(decimal_to_string(call("round", "decimal", decimal(1, 4)).bytes), "0");
  EXPECT_EQ(decimal_to_string(call("round", "decimal", decimal(2, 999)).bytes), "10");
  EXPECT_EQ(decimal_to_string(call("abs", "decimal", decimal(3, -2500)).bytes), "2.500");
  // Java's narrowing: exp(70000) saturates an int; the most negative int is its own abs.
  EXPECT_EQ(decode_int32(call("exp", "int", Value::of(encode_int32(70000))).bytes), INT32_MAX);
  EXPECT_EQ(decode_int32(call("abs", "int", Value::of(encode_int32(INT32_MIN))).bytes), INT32_MIN);
  EXPECT_EQ(static_cast<int8_t>(call("exp", "tinyint", Value::of(std::string(1, '\x05'))).bytes[0]), -108);
}

}  // namespace
}  // namespace cqld
