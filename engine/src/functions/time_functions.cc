// Time and timeuuid functions (Cassandra's TimeFcts and UuidFcts): now(), the current*()
// functions, uuid(), min/maxTimeuuid, and the conversions among timeuuid, timestamp and date.
#include <atomic>
#include <random>

#include "functions/registry.h"
#include "types/timeuuid.h"

namespace cqld {
namespace {

constexpr int64_t kMillisPerDay = 86400000LL;
constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
constexpr int64_t kDateEpoch = int64_t{1} << 31;  // a date is days since the epoch, biased by 2^31

TypePtr T(TypeKind kind) { return primitive_type(kind); }

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

Value timestamp_value(int64_t millis) { return Value::of(encode_int64(millis)); }
Value date_value(int64_t days) {
  return Value::of(encode_int32(static_cast<int32_t>(static_cast<uint32_t>(days + kDateEpoch))));
}
int64_t date_days(const std::string& b) {
  return static_cast<int64_t>(static_cast<uint32_t>(decode_int32(b))) - kDateEpoch;
}

// Milliseconds since the epoch of a timeuuid, timestamp or date argument.
int64_t millis_of(TypeKind kind, const std::string& b) {
  switch (kind) {
    case TypeKind::kTimeuuid: return timeuuid_to_millis(b);
    case TypeKind::kTimestamp: return decode_int64(b);
    default: return date_days(b) * kMillisPerDay;
  }
}

uint64_t node_bits() {
  static const uint64_t bits = [] {
    std::random_device rd;
    uint64_t r = (static_cast<uint64_t>(rd()) << 32) | rd();
    return (r & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  }();
  return bits;
}

// Timeuuids of this process strictly increase, even within one clock tick.
Value new_timeuuid(int64_t now_micros) {
  static std::atomic<int64_t> last{0};
  int64_t ticks = now_micros * 10 + kUuidEpochOffset;
  int64_t prev = last.load();
  while (true) {
    int64_t next = ticks > prev ? ticks : prev + 1;
    if (last.compare_exchange_weak(prev, next)) return Value::of(make_timeuuid_bytes(next, node_bits()));
  }
}

Value random_uuid_value() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out(16, '\0');
  uint64_t a = rng(), b = rng();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(a >> (8 * i));
  for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<char>(b >> (8 * i));
  out[6] = static_cast<char>((out[6] & 0x0F) | 0x40);
  out[8] = static_cast<char>((out[8] & 0x3F) | 0x80);
  return Value::of(out);
}

void add_clock(FunctionRegistry& r, const char* name, TypeKind returns, NativeFunction::Scalar fn) {
  r.add(NativeFunction{name, {}, T(returns), false, false, std::move(fn), {}});
}

// from(argument) -> to, for a conversion whose result depends only on the argument's instant.
void add_conversion(FunctionRegistry& r, const char* name, TypeKind from, TypeKind to) {
  r.add(NativeFunction{name, {T(from)}, T(to), true, false,
                       [from, to](const std::vector<Value>& args, const FunctionContext&) {
                         if (args[0].bytes.empty()) return Value::null();
                         int64_t millis = millis_of(from, args[0].bytes);
                         if (to == TypeKind::kDate) return date_value(floor_div(millis, kMillisPerDay));
                         return timestamp_value(millis);
                       },
                       {}});
}

}  // namespace

void add_time_functions(FunctionRegistry& r) {
  auto now = [](const std::vector<Value>&, const FunctionContext& ctx) { return new_timeuuid(ctx.now_micros); };
  add_clock(r, "now", TypeKind::kTimeuuid, now);
  add_clock(r, "currenttimeuuid", TypeKind::kTimeuuid, now);
  add_clock(r, "currenttimestamp", TypeKind::kTimestamp,
            [](const std::vector<Value>&, const FunctionContext& ctx) { return timestamp_value(ctx.now_micros / 1000); });
  add_clock(r, "currentdate", TypeKind::kDate, [](const std::vector<Value>&, const FunctionContext& ctx) {
    return date_value(floor_div(ctx.now_micros, kMicrosPerDay));
  });
  add_clock(r, "currenttime", TypeKind::kTime, [](const std::vector<Value>&, const FunctionContext& ctx) {
    int64_t micros_of_day = ctx.now_micros - floor_div(ctx.now_micros, kMicrosPerDay) * kMicrosPerDay;
    return Value::of(encode_int64(micros_of_day * 1000));
  });
  add_clock(r, "uuid", TypeKind::kUuid, [](const std::vector<Value>&, const FunctionContext&) { return random_uuid_value(); });

  for (bool min : {true, false}) {
    r.add(NativeFunction{min ? "mintimeuuid" : "maxtimeuuid", {T(TypeKind::kTimestamp)}, T(TypeKind::kTimeuuid), true,
                         false,
                         [min](const std::vector<Value>& args, const FunctionContext&) {
                           if (args[0].bytes.size() != 8) return Value::null();
                           int64_t millis = decode_int64(args[0].bytes);
                           return Value::of(min ? min_timeuuid(millis) : max_timeuuid(millis));
                         },
                         {}});
  }
  // Cassandra 5.0's signatures, exactly: toTimestamp of a timestamp, or toDate of a date, is
  // not one.
  add_conversion(r, "totimestamp", TypeKind::kTimeuuid, TypeKind::kTimestamp);
  add_conversion(r, "totimestamp", TypeKind::kDate, TypeKind::kTimestamp);
  add_conversion(r, "todate", TypeKind::kTimeuuid, TypeKind::kDate);
  add_conversion(r, "todate", TypeKind::kTimestamp, TypeKind::kDate);
  add_conversion(r, "tounixtimestamp", TypeKind::kTimeuuid, TypeKind::kBigint);
  add_conversion(r, "tounixtimestamp", TypeKind::kTimestamp, TypeKind::kBigint);
  add_conversion(r, "tounixtimestamp", TypeKind::kDate, TypeKind::kBigint);
  // Cassandra 5.0 removed dateOf and unixTimestampOf, and gave the others snake_case names too.
  for (auto [alias, name] : {std::pair{"current_timeuuid", "currenttimeuuid"}, {"current_timestamp", "currenttimestamp"},
                             {"current_date", "currentdate"}, {"current_time", "currenttime"},
                             {"min_timeuuid", "mintimeuuid"}, {"max_timeuuid", "maxtimeuuid"},
                             {"to_timestamp", "totimestamp"}, {"to_date", "todate"},
                             {"to_unix_timestamp", "tounixtimestamp"}})
    r.add_alias(alias, name);
}

}  // namespace cqld
