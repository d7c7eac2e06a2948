// Frame body compression as negotiated in STARTUP: "lz4" (v4 layout: 4-byte big-endian
// uncompressed length, then one raw LZ4 block) and "snappy" (one raw Snappy block).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cqld::transport {

enum class Compression { kNone, kLz4, kSnappy };

// The algorithm a STARTUP COMPRESSION value names (case-insensitive), or nullopt if unknown.
std::optional<Compression> compression_by_name(std::string_view name);

std::string compress(Compression c, std::string_view body);

// Decompresses a frame body. Throws ProtocolError on corrupt input or when the uncompressed
// size would exceed "max_size" (checked before allocating).
std::string decompress(Compression c, std::string_view body, size_t max_size);

}  // namespace cqld::transport
