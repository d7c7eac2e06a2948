// Decoding of request bodies (STARTUP, AUTH_RESPONSE, OPTIONS, QUERY, PREPARE, EXECUTE, BATCH,
// REGISTER) into plain structs. Bodies arrive already decompressed; decoding throws
// ProtocolError on any malformed input (the frame boundary stays intact, so the connection
// survives). Text and ids in the structs point into the body, which must outlive them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "exec/query_processor.h"
#include "transport/frame.h"

namespace cqld::transport {

struct StartupRequest {
  std::map<std::string, std::string> options;
};

struct AuthResponseRequest {
  std::optional<std::string_view> token;
};

struct OptionsRequest {};

struct QueryRequest {
  std::string_view query;
  QueryOptions options;
};

struct PrepareRequest {
  std::string_view query;
};

struct ExecuteRequest {
  std::string_view id;
  QueryOptions options;
};

struct RegisterRequest {
  std::vector<std::string> events;
};

using Request = std::variant<StartupRequest, AuthResponseRequest, OptionsRequest, QueryRequest,
                             PrepareRequest, ExecuteRequest, BatchRequest, RegisterRequest>;

// Decodes the body of a request frame. "header.opcode" must be a request opcode
// (is_request_opcode). A custom payload (header flag 0x04) is read and ignored.
Request decode_request(const FrameHeader& header, std::string_view body);

// The QUERY/EXECUTE flag bits.
namespace query_flags {
constexpr uint8_t kValues = 0x01;
constexpr uint8_t kSkipMetadata = 0x02;
constexpr uint8_t kPageSize = 0x04;
constexpr uint8_t kPagingState = 0x08;
constexpr uint8_t kSerialConsistency = 0x10;
constexpr uint8_t kDefaultTimestamp = 0x20;
constexpr uint8_t kNamesForValues = 0x40;
}  // namespace query_flags

}  // namespace cqld::transport
