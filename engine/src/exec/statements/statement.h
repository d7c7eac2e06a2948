// A prepared statement: what prepare_statement (prepare.h) makes of a raw statement against a
// schema snapshot, immutable and executed many times with different values. One class per
// statement kind, one file each in this folder.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "exec/auth/access.h"
#include "exec/limits.h"
#include "exec/query_processor.h"
#include "exec/result.h"
#include "exec/schema_manager.h"
#include "exec/terms.h"
#include "schema/system_tables.h"
#include "storage/store.h"

namespace cqld {

// Which timeout applies to a statement, and whether it runs at all on a read-only store.
enum class StatementKind : uint8_t {
  kRead,        // a SELECT of named partitions (read timeout)
  kRangeRead,   // a SELECT over a token range (range timeout)
  kWrite,       // INSERT, UPDATE, DELETE, BATCH (write timeout)
  kConditional, // lightweight transactions (write timeout, CAS contention for the lock)
  kOther,       // schema changes, USE, DESCRIBE: no timeout
};

// When a request must be done by, counted from its arrival.
struct Deadline {
  std::chrono::steady_clock::time_point at = std::chrono::steady_clock::time_point::max();
  bool expired() const { return std::chrono::steady_clock::now() > at; }
};

// Lightweight transactions on one partition run under that partition's lock stripe, waited
// for at most until the request's deadline.
class PartitionLocks {
 public:
  std::timed_mutex& lock_for(int64_t token) { return stripes_[static_cast<uint64_t>(token) % kStripes]; }

 private:
  static constexpr size_t kStripes = 64;
  std::timed_mutex stripes_[kStripes];
};

// Everything a statement's execution may use. Owned by the processor for one request.
struct ExecutionContext {
  Store* store = nullptr;
  SchemaManager* schema = nullptr;
  const LocalNodeInfo* node = nullptr;  // the node's own; node_as_seen() gives the client's view
  const ExecLimits* limits = nullptr;
  PartitionLocks* locks = nullptr;
  ClientState* client = nullptr;        // USE changes its keyspace
  auth::AuthService* auth = nullptr;    // roles and permissions
  const QueryOptions* options = nullptr;
  Bindings bindings;                    // the request's values and clock
  Deadline deadline;

  // The node as system.local shows it to this client: its rpc_address is the address the client
  // reached (and so is listen_address when the node listens on every address). Made only by the
  // reads that need it, not per request.
  LocalNodeInfo node_as_seen() const {
    LocalNodeInfo seen = *node;
    seen.rpc_address = client->local_address.empty() ? node->listen_address : client->local_address;
    if (node->listen_address == "0.0.0.0" || node->listen_address == "::") seen.listen_address = seen.rpc_address;
    return seen;
  }
};

class CqlStatement {
 public:
  virtual ~CqlStatement() = default;

  // The bind markers' metadata, and which of them give the partition key (for token-aware
  // routing), as PREPARE reports them.
  const std::vector<ColumnSpec>& bind_markers() const { return markers_; }
  const std::vector<uint16_t>& pk_indexes() const { return pk_indexes_; }
  virtual std::vector<ColumnSpec> result_columns() const { return {}; }
  // The stored tables the statement was bound to: it is stale once any of them changes.
  const std::vector<TablePtr>& dependencies() const { return dependencies_; }

  // Refuses the statement (Unauthorized) when the client may not run it: each kind asks for
  // the permissions Cassandra's statement of that kind asks for. Runs before execute.
  virtual void check_access(const auth::Access&) const {}
  virtual StatementKind kind() const = 0;
  // Runs the statement with ctx.bindings' values. Throws CqlError.
  virtual Result execute(ExecutionContext& ctx) const = 0;

 protected:
  std::vector<ColumnSpec> markers_;
  std::vector<uint16_t> pk_indexes_;
  std::vector<TablePtr> dependencies_;
};

using StatementPtr = std::shared_ptr<const CqlStatement>;

}  // namespace cqld
