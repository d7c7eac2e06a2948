#include "types/timeuuid.h"

namespace cqld {
namespace {

constexpr int64_t kTicksPerMilli = 10000;
constexpr uint64_t kMinClockAndNode = 0x8080808080808080ULL;
constexpr uint64_t kMaxClockAndNode = 0x7F7F7F7F7F7F7F7FULL;

}  // namespace

std::string make_timeuuid_bytes(int64_t ticks, uint64_t clock_and_node) {
  uint64_t t = static_cast<uint64_t>(ticks);
  uint64_t msb = ((t & 0xFFFFFFFFULL) << 32) | (((t >> 32) & 0xFFFFULL) << 16) | 0x1000 | ((t >> 48) & 0x0FFFULL);
  std::string out(16, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(msb >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<char>(clock_and_node >> (56 - 8 * i));
  return out;
}

int64_t timeuuid_to_millis(std::string_view b) {
  uint64_t msb = 0;
  for (int i = 0; i < 8; ++i) msb = (msb << 8) | static_cast<uint8_t>(b[i]);
  uint64_t ticks = ((msb & 0x0FFFULL) << 48) | (((msb >> 16) & 0xFFFFULL) << 32) | (msb >> 32);
  return (static_cast<int64_t>(ticks) - kUuidEpochOffset) / kTicksPerMilli;
}

std::string min_timeuuid(int64_t millis) {
  return make_timeuuid_bytes(millis * kTicksPerMilli + kUuidEpochOffset, kMinClockAndNode);
}

std::string max_timeuuid(int64_t millis) {
  return make_timeuuid_bytes(millis * kTicksPerMilli + kUuidEpochOffset + kTicksPerMilli - 1, kMaxClockAndNode);
}

}  // namespace cqld
