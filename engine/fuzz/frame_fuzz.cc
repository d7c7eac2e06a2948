// Frame envelopes as a connection reads them: a byte stream cut into frames by their 9-byte
// headers (the v1/v2 stream peek for refused versions first), each declared length checked,
// compressed bodies inflated (lz4 and snappy) within the frame limit, request bodies decoded.
// The same bytes are then read as a v5 connection reads them after STARTUP: segments, plain and
// lz4, their CRC24 headers and CRC32 payloads checked, their envelopes reassembled; and, since
// random bytes rarely carry a right CRC, once more with the input's chunks wrapped in segments
// with valid CRCs (segment::append_segment), so the assembler and the envelopes' decoding are
// reached. Decoding may refuse input only with a CqlError (ProtocolError, as the transport
// documents) or a segment::CrcMismatch; anything else escapes and is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "transport/compression.h"
#include "transport/frame.h"
#include "transport/requests.h"
#include "transport/segment.h"

namespace {

using namespace cqld;
using namespace cqld::transport;

// Small, so a body that declares a huge inflated size is refused before allocating.
constexpr size_t kMaxBody = 1 << 20;

void decode_body(const FrameHeader& header, std::string_view body) {
  if (!is_request_opcode(header.opcode)) return;
  try {
    decode_request(header, body);
  } catch (const CqlError&) {
  }
}

void inflate_and_decode(const FrameHeader& header, std::string_view body) {
  if ((header.flags & frame_flags::kCompressed) == 0) return decode_body(header, body);
  for (Compression c : {Compression::kLz4, Compression::kSnappy}) {
    try {
      std::string plain = decompress(c, body, kMaxBody);
      decode_body(header, plain);
    } catch (const CqlError&) {
    }
  }
}

void decode_envelopes(const std::vector<segment::EnvelopeAssembler::Envelope>& envelopes) {
  for (const auto& envelope : envelopes) {
    FrameHeader header = parse_header(envelope.bytes);
    if (envelope.refused) continue;
    // v5 envelopes carry v5 bodies, whatever their version byte says.
    header.version = kFirstSegmentedVersion;
    decode_body(header, std::string_view(envelope.bytes).substr(kHeaderSize));
  }
}

// A segment stream as read_segments reads it; stops at the first refusal, as the connection
// closes there.
void read_segment_stream(std::string_view rest, bool lz4) {
  segment::EnvelopeAssembler assembler(kMaxBody);
  size_t header_size = segment::header_size(lz4);
  try {
    while (rest.size() >= header_size) {
      segment::Header header = segment::parse_header(rest, lz4);
      size_t length = header_size + header.payload_length + segment::kTrailerSize;
      if (rest.size() < length) return;
      std::string payload = segment::decode_payload(header, rest.substr(header_size, length - header_size));
      decode_envelopes(assembler.add(payload, header.self_contained));
      rest.remove_prefix(length);
    }
  } catch (const segment::CrcMismatch&) {
  } catch (const CqlError&) {
  }
}

// The input cut into chunks (a length byte, a flag byte, then the chunk), each wrapped in a
// valid segment, then read back: the encoder's output must always parse.
void read_wrapped_chunks(std::string_view rest, bool lz4) {
  std::string stream;
  while (rest.size() >= 2) {
    size_t length = static_cast<uint8_t>(rest[0]) * 64;
    bool self_contained = (rest[1] & 1) != 0;
    rest.remove_prefix(2);
    std::string_view chunk = rest.substr(0, std::min(length, rest.size()));
    segment::append_segment(stream, chunk, self_contained, lz4);
    rest.remove_prefix(chunk.size());
  }
  read_segment_stream(stream, lz4);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool lz4 : {false, true}) {
    read_segment_stream(input, lz4);
    read_wrapped_chunks(input, lz4);
  }
  std::string_view rest = input;
  while (!rest.empty()) {
    uint8_t version_byte = static_cast<uint8_t>(rest[0]);
    if (rest.size() >= bytes_needed_for_stream(version_byte)) peek_stream(rest);
    if (rest.size() < kHeaderSize) break;
    FrameHeader header = parse_header(rest);
    rest.remove_prefix(kHeaderSize);
    if (header.length < 0 || static_cast<uint64_t>(header.length) > kMaxBody) break;
    size_t length = std::min(rest.size(), static_cast<size_t>(header.length));
    inflate_and_decode(header, rest.substr(0, length));
    rest.remove_prefix(length);
  }
  return 0;
}
