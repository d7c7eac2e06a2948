// Math functions (Cassandra 5.0's MathFcts): abs, exp, log, log10 and round of a number, in the
// number's own type, with Java's arithmetic: integers narrow from double as Java's casts do
// (saturating to int or long, then wrapping to byte or short), abs leaves the most negative
// integer as it is, round is Math.round (half up) for float and double and HALF_UP for decimal.
// exp, log and log10 of decimal compute to the argument's precision, at least 32 significant
// digits, as Cassandra's DecimalType does (big_decimal.h).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "common/errors.h"
#include "functions/big_decimal.h"
#include "functions/numbers.h"
#include "functions/registry.h"
#include "types/bignum.h"
#include "types/value.h"

namespace cqld {
namespace {

bool is_integer(TypeKind k) { return k != TypeKind::kFloat && k != TypeKind::kDouble; }

// Java's (long) d and (int) d: NaN is 0, out-of-range values saturate.
int64_t saturating_cast(long double d, int64_t lo, int64_t hi) {
  if (std::isnan(d)) return 0;
  if (d <= static_cast<long double>(lo)) return lo;
  if (d >= static_cast<long double>(hi)) return hi;
  return static_cast<int64_t>(d);
}

// A double narrowed to an integer type: (long) for bigint and counter, (int) for int, and
// (byte)(int) / (short)(int) for tinyint and smallint.
std::string narrow_to_integer(TypeKind kind, long double d) {
  bool is_long = kind == TypeKind::kBigint || kind == TypeKind::kCounter;
  int64_t v = is_long ? saturating_cast(d, INT64_MIN, INT64_MAX) : saturating_cast(d, INT32_MIN, INT32_MAX);
  return from_number(kind, static_cast<long double>(v));
}

Value abs_of(TypeKind kind, const std::string& b) {
  long double v = to_number(kind, b);
  if (!is_integer(kind)) return Value::of(from_number(kind, std::fabs(v)));
  auto i = static_cast<int64_t>(v);
  uint64_t magnitude = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
  return Value::of(from_number(kind, static_cast<long double>(static_cast<int64_t>(magnitude))));
}

// exp, log and log10 compute in double and narrow to the argument's type.
Value via_double(TypeKind kind, const std::string& b, double (*fn)(double)) {
  double r = fn(static_cast<double>(to_number(kind, b)));
  return Value::of(is_integer(kind) ? narrow_to_integer(kind, r) : from_number(kind, r));
}

// Math.round: floor(x + 0.5) as int for a float and as long for a double, back in the type.
Value round_of(TypeKind kind, const std::string& b) {
  if (is_integer(kind)) return Value::of(b);
  long double rounded = std::floor(to_number(kind, b) + 0.5L);
  int64_t v = kind == TypeKind::kFloat ? saturating_cast(rounded, INT32_MIN, INT32_MAX)
                                       : saturating_cast(rounded, INT64_MIN, INT64_MAX);
  return Value::of(from_number(kind, static_cast<long double>(v)));
}

std::string without_sign(std::string digits) { return digits[0] == '-' ? digits.substr(1) : digits; }

Value varint_abs(const std::string& b) { return Value::of(*varint_from_string(without_sign(varint_to_string(b)))); }

// BigInteger through double: the double's integer part, saturated to a long.
Value varint_via_double(const std::string& b, double (*fn)(double)) {
  double r = fn(std::strtod(varint_to_string(b).c_str(), nullptr));
  return Value::of(*varint_from_string(std::to_string(saturating_cast(r, INT64_MIN, INT64_MAX))));
}

// A decimal is a 4-byte scale and a varint unscaled value.
Value decimal_abs(const std::string& b) {
  return Value::of(b.substr(0, 4) + *varint_from_string(without_sign(varint_to_string(b.substr(4)))));
}

// BigDecimal.setScale(0, HALF_UP): drop the fraction digits, away from zero when the first
// dropped digit is 5 or more. A negative scale is already whole and is kept as it is.
Value decimal_round(const std::string& b) {
  int32_t scale = static_cast<int32_t>(decode_int32(b.substr(0, 4)));
  if (scale <= 0) return Value::of(b);
  std::string unscaled = varint_to_string(b.substr(4));
  bool negative = unscaled[0] == '-';
  std::string digits = without_sign(unscaled);
  std::string whole = digits.size() > static_cast<size_t>(scale) ? digits.substr(0, digits.size() - scale) : "0";
  bool up = digits.size() >= static_cast<size_t>(scale) && digits[digits.size() - scale] >= '5';
  if (up) {
    int i = static_cast<int>(whole.size()) - 1;
    while (i >= 0 && whole[i] == '9') whole[i--] = '0';
    if (i < 0) whole.insert(whole.begin(), '1');
    else ++whole[i];
  }
  if (negative && whole != "0") whole.insert(whole.begin(), '-');
  return Value::of(std::string(4, '\0') + *varint_from_string(whole));
}

// A failure of Java's BigDecimal math, as Cassandra reports an exception inside a function.
Value decimal_math(const char* name, const std::string& b, const std::function<std::string(const std::string&)>& fn) {
  try {
    return Value::of(fn(b));
  } catch (const ArithmeticError& e) {
    throw CqlError(ErrorCode::kFunctionFailure, std::string("execution of 'system.") + name +
                                                    "[decimal]' failed: java.lang.ArithmeticException: " + e.message);
  }
}

void add_scalar(FunctionRegistry& r, const char* name, TypePtr type, std::function<Value(const std::string&)> fn) {
  r.add(NativeFunction{name, {type}, type, true, false,
                       [fn](const std::vector<Value>& args, const FunctionContext&) {
                         if (args[0].bytes.empty()) return Value::null();
                         return fn(args[0].bytes);
                       },
                       {}});
}

}  // namespace

void add_math_functions(FunctionRegistry& r) {
  for (TypeKind kind : {TypeKind::kTinyint, TypeKind::kSmallint, TypeKind::kInt, TypeKind::kBigint, TypeKind::kFloat,
                        TypeKind::kDouble, TypeKind::kCounter}) {
    TypePtr type = primitive_type(kind);
    add_scalar(r, "abs", type, [kind](const std::string& b) { return abs_of(kind, b); });
    add_scalar(r, "exp", type, [kind](const std::string& b) { return via_double(kind, b, &std::exp); });
    add_scalar(r, "log", type, [kind](const std::string& b) { return via_double(kind, b, &std::log); });
    add_scalar(r, "log10", type, [kind](const std::string& b) { return via_double(kind, b, &std::log10); });
    add_scalar(r, "round", type, [kind](const std::string& b) { return round_of(kind, b); });
  }
  TypePtr varint = primitive_type(TypeKind::kVarint);
  add_scalar(r, "abs", varint, &varint_abs);
  add_scalar(r, "exp", varint, [](const std::string& b) { return varint_via_double(b, &std::exp); });
  add_scalar(r, "log", varint, [](const std::string& b) { return varint_via_double(b, &std::log); });
  add_scalar(r, "log10", varint, [](const std::string& b) { return varint_via_double(b, &std::log10); });
  add_scalar(r, "round", varint, [](const std::string& b) { return Value::of(b); });
  TypePtr decimal = primitive_type(TypeKind::kDecimal);
  add_scalar(r, "abs", decimal, &decimal_abs);
  add_scalar(r, "round", decimal, &decimal_round);
  add_scalar(r, "exp", decimal, [](const std::string& b) { return decimal_math("exp", b, &decimal_exp); });
  add_scalar(r, "log", decimal, [](const std::string& b) {
    return decimal_math("log", b, [](const std::string& v) { return decimal_log(v, false); });
  });
  add_scalar(r, "log10", decimal, [](const std::string& b) {
    return decimal_math("log10", b, [](const std::string& v) { return decimal_log(v, true); });
  });
}

}  // namespace cqld
