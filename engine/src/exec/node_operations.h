// What an operator's tools (nodetool, admin/) ask of a running database, beside the CQL that
// clients send: its identity and state, per-table statistics, and flush, compaction and
// snapshots of its storage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exec/table_metrics.h"
#include "schema/schema.h"
#include "schema/system_tables.h"
#include "storage/status.h"
#include "storage/store.h"

namespace cqld {

struct NodeState {
  LocalNodeInfo node;
  Uuid schema_version{};
  uint64_t load_bytes = 0;
  int64_t started_at_seconds = 0;  // the process start (Cassandra's gossip generation)
  bool in_memory = false;
  std::string data_dir;
};

struct TableStatistics {
  Store::TableSpace space;
  uint64_t partitions = 0;
  TableActivity activity;
};

class NodeOperations {
 public:
  virtual ~NodeOperations() = default;
  // The schema as clients see it, system keyspaces included.
  virtual SchemaPtr schema_snapshot() const = 0;
  virtual NodeState node_state() const = 0;
  // A system keyspace's tables are generated on each read and have no stored statistics.
  virtual TableStatistics table_statistics(const TableDef& table) const = 0;
  virtual Status flush() = 0;
  // Compacts the tables given (every table when empty).
  virtual Status compact(const std::vector<const TableDef*>& tables) = 0;
  // Flushes, then checkpoints the whole store into DATA_DIR/snapshots/TAG.
  virtual Status snapshot(const std::string& tag) = 0;
};

}  // namespace cqld
