// Processor's NodeOperations: what nodetool reads and runs (see admin/).
#include <filesystem>

#include "exec/processor.h"

namespace cqld {

NodeState Processor::node_state() const {
  NodeState state;
  state.node = node_;
  state.schema_version = schema_->current()->version;
  state.load_bytes = store_->load_bytes();
  state.started_at_seconds = started_at_seconds_;
  state.in_memory = options_.in_memory;
  state.data_dir = options_.data_dir;
  return state;
}

TableStatistics Processor::table_statistics(const TableDef& table) const {
  TableStatistics stats;
  if (table.storage_id == 0) return stats;
  stats.space = store_->table_space(table.storage_id);
  stats.partitions = store_->count_partitions(table.storage_id);
  stats.activity = metrics_.activity(table.storage_id);
  return stats;
}

Status Processor::flush() { return store_->flush(); }

Status Processor::compact(const std::vector<const TableDef*>& tables) {
  if (tables.empty()) return store_->compact(std::nullopt);
  for (const TableDef* table : tables) {
    if (table->storage_id == 0) continue;
    Status status = store_->compact(table->storage_id);
    if (!status.is_ok()) return status;
  }
  return Status::ok();
}

Status Processor::snapshot(const std::string& tag) {
  if (options_.in_memory) return Status::refused("cqld --memory keeps no files to snapshot");
  Status flushed = store_->flush();
  if (!flushed.is_ok()) return flushed;
  return store_->checkpoint((std::filesystem::path(options_.data_dir) / "snapshots" / tag).string());
}

}  // namespace cqld
