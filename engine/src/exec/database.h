// Opening the database: storage, schema and the query processor that serves clients.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "exec/auth/auth_service.h"
#include "exec/limits.h"
#include "exec/node_operations.h"
#include "exec/query_processor.h"

namespace rocksdb {
class Env;
}

namespace cqld {

struct DatabaseOptions {
  bool in_memory = false;       // keep everything in RAM (nothing touches the disk)
  std::string data_dir;         // persistent mode: RocksDB lives here (created if missing)
  std::string listen_address;   // reported in system.local (listen/broadcast address)
  int port = 9042;              // reported in system.local (rpc_port)
  bool sync_each_write = false;  // like commitlog_sync: batch (true) or periodic (false)
  int sync_period_ms = 10000;    // periodic mode: how often the write-ahead log is synced
  ExecLimits limits;
  auth::AuthOptions auth;  // authentication and authorization (both off by default)
  // Tests: the file system under storage (a fault-injecting one) and the wall clock. Both must
  // outlive the database.
  rocksdb::Env* env = nullptr;
  const Clock* clock = &system_clock();
};

// A running database: the processor that serves clients' requests, and the operations operators
// run on it.
class Database : public QueryProcessor, public NodeOperations {
 public:
  // Roles and permissions: what the transport's PasswordAuthenticator checks logins against.
  virtual const auth::AuthService* auth() const = 0;
};

// Opens (or creates) the database. Destroying it flushes and closes storage cleanly. Throws std::runtime_error with a message meant for the
// operator when the data directory is unusable (not writable, locked by another cqld, corrupt).
std::unique_ptr<Database> open_database(const DatabaseOptions& options);

}  // namespace cqld
