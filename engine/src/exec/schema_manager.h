// Owns the current schema snapshot: readers take the pointer without locking; DDL runs one
// at a time, builds a new snapshot, persists it, bumps schema_version and notifies listeners.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "exec/result.h"
#include "schema/schema.h"
#include "storage/store.h"

namespace cqld {

class SchemaManager {
 public:
  // Loads the stored schema (or starts empty). Throws std::runtime_error if it is corrupt.
  explicit SchemaManager(Store* store);

  SchemaPtr current() const { return std::atomic_load(&current_); }

  // Runs "change" on a private copy of the schema under the DDL lock. If it returns a
  // SchemaChangeResult, the copy becomes current (persisted, new version) and the listener is
  // told; if it returns nullopt (a no-op IF [NOT] EXISTS) nothing changes. Exceptions propagate
  // and leave the schema untouched.
  using Change = std::function<std::optional<SchemaChangeResult>(Schema&)>;
  std::optional<SchemaChangeResult> apply(const Change& change);

  void set_listener(std::function<void(const SchemaChangeResult&)> listener);

 private:
  Store* store_;
  std::mutex ddl_mutex_;
  std::shared_ptr<const Schema> current_;
  std::function<void(const SchemaChangeResult&)> listener_;
};

}  // namespace cqld
