#include "types/bignum.h"

#include <gmp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "common/errors.h"
#include "types/value.h"

namespace cqld {
namespace {

// Owns an mpz_t for the duration of a scope.
class Mpz {
 public:
  Mpz() { mpz_init(v_); }
  ~Mpz() { mpz_clear(v_); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  mpz_ptr get() { return v_; }
  mpz_srcptr get() const { return v_; }

 private:
  mpz_t v_;
};

void load_varint(std::string_view bytes, Mpz* out) {
  mpz_set_ui(out->get(), 0);
  if (bytes.empty()) return;
  mpz_import(out->get(), bytes.size(), 1, 1, 1, 0, bytes.data());
  if (static_cast<uint8_t>(bytes[0]) & 0x80) {
    Mpz modulus;
    mpz_ui_pow_ui(modulus.get(), 2, 8 * bytes.size());
    mpz_sub(out->get(), out->get(), modulus.get());
  }
}

std::string export_magnitude(mpz_srcptr v, size_t width) {
  std::string out(width, '\0');
  size_t count = 0;
  std::string raw((mpz_sizeinbase(v, 2) + 7) / 8 + 1, '\0');
  mpz_export(raw.data(), &count, 1, 1, 1, 0, v);
  raw.resize(count);
  std::copy(raw.begin(), raw.end(), out.end() - static_cast<std::ptrdiff_t>(count));
  return out;
}

std::string store_varint(mpz_srcptr v) {
  if (mpz_sgn(v) >= 0) {
    size_t bits = mpz_sgn(v) == 0 ? 0 : mpz_sizeinbase(v, 2);
    return export_magnitude(v, bits / 8 + 1);  // room for a clear sign bit
  }
  Mpz magnitude_minus_one;
  mpz_neg(magnitude_minus_one.get(), v);
  mpz_sub_ui(magnitude_minus_one.get(), magnitude_minus_one.get(), 1);
  size_t bits =
      mpz_sgn(magnitude_minus_one.get()) == 0 ? 0 : mpz_sizeinbase(magnitude_minus_one.get(), 2);
  size_t width = bits / 8 + 1;
  Mpz biased;
  mpz_ui_pow_ui(biased.get(), 2, 8 * width);
  mpz_add(biased.get(), biased.get(), v);
  return export_magnitude(biased.get(), width);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string mpz_to_decimal(mpz_srcptr v) {
  std::string out(mpz_sizeinbase(v, 10) + 2, '\0');
  mpz_get_str(out.data(), 10, v);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace

std::optional<std::string> varint_from_string(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (!all_digits(digits)) return std::nullopt;
  Mpz v;
  mpz_set_str(v.get(), std::string(digits).c_str(), 10);
  if (negative) mpz_neg(v.get(), v.get());
  return store_varint(v.get());
}

std::string varint_to_string(std::string_view bytes) {
  if (bytes.empty()) return "";
  Mpz v;
  load_varint(bytes, &v);
  return mpz_to_decimal(v.get());
}

int compare_varints(std::string_view a, std::string_view b) {
  Mpz x, y;
  load_varint(a, &x);
  load_varint(b, &y);
  int c = mpz_cmp(x.get(), y.get());
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string minimal_varint(std::string_view bytes) {
  Mpz v;
  load_varint(bytes, &v);
  return store_varint(v.get());
}

std::optional<std::string> decimal_from_string(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  int64_t exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view exp = s.substr(e + 1);
    bool exp_negative = false;
    if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) {
      exp_negative = exp[0] == '-';
      exp.remove_prefix(1);
    }
    while (exp.size() > 1 && exp[0] == '0') exp.remove_prefix(1);
    if (!all_digits(exp) || exp.size() > 10) return std::nullopt;
    exponent = std::stoll(std::string(exp));
    if (exp_negative) exponent = -exponent;
  }
  size_t dot = mantissa.find('.');
  std::string_view int_part = mantissa.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? "" : mantissa.substr(dot + 1);
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  if ((!int_part.empty() && !all_digits(int_part)) ||
      (!frac_part.empty() && !all_digits(frac_part)))
    return std::nullopt;
  int64_t scale = static_cast<int64_t>(frac_part.size()) - exponent;
  if (scale < std::numeric_limits<int32_t>::min() || scale > std::numeric_limits<int32_t>::max())
    return std::nullopt;
  Mpz unscaled;
  std::string digits = std::string(int_part) + std::string(frac_part);
  mpz_set_str(unscaled.get(), digits.c_str(), 10);
  if (negative) mpz_neg(unscaled.get(), unscaled.get());
  return encode_int32(static_cast<int32_t>(scale)) + store_varint(unscaled.get());
}

std::optional<std::string> decimal_range_error(std::string_view text) {
  size_t e = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, e);
  size_t dot = mantissa.find('.');
  int64_t fraction_digits = dot == std::string_view::npos ? 0 : static_cast<int64_t>(mantissa.size() - dot - 1);
  if (e == std::string_view::npos) return std::nullopt;
  std::string_view exp = text.substr(e + 1);
  bool negative = !exp.empty() && exp[0] == '-';
  if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) exp.remove_prefix(1);
  constexpr size_t kMaxExponentDigits = 10;
  while (exp.size() > kMaxExponentDigits && exp[0] == '0') exp.remove_prefix(1);
  if (exp.size() > kMaxExponentDigits) return "Too many nonzero exponent digits.";
  if (exp.empty() || !all_digits(exp)) return std::nullopt;
  int64_t exponent = std::stoll(std::string(exp));
  if (negative) exponent = -exponent;
  if (exponent < std::numeric_limits<int32_t>::min() || exponent > std::numeric_limits<int32_t>::max())
    return "Exponent overflow.";
  int64_t scale = fraction_digits - exponent;
  if (exponent != 0 && (scale < std::numeric_limits<int32_t>::min() || scale > std::numeric_limits<int32_t>::max()))
    return "Scale out of range.";
  return std::nullopt;
}

std::string decimal_to_string(std::string_view bytes) {
  int32_t scale = decode_int32(bytes.substr(0, 4));
  Mpz unscaled;
  load_varint(bytes.substr(4), &unscaled);
  bool negative = mpz_sgn(unscaled.get()) < 0;
  mpz_abs(unscaled.get(), unscaled.get());
  std::string digits = mpz_to_decimal(unscaled.get());
  std::string out = negative ? "-" : "";
  // Plain notation would take up to 2^31 zeros; past a few, the exponent form is used instead.
  constexpr int64_t kMaxPadding = 64;
  int64_t padding = scale <= 0 ? -static_cast<int64_t>(scale)
                               : static_cast<int64_t>(scale) - static_cast<int64_t>(digits.size());
  if (padding > kMaxPadding && (scale > 0 || mpz_sgn(unscaled.get()) != 0)) {
    return out + digits + "E" + std::to_string(-static_cast<int64_t>(scale));
  }
  if (scale <= 0) {
    if (mpz_sgn(unscaled.get()) != 0) digits.append(static_cast<size_t>(padding), '0');
    return out + digits;
  }
  size_t s = static_cast<size_t>(scale);
  if (digits.size() <= s) digits.insert(0, s - digits.size() + 1, '0');
  return out + digits.substr(0, digits.size() - s) + "." + digits.substr(digits.size() - s);
}

DecimalParts decimal_parts(std::string_view bytes) {
  DecimalParts p;
  int64_t scale = decode_int32(bytes.substr(0, 4));
  Mpz unscaled;
  load_varint(bytes.substr(4), &unscaled);
  p.sign = mpz_sgn(unscaled.get());
  if (p.sign == 0) return p;
  mpz_abs(unscaled.get(), unscaled.get());
  p.digits = mpz_to_decimal(unscaled.get());
  size_t last = p.digits.find_last_not_of('0');
  scale -= static_cast<int64_t>(p.digits.size() - 1 - last);
  p.digits.resize(last + 1);
  p.exponent = static_cast<int64_t>(p.digits.size()) - scale;
  return p;
}

std::string decimal_from_parts(const DecimalParts& parts) {
  if (parts.sign == 0) return encode_int32(0) + std::string(1, '\0');
  std::string digits = parts.digits;
  int64_t scale = static_cast<int64_t>(digits.size()) - parts.exponent;
  constexpr int64_t kMaxPadding = 64;
  if (scale < 0 && -scale <= kMaxPadding) {
    digits.append(static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  // The stripped form of a valid decimal can need a scale below int32's range (10 with scale
  // -2^31 is 1 with scale -2^31 - 1): keep enough trailing zeros to stay within it.
  constexpr int64_t kMinScale = std::numeric_limits<int32_t>::min();
  if (scale < kMinScale) {
    digits.append(static_cast<size_t>(kMinScale - scale), '0');
    scale = kMinScale;
  }
  Mpz unscaled;
  mpz_set_str(unscaled.get(), digits.c_str(), 10);
  if (parts.sign < 0) mpz_neg(unscaled.get(), unscaled.get());
  return encode_int32(static_cast<int32_t>(scale)) + store_varint(unscaled.get());
}

int compare_decimals(std::string_view a, std::string_view b) {
  DecimalParts x = decimal_parts(a);
  DecimalParts y = decimal_parts(b);
  if (x.sign != y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign == 0) return 0;
  int magnitude = 0;
  if (x.exponent != y.exponent) {
    magnitude = x.exponent < y.exponent ? -1 : 1;
  } else {
    // Same exponent: the digit strings (no trailing zeros) compare lexicographically.
    int c = x.digits.compare(y.digits);
    magnitude = c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return x.sign > 0 ? magnitude : -magnitude;
}

std::string varint_add(std::string_view a, std::string_view b) {
  Mpz x, y;
  load_varint(a, &x);
  load_varint(b, &y);
  mpz_add(x.get(), x.get(), y.get());
  return store_varint(x.get());
}

std::string varint_divide(std::string_view a, int64_t divisor) {
  Mpz x, d;
  load_varint(a, &x);
  mpz_set_si(d.get(), divisor);
  mpz_tdiv_q(x.get(), x.get(), d.get());
  return store_varint(x.get());
}

namespace {

constexpr int64_t kMaxAlignedDigits = 100000;

int32_t decimal_scale(std::string_view d) { return decode_int32(std::string(d.substr(0, 4))); }

std::string decimal_of(int32_t scale, mpz_srcptr unscaled) { return encode_int32(scale) + store_varint(unscaled); }

}  // namespace

std::string decimal_add(std::string_view a, std::string_view b) {
  int32_t sa = decimal_scale(a), sb = decimal_scale(b), scale = std::max(sa, sb);
  // Aligning scales far apart would make a number of that many digits: refused, not attempted.
  if (std::abs(static_cast<int64_t>(sa) - sb) > kMaxAlignedDigits)
    throw InvalidRequest("Decimal sum of values whose scales differ by more than " + std::to_string(kMaxAlignedDigits) +
                         " is not supported");
  Mpz x, y, ten;
  load_varint(a.substr(4), &x);
  load_varint(b.substr(4), &y);
  // Align both at the larger scale: multiply by 10^(scale - own scale).
  mpz_ui_pow_ui(ten.get(), 10, static_cast<unsigned long>(static_cast<int64_t>(scale) - sa));
  mpz_mul(x.get(), x.get(), ten.get());
  mpz_ui_pow_ui(ten.get(), 10, static_cast<unsigned long>(static_cast<int64_t>(scale) - sb));
  mpz_mul(y.get(), y.get(), ten.get());
  mpz_add(x.get(), x.get(), y.get());
  return decimal_of(scale, x.get());
}

std::string decimal_divide(std::string_view a, int64_t divisor) {
  Mpz x, d, q, r, twice;
  load_varint(a.substr(4), &x);
  mpz_set_si(d.get(), divisor);
  mpz_tdiv_qr(q.get(), r.get(), x.get(), d.get());
  // HALF_EVEN on the remainder: away from zero past the half, to the even quotient at it.
  mpz_abs(r.get(), r.get());
  mpz_mul_ui(twice.get(), r.get(), 2);
  int cmp = mpz_cmp(twice.get(), d.get());
  if (cmp > 0 || (cmp == 0 && mpz_odd_p(q.get()))) {
    if (mpz_sgn(x.get()) < 0) mpz_sub_ui(q.get(), q.get(), 1);
    else mpz_add_ui(q.get(), q.get(), 1);
  }
  return decimal_of(decimal_scale(a), q.get());
}

}  // namespace cqld
