// floor() of Cassandra 5.0 (TimeFcts' floor functions): a timestamp, date, time or timeuuid
// rounded down to a multiple of a duration counted from a starting instant (the epoch, or a
// third argument). Durations with months step on the calendar (UTC); a zero duration leaves the
// value as it is. A timeuuid floors to a timestamp.
#include <algorithm>
#include <optional>

#include "common/errors.h"
#include "functions/registry.h"
#include "types/duration.h"
#include "types/temporal.h"
#include "types/timeuuid.h"

namespace cqld {
namespace {

constexpr int64_t kMillisPerDay = 86400000;
constexpr int64_t kNanosPerMilli = 1000000;
constexpr int64_t kNanosPerDay = kMillisPerDay * kNanosPerMilli;
constexpr int64_t kDateEpoch = int64_t{1} << 31;

TypePtr T(TypeKind kind) { return primitive_type(kind); }

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

Duration duration_argument(const Value& v) {
  std::optional<Duration> d = deserialize_duration(v.bytes);
  if (!d) throw InvalidRequest("Invalid duration value");
  if (d->months < 0 || d->days < 0 || d->nanoseconds < 0)
    throw InvalidRequest("Negative durations are not supported by the floor function");
  return *d;
}

// "millis" plus "times" the duration, months on the calendar with the day clamped to the month.
int64_t add_multiple(int64_t millis, const Duration& d, int64_t times) {
  int64_t day = floor_div(millis, kMillisPerDay), time_of_day = millis - day * kMillisPerDay;
  int64_t year;
  unsigned month, dom;
  civil_from_days(day, &year, &month, &dom);
  int64_t index = year * 12 + (month - 1) + times * d.months;
  int64_t y = floor_div(index, 12);
  auto m = static_cast<unsigned>(index - y * 12) + 1;
  int64_t first = days_from_civil(y, m, 1);
  int64_t next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
  auto last_day = static_cast<unsigned>(next - first);
  int64_t result = days_from_civil(y, m, std::min(dom, last_day)) * kMillisPerDay + time_of_day;
  return result + times * (d.days * kMillisPerDay + d.nanoseconds / kNanosPerMilli);
}

// Duration.floorTimestamp.
int64_t floor_millis(int64_t millis, const Duration& d, int64_t start) {
  if (start > millis) throw InvalidRequest("The floor function starting time is greater than the provided time");
  if (d.months == 0) {
    int64_t step = d.days * kMillisPerDay + d.nanoseconds / kNanosPerMilli;
    if (step <= 0) return millis;
    return millis - (millis - start) % step;
  }
  int64_t start_day = floor_div(start, kMillisPerDay), day = floor_div(millis, kMillisPerDay);
  int64_t sy, y;
  unsigned sm, m, unused;
  civil_from_days(start_day, &sy, &sm, &unused);
  civil_from_days(day, &y, &m, &unused);
  int64_t months = (y - sy) * 12 + (static_cast<int64_t>(m) - static_cast<int64_t>(sm));
  int64_t times = months / d.months;
  int64_t floor = add_multiple(start, d, times);
  while (floor > millis && times > 0) floor = add_multiple(start, d, --times);
  return floor;
}

int64_t date_millis(const std::string& b) {
  return (static_cast<int64_t>(static_cast<uint32_t>(decode_int32(b))) - kDateEpoch) * kMillisPerDay;
}

Value date_of_millis(int64_t millis) {
  return Value::of(encode_int32(static_cast<int32_t>(static_cast<uint32_t>(floor_div(millis, kMillisPerDay) + kDateEpoch))));
}

int64_t instant_millis(TypeKind kind, const std::string& b) {
  switch (kind) {
    case TypeKind::kTimeuuid: return timeuuid_to_millis(b);
    case TypeKind::kDate: return date_millis(b);
    default: return decode_int64(b);
  }
}

void add_instant_floor(FunctionRegistry& r, TypeKind kind, TypeKind start_kind, TypeKind returns) {
  for (bool with_start : {false, true}) {
    std::vector<TypePtr> arguments{T(kind), T(TypeKind::kDuration)};
    if (with_start) arguments.push_back(T(start_kind));
    NativeFunction f;
    f.name = "floor";
    f.arguments = arguments;
    f.returns = T(returns);
    f.scalar = [kind, start_kind, returns](const std::vector<Value>& args, const FunctionContext&) {
      if (args[0].bytes.empty()) return Value::null();
      Duration d = duration_argument(args[1]);
      if (kind == TypeKind::kDate && d.nanoseconds != 0)
        throw InvalidRequest("The floor on date values cannot be computed for the " + duration_to_string(d) +
                             " duration as precision is smaller than day");
      int64_t start = args.size() == 3 ? instant_millis(start_kind, args[2].bytes) : 0;
      int64_t floor = floor_millis(instant_millis(kind, args[0].bytes), d, start);
      return returns == TypeKind::kDate ? date_of_millis(floor) : Value::of(encode_int64(floor));
    };
    r.add(std::move(f));
  }
}

// Duration.floorTime: time values floor within the day.
void add_time_floor(FunctionRegistry& r) {
  for (bool with_start : {false, true}) {
    std::vector<TypePtr> arguments{T(TypeKind::kTime), T(TypeKind::kDuration)};
    if (with_start) arguments.push_back(T(TypeKind::kTime));
    NativeFunction f;
    f.name = "floor";
    f.arguments = arguments;
    f.returns = T(TypeKind::kTime);
    f.scalar = [](const std::vector<Value>& args, const FunctionContext&) {
      if (args[0].bytes.empty()) return Value::null();
      Duration d = duration_argument(args[1]);
      if (d.months != 0 || d.days != 0 || d.nanoseconds >= kNanosPerDay)
        throw InvalidRequest("For time values, the floor can only be computed for durations smaller that a day");
      int64_t time = decode_int64(args[0].bytes);
      int64_t start = args.size() == 3 ? decode_int64(args[2].bytes) : 0;
      if (start > time) throw InvalidRequest("The floor function starting time is greater than the provided time");
      if (d.nanoseconds == 0) return args[0];
      return Value::of(encode_int64(time - (time - start) % d.nanoseconds));
    };
    r.add(std::move(f));
  }
}

}  // namespace

void add_floor_functions(FunctionRegistry& r) {
  add_instant_floor(r, TypeKind::kTimestamp, TypeKind::kTimestamp, TypeKind::kTimestamp);
  add_instant_floor(r, TypeKind::kDate, TypeKind::kDate, TypeKind::kDate);
  add_instant_floor(r, TypeKind::kTimeuuid, TypeKind::kTimestamp, TypeKind::kTimestamp);
  add_time_floor(r);
}

}  // namespace cqld
