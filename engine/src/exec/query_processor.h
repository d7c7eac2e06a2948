// The entry point from transport/ into the database: runs QUERY, PREPARE, EXECUTE and BATCH
// requests. Thread-safe: connections on any I/O thread call it concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exec/result.h"
#include "types/value.h"

namespace cqld {

enum class Consistency : uint16_t {
  kAny = 0x0000,
  kOne = 0x0001,
  kTwo = 0x0002,
  kThree = 0x0003,
  kQuorum = 0x0004,
  kAll = 0x0005,
  kLocalQuorum = 0x0006,
  kEachQuorum = 0x0007,
  kSerial = 0x0008,
  kLocalSerial = 0x0009,
  kLocalOne = 0x000A,
};

struct QueryOptions {
  Consistency consistency = Consistency::kOne;
  std::vector<Value> values;
  std::vector<std::string> value_names;  // flag 0x40: names parallel to values
  bool skip_metadata = false;
  int32_t page_size = -1;  // <= 0: no paging
  std::optional<std::string> paging_state;
  Consistency serial_consistency = Consistency::kSerial;
  std::optional<int64_t> default_timestamp;  // microseconds since the epoch
};

struct BatchChild {
  bool is_prepared = false;
  std::string query_or_id;  // query text, or prepared id
  std::vector<Value> values;
};

struct BatchRequest {
  enum class Type : uint8_t { kLogged = 0, kUnlogged = 1, kCounter = 2 };
  Type type = Type::kLogged;
  std::vector<BatchChild> statements;
  Consistency consistency = Consistency::kOne;
  Consistency serial_consistency = Consistency::kSerial;
  std::optional<int64_t> default_timestamp;
};

// Per-connection state that statements may read or change (USE sets the keyspace).
struct ClientState {
  std::string keyspace;  // empty: none
  std::string peer_address;
  std::string local_address;  // the address the client reached, reported as rpc_address
  // The role the connection logged in as (AUTH_RESPONSE); empty: anonymous (no authenticator).
  std::string user;
  // cqld's own queries of its system_auth tables: no access check, system keyspaces writable.
  bool internal = false;
  // When the request being run arrived: its timeout counts from here. Requests run on a copy
  // of their connection's state, so this is per request; the default means "now".
  std::chrono::steady_clock::time_point request_start{};
};

// A schema change event to push to connections that REGISTERed for SCHEMA_CHANGE.
using SchemaChangeListener = std::function<void(const SchemaChangeResult&)>;

class QueryProcessor {
 public:
  virtual ~QueryProcessor() = default;
  // Each may throw CqlError (or a subclass); anything else is reported as a server error.
  virtual Result query(ClientState& client, std::string_view text, const QueryOptions& options) = 0;
  virtual Result prepare(ClientState& client, std::string_view text) = 0;
  virtual Result execute(ClientState& client, std::string_view id, const QueryOptions& options) = 0;
  virtual Result batch(ClientState& client, const BatchRequest& batch) = 0;
  // Called after every schema change, from the thread that made it.
  virtual void set_schema_change_listener(SchemaChangeListener listener) = 0;
};

}  // namespace cqld
