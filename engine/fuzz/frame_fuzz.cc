// Frame envelopes as a connection reads them: a byte stream cut into frames by their 9-byte
// headers (the v1/v2 stream peek for refused versions first), each declared length checked,
// compressed bodies inflated (lz4 and snappy) within the frame limit, request bodies decoded.
// Decoding may refuse input only with a CqlError (ProtocolError, as the transport documents);
// anything else escapes and is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/errors.h"
#include "transport/compression.h"
#include "transport/frame.h"
#include "transport/requests.h"

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
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
