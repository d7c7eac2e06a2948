#include "types/temporal.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <limits>
#include <optional>

#include "common/errors.h"

namespace cqld {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr int64_t kNanosPerDay = 86'400'000'000'000;
constexpr int64_t kDateEpoch = int64_t{1} << 31;
// Days whose milliseconds (plus a day of clock and zone) still fit an int64.
constexpr int64_t kMaxMillisDays = std::numeric_limits<int64_t>::max() / kMillisPerDay - 2;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// "-?\d+" as Cassandra's raw-number patterns; nothing on overflow of int64.
std::optional<int64_t> parse_long(std::string_view s) {
  bool negative = s.starts_with("-");
  std::string_view digits = negative ? s.substr(1) : s;
  if (!all_digits(digits)) return std::nullopt;
  uint64_t v = 0;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (char c : digits) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (limit - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

// A cursor over a timestamp string, mirroring SimpleDateFormat's strict parsing: numeric
// fields take every digit present, literals must match exactly.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return pos_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  bool literal(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Reads 1..max_digits digits (more digits than that fail the parse).
  std::optional<int64_t> number(size_t max_digits = 9) {
    size_t start = pos_;
    while (!done() && is_digit(s_[pos_])) ++pos_;
    size_t n = pos_ - start;
    if (n == 0 || n > max_digits) return std::nullopt;
    return std::stoll(std::string(s_.substr(start, n)));
  }
  // Exactly "n" digits.
  std::optional<int64_t> fixed(size_t n) {
    if (s_.size() - pos_ < n || !all_digits(s_.substr(pos_, n))) return std::nullopt;
    int64_t v = std::stoll(std::string(s_.substr(pos_, n)));
    pos_ += n;
    return v;
  }
  std::string_view rest() const { return s_.substr(pos_); }
  void skip_all() { pos_ = s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool valid_date(int64_t year, int64_t month, int64_t day) {
  return month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, static_cast<unsigned>(month));
}

// ISO 8601 offsets as SimpleDateFormat's X, XX and XXX: Z, +hh, +hhmm, +hh:mm.
std::optional<int64_t> iso_offset_minutes(Cursor* c) {
  if (c->literal('Z')) return 0;
  int sign = c->literal('+') ? 1 : c->literal('-') ? -1 : 0;
  if (sign == 0) return std::nullopt;
  auto hours = c->fixed(2);
  if (!hours || *hours > 23) return std::nullopt;
  int64_t minutes = 0;
  if (!c->done()) {
    c->literal(':');
    auto m = c->fixed(2);
    if (!m || *m > 59) return std::nullopt;
    minutes = *m;
  }
  return sign * (*hours * 60 + minutes);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// SimpleDateFormat's general time zone ("z"): UTC/GMT/UT names, GMT+h[h][:mm], and RFC 822
// offsets (+hhmm), which it also accepts when parsing.
std::optional<int64_t> general_offset_minutes(Cursor* c) {
  std::string_view rest = c->rest();
  for (std::string_view name : {"UTC", "GMT", "UT"}) {
    if (starts_with_ci(rest, name) && rest.size() == name.size()) {
      c->skip_all();
      return 0;
    }
  }
  bool gmt = starts_with_ci(rest, "GMT");
  if (gmt) {
    for (int i = 0; i < 3; ++i) c->literal(rest[static_cast<size_t>(i)]);
  }
  int sign = c->literal('+') ? 1 : c->literal('-') ? -1 : 0;
  if (sign == 0) return std::nullopt;
  if (!gmt) {
    auto hhmm = c->fixed(4);
    if (!hhmm || *hhmm / 100 > 23 || *hhmm % 100 > 59) return std::nullopt;
    return sign * (*hhmm / 100 * 60 + *hhmm % 100);
  }
  auto hours = c->number(2);
  if (!hours || *hours > 23) return std::nullopt;
  int64_t minutes = 0;
  if (c->literal(':')) {
    auto m = c->fixed(2);
    if (!m || *m > 59) return std::nullopt;
    minutes = *m;
  }
  return sign * (*hours * 60 + minutes);
}

std::optional<int64_t> zone_offset_minutes(Cursor* c) {
  if (c->done()) return 0;
  if (c->literal(' ')) return general_offset_minutes(c);
  return iso_offset_minutes(c);
}

struct ClockTime {
  int64_t hour = 0, minute = 0, second = 0, millis = 0;
};

// [' ' | 'T'] HH:mm[:ss[.SSS]] after a date; false if what follows is not a time.
bool parse_clock(Cursor* c, ClockTime* t) {
  auto hour = c->number();
  if (!hour || !c->literal(':')) return false;
  auto minute = c->number();
  if (!minute) return false;
  t->hour = *hour;
  t->minute = *minute;
  if (c->literal(':')) {
    auto second = c->number();
    if (!second) return false;
    t->second = *second;
    // Fractions of a second, as Cassandra 5 reads them: ".5" is 500 ms, ".05" is 50 ms.
    if (c->literal('.')) {
      size_t before = c->rest().size();
      auto fraction = c->number(3);
      if (!fraction) return false;
      size_t digits = before - c->rest().size();
      int64_t millis = *fraction;
      for (size_t i = digits; i < 3; ++i) millis *= 10;
      t->millis = millis;
    }
  }
  return t->hour <= 23 && t->minute <= 59 && t->second <= 59 && t->millis <= 999;
}

std::optional<int64_t> parse_formatted_timestamp(std::string_view text) {
  Cursor c(text);
  auto year = c.number();
  if (!year || !c.literal('-')) return std::nullopt;
  auto month = c.number();
  if (!month || !c.literal('-')) return std::nullopt;
  auto day = c.number();
  if (!day || *year < 1 || !valid_date(*year, *month, *day)) return std::nullopt;
  ClockTime clock;
  Cursor after_date = c;
  if (c.literal('T') || (c.literal(' ') && is_digit(c.peek()))) {
    if (!parse_clock(&c, &clock)) return std::nullopt;
  } else {
    c = after_date;
  }
  auto offset = zone_offset_minutes(&c);
  if (!offset || !c.done()) return std::nullopt;
  int64_t days = days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  if (days > kMaxMillisDays || days < -kMaxMillisDays) return std::nullopt;
  return days * kMillisPerDay +
         ((clock.hour * 60 + clock.minute - *offset) * 60 + clock.second) * 1000 + clock.millis;
}

// java.time's ISO_LOCAL_DATE year: 4 digits, or a sign and 4 to 10 digits.
std::optional<int64_t> iso_year(Cursor* c) {
  int sign = c->literal('+') ? 1 : c->literal('-') ? -1 : 0;
  std::string_view rest = c->rest();
  size_t n = 0;
  while (n < rest.size() && is_digit(rest[n])) ++n;
  if (n < 4 || n > 10 || (sign == 0 && n != 4)) return std::nullopt;
  auto v = c->fixed(n);
  return sign < 0 ? -*v : *v;
}

std::string date_range_error(std::string_view source, bool below) {
  return std::string("Input date ") + std::string(source) +
         (below ? " is less than min supported date -5877641-06-23T00:00Z"
                : " is greater than max supported date 5881580-07-11T00:00Z");
}

}  // namespace

int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2);
}

int64_t parse_timestamp(std::string_view text) {
  std::string source(text);
  if (source.size() == 3 && starts_with_ci(source, "NOW")) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::string_view digits = text.starts_with("-") ? text.substr(1) : text;
  if (all_digits(digits)) {
    auto v = parse_long(text);
    if (!v) throw InvalidRequest("Unable to make long (for date) from: '" + source + "'");
    return *v;
  }
  auto millis = parse_formatted_timestamp(text);
  if (!millis) throw InvalidRequest("Unable to parse a date/time from '" + source + "'");
  return *millis;
}

uint32_t parse_date(std::string_view text) {
  std::string source(text);
  std::string_view digits = text.starts_with("-") ? text.substr(1) : text;
  if (all_digits(digits)) {
    auto v = parse_long(text);
    if (!v || *v < 0 || *v > int64_t{0xFFFFFFFF})
      throw InvalidRequest("Unable to make unsigned int (for date) from: '" + source + "'");
    return static_cast<uint32_t>(*v);
  }
  const std::string unable = "Unable to coerce '" + source + "' to a formatted date (long)";
  Cursor c(text);
  auto year = iso_year(&c);
  std::optional<int64_t> month, day;
  if (year && c.literal('-')) month = c.fixed(2);
  if (month && c.literal('-')) day = c.fixed(2);
  if (!day || !c.done() || !valid_date(*year, *month, *day)) throw InvalidRequest(unable);
  int64_t days = days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  if (days > std::numeric_limits<int64_t>::max() / kMillisPerDay ||
      days < std::numeric_limits<int64_t>::min() / kMillisPerDay)
    throw InvalidRequest(unable);
  if (days < std::numeric_limits<int32_t>::min())
    throw InvalidRequest(date_range_error(text, true));
  if (days > std::numeric_limits<int32_t>::max())
    throw InvalidRequest(date_range_error(text, false));
  return static_cast<uint32_t>(days + kDateEpoch);
}

namespace {

// Integer.parseInt: an optional sign and digits, within int32.
std::optional<int64_t> parse_java_int(std::string_view s) {
  std::string_view digits = s;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  if (!all_digits(digits) || digits.size() > 10) return std::nullopt;
  int64_t v = std::stoll(std::string(digits));
  if (s[0] == '-') v = -v;
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
    return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

// TimeSerializer.parseTimeStrictly: hh:mm:ss[.fffffffff], each field range-checked.
std::optional<int64_t> parse_clock_nanos(std::string_view text) {
  std::string_view s = trim(text);
  size_t first = s.find(':');
  size_t second = first == std::string_view::npos ? first : s.find(':', first + 1);
  if (first == 0 || first == std::string_view::npos || second == std::string_view::npos ||
      second >= s.size() - 1)
    return std::nullopt;
  size_t period = s.find('.', second + 1);
  auto hour = parse_java_int(s.substr(0, first));
  auto minute = parse_java_int(s.substr(first + 1, second - first - 1));
  if (!hour || *hour < 0 || *hour >= 24 || !minute || *minute < 0 || *minute >= 60)
    return std::nullopt;
  int64_t nanos = 0;
  std::optional<int64_t> sec;
  if (period != std::string_view::npos) {
    if (period >= s.size() - 1) return std::nullopt;
    sec = parse_java_int(s.substr(second + 1, period - second - 1));
    std::string fraction(s.substr(period + 1));
    if (fraction.size() > 9 || !is_digit(fraction[0])) return std::nullopt;
    fraction.append(9 - fraction.size(), '0');
    auto f = parse_java_int(fraction);
    if (!f) return std::nullopt;
    nanos = *f;
  } else {
    sec = parse_java_int(s.substr(second + 1));
  }
  if (!sec || *sec < 0 || *sec >= 60) return std::nullopt;
  return ((*hour * 60 + *minute) * 60 + *sec) * 1'000'000'000 + nanos;
}

}  // namespace

int64_t parse_time(std::string_view text) {
  std::string source(text);
  std::string_view digits = text.starts_with("-") ? text.substr(1) : text;
  if (all_digits(digits)) {
    auto v = parse_long(text);
    if (!v || *v < 0 || *v >= kNanosPerDay)
      throw InvalidRequest("Unable to make long (for time) from: '" + source + "'");
    return *v;
  }
  auto nanos = parse_clock_nanos(text);
  if (!nanos)
    throw InvalidRequest("(TimeType) Unable to coerce '" + source + "' to a formatted time (long)");
  return *nanos;
}

std::string format_timestamp(int64_t millis) {
  int64_t days = millis / kMillisPerDay;
  int64_t ms = millis % kMillisPerDay;
  if (ms < 0) {
    ms += kMillisPerDay;
    --days;
  }
  int64_t year;
  unsigned month, day;
  civil_from_days(days, &year, &month, &day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(year), month, day, static_cast<long long>(ms / 3'600'000),
                static_cast<long long>(ms / 60'000 % 60), static_cast<long long>(ms / 1000 % 60),
                static_cast<long long>(ms % 1000));
  return buf;
}

std::string format_date(uint32_t serialized_days) {
  int64_t year;
  unsigned month, day;
  civil_from_days(static_cast<int64_t>(serialized_days) - kDateEpoch, &year, &month, &day);
  char buf[48];
  if (year > 9999) {
    std::snprintf(buf, sizeof buf, "+%lld-%02u-%02u", static_cast<long long>(year), month, day);
  } else if (year < 0) {
    std::snprintf(buf, sizeof buf, "-%04lld-%02u-%02u", static_cast<long long>(-year), month, day);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(year), month, day);
  }
  return buf;
}

std::string format_time(int64_t nanos) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%09lld",
                static_cast<long long>(nanos / 3'600'000'000'000),
                static_cast<long long>(nanos / 60'000'000'000 % 60),
                static_cast<long long>(nanos / 1'000'000'000 % 60),
                static_cast<long long>(nanos % 1'000'000'000));
  return buf;
}

}  // namespace cqld
