// The CQL duration type: months, days and nanoseconds, all of one sign. Serialized as three
// zig-zag encoded variable-length integers (Cassandra's VIntCoding).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cqld {

struct Duration {
  int32_t months = 0;
  int32_t days = 0;
  int64_t nanoseconds = 0;
  bool operator==(const Duration&) const = default;
};

// Parses "1h30m", "-2d", "P1Y2M3DT4H5M6S", "P2W" or "P0001-02-03T04:05:06" as Cassandra's
// Duration.from does. Throws InvalidRequest with Cassandra's messages.
Duration parse_duration(std::string_view text);

std::string serialize_duration(const Duration& d);
// Nothing if the bytes are not three well-formed vints.
std::optional<Duration> deserialize_duration(std::string_view bytes);

// Cassandra's Duration.toString: "1y2mo3d4h5m6s7ms8us9ns" with zero units omitted.
std::string duration_to_string(const Duration& d);

// Cassandra's unsigned vint (the count of leading 1 bits of the first byte is the number of
// extra bytes), used by durations.
void append_unsigned_vint(uint64_t v, std::string* out);
// Reads a vint from the front of "*in", advancing it; nothing if truncated.
std::optional<uint64_t> read_unsigned_vint(std::string_view* in);

}  // namespace cqld
