// The native protocol frame envelope (v3/v4; v5 calls it an envelope and carries it in segments,
// see segment.h): a 9-byte header followed by a body of "length"
// bytes. Opcodes, header flags and version bytes are named here; parsing never trusts the
// declared length (callers compare it against their limit before reading the body).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cqld::transport {

constexpr size_t kHeaderSize = 9;
constexpr uint8_t kResponseBit = 0x80;
constexpr uint8_t kMinVersion = 3;
constexpr uint8_t kMaxVersion = 5;
// From v5 on, envelopes travel in segments once STARTUP is answered (segment.h).
constexpr uint8_t kFirstSegmentedVersion = 5;
// Unsupported-version errors are answered in a v4 frame, whatever the client asked for.
constexpr uint8_t kVersionForErrors = 4;

enum class Opcode : uint8_t {
  kError = 0x00,
  kStartup = 0x01,
  kReady = 0x02,
  kAuthenticate = 0x03,
  kOptions = 0x05,
  kSupported = 0x06,
  kQuery = 0x07,
  kResult = 0x08,
  kPrepare = 0x09,
  kExecute = 0x0A,
  kRegister = 0x0B,
  kEvent = 0x0C,
  kBatch = 0x0D,
  kAuthChallenge = 0x0E,
  kAuthResponse = 0x0F,
  kAuthSuccess = 0x10,
};

namespace frame_flags {
constexpr uint8_t kCompressed = 0x01;
constexpr uint8_t kTracing = 0x02;
constexpr uint8_t kCustomPayload = 0x04;
constexpr uint8_t kWarning = 0x08;
// USE_BETA: asks for a beta version. v5 is not beta, so it is accepted and ignored, as Cassandra does.
constexpr uint8_t kUseBeta = 0x10;
}  // namespace frame_flags

// Stream id of server-pushed EVENT frames.
constexpr int16_t kEventStream = -1;

struct FrameHeader {
  uint8_t version = kMaxVersion;  // without the direction bit
  bool is_response = false;
  uint8_t flags = 0;
  int16_t stream = 0;
  uint8_t opcode = 0;
  int64_t length = 0;  // as declared: may be negative or huge in hostile input
};

// Whether cqld speaks this protocol version.
inline bool is_supported_version(uint8_t version) {
  return version >= kMinVersion && version <= kMaxVersion;
}

// The number of leading bytes needed to learn a frame's version and stream id (v1/v2 frames
// carry a one-byte stream), so an unsupported version can be answered before the rest arrives.
size_t bytes_needed_for_stream(uint8_t version_byte);

// Reads the stream id of a frame that starts with "prefix" (at least bytes_needed_for_stream).
int16_t peek_stream(std::string_view prefix);

// Parses a full 9-byte header (v3+ layout). "bytes" must hold at least kHeaderSize bytes.
FrameHeader parse_header(std::string_view bytes);

// Appends a 9-byte response header for a body of "body_length" bytes.
void append_response_header(std::string& out, uint8_t version, uint8_t flags, int16_t stream,
                            Opcode opcode, uint32_t body_length);

// Whether the opcode is one a client may send.
bool is_request_opcode(uint8_t opcode);

// The opcode's name as Cassandra prints it in messages ("QUERY", "STARTUP", ...).
std::string_view opcode_name(uint8_t opcode);

}  // namespace cqld::transport
