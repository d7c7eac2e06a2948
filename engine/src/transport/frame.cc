#include "transport/frame.h"

namespace cqld::transport {
namespace {

constexpr uint8_t kLastOneByteStreamVersion = 2;

uint8_t byte_at(std::string_view b, size_t i) {
  return static_cast<uint8_t>(b[i]);
}

}  // namespace

size_t bytes_needed_for_stream(uint8_t version_byte) {
  uint8_t version = version_byte & ~kResponseBit;
  return version <= kLastOneByteStreamVersion ? 3 : 4;
}

int16_t peek_stream(std::string_view prefix) {
  uint8_t version = byte_at(prefix, 0) & ~kResponseBit;
  if (version <= kLastOneByteStreamVersion) return static_cast<int8_t>(byte_at(prefix, 2));
  return static_cast<int16_t>((byte_at(prefix, 2) << 8) | byte_at(prefix, 3));
}

FrameHeader parse_header(std::string_view bytes) {
  FrameHeader h;
  h.version = byte_at(bytes, 0) & ~kResponseBit;
  h.is_response = (byte_at(bytes, 0) & kResponseBit) != 0;
  h.flags = byte_at(bytes, 1);
  h.stream = peek_stream(bytes);
  h.opcode = byte_at(bytes, 4);
  int32_t length = static_cast<int32_t>((uint32_t{byte_at(bytes, 5)} << 24) |
                                        (uint32_t{byte_at(bytes, 6)} << 16) |
                                        (uint32_t{byte_at(bytes, 7)} << 8) | byte_at(bytes, 8));
  h.length = length;
  return h;
}

void append_response_header(std::string& out, uint8_t version, uint8_t flags, int16_t stream,
                            Opcode opcode, uint32_t body_length) {
  auto stream_bits = static_cast<uint16_t>(stream);
  out.push_back(static_cast<char>(version | kResponseBit));
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>(stream_bits >> 8));
  out.push_back(static_cast<char>(stream_bits & 0xFF));
  out.push_back(static_cast<char>(opcode));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((body_length >> shift) & 0xFF));
  }
}

bool is_request_opcode(uint8_t opcode) {
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::kStartup:
    case Opcode::kOptions:
    case Opcode::kQuery:
    case Opcode::kPrepare:
    case Opcode::kExecute:
    case Opcode::kRegister:
    case Opcode::kBatch:
    case Opcode::kAuthResponse:
      return true;
    default:
      return false;
  }
}

std::string_view opcode_name(uint8_t opcode) {
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::kError:
      return "ERROR";
    case Opcode::kStartup:
      return "STARTUP";
    case Opcode::kReady:
      return "READY";
    case Opcode::kAuthenticate:
      return "AUTHENTICATE";
    case Opcode::kOptions:
      return "OPTIONS";
    case Opcode::kSupported:
      return "SUPPORTED";
    case Opcode::kQuery:
      return "QUERY";
    case Opcode::kResult:
      return "RESULT";
    case Opcode::kPrepare:
      return "PREPARE";
    case Opcode::kExecute:
      return "EXECUTE";
    case Opcode::kRegister:
      return "REGISTER";
    case Opcode::kEvent:
      return "EVENT";
    case Opcode::kBatch:
      return "BATCH";
    case Opcode::kAuthChallenge:
      return "AUTH_CHALLENGE";
    case Opcode::kAuthResponse:
      return "AUTH_RESPONSE";
    case Opcode::kAuthSuccess:
      return "AUTH_SUCCESS";
  }
  return "UNKNOWN";
}

}  // namespace cqld::transport
