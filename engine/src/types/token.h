// The Murmur3Partitioner: partition key serialization and tokens exactly as Cassandra computes
// them, so token() values, scan order and driver token-aware routing agree with Cassandra.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cqld {

// A single-component key is its value bytes; a composite key is, per component,
// [uint16 big-endian length][bytes][0x00].
std::string serialize_partition_key(const std::vector<std::string_view>& components);
std::vector<std::string> split_partition_key(std::string_view serialized, size_t component_count);

// The first 64 bits of MurmurHash3_x64_128 (seed 0) of the serialized key, as Cassandra's
// Murmur3Partitioner computes it (including its sign-extension of tail bytes), with
// Long.MIN_VALUE mapped to Long.MAX_VALUE.
int64_t murmur3_token(std::string_view serialized_key);

}  // namespace cqld
