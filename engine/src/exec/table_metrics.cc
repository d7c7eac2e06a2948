#include "exec/table_metrics.h"

#include <mutex>

namespace cqld {

TableMetrics::Counters& TableMetrics::counters(uint32_t storage_id) {
  {
    std::shared_lock lock(mutex_);
    auto it = tables_.find(storage_id);
    if (it != tables_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = tables_[storage_id];
  if (!slot) slot = std::make_unique<Counters>();
  return *slot;
}

void TableMetrics::record_read(uint32_t storage_id, uint64_t micros) {
  Counters& c = counters(storage_id);
  c.reads.fetch_add(1, std::memory_order_relaxed);
  c.read_micros.fetch_add(micros, std::memory_order_relaxed);
}

void TableMetrics::record_write(uint32_t storage_id, uint64_t micros) {
  Counters& c = counters(storage_id);
  c.writes.fetch_add(1, std::memory_order_relaxed);
  c.write_micros.fetch_add(micros, std::memory_order_relaxed);
}

TableActivity TableMetrics::activity(uint32_t storage_id) const {
  std::shared_lock lock(mutex_);
  auto it = tables_.find(storage_id);
  if (it == tables_.end()) return {};
  const Counters& c = *it->second;
  return {c.reads.load(std::memory_order_relaxed), c.read_micros.load(std::memory_order_relaxed),
          c.writes.load(std::memory_order_relaxed), c.write_micros.load(std::memory_order_relaxed)};
}

}  // namespace cqld
