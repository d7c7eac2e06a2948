#include "types/duration.h"
#include "common/text.h"

#include <array>
#include <bit>
#include <cctype>
#include <limits>

#include "common/errors.h"

namespace cqld {
namespace {

constexpr int64_t kNanosPerMicro = 1000;
constexpr int64_t kNanosPerMilli = 1000 * kNanosPerMicro;
constexpr int64_t kNanosPerSecond = 1000 * kNanosPerMilli;
constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;
constexpr int64_t kNanosPerHour = 60 * kNanosPerMinute;
constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

// Units in the order a duration must list them; the index is Cassandra's unit index - 1.
enum class Unit {
  kYears,
  kMonths,
  kWeeks,
  kDays,
  kHours,
  kMinutes,
  kSeconds,
  kMillis,
  kMicros,
  kNanos
};
constexpr std::array<const char*, 10> kUnitNames = {
    "years",   "months",  "weeks",        "days",         "hours",
    "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"};

[[noreturn]] void unable(std::string_view source) {
  throw InvalidRequest("Unable to convert '" + std::string(source) + "' to a duration");
}

// Accumulates units in order, with Cassandra's overflow and ordering checks.
class Builder {
 public:
  explicit Builder(bool negative) : negative_(negative) {}

  void add(Unit unit, uint64_t amount) {
    check_order(unit);
    switch (unit) {
      case Unit::kYears:
        add_months(amount, 12);
        break;
      case Unit::kMonths:
        add_months(amount, 1);
        break;
      case Unit::kWeeks:
        add_days(amount, 7);
        break;
      case Unit::kDays:
        add_days(amount, 1);
        break;
      case Unit::kHours:
        add_nanos(amount, kNanosPerHour);
        break;
      case Unit::kMinutes:
        add_nanos(amount, kNanosPerMinute);
        break;
      case Unit::kSeconds:
        add_nanos(amount, kNanosPerSecond);
        break;
      case Unit::kMillis:
        add_nanos(amount, kNanosPerMilli);
        break;
      case Unit::kMicros:
        add_nanos(amount, kNanosPerMicro);
        break;
      case Unit::kNanos:
        add_nanos(amount, 1);
        break;
    }
  }

  Duration build() const {
    Duration d{static_cast<int32_t>(months_), static_cast<int32_t>(days_), nanos_};
    if (negative_) d = Duration{-d.months, -d.days, -d.nanoseconds};
    return d;
  }

 private:
  void check_order(Unit unit) {
    int index = static_cast<int>(unit) + 1;
    if (index == current_)
      throw InvalidRequest(std::string("Invalid duration. The ") + kUnitNames[index - 1] +
                           " are specified multiple times");
    if (index < current_)
      throw InvalidRequest(std::string("Invalid duration. The ") + kUnitNames[current_ - 1] +
                           " should be after " + kUnitNames[index - 1]);
    current_ = index;
  }
  static void check_limit(uint64_t units, int64_t limit, const char* name) {
    if (units > static_cast<uint64_t>(limit))
      throw InvalidRequest(std::string("Invalid duration. The total number of ") + name +
                           " must be less or equal to 2147483647");
  }
  void add_months(uint64_t units, int64_t per) {
    check_limit(units, (kIntMax - months_) / per, "months");
    months_ += static_cast<int64_t>(units) * per;
  }
  void add_days(uint64_t units, int64_t per) {
    check_limit(units, (kIntMax - days_) / per, "days");
    days_ += static_cast<int64_t>(units) * per;
  }
  void add_nanos(uint64_t units, int64_t per) {
    check_limit(units, (std::numeric_limits<int64_t>::max() - nanos_) / per, "nanoseconds");
    nanos_ += static_cast<int64_t>(units) * per;
  }

  bool negative_;
  int current_ = 0;
  int64_t months_ = 0;
  int64_t days_ = 0;
  int64_t nanos_ = 0;
};

// Reads a run of digits as Long.parseLong would; fails on an empty run or overflow.
bool read_number(std::string_view* s, uint64_t* out, std::string_view source) {
  size_t n = 0;
  uint64_t v = 0;
  while (n < s->size() && std::isdigit(static_cast<unsigned char>((*s)[n]))) {
    if (v > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - ((*s)[n] - '0')) / 10)
      unable(source);
    v = v * 10 + static_cast<uint64_t>((*s)[n] - '0');
    ++n;
  }
  if (n == 0) return false;
  s->remove_prefix(n);
  *out = v;
  return true;
}

// One "<digits><symbol>" of the standard format; symbols as Cassandra's regex lists them,
// in its alternation order (so "mo" and "ms" win over "m").
bool read_symbol(std::string_view* s, Unit* unit) {
  static constexpr std::array<std::pair<std::string_view, Unit>, 10> kSymbols = {{
      {"y", Unit::kYears},
      {"mo", Unit::kMonths},
      {"w", Unit::kWeeks},
      {"d", Unit::kDays},
      {"h", Unit::kHours},
      {"s", Unit::kSeconds},
      {"ms", Unit::kMillis},
      {"us", Unit::kMicros},
      {"ns", Unit::kNanos},
      {"m", Unit::kMinutes},
  }};
  if (s->starts_with("\xC2\xB5s") || s->starts_with("\xC2\xB5S")) {
    *unit = Unit::kMicros;
    s->remove_prefix(3);
    return true;
  }
  for (const auto& [symbol, u] : kSymbols) {
    if (s->size() >= symbol.size() && ascii_lower(s->substr(0, symbol.size())) == symbol) {
      *unit = u;
      s->remove_prefix(symbol.size());
      return true;
    }
  }
  return false;
}

Duration parse_standard(bool negative, std::string_view source) {
  Builder b(negative);
  std::string_view s = source;
  if (s.empty()) unable(source);
  while (!s.empty()) {
    uint64_t n = 0;
    Unit unit{};
    if (!read_number(&s, &n, source) || !read_symbol(&s, &unit)) unable(source);
    b.add(unit, n);
  }
  return b.build();
}

// P[nY][nM][nD][T[nH][nM][nS]]: each designator is optional, in that order.
Duration parse_iso(bool negative, std::string_view source) {
  Builder b(negative);
  std::string_view s = source.substr(1);
  auto designators = [&](std::initializer_list<std::pair<char, Unit>> slots) {
    for (const auto& [letter, unit] : slots) {
      std::string_view probe = s;
      uint64_t n = 0;
      if (read_number(&probe, &n, source) && !probe.empty() && probe[0] == letter) {
        b.add(unit, n);
        s = probe.substr(1);
      }
    }
  };
  designators({{'Y', Unit::kYears}, {'M', Unit::kMonths}, {'D', Unit::kDays}});
  if (!s.empty() && s[0] == 'T') {
    s.remove_prefix(1);
    designators({{'H', Unit::kHours}, {'M', Unit::kMinutes}, {'S', Unit::kSeconds}});
  }
  if (!s.empty()) unable(source);
  return b.build();
}

Duration parse_iso_week(bool negative, std::string_view source) {
  std::string_view s = source.substr(1);
  uint64_t n = 0;
  if (!read_number(&s, &n, source) || s != "W") unable(source);
  Builder b(negative);
  b.add(Unit::kWeeks, n);
  return b.build();
}

// P[YYYY]-[MM]-[DD]T[hh]:[mm]:[ss], fixed widths.
Duration parse_iso_alternative(bool negative, std::string_view source) {
  constexpr std::string_view kShape = "P9999-99-99T99:99:99";
  if (source.size() != kShape.size()) unable(source);
  for (size_t i = 0; i < kShape.size(); ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(source[i]));
    if (kShape[i] == '9' ? !digit : source[i] != kShape[i]) unable(source);
  }
  auto field = [&](size_t pos, size_t len) {
    return std::stoull(std::string(source.substr(pos, len)));
  };
  Builder b(negative);
  b.add(Unit::kYears, field(1, 4));
  b.add(Unit::kMonths, field(6, 2));
  b.add(Unit::kDays, field(9, 2));
  b.add(Unit::kHours, field(12, 2));
  b.add(Unit::kMinutes, field(15, 2));
  b.add(Unit::kSeconds, field(18, 2));
  return b.build();
}

uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

uint64_t append_unit(std::string* out, uint64_t dividend, uint64_t divisor, const char* unit) {
  if (dividend == 0 || dividend < divisor) return dividend;
  *out += std::to_string(dividend / divisor) + unit;
  return dividend % divisor;
}

// |v| without overflow for the most negative value.
uint64_t magnitude(int64_t v) { return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

}  // namespace

Duration parse_duration(std::string_view text) {
  bool negative = text.starts_with("-");
  std::string_view source = negative ? text.substr(1) : text;
  if (source.starts_with("P")) {
    if (source.ends_with("W")) return parse_iso_week(negative, source);
    if (source.find('-') != std::string_view::npos) return parse_iso_alternative(negative, source);
    return parse_iso(negative, source);
  }
  return parse_standard(negative, source);
}

void append_unsigned_vint(uint64_t v, std::string* out) {
  int magnitude = std::countl_zero(v | 1);
  int size = (639 - magnitude * 9) >> 6;  // 1 byte per 7 bits, 9 bytes at most
  if (size == 1) {
    out->push_back(static_cast<char>(v));
    return;
  }
  int extra = size - 1;
  char first_mask = static_cast<char>(~(0xFF >> extra));
  size_t start = out->size();
  // A 9-byte vint is 0xFF then the 8 bytes of the value: the byte for i = 8 has no value bits.
  for (int i = size - 1; i >= 0; --i) out->push_back(i >= 8 ? '\0' : static_cast<char>(v >> (8 * i)));
  (*out)[start] = static_cast<char>((*out)[start] | first_mask);
}

std::optional<uint64_t> read_unsigned_vint(std::string_view* in) {
  if (in->empty()) return std::nullopt;
  uint8_t first = static_cast<uint8_t>((*in)[0]);
  int extra = std::countl_one(first);
  if (in->size() < static_cast<size_t>(extra) + 1) return std::nullopt;
  uint64_t v = extra >= 8 ? 0 : (first & (0xFF >> extra));
  for (int i = 1; i <= extra; ++i) v = (v << 8) | static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(static_cast<size_t>(extra) + 1);
  return v;
}

std::string serialize_duration(const Duration& d) {
  std::string out;
  append_unsigned_vint(zigzag(d.months), &out);
  append_unsigned_vint(zigzag(d.days), &out);
  append_unsigned_vint(zigzag(d.nanoseconds), &out);
  return out;
}

std::optional<Duration> deserialize_duration(std::string_view bytes) {
  auto months = read_unsigned_vint(&bytes);
  auto days = months ? read_unsigned_vint(&bytes) : std::nullopt;
  auto nanos = days ? read_unsigned_vint(&bytes) : std::nullopt;
  if (!nanos || !bytes.empty()) return std::nullopt;
  int64_t m = unzigzag(*months), dd = unzigzag(*days);
  if (m < std::numeric_limits<int32_t>::min() || m > kIntMax) return std::nullopt;
  if (dd < std::numeric_limits<int32_t>::min() || dd > kIntMax) return std::nullopt;
  return Duration{static_cast<int32_t>(m), static_cast<int32_t>(dd), unzigzag(*nanos)};
}

std::string duration_to_string(const Duration& d) {
  std::string out;
  if (d.months < 0 || d.days < 0 || d.nanoseconds < 0) out.push_back('-');
  uint64_t remainder = append_unit(&out, magnitude(d.months), 12, "y");
  append_unit(&out, remainder, 1, "mo");
  append_unit(&out, magnitude(d.days), 1, "d");
  if (d.nanoseconds != 0) {
    remainder = append_unit(&out, magnitude(d.nanoseconds), kNanosPerHour, "h");
    remainder = append_unit(&out, remainder, kNanosPerMinute, "m");
    remainder = append_unit(&out, remainder, kNanosPerSecond, "s");
    remainder = append_unit(&out, remainder, kNanosPerMilli, "ms");
    remainder = append_unit(&out, remainder, kNanosPerMicro, "us");
    append_unit(&out, remainder, 1, "ns");
  }
  return out;
}

}  // namespace cqld
