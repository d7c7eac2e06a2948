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

// What v5 adds to QUERY, EXECUTE, BATCH (and PREPARE, keyspace only): a keyspace that replaces
// the connection's for this request, and the time the request is to see as now.
struct RequestScope {
  std::optional<std::string> keyspace;
  std::optional<int32_t> now_in_seconds;
};

struct QueryRequest {
  std::string_view query;
  QueryOptions options;
  RequestScope scope;
};

struct PrepareRequest {
  std::string_view query;
  RequestScope scope;
};

struct ExecuteRequest {
  std::string_view id;
  // v5: the id of the result metadata the client holds (from PREPARED or a metadata change).
  std::optional<std::string_view> result_metadata_id;
  QueryOptions options;
  RequestScope scope;
};

struct BatchMessage {
  BatchRequest batch;
  RequestScope scope;
};

struct RegisterRequest {
  std::vector<std::string> events;
};

using Request = std::variant<StartupRequest, AuthResponseRequest, OptionsRequest, QueryRequest,
                             PrepareRequest, ExecuteRequest, BatchMessage, RegisterRequest>;

// Decodes the body of a request frame. "header.opcode" must be a request opcode
// (is_request_opcode). A custom payload (header flag 0x04) is read and ignored.
Request decode_request(const FrameHeader& header, std::string_view body);

// The QUERY/EXECUTE/BATCH flag bits: a [byte] up to v4, an [int] from v5.
namespace query_flags {
constexpr uint32_t kValues = 0x01;
constexpr uint32_t kSkipMetadata = 0x02;
constexpr uint32_t kPageSize = 0x04;
constexpr uint32_t kPagingState = 0x08;
constexpr uint32_t kSerialConsistency = 0x10;
constexpr uint32_t kDefaultTimestamp = 0x20;
constexpr uint32_t kNamesForValues = 0x40;
constexpr uint32_t kKeyspace = 0x80;        // v5
constexpr uint32_t kNowInSeconds = 0x100;   // v5
}  // namespace query_flags

// The PREPARE flag bits (v5).
namespace prepare_flags {
constexpr uint32_t kKeyspace = 0x01;
}  // namespace prepare_flags

}  // namespace cqld::transport
