// The key-value store under cqld: RocksDB on disk, or RocksDB over an in-memory environment.
// Data keys hold encoded Cells and are written with Merge, so writes are blind and the
// last-write-wins reconciliation happens in RocksDB's merge operator (and compaction).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <string_view>

namespace rocksdb {
class DB;
class Env;
class Iterator;
class WriteBatch;
class Snapshot;
}  // namespace rocksdb

namespace cqld {

// Like Cassandra's commitlog_sync: kPeriodic acknowledges writes before they reach the disk and
// syncs the write-ahead log every sync_period_ms (a crash of the machine loses at most that
// window; a crash of the process loses nothing); kBatch syncs before acknowledging.
enum class SyncMode : uint8_t { kPeriodic, kBatch };

struct StoreOptions {
  bool in_memory = false;
  std::string path;  // the data directory when !in_memory
  SyncMode sync_mode = SyncMode::kPeriodic;
  int sync_period_ms = 10000;
};

class Store {
 public:
  // Opens or creates the store. Throws std::runtime_error with an operator-facing message.
  static std::unique_ptr<Store> open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Small durable records outside the data keyspace (the schema). put_meta syncs.
  std::optional<std::string> get_meta(std::string_view name);
  void put_meta(std::string_view name, std::string_view value);

  // Applies a batch of data mutations atomically. Throws ServerError on I/O failure.
  void write(rocksdb::WriteBatch* batch);
  // Removes every data key in [begin, end) (DROP TABLE, TRUNCATE).
  void delete_range(std::string_view begin, std::string_view end);
  // An iterator over all keys; the caller seeks it. Reads see a consistent point in time.
  std::unique_ptr<rocksdb::Iterator> new_iterator();
  // Point lookup of one data key; merge operands resolved.
  std::optional<std::string> get(std::string_view key);

 private:
  Store() = default;
  void sync_loop();

  std::unique_ptr<rocksdb::Env> memory_env_;
  std::unique_ptr<rocksdb::DB> db_;
  StoreOptions options_;
  std::mutex sync_mutex_;
  std::condition_variable sync_wakeup_;
  bool stopping_ = false;
  std::thread sync_thread_;
};

}  // namespace cqld
