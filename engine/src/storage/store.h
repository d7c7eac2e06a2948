// The store under cqld: RocksDB on disk, or RocksDB over an in-memory environment. Data keys
// hold encoded Cells written with Merge, so writes are blind and Cassandra's last-write-wins
// reconciliation happens in RocksDB's merge operator (and compaction). The only code that
// knows the storage format (FORMAT.md) is in this folder.
//
// I/O failures are values (Status). After a write, a sync or a background flush or compaction
// fails (a full disk, a failed fsync), the store refuses writes, says why once in the log, and
// retries recovery in the background; reads go on. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "schema/schema.h"
#include "storage/mutation.h"
#include "storage/read_selection.h"
#include "storage/row_reader.h"
#include "storage/status.h"

namespace rocksdb {
class DB;
class Env;
}  // namespace rocksdb

namespace cqld {

// Like Cassandra's commitlog_sync: kPeriodic acknowledges writes before they reach the disk and
// syncs the write-ahead log every sync_period_ms (a crash of the machine loses at most that
// window; a crash of the process loses nothing); kBatch syncs before acknowledging. Schema
// changes and TRUNCATE are synced before they are acknowledged in both modes.
enum class SyncMode : uint8_t { kPeriodic, kBatch };

struct StoreOptions {
  bool in_memory = false;
  std::string path;  // the data directory when !in_memory
  SyncMode sync_mode = SyncMode::kPeriodic;
  int sync_period_ms = 10000;
  // The file system RocksDB uses; null: the real one (or a fresh in-memory one when in_memory).
  // Tests pass a fault-injecting environment (fault_injection_fs.h). Must outlive the store.
  rocksdb::Env* env = nullptr;
  // Paces recovery attempts after a failure. Must outlive the store.
  const Clock* clock = &system_clock();
};

class Store {
 public:
  // Opens or creates the store. Throws std::runtime_error with an operator-facing message when
  // the directory is unusable (not writable, locked by another process, corrupt).
  static std::unique_ptr<Store> open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Small records outside the data keyspace (the host id). put_meta syncs.
  std::optional<std::string> get_meta(std::string_view name) const;
  Status put_meta(std::string_view name, std::string_view value);

  // Applies a mutation atomically; synced first in batch mode.
  Status apply(const Mutation& mutation);
  // Stores a new schema record and removes the data of the tables and the entries of the
  // indexes it no longer has, in one synced write: a crash leaves either the old schema with
  // its data or the new one without.
  Status apply_schema(std::string_view name, std::string_view record, const std::vector<uint32_t>& dropped_tables,
                      const std::vector<uint32_t>& dropped_indexes = {});
  // Removes every row of a table and the entries of its indexes (TRUNCATE); synced before it
  // returns.
  Status truncate(uint32_t storage_id, const std::vector<uint32_t>& index_ids = {});

  // Rows of "table" that "selection" names, after "resume_after_position" when not empty.
  std::unique_ptr<RowReader> read_rows(const TableDef& table, const ReadSelection& selection, ReadOrder order,
                                       const std::string& resume_after_position, int64_t now_seconds) const;
  // Rows of "table" that have a live entry under "value" in "index" (an index with a storage
  // id, on a regular column), in the table's order, within the token bounds and after
  // "resume_after_position" when not empty: the rows that hold the value now. Entries outlive
  // the values they were written for; the reader skips those and deletes the ones it can date
  // (index_entries.h), the one write a read makes. The caller rechecks its other restrictions.
  std::unique_ptr<RowReader> read_indexed_rows(const TableDef& table, const IndexDef& index, std::string_view value,
                                               std::optional<TokenBound> lower, std::optional<TokenBound> upper,
                                               const std::string& resume_after_position, int64_t now_seconds);
  // Writes the entries of every row "table" holds into "index", in batches of about 1 MiB,
  // the last synced. Writes made meanwhile add their own entries.
  Status build_index(const TableDef& table, const IndexDef& index, int64_t now_seconds);
  // Removes every entry of an index (before it is built again); synced.
  Status drop_index_entries(uint32_t index_id);

  // The live elements of a non-frozen list, in order ("row" is ignored for a static column).
  std::vector<ListElement> read_list(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                                     const ColumnDef& column, int64_t now_seconds) const;

  // Ok while writes are accepted, else the failure that stopped them.
  Status health() const;

  // Operations for operators (nodetool); store_operations.cc. All tables share one RocksDB, so a
  // flush writes every table's memtable out, and a checkpoint holds the whole store.
  Status flush();
  // Compacts one table's keys (or everything when "storage_id" is empty), waiting until done.
  Status compact(std::optional<uint32_t> storage_id);
  // A consistent copy of the whole store in "dir" (hard links where the file system allows),
  // itself a data directory cqld can open. "dir" must not exist. Refused in memory.
  Status checkpoint(const std::string& dir);
  struct TableSpace {
    uint64_t bytes_on_disk = 0;    // approximate, in the table's share of the data files
    uint64_t bytes_in_memory = 0;  // approximate, in memtables not yet flushed
    uint64_t data_files = 0;       // data files holding some of its keys
  };
  TableSpace table_space(uint32_t storage_id) const;
  // Distinct partitions with stored entries (tombstones included), counted with one seek each.
  uint64_t count_partitions(uint32_t storage_id) const;
  // Bytes of the whole store on disk (data files and write-ahead log), or in memory.
  uint64_t load_bytes() const;
  bool in_memory() const { return options_.in_memory; }

 private:
  Store() = default;
  Status write(const Mutation& mutation, bool sync);
  Status writable() const;
  void record_failure(const std::string& what);
  void try_recovery();
  void maintenance_loop();
  friend class StoreListener;

  std::unique_ptr<rocksdb::Env> memory_env_;
  std::unique_ptr<rocksdb::DB> db_;
  StoreOptions options_;

  mutable std::mutex health_mutex_;
  std::atomic<bool> failed_{false};
  Status failure_;
  uint64_t failures_ = 0;  // failures recorded so far: a recovery that saw a new one failed
  int64_t next_recovery_micros_ = 0;

  std::mutex sync_mutex_;
  std::condition_variable sync_wakeup_;
  bool stopping_ = false;
  std::thread sync_thread_;  // maintenance_loop
};

}  // namespace cqld
