#include "transport/compression.h"
#include "common/text.h"

#include <lz4.h>
#include <snappy.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "common/errors.h"

namespace cqld::transport {
namespace {

constexpr size_t kLz4LengthPrefix = 4;
// The most a compressed byte can stand for: an LZ4 block expands at most 255-fold (a match byte
// adds at most 255 to a length), a snappy one at most about 21-fold (a 3-byte copy of 64 bytes).
// A body that declares more is refused before anything is allocated for it.
constexpr size_t kLz4MaxExpansion = 255;
constexpr size_t kSnappyMaxExpansion = 32;
constexpr size_t kExpansionSlack = 64;

void check_declared_size(size_t declared, size_t compressed, size_t expansion, size_t max_size) {
  if (declared > max_size) {
    throw ProtocolError("Decompressed frame body too large: " + std::to_string(declared) + " bytes");
  }
  if (declared > compressed * expansion + kExpansionSlack) {
    throw ProtocolError("Corrupt compressed frame body: " + std::to_string(compressed) + " bytes cannot hold the " +
                        std::to_string(declared) + " bytes it declares");
  }
}

std::string lz4_compress(std::string_view body) {
  if (body.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    throw ServerError("Frame body too large for lz4");
  }
  int source_size = static_cast<int>(body.size());
  std::string out(kLz4LengthPrefix + LZ4_compressBound(source_size), '\0');
  auto n = static_cast<uint32_t>(body.size());
  for (size_t i = 0; i < kLz4LengthPrefix; ++i) out[i] = static_cast<char>(n >> (24 - 8 * i));
  int written = LZ4_compress_default(body.data(), out.data() + kLz4LengthPrefix, source_size,
                                     static_cast<int>(out.size() - kLz4LengthPrefix));
  if (written <= 0 && source_size > 0) throw ServerError("lz4 compression failed");
  out.resize(kLz4LengthPrefix + std::max(written, 0));
  return out;
}

std::string lz4_decompress(std::string_view body, size_t max_size) {
  if (body.size() < kLz4LengthPrefix) throw ProtocolError("Truncated lz4 frame body");
  uint32_t n = 0;
  for (size_t i = 0; i < kLz4LengthPrefix; ++i) n = (n << 8) | static_cast<uint8_t>(body[i]);
  check_declared_size(n, body.size() - kLz4LengthPrefix, kLz4MaxExpansion,
                      std::min<size_t>(max_size, static_cast<size_t>(LZ4_MAX_INPUT_SIZE)));
  std::string out(n, '\0');
  std::string_view block = body.substr(kLz4LengthPrefix);
  int got = LZ4_decompress_safe(block.data(), out.data(), static_cast<int>(block.size()),
                                static_cast<int>(n));
  if (got < 0 || static_cast<uint32_t>(got) != n) throw ProtocolError("Corrupt lz4 frame body");
  return out;
}

std::string snappy_decompress(std::string_view body, size_t max_size) {
  size_t n = 0;
  if (!snappy::GetUncompressedLength(body.data(), body.size(), &n)) {
    throw ProtocolError("Corrupt snappy frame body");
  }
  check_declared_size(n, body.size(), kSnappyMaxExpansion, max_size);
  std::string out;
  if (!snappy::Uncompress(body.data(), body.size(), &out)) {
    throw ProtocolError("Corrupt snappy frame body");
  }
  return out;
}

}  // namespace

std::optional<Compression> compression_by_name(std::string_view name) {
  std::string lower = ascii_lower(name);
  if (lower == "lz4") return Compression::kLz4;
  if (lower == "snappy") return Compression::kSnappy;
  return std::nullopt;
}

std::string compress(Compression c, std::string_view body) {
  switch (c) {
    case Compression::kLz4:
      return lz4_compress(body);
    case Compression::kSnappy: {
      std::string out;
      snappy::Compress(body.data(), body.size(), &out);
      return out;
    }
    case Compression::kNone:
      break;
  }
  return std::string(body);
}

std::string decompress(Compression c, std::string_view body, size_t max_size) {
  switch (c) {
    case Compression::kLz4:
      return lz4_decompress(body, max_size);
    case Compression::kSnappy:
      return snappy_decompress(body, max_size);
    case Compression::kNone:
      break;
  }
  throw ProtocolError("Compressed frame received but no compression was negotiated");
}

}  // namespace cqld::transport
