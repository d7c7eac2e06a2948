// Per-table request counters and latencies, as nodetool tablestats reports them ("Local read
// count", "Local read latency", ...). Counted from process start; lock-free after a table's
// first request.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <unordered_map>

namespace cqld {

struct TableActivity {
  uint64_t reads = 0;
  uint64_t read_micros = 0;
  uint64_t writes = 0;
  uint64_t write_micros = 0;
};

class TableMetrics {
 public:
  void record_read(uint32_t storage_id, uint64_t micros);
  void record_write(uint32_t storage_id, uint64_t micros);
  TableActivity activity(uint32_t storage_id) const;

 private:
  struct Counters {
    std::atomic<uint64_t> reads{0};
    std::atomic<uint64_t> read_micros{0};
    std::atomic<uint64_t> writes{0};
    std::atomic<uint64_t> write_micros{0};
  };
  Counters& counters(uint32_t storage_id);

  mutable std::shared_mutex mutex_;
  std::unordered_map<uint32_t, std::unique_ptr<Counters>> tables_;
};

}  // namespace cqld
