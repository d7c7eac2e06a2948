// Java's BigInteger and BigDecimal arithmetic over CQL's varint and decimal wire forms, as
// Cassandra 5.0's IntegerType and DecimalType compute operators and math functions: varints
// exactly; decimal sums, differences, products and remainders exactly (MathContext(10000)) at
// BigDecimal's scales, quotients to 32 significant digits (HALF_UP, trailing zeros stripped),
// exp and log to the argument's precision but at least 32 digits (HALF_EVEN).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cqld {

// A decimal operation that Java refuses (division by zero), with Java's message.
struct ArithmeticError {
  std::string message;
};

// Varint bytes (big-endian two's complement; empty reads as 0) of the operation's result.
// Divide truncates towards zero and remainder takes the dividend's sign, as BigInteger does.
// Throws ArithmeticError "BigInteger divide by zero".
std::string varint_of_int64(int64_t v);
std::string varint_operate(char symbol, std::string_view a, std::string_view b);
std::string varint_negate(std::string_view a);

// BigDecimal.valueOf(double): the digits of the double's shortest decimal form, at the scale
// Double.toString writes it with ("2.0", "2.0E9").
std::string decimal_of_double(double d);
// new BigDecimal(BigInteger): scale 0.
std::string decimal_of_varint(std::string_view varint);
// a op b, op one of + - * / %. Throws ArithmeticError.
std::string decimal_operate(char symbol, std::string_view a, std::string_view b);
std::string decimal_negate(std::string_view a);
// exp(a), ln(a) or log10(a). Throws ArithmeticError for the log of zero or less.
std::string decimal_exp(std::string_view a);
std::string decimal_log(std::string_view a, bool base10);

}  // namespace cqld
