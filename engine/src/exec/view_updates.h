// Keeping materialized views in step with their base tables. A write to a base table with views
// runs under the locks of the partitions it touches: those partitions are read before the
// write and after it, and every base row whose state changed rewrites its view rows from the
// difference (the old view row deleted when the view's key changed, the new one written with
// the base cells' own timestamps and expiry). Reading the merged state back lets the store's
// last-write-wins decide what the base row is, USING TIMESTAMP and tombstones included.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "exec/statements/statement.h"
#include "schema/schema.h"
#include "storage/mutation.h"
#include "storage/store.h"

namespace cqld {

// A partition a write touches.
struct TouchedPartition {
  TablePtr table;
  PartitionKey key;
};

struct ViewWrite {
  Store* store = nullptr;
  SchemaPtr schema;  // the current snapshot: which views each table has
  PartitionLocks* locks = nullptr;
  int64_t now_micros = 0;
  int64_t timestamp = 0;             // the write's timestamp, for cells a write removes from a view
  std::optional<int64_t> held_token;  // a lightweight transaction already holds this partition's lock
};

// A write's context as a statement executing in "ctx" has it.
ViewWrite view_write_for(const ExecutionContext& ctx, int64_t timestamp);

// Applies "base" and the view updates it causes. Without views among the touched tables this is
// Store::apply alone.
Status apply_with_views(const ViewWrite& w, const Mutation& base, const std::vector<TouchedPartition>& touched);

// Fills a new view from the rows its base table already has.
Status build_view(Store* store, const TableDef& base, const TableDef& view, int64_t now_micros);

}  // namespace cqld
