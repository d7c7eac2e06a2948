#include "functions/operations.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "functions/big_decimal.h"
#include "types/bignum.h"
#include "types/duration.h"
#include "types/temporal.h"
#include "types/value.h"

namespace cqld {
namespace {

TypePtr T(const char* name) { return primitive_type_by_name(name); }

Operand typed(const char* type, const char* text) {
  Operand o;
  o.type = T(type);
  o.text = text;
  return o;
}

Operand constant(Literal::Kind kind, const char* text) {
  Operand o;
  o.kind = Operand::Kind::kConstant;
  o.literal.kind = kind;
  o.literal.text = text;
  o.text = kind == Literal::Kind::kString ? std::string("'") + text + "'" : text;
  return o;
}

std::string decimal(const char* text) { return *decimal_from_string(text); }

std::string decimal_result(char symbol, const char* a, const char* b) {
  return decimal_to_string(decimal_operate(symbol, decimal(a), decimal(b)));
}

std::string invalid_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const CqlError& e) {
    return e.what();
  }
  return "";
}

TEST(OperationsTest, ResultTypesFollowTheWiderOperand) {
  auto result = [](const char* a, const char* b) {
    return type_to_cql(*resolve_operation('+', typed(a, "a"), typed(b, "b"), nullptr).result);
  };
  EXPECT_EQ(result("tinyint", "tinyint"), "tinyint");
  EXPECT_EQ(result("tinyint", "smallint"), "smallint");
  EXPECT_EQ(result("int", "float"), "float");
  EXPECT_EQ(result("bigint", "float"), "double");
  EXPECT_EQ(result("varint", "int"), "varint");
  EXPECT_EQ(result("varint", "double"), "decimal");
  EXPECT_EQ(result("counter", "int"), "bigint");
  EXPECT_EQ(result("text", "ascii"), "text");
  EXPECT_EQ(result("ascii", "ascii"), "ascii");
}

TEST(OperationsTest, ConstantsTakeTheirPreferredType) {
  // An integer constant is an int, so tinyint - 1 is an int operation.
  EXPECT_EQ(resolve_operation('-', typed("tinyint", "ti"), constant(Literal::Kind::kInteger, "1"), nullptr).result->kind,
            TypeKind::kInt);
  // An all-ASCII string is ascii.
  EXPECT_EQ(resolve_operation('+', constant(Literal::Kind::kString, "a"), constant(Literal::Kind::kString, "b"), nullptr)
                .result->kind,
            TypeKind::kAscii);
  // With a receiver, the overload whose operands are both of the receiver's type breaks the tie.
  EXPECT_EQ(resolve_operation('+', constant(Literal::Kind::kFloat, "1.5"), constant(Literal::Kind::kFloat, "1.5"),
                              T("decimal"))
                .result->kind,
            TypeKind::kDecimal);
}

TEST(OperationsTest, MessagesForUnsupportedAndAmbiguousOperations) {
  EXPECT_EQ(invalid_message([] { resolve_operation('+', typed("text", "t"), constant(Literal::Kind::kInteger, "1"), nullptr); }),
            "the '+' operation is not supported between t and 1");
  EXPECT_EQ(invalid_message([] { resolve_operation('-', typed("timestamp", "ts"), typed("timestamp", "ts"), nullptr); }),
            "Ambiguous '-' operation with args ts and ts: use type hint to disambiguate, example '(int) ?'");
  EXPECT_EQ(invalid_message([] { resolve_operation('+', typed("duration", "du"), typed("duration", "du"), nullptr); }),
            "the '+' operation is not supported between du and du");
}

TEST(OperationsTest, IntegersWrapAndDivisionByZeroFails) {
  const Operation& ints = resolve_operation('*', typed("int", "a"), typed("int", "b"), nullptr);
  Value r = apply_operation(ints, Value::of(encode_int32(2000000000)), Value::of(encode_int32(2)));
  EXPECT_EQ(decode_int32(r.bytes), -294967296);
  const Operation& division = resolve_operation('/', typed("int", "a"), typed("int", "b"), nullptr);
  try {
    apply_operation(division, Value::of(encode_int32(1)), Value::of(encode_int32(0)));
    FAIL() << "no error";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFunctionFailure);
    EXPECT_STREQ(e.what(), "the operation 'int / int' failed: / by zero");
  }
  EXPECT_FALSE(apply_operation(ints, Value::null(), Value::of(encode_int32(1))).is_set());
}

TEST(OperationsTest, DecimalMathToThirtyTwoDigits) {
  EXPECT_EQ(decimal_to_string(decimal_exp(decimal("2.5"))), "12.182493960703473438070175951168");
  EXPECT_EQ(decimal_to_string(decimal_log(decimal("2.5"), false)), "0.91629073187415506518352721176801");
  EXPECT_EQ(decimal_to_string(decimal_exp(decimal("-2.5"))), "0.082084998623898795169528674467160");
  EXPECT_EQ(decimal_to_string(decimal_log(decimal("1000"), true)).substr(0, 5), "3.000");
  EXPECT_THROW(decimal_log(decimal("0"), false), ArithmeticError);
}

TEST(OperationsTest, DecimalsAsDecimalTypeComputes) {
  EXPECT_EQ(decimal_result('+', "10.50", "2.0E9"), "2000000010.50");
  EXPECT_EQ(decimal_result('*', "10.50", "2.0"), "21.000");
  EXPECT_EQ(decimal_result('/', "10.50", "4.0"), "2.625");
  EXPECT_EQ(decimal_result('/', "10.50", "3.0"), "3.5");
  EXPECT_EQ(decimal_result('/', "1", "3"), "0.33333333333333333333333333333333");
  EXPECT_EQ(decimal_result('/', "2", "3"), "0.66666666666666666666666666666667");
  EXPECT_EQ(decimal_result('/', "10", "4"), "2.5");
  EXPECT_EQ(decimal_result('%', "10.50", "4.0"), "2.50");
  EXPECT_EQ(decimal_result('-', "10.50", "10.50"), "0.00");
  EXPECT_EQ(decimal_to_string(decimal_of_double(2.0)), "2.0");
  EXPECT_EQ(decimal_to_string(decimal_of_double(2e9)), "2000000000");  // 2.0E9: unscaled 20, scale -8
  EXPECT_EQ(decode_int32(decimal_of_double(2e9).substr(0, 4)), -8);
  EXPECT_EQ(decimal_to_string(decimal_of_double(2.25)), "2.25");
  try {
    decimal_operate('/', decimal("1"), decimal("0.0"));
    FAIL() << "no error";
  } catch (const ArithmeticError& e) {
    EXPECT_EQ(e.message, "BigInteger divide by zero");
  }
}

TEST(OperationsTest, VarintsAsBigInteger) {
  std::string big = *varint_from_string("123456789012345678901234567890");
  EXPECT_EQ(varint_to_string(varint_operate('*', big, big)), "15241578753238836750495351562536198787501905199875019052100");
  EXPECT_EQ(varint_to_string(varint_operate('/', big, varint_of_int64(7))), "17636684144620811271604938270");
  EXPECT_EQ(varint_to_string(varint_operate('%', varint_of_int64(-7), varint_of_int64(3))), "-1");
  EXPECT_EQ(varint_to_string(varint_negate(varint_of_int64(-1))), "1");
}

TEST(OperationsTest, TemporalsPlusDurations) {
  const Operation& ts = resolve_operation('+', typed("timestamp", "ts"), typed("duration", "du"), nullptr);
  Value jan31 = Value::of(encode_int64(parse_timestamp("2024-01-31 12:00:00+0000")));
  Value month = Value::of(serialize_duration(parse_duration("1mo")));
  EXPECT_EQ(format_timestamp(decode_int64(apply_operation(ts, jan31, month).bytes)), format_timestamp(parse_timestamp("2024-02-29 12:00:00+0000")));
  Value micros = Value::of(serialize_duration(parse_duration("1500us")));
  EXPECT_EQ(invalid_message([&] { apply_operation(ts, jan31, micros); }),
            "the operation 'timestamp + duration' failed: The duration must have a millisecond precision. Was: 1ms500us");
  const Operation& date = resolve_operation('-', typed("date", "dt"), typed("duration", "du"), nullptr);
  Value day = Value::of(encode_int32(static_cast<int32_t>(parse_date("2024-01-31"))));
  Value days = Value::of(serialize_duration(parse_duration("31d")));
  EXPECT_EQ(format_date(static_cast<uint32_t>(decode_int32(apply_operation(date, day, days).bytes))), "2023-12-31");
}

TEST(OperationsTest, StringConcatenationKeepsEmptyValues) {
  const Operation& concat = resolve_operation('+', typed("text", "t"), typed("ascii", "a"), nullptr);
  EXPECT_EQ(apply_operation(concat, Value::of("abc"), Value::of("")).bytes, "abc");
}

}  // namespace
}  // namespace cqld
