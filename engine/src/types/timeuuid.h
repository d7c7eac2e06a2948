// Version 1 (time-based) UUIDs: building them from a time and reading their time back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cqld {

// 100 ns intervals between the UUID epoch (1582-10-15) and the Unix epoch.
constexpr int64_t kUuidEpochOffset = 0x01B21DD213814000LL;

// A timeuuid whose time is "ticks" (100 ns since the UUID epoch) and whose clock sequence and
// node are the 8 bytes of "clock_and_node".
std::string make_timeuuid_bytes(int64_t ticks, uint64_t clock_and_node);

// The Unix time in milliseconds of a timeuuid's 16 bytes.
int64_t timeuuid_to_millis(std::string_view bytes);

// minTimeuuid / maxTimeuuid: the smallest and largest timeuuids Cassandra gives a millisecond.
std::string min_timeuuid(int64_t millis);
std::string max_timeuuid(int64_t millis);

}  // namespace cqld
