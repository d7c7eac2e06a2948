// Encoding of response bodies: RESULT (all kinds), ERROR, READY, AUTHENTICATE, SUPPORTED,
// EVENT and AUTH_SUCCESS. Each function returns the body only; framing and compression are the
// caller's. "version" selects the protocol version's spelling (3, 4 or 5).
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exec/result.h"
#include "transport/frame.h"

namespace cqld::transport {

// A response ready for framing.
struct Response {
  Opcode opcode = Opcode::kResult;
  std::string body;
};

namespace rows_flags {
constexpr int32_t kGlobalTablesSpec = 0x0001;
constexpr int32_t kHasMorePages = 0x0002;
constexpr int32_t kNoMetadata = 0x0004;
constexpr int32_t kMetadataChanged = 0x0008;  // v5
}  // namespace rows_flags

enum class ResultKind : int32_t {
  kVoid = 0x0001,
  kRows = 0x0002,
  kSetKeyspace = 0x0003,
  kPrepared = 0x0004,
  kSchemaChange = 0x0005,
};

// A RESULT body. "skip_metadata": the request asked for rows without column metadata.
// "client_metadata_id" (v5 EXECUTE): the result metadata id the client holds; rows whose
// metadata has another id are sent with Metadata_changed, the new id and full metadata.
std::string encode_result(const Result& result, uint8_t version, bool skip_metadata,
                          std::optional<std::string_view> client_metadata_id = std::nullopt);

// The v5 result metadata id: an MD5 of the columns' keyspaces, tables, names and types, so it
// changes exactly when the result's columns do (a column added to a table read with *).
std::string result_metadata_id(const ResultMetadata& metadata);

// The one mapping from exceptions to ERROR bodies: a CqlError keeps its code and message
// (with the extra fields its code requires), anything else is a server error (0x0000).
std::string encode_error(const std::exception& error, uint8_t version);
std::string encode_error(int32_t code, std::string_view message);

std::string encode_authenticate(std::string_view authenticator_class);
std::string encode_supported(const std::map<std::string, std::vector<std::string>>& options);
std::string encode_schema_change_event(const SchemaChangeResult& change, uint8_t version);
std::string encode_auth_success(std::optional<std::string_view> token);

}  // namespace cqld::transport
