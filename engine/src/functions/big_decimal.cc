#include "functions/big_decimal.h"

#include <gmp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "types/bignum.h"
#include "types/value.h"

namespace cqld {
namespace {

// DecimalType's MathContext(10000) for sums and products, and its quotient scales.
constexpr int kMaxPrecision = 10000;
constexpr int64_t kMinQuotientDigits = 32;
constexpr int64_t kMaxQuotientScale = 1000;

// An mpz_t owned by a scope.
class Integer {
 public:
  Integer() { mpz_init(v_); }
  ~Integer() { mpz_clear(v_); }
  Integer(const Integer&) = delete;
  Integer& operator=(const Integer&) = delete;
  mpz_ptr get() { return v_; }
  mpz_srcptr get() const { return v_; }

 private:
  mpz_t v_;
};

// Through the decimal text: the wire conversions stay in types/bignum.cc, in one place.
void load_integer(std::string_view varint, Integer* out) {
  std::string text = varint_to_string(varint);
  mpz_set_str(out->get(), text.empty() ? "0" : text.c_str(), 10);
}

std::string integer_text(mpz_srcptr v) {
  std::string out(mpz_sizeinbase(v, 10) + 2, '\0');
  mpz_get_str(out.data(), 10, v);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string store_integer(mpz_srcptr v) { return *varint_from_string(integer_text(v)); }

// Decimal digits of |v| (1 for zero).
int64_t digit_count(mpz_srcptr v) {
  std::string text = integer_text(v);
  return static_cast<int64_t>(text.size()) - (text[0] == '-' ? 1 : 0);
}

void multiply_by_power_of_ten(mpz_ptr v, int64_t exponent) {
  Integer power;
  mpz_ui_pow_ui(power.get(), 10, static_cast<unsigned long>(exponent));
  mpz_mul(v, v, power.get());
}

// A BigDecimal: unscaled * 10^-scale.
struct Decimal {
  Integer unscaled;
  int64_t scale = 0;
};

void load_decimal(std::string_view bytes, Decimal* out) {
  out->scale = decode_int32(std::string(bytes.substr(0, 4)));
  load_integer(bytes.substr(4), &out->unscaled);
}

std::string store_decimal(const Decimal& d) {
  int64_t scale = std::clamp<int64_t>(d.scale, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  return encode_int32(static_cast<int32_t>(scale)) + store_integer(d.unscaled.get());
}

// Divides v by 10^drop, rounding HALF_EVEN; "sticky" says a non-zero remainder was already
// dropped below these digits. Returns whether the result is inexact.
bool round_off_digits(mpz_ptr v, int64_t drop, bool sticky) {
  Integer power, remainder, twice;
  mpz_ui_pow_ui(power.get(), 10, static_cast<unsigned long>(drop));
  int sign = mpz_sgn(v);
  mpz_abs(v, v);
  mpz_tdiv_qr(v, remainder.get(), v, power.get());
  mpz_mul_ui(twice.get(), remainder.get(), 2);
  int half = mpz_cmp(twice.get(), power.get());
  bool up = half > 0 || (half == 0 && (sticky || mpz_odd_p(v)));
  if (up) mpz_add_ui(v, v, 1);
  if (sign < 0) mpz_neg(v, v);
  return sticky || mpz_sgn(remainder.get()) != 0;
}

// MathContext(digits) applied to an exact result (HALF_EVEN here; Java's MathContext(int) is
// HALF_UP, which differs only on an exact tie past 10000 digits).
void round_to_context(Decimal* d, int64_t digits = kMaxPrecision) {
  int64_t excess = digit_count(d->unscaled.get()) - digits;
  if (excess <= 0) return;
  round_off_digits(d->unscaled.get(), excess, false);
  d->scale -= excess;
  if (digit_count(d->unscaled.get()) > digits) {  // 99..9 rounded up to 10..0
    mpz_tdiv_q_ui(d->unscaled.get(), d->unscaled.get(), 10);
    d->scale -= 1;
  }
}

int64_t trailing_zeros(mpz_srcptr v) {
  if (mpz_sgn(v) == 0) return 0;
  std::string text = integer_text(v);
  return static_cast<int64_t>(text.size() - 1 - text.find_last_not_of('0'));
}

// Strips trailing zeros while the scale stays at or above "preferred".
void strip_to_scale(Decimal* d, int64_t preferred) {
  int64_t strip = std::min(trailing_zeros(d->unscaled.get()), d->scale - preferred);
  if (strip <= 0 || mpz_sgn(d->unscaled.get()) == 0) return;
  Integer power;
  mpz_ui_pow_ui(power.get(), 10, static_cast<unsigned long>(strip));
  mpz_divexact(d->unscaled.get(), d->unscaled.get(), power.get());
  d->scale -= strip;
}

// Both unscaled values at the larger scale.
int64_t align(const Decimal& a, const Decimal& b, Integer* x, Integer* y) {
  int64_t scale = std::max(a.scale, b.scale);
  mpz_set(x->get(), a.unscaled.get());
  mpz_set(y->get(), b.unscaled.get());
  multiply_by_power_of_ten(x->get(), scale - a.scale);
  multiply_by_power_of_ten(y->get(), scale - b.scale);
  return scale;
}

// DecimalType.divide: the quotient at 32 significant digits (at least scale 32, and the
// operands' scales; at most 1000), HALF_UP, then stripped of trailing zeros.
void divide(const Decimal& a, const Decimal& b, Decimal* out) {
  if (mpz_sgn(b.unscaled.get()) == 0) throw ArithmeticError{"BigInteger divide by zero"};
  int64_t first_digit = (digit_count(a.unscaled.get()) - a.scale) - (digit_count(b.unscaled.get()) - b.scale);
  int64_t scale = std::max({kMinQuotientDigits - first_digit, a.scale, b.scale, kMinQuotientDigits});
  scale = std::min(scale, kMaxQuotientScale);
  Integer numerator, denominator, remainder, twice;
  mpz_abs(numerator.get(), a.unscaled.get());
  mpz_abs(denominator.get(), b.unscaled.get());
  int64_t shift = scale - a.scale + b.scale;  // quotient * 10^scale = ua / ub * 10^shift
  if (shift >= 0) multiply_by_power_of_ten(numerator.get(), shift);
  else multiply_by_power_of_ten(denominator.get(), -shift);
  mpz_tdiv_qr(out->unscaled.get(), remainder.get(), numerator.get(), denominator.get());
  mpz_mul_ui(twice.get(), remainder.get(), 2);
  if (mpz_cmp(twice.get(), denominator.get()) >= 0) mpz_add_ui(out->unscaled.get(), out->unscaled.get(), 1);
  if (mpz_sgn(a.unscaled.get()) * mpz_sgn(b.unscaled.get()) < 0) mpz_neg(out->unscaled.get(), out->unscaled.get());
  out->scale = scale;
  if (mpz_sgn(out->unscaled.get()) == 0) out->scale = 0;
  else strip_to_scale(out, std::numeric_limits<int64_t>::min() / 2);
}

// BigDecimal.remainder(divisor): this - divideToIntegralValue(divisor) * divisor (exact),
// whose scale follows from the integral quotient's preferred scale.
void remainder(const Decimal& a, const Decimal& b, Decimal* out) {
  if (mpz_sgn(b.unscaled.get()) == 0) throw ArithmeticError{"Division by zero"};
  Integer x, y, quotient;
  int64_t common = align(a, b, &x, &y);
  mpz_tdiv_q(quotient.get(), x.get(), y.get());
  int64_t preferred = a.scale - b.scale;
  int64_t quotient_scale = preferred;
  if (preferred < 0 && mpz_sgn(quotient.get()) != 0)
    quotient_scale = std::max(preferred, -trailing_zeros(quotient.get()));
  mpz_mul(y.get(), y.get(), quotient.get());
  mpz_sub(out->unscaled.get(), x.get(), y.get());
  out->scale = common;
  int64_t scale = std::max(a.scale, quotient_scale + b.scale);
  Integer power;
  mpz_ui_pow_ui(power.get(), 10, static_cast<unsigned long>(common - scale));
  mpz_divexact(out->unscaled.get(), out->unscaled.get(), power.get());
  out->scale = scale;
}

// ---- exp and log, as ch.obermuhlner's BigDecimalMath computes them for DecimalType: to the
// argument's precision, at least 32 significant digits, HALF_EVEN. Computed in fixed point
// (value = v / 10^digits) with guard digits, then rounded once.

constexpr int64_t kGuardDigits = 30;

// atanh(z) for |z| < 1, z and the result in fixed point with "digits" digits.
void fixed_atanh(mpz_srcptr z, int64_t digits, mpz_ptr out) {
  Integer one, square, term, part;
  mpz_ui_pow_ui(one.get(), 10, static_cast<unsigned long>(digits));
  mpz_mul(square.get(), z, z);
  mpz_tdiv_q(square.get(), square.get(), one.get());
  mpz_set(out, z);
  mpz_set(term.get(), z);
  for (unsigned long n = 1;; ++n) {
    mpz_mul(term.get(), term.get(), square.get());
    mpz_tdiv_q(term.get(), term.get(), one.get());
    mpz_tdiv_q_ui(part.get(), term.get(), 2 * n + 1);
    if (mpz_sgn(part.get()) == 0) break;
    mpz_add(out, out, part.get());
  }
}

// ln(p / q) = 2 atanh((p - q) / (p + q)), fixed point.
void fixed_log_ratio(long p, long q, int64_t digits, mpz_ptr out) {
  Integer z;
  mpz_ui_pow_ui(z.get(), 10, static_cast<unsigned long>(digits));
  mpz_mul_si(z.get(), z.get(), p - q);
  mpz_tdiv_q_ui(z.get(), z.get(), static_cast<unsigned long>(p + q));
  fixed_atanh(z.get(), digits, out);
  mpz_mul_ui(out, out, 2);
}

// ln 10 = 3 ln 2 + ln 1.25, fixed point.
void fixed_ln10(int64_t digits, mpz_ptr out) {
  Integer ln_five_quarters;
  fixed_log_ratio(2, 1, digits, out);
  mpz_mul_ui(out, out, 3);
  fixed_log_ratio(5, 4, digits, ln_five_quarters.get());
  mpz_add(out, out, ln_five_quarters.get());
}

// The decimal of a fixed-point value times 10^power, rounded to "precision" digits.
std::string fixed_to_decimal(mpz_srcptr v, int64_t digits, int64_t power, int64_t precision) {
  Decimal d;
  mpz_set(d.unscaled.get(), v);
  d.scale = digits - power;
  round_to_context(&d, precision);
  return store_decimal(d);
}

int64_t math_precision(const Decimal& x) {
  return std::clamp<int64_t>(digit_count(x.unscaled.get()), kMinQuotientDigits, kMaxPrecision);
}

}  // namespace

std::string varint_of_int64(int64_t v) { return *varint_from_string(std::to_string(v)); }

std::string varint_operate(char symbol, std::string_view a, std::string_view b) {
  Integer x, y;
  load_integer(a, &x);
  load_integer(b, &y);
  if ((symbol == '/' || symbol == '%') && mpz_sgn(y.get()) == 0) throw ArithmeticError{"BigInteger divide by zero"};
  switch (symbol) {
    case '+': mpz_add(x.get(), x.get(), y.get()); break;
    case '-': mpz_sub(x.get(), x.get(), y.get()); break;
    case '*': mpz_mul(x.get(), x.get(), y.get()); break;
    case '/': mpz_tdiv_q(x.get(), x.get(), y.get()); break;
    default: mpz_tdiv_r(x.get(), x.get(), y.get()); break;
  }
  return store_integer(x.get());
}

std::string varint_negate(std::string_view a) {
  Integer x;
  load_integer(a, &x);
  mpz_neg(x.get(), x.get());
  return store_integer(x.get());
}

std::string decimal_of_double(double d) {
  if (std::isnan(d)) throw ArithmeticError{"A NaN cannot be converted into a decimal"};
  if (std::isinf(d)) throw ArithmeticError{"An infinite number cannot be converted into a decimal"};
  Decimal out;
  if (d == 0) {
    out.scale = 1;  // Double.toString(0.0) is "0.0"
    return store_decimal(out);
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, std::abs(d), std::chars_format::scientific);
  std::string text(buffer, end);
  size_t e = text.find('e');
  std::string digits = text.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int64_t exponent = std::strtoll(text.c_str() + e + 1, nullptr, 10);
  int64_t fraction = static_cast<int64_t>(digits.size()) - 1 - exponent;  // digits after the point
  // Double.toString writes 10^-3 <= |d| < 10^7 plainly, else as d.dddE<n>; both keep at
  // least one digit after the point.
  bool plain = std::abs(d) >= 1e-3 && std::abs(d) < 1e7;
  int64_t written_fraction = plain ? std::max<int64_t>(1, fraction)
                                   : std::max<int64_t>(1, static_cast<int64_t>(digits.size()) - 1) - exponent;
  mpz_set_str(out.unscaled.get(), digits.c_str(), 10);
  multiply_by_power_of_ten(out.unscaled.get(), written_fraction - fraction);
  if (d < 0) mpz_neg(out.unscaled.get(), out.unscaled.get());
  out.scale = written_fraction;
  return store_decimal(out);
}

std::string decimal_of_varint(std::string_view varint) {
  Decimal out;
  load_integer(varint, &out.unscaled);
  return store_decimal(out);
}

std::string decimal_operate(char symbol, std::string_view a, std::string_view b) {
  Decimal x, y, out;
  load_decimal(a, &x);
  load_decimal(b, &y);
  switch (symbol) {
    case '+':
    case '-': {
      Integer p, q;
      out.scale = align(x, y, &p, &q);
      if (symbol == '+') mpz_add(out.unscaled.get(), p.get(), q.get());
      else mpz_sub(out.unscaled.get(), p.get(), q.get());
      round_to_context(&out);
      break;
    }
    case '*':
      mpz_mul(out.unscaled.get(), x.unscaled.get(), y.unscaled.get());
      out.scale = x.scale + y.scale;
      round_to_context(&out);
      break;
    case '/': divide(x, y, &out); break;
    default: remainder(x, y, &out); break;
  }
  return store_decimal(out);
}

std::string decimal_negate(std::string_view a) {
  Decimal x;
  load_decimal(a, &x);
  mpz_neg(x.unscaled.get(), x.unscaled.get());
  return store_decimal(x);
}

}  // namespace cqld

namespace cqld {

std::string decimal_exp(std::string_view a) {
  Decimal x;
  load_decimal(a, &x);
  int64_t precision = math_precision(x);
  // exp(x) = exp(y) * 10^n, with n = floor(x / ln 10) and y = x - n ln 10 in [0, ln 10).
  int64_t whole_digits = std::max<int64_t>(0, digit_count(x.unscaled.get()) - x.scale);
  int64_t digits = precision + kGuardDigits + whole_digits;
  Integer one, ln10, fixed_x, n, y, term, sum;
  mpz_ui_pow_ui(one.get(), 10, static_cast<unsigned long>(digits));
  fixed_ln10(digits, ln10.get());
  mpz_set(fixed_x.get(), x.unscaled.get());
  if (digits >= x.scale) multiply_by_power_of_ten(fixed_x.get(), digits - x.scale);
  else {
    Integer power;
    mpz_ui_pow_ui(power.get(), 10, static_cast<unsigned long>(x.scale - digits));
    mpz_tdiv_q(fixed_x.get(), fixed_x.get(), power.get());
  }
  mpz_fdiv_q(n.get(), fixed_x.get(), ln10.get());
  if (!mpz_fits_slong_p(n.get())) throw ArithmeticError{"Overflow"};
  mpz_mul(y.get(), n.get(), ln10.get());
  mpz_sub(y.get(), fixed_x.get(), y.get());
  // exp(y) = exp(y / 2^k)^(2^k), the series converging fast for the small y / 2^k.
  constexpr unsigned kHalvings = 10;
  mpz_tdiv_q_2exp(y.get(), y.get(), kHalvings);
  mpz_set(sum.get(), one.get());
  mpz_set(term.get(), one.get());
  for (unsigned long i = 1; mpz_sgn(term.get()) != 0; ++i) {
    mpz_mul(term.get(), term.get(), y.get());
    mpz_tdiv_q(term.get(), term.get(), one.get());
    mpz_tdiv_q_ui(term.get(), term.get(), i);
    mpz_add(sum.get(), sum.get(), term.get());
  }
  for (unsigned i = 0; i < kHalvings; ++i) {
    mpz_mul(sum.get(), sum.get(), sum.get());
    mpz_tdiv_q(sum.get(), sum.get(), one.get());
  }
  return fixed_to_decimal(sum.get(), digits, mpz_get_si(n.get()), precision);
}

// ln x = ln m + e ln 10, with x = m * 10^e and m in [10^-0.5, 10^0.5).
static void fixed_log(const Decimal& x, int64_t digits, mpz_ptr out) {
  int64_t e = digit_count(x.unscaled.get()) - x.scale;  // x = 0.ddd * 10^e
  Integer m, one, z, numerator, denominator;
  mpz_ui_pow_ui(one.get(), 10, static_cast<unsigned long>(digits));
  // m = unscaled / 10^digit_count, in fixed point.
  mpz_set(m.get(), x.unscaled.get());
  int64_t shift = digits - digit_count(x.unscaled.get());
  if (shift >= 0) multiply_by_power_of_ten(m.get(), shift);
  else {
    Integer power;
    mpz_ui_pow_ui(power.get(), 10, static_cast<unsigned long>(-shift));
    mpz_tdiv_q(m.get(), m.get(), power.get());
  }
  Integer threshold;  // 10^-0.5 ~ 0.316227766
  mpz_mul_ui(threshold.get(), one.get(), 316227766);
  mpz_tdiv_q_ui(threshold.get(), threshold.get(), 1000000000);
  if (mpz_cmp(m.get(), threshold.get()) < 0) {
    mpz_mul_ui(m.get(), m.get(), 10);
    e -= 1;
  }
  mpz_sub(numerator.get(), m.get(), one.get());
  mpz_add(denominator.get(), m.get(), one.get());
  mpz_mul(z.get(), numerator.get(), one.get());
  mpz_tdiv_q(z.get(), z.get(), denominator.get());
  fixed_atanh(z.get(), digits, out);
  mpz_mul_ui(out, out, 2);
  Integer ln10;
  fixed_ln10(digits, ln10.get());
  mpz_mul_si(ln10.get(), ln10.get(), e);
  mpz_add(out, out, ln10.get());
}

std::string decimal_log(std::string_view a, bool base10) {
  Decimal x;
  load_decimal(a, &x);
  if (mpz_sgn(x.unscaled.get()) <= 0)
    throw ArithmeticError{base10 ? "Log10 of number zero or less" : "Natural log of number zero or less"};
  int64_t precision = math_precision(x);
  int64_t digits = precision + kGuardDigits + 20;
  Integer result;
  fixed_log(x, digits, result.get());
  if (base10) {
    Integer ln10, one;
    fixed_ln10(digits, ln10.get());
    mpz_ui_pow_ui(one.get(), 10, static_cast<unsigned long>(digits));
    mpz_mul(result.get(), result.get(), one.get());
    mpz_tdiv_q(result.get(), result.get(), ln10.get());
  }
  return fixed_to_decimal(result.get(), digits, 0, precision);
}

}  // namespace cqld
