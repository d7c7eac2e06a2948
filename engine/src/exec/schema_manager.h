// Owns the current schema snapshot: readers take the pointer without locking; DDL runs one
// at a time, builds a new snapshot, persists it, bumps schema_version and notifies listeners.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "exec/result.h"
#include "exec/write_order.h"
#include "schema/schema.h"
#include "storage/store.h"

namespace cqld {

class SchemaManager {
 public:
  // Loads the stored schema (or starts empty), then builds the entries of every index that keeps
  // them and has none yet (an index whose build a crash or a failure cut short, or one created
  // before indexes kept entries). Throws std::runtime_error if the schema is corrupt or a build
  // fails.
  explicit SchemaManager(Store* store);

  SchemaPtr current() const { return std::atomic_load(&current_); }

  // Runs "change" on a private copy of the schema under the DDL lock. If it returns a
  // SchemaChangeResult, the copy becomes current (persisted, new version) and the listener is
  // told; if it returns nullopt (a no-op IF [NOT] EXISTS) nothing changes. Exceptions propagate
  // and leave the schema untouched.
  using Change = std::function<std::optional<SchemaChangeResult>(Schema&)>;
  std::optional<SchemaChangeResult> apply(const Change& change);

  void set_listener(std::function<void(const SchemaChangeResult&)> listener);

  // Every request holds an operation of this order while it runs (see write_order.h).
  WriteOrder& write_order() { return write_order_; }

  // Fills the entries of a new index that keeps them (created with building set), once every
  // request that held the schema before it has ended, then marks it built so that queries read
  // it. Must not be called while holding an operation of write_order(). An index dropped
  // meanwhile is left alone. Throws WriteFailure-style errors (check_write) if the store fails;
  // the index then stays unbuilt (queries read the table) until the store is next opened.
  void build_index(const std::string& keyspace, const std::string& table, const std::string& index);

 private:
  Store* store_;
  std::mutex ddl_mutex_;
  std::shared_ptr<const Schema> current_;
  std::function<void(const SchemaChangeResult&)> listener_;
  WriteOrder write_order_;
};

}  // namespace cqld
