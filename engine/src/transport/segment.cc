#include "transport/segment.h"

#include <lz4.h>

#include <array>

#include "common/errors.h"
#include "transport/frame.h"

namespace cqld::transport::segment {
namespace {

constexpr uint32_t kCrc24Init = 0x875060;
constexpr uint32_t kCrc24Poly = 0x1974F0B;
constexpr uint32_t kCrc24Overflow = 0x1000000;
constexpr uint32_t kCrc32Poly = 0xEDB88320;  // reflected IEEE polynomial, as zlib
// Cassandra seeds every payload CRC32 with these bytes, so a zeroed payload does not check.
constexpr std::string_view kCrc32Seed = "\xFA\x2D\x55\xCA";
constexpr unsigned kLengthBits = 17;
constexpr uint64_t kLengthMask = (uint64_t{1} << kLengthBits) - 1;
constexpr size_t kFieldBytes = 3;
constexpr size_t kCompressedFieldBytes = 5;
constexpr size_t kCrc24Bytes = 3;
constexpr size_t kEnvelopeLengthOffset = 5;
constexpr size_t kEnvelopeHeader = transport::kHeaderSize;  // 9: the v4-layout header

const std::array<uint32_t, 256>& crc32_table() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (kCrc32Poly ^ (c >> 1)) : (c >> 1);
      t[i] = c;
    }
    return t;
  }();
  return table;
}

uint32_t crc32_update(uint32_t crc, std::string_view data) {
  const auto& table = crc32_table();
  for (char ch : data) crc = table[(crc ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  return crc;
}

void append_le(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

uint64_t read_le(std::string_view bytes, size_t offset, size_t count) {
  uint64_t v = 0;
  for (size_t i = 0; i < count; ++i) v |= uint64_t{static_cast<uint8_t>(bytes[offset + i])} << (8 * i);
  return v;
}

// The LZ4 block of "payload", or nullopt when it would not be smaller.
std::optional<std::string> lz4_block(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  std::string out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(payload.size()))), '\0');
  int written = LZ4_compress_default(payload.data(), out.data(), static_cast<int>(payload.size()),
                                     static_cast<int>(out.size()));
  if (written <= 0 || static_cast<size_t>(written) >= payload.size()) return std::nullopt;
  out.resize(static_cast<size_t>(written));
  return out;
}

size_t envelope_total(std::string_view header) {
  int32_t length = static_cast<int32_t>(read_be32(header, kEnvelopeLengthOffset));
  if (length < 0) throw ProtocolError("Invalid frame body length " + std::to_string(length));
  return kEnvelopeHeader + static_cast<size_t>(length);
}

}  // namespace

uint32_t read_be32(std::string_view bytes, size_t offset) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[offset + i]);
  return v;
}

uint32_t crc24(uint64_t bytes, size_t length) {
  uint32_t crc = kCrc24Init;
  for (size_t i = 0; i < length; ++i) {
    crc ^= static_cast<uint32_t>(bytes & 0xFF) << 16;
    bytes >>= 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc <<= 1;
      if (crc & kCrc24Overflow) crc ^= kCrc24Poly;
    }
  }
  return crc;
}

uint32_t crc32(std::string_view data) {
  uint32_t crc = crc32_update(0xFFFFFFFF, kCrc32Seed);
  return crc32_update(crc, data) ^ 0xFFFFFFFF;
}

void append_segment(std::string& out, std::string_view payload, bool self_contained, bool lz4) {
  if (!lz4) {
    uint64_t fields = payload.size() | (uint64_t{self_contained} << kLengthBits);
    append_le(out, fields, kFieldBytes);
    append_le(out, crc24(fields, kFieldBytes), kCrc24Bytes);
    out.append(payload);
    append_le(out, crc32(payload), kTrailerSize);
    return;
  }
  std::optional<std::string> block = lz4_block(payload);
  std::string_view sent = block ? std::string_view(*block) : payload;
  uint64_t uncompressed = block ? payload.size() : 0;
  uint64_t fields = sent.size() | (uncompressed << kLengthBits) | (uint64_t{self_contained} << (2 * kLengthBits));
  append_le(out, fields, kCompressedFieldBytes);
  append_le(out, crc24(fields, kCompressedFieldBytes), kCrc24Bytes);
  out.append(sent);
  append_le(out, crc32(sent), kTrailerSize);
}

std::string encode(std::string_view envelope, bool lz4) {
  std::string out;
  size_t segments = envelope.empty() ? 1 : (envelope.size() + kMaxPayload - 1) / kMaxPayload;
  out.reserve(envelope.size() + segments * (kCompressedHeaderSize + kTrailerSize));
  if (envelope.size() <= kMaxPayload) {
    append_segment(out, envelope, /*self_contained=*/true, lz4);
    return out;
  }
  for (size_t at = 0; at < envelope.size(); at += kMaxPayload) {
    append_segment(out, envelope.substr(at, kMaxPayload), /*self_contained=*/false, lz4);
  }
  return out;
}

CrcMismatch::CrcMismatch(std::string_view part, uint32_t read, uint32_t computed)
    : std::runtime_error("invalid, unrecoverable CRC mismatch detected in frame " + std::string(part) + ". Read " +
                         std::to_string(static_cast<int32_t>(read)) + ", Computed " +
                         std::to_string(static_cast<int32_t>(computed))) {}

Header parse_header(std::string_view bytes, bool lz4) {
  size_t field_bytes = lz4 ? kCompressedFieldBytes : kFieldBytes;
  uint64_t fields = read_le(bytes, 0, field_bytes);
  auto read = static_cast<uint32_t>(read_le(bytes, field_bytes, kCrc24Bytes));
  uint32_t computed = crc24(fields, field_bytes);
  if (read != computed) throw CrcMismatch("header", read, computed);
  Header h;
  h.payload_length = fields & kLengthMask;
  if (lz4) {
    h.uncompressed_length = (fields >> kLengthBits) & kLengthMask;
    h.self_contained = ((fields >> (2 * kLengthBits)) & 1) != 0;
  } else {
    h.self_contained = ((fields >> kLengthBits) & 1) != 0;
  }
  return h;
}

std::string decode_payload(const Header& header, std::string_view payload_and_trailer) {
  std::string_view payload = payload_and_trailer.substr(0, header.payload_length);
  uint32_t sent = static_cast<uint32_t>(read_le(payload_and_trailer, header.payload_length, kTrailerSize));
  uint32_t computed = crc32(payload);
  if (sent != computed) throw CrcMismatch("body", sent, computed);
  if (header.uncompressed_length == 0) return std::string(payload);
  std::string out(header.uncompressed_length, '\0');
  int got = LZ4_decompress_safe(payload.data(), out.data(), static_cast<int>(payload.size()),
                                static_cast<int>(out.size()));
  if (got < 0 || static_cast<size_t>(got) != header.uncompressed_length) {
    throw ProtocolError("Corrupt lz4 frame payload");
  }
  return out;
}

std::vector<EnvelopeAssembler::Envelope> EnvelopeAssembler::add(std::string_view payload, bool self_contained) {
  std::vector<Envelope> out;
  if (self_contained) {
    if (!pending_.empty() || discard_left_ > 0) {
      throw ProtocolError("Received a self-contained frame while a large message was incomplete");
    }
    while (!payload.empty()) {
      if (payload.size() < kEnvelopeHeader) throw ProtocolError("Truncated envelope header in a self-contained frame");
      size_t total = envelope_total(payload);
      if (total > payload.size()) throw ProtocolError("Envelope larger than its self-contained frame");
      if (total - kEnvelopeHeader > max_body_) {
        out.push_back({std::string(payload.substr(0, kEnvelopeHeader)), true});
      } else {
        out.push_back({std::string(payload.substr(0, total)), false});
      }
      payload.remove_prefix(total);
    }
    return out;
  }
  if (discard_left_ > 0) {
    if (payload.size() > discard_left_) throw ProtocolError("Frame runs past the end of its large message");
    discard_left_ -= payload.size();
    if (discard_left_ == 0) out.push_back({std::move(refused_header_), true});
    return out;
  }
  if (pending_.empty()) {
    if (payload.size() < kEnvelopeHeader) throw ProtocolError("Truncated envelope header in the first frame of a large message");
    pending_total_ = envelope_total(payload);
    if (payload.size() > pending_total_) throw ProtocolError("Frame runs past the end of its large message");
    if (pending_total_ - kEnvelopeHeader > max_body_) {
      // Refused by its header alone: the rest of its segments are dropped as they arrive, and the
      // refusal is answered after the last one, once the client has sent the whole message (as
      // for v4 frames): a driver answered while still writing it takes its connection for busy.
      refused_header_ = std::string(payload.substr(0, kEnvelopeHeader));
      discard_left_ = pending_total_ - payload.size();
      if (discard_left_ == 0) out.push_back({std::move(refused_header_), true});
      return out;
    }
  } else if (pending_.size() + payload.size() > pending_total_) {
    throw ProtocolError("Frame runs past the end of its large message");
  }
  pending_.append(payload);
  if (pending_.size() == pending_total_) {
    out.push_back({std::move(pending_), false});
    pending_.clear();
    pending_total_ = 0;
  }
  return out;
}

}  // namespace cqld::transport::segment
