#include "functions/registry.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace cqld {
namespace {

TypePtr T(const char* name) { return primitive_type_by_name(name); }

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "";
}

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
  const NativeFunction& ts = native_functions().resolve("currenttimestamp", {}, "currenttimestamp");
  EXPECT_EQ(decode_int64(ts.call({}, ctx).bytes), 1'700'000'000'123);
  const NativeFunction& now = native_functions().resolve("now", {}, "now");
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

}  // namespace
}  // namespace cqld
