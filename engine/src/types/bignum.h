// Arbitrary-precision numbers in their CQL wire forms: varint (big-endian two's complement,
// as Java's BigInteger.toByteArray) and decimal (int32 scale + varint unscaled value, as
// BigDecimal). Parsing follows Java's BigInteger/BigDecimal string grammars.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cqld {

// "-?[0-9]+" (a leading '+' is accepted, as Java does) to minimal two's complement bytes.
std::optional<std::string> varint_from_string(std::string_view text);
// Decimal digits of a varint; "" for an empty value.
std::string varint_to_string(std::string_view bytes);
// Numeric order of two non-empty varints (redundant sign bytes allowed).
int compare_varints(std::string_view a, std::string_view b);
// The shortest two's complement form of the same number.
std::string minimal_varint(std::string_view bytes);

// Java BigDecimal syntax: [+-]digits[.digits][(e|E)[+-]digits] or [+-].digits[...].
// Returns the serialized decimal, or nothing if the text is not a number or the scale
// overflows an int32.
std::optional<std::string> decimal_from_string(std::string_view text);
// Why Java's new BigDecimal(text) refuses a well-formed number, in its words ("Exponent
// overflow.", "Scale out of range.", "Too many nonzero exponent digits."), or nothing if it
// accepts it. Cassandra converts every floating-point literal so while parsing.
std::optional<std::string> decimal_range_error(std::string_view text);
// BigDecimal.toPlainString() of a serialized decimal (at least 4 bytes), or "<unscaled>E<exp>"
// when the plain form would need more than 64 padding zeros.
std::string decimal_to_string(std::string_view bytes);
// Numeric order (1.0 == 1.00) of two serialized decimals of at least 4 bytes.
int compare_decimals(std::string_view a, std::string_view b);

// A decimal as sign, significant digits and decimal exponent: value = sign * 0.digits *
// 10^exponent, with no leading or trailing zero digits. Zero has sign 0 and no digits.
struct DecimalParts {
  int sign = 0;
  std::string digits;
  int64_t exponent = 0;
};
DecimalParts decimal_parts(std::string_view bytes);
// The serialized decimal of "parts", with the smallest non-negative scale when that needs at
// most 64 extra zero digits, else the negative scale of the stripped form.
std::string decimal_from_parts(const DecimalParts& parts);

// Arithmetic for sum() and avg(), as Java's BigInteger and BigDecimal do it. Arguments are
// serialized varints or decimals (empty varint bytes read as 0).
std::string varint_add(std::string_view a, std::string_view b);
// BigInteger.divide: truncated towards zero. "divisor" > 0.
std::string varint_divide(std::string_view a, int64_t divisor);
// BigDecimal.add: the exact sum, at the larger of the two scales.
std::string decimal_add(std::string_view a, std::string_view b);
// BigDecimal.divide(BigDecimal.valueOf(divisor), RoundingMode.HALF_EVEN): the quotient at the
// dividend's scale. "divisor" > 0.
std::string decimal_divide(std::string_view a, int64_t divisor);

}  // namespace cqld
