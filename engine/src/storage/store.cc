#include "storage/store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/listener.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "common/log.h"
#include "storage/cell.h"
#include "storage/cell_merge.h"
#include "storage/index_entries.h"
#include "storage/keys.h"
#include "storage/stored_row_reader.h"

namespace cqld {
namespace {

constexpr size_t kBlockCacheBytes = 64 << 20;
constexpr int64_t kRecoveryIntervalMicros = 1000000;

// RocksDB's own messages go to cqld's log (warnings and errors only), not to a LOG file in the
// data directory: that file's writer aborts the process when it meets a full disk twice.
class RocksLogger : public rocksdb::Logger {
 public:
  RocksLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char buffer[1024];
    vsnprintf(buffer, sizeof(buffer), format, ap);
    log_message(level >= rocksdb::InfoLogLevel::ERROR_LEVEL ? LogLevel::kError : LogLevel::kWarn,
                std::string("rocksdb: ") + buffer);
  }
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
};

rocksdb::Options make_options() {
  rocksdb::Options options;
  options.info_log = std::make_shared<RocksLogger>();
  options.create_if_missing = true;
  options.merge_operator = last_write_wins_merge();
  options.IncreaseParallelism(2);
  options.max_open_files = 256;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Reads seek; RocksDB's whole-key filters serve only point lookups. A filter of each file's
  // (table, token) prefixes lets a read of one partition skip the files without it
  // (StoredRowReader::use_iterator_for); every other iterator asks for total order.
  options.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kFilteredPrefixLength));
  options.compression = rocksdb::kLZ4Compression;
  return options;
}

rocksdb::Slice slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

// Hears of failed flushes, compactions and WAL writes, which leave RocksDB read-only. The store
// does its own, paced recovery (Store::writable), so RocksDB's automatic one is turned off.
class StoreListener : public rocksdb::EventListener {
 public:
  explicit StoreListener(Store* store) : store_(store) {}
  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    store_->record_failure(error->ToString());
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status, bool* auto_recovery) override {
    *auto_recovery = false;
  }

 private:
  Store* store_;
};

std::unique_ptr<Store> Store::open(const StoreOptions& store_options) {
  std::unique_ptr<Store> store(new Store());
  store->options_ = store_options;
  rocksdb::Options options = make_options();
  options.listeners.push_back(std::make_shared<StoreListener>(store.get()));
  std::string path = store_options.path;
  if (store_options.env != nullptr) options.env = store_options.env;
  if (store_options.in_memory) {
    if (store_options.env == nullptr) {
      store->memory_env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
      options.env = store->memory_env_.get();
    }
    options.compression = rocksdb::kNoCompression;
    path = "/cqld-memory";
  }
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, path, &db);
  if (!status.ok()) {
    throw std::runtime_error("cannot open data directory " + path + ": " + status.ToString());
  }
  store->db_.reset(db);
  store->sync_thread_ = std::thread([s = store.get()] { s->maintenance_loop(); });
  return store;
}

Store::~Store() {
  {
    std::lock_guard<std::mutex> lock(sync_mutex_);
    stopping_ = true;
  }
  sync_wakeup_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
  if (!db_) return;
  // A WAL writer that has seen an error must not be touched again (RocksDB asserts on it):
  // sync only while healthy, or once a last recovery succeeded.
  if (failed_ && db_->Resume().ok()) failed_ = false;
  if (!failed_ && !options_.in_memory) {
    rocksdb::Status synced = db_->FlushWAL(true);
    if (!synced.ok()) log_message(LogLevel::kError, "syncing the write-ahead log at shutdown failed: " + synced.ToString());
  }
  db_->Close();
  db_.reset();
}

// The background thread: syncs the WAL every period in periodic mode and, after a failure,
// tries to resume once per recovery interval. Recovery runs here, never on a request's thread:
// RocksDB's Resume waits for a flush, which on a full disk fails again.
void Store::maintenance_loop() {
  constexpr auto kFailedPoll = std::chrono::milliseconds(100);
  auto last_sync = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(sync_mutex_);
  while (!stopping_) {
    auto period = std::chrono::milliseconds(options_.sync_period_ms);
    sync_wakeup_.wait_for(lock, failed_ ? kFailedPoll : period);
    if (stopping_) break;
    lock.unlock();
    if (failed_) {
      try_recovery();
    } else if (!options_.in_memory && options_.sync_mode == SyncMode::kPeriodic &&
               std::chrono::steady_clock::now() - last_sync >= period) {
      last_sync = std::chrono::steady_clock::now();
      rocksdb::Status synced = db_->FlushWAL(true);
      if (!synced.ok()) record_failure("syncing the write-ahead log: " + synced.ToString());
    }
    lock.lock();
  }
}

void Store::record_failure(const std::string& what) {
  std::lock_guard<std::mutex> lock(health_mutex_);
  ++failures_;
  if (failed_) return;
  failure_ = Status::io_error(what);
  failed_ = true;
  next_recovery_micros_ = options_.clock->now_micros() + kRecoveryIntervalMicros;
  log_message(LogLevel::kError, "storage refuses writes until it recovers (a full disk recovers once space is "
                                 "freed; a failed sync needs a restart): " + what);
  sync_wakeup_.notify_all();  // the maintenance thread starts polling for recovery
}

void Store::try_recovery() {
  uint64_t failures_before = 0;
  {
    std::lock_guard<std::mutex> lock(health_mutex_);
    int64_t now = options_.clock->now_micros();
    if (!failed_ || now < next_recovery_micros_) return;
    next_recovery_micros_ = now + kRecoveryIntervalMicros;
    failures_before = failures_;
  }
  rocksdb::Status resumed = db_->Resume();  // no lock held: failures during it are recorded
  std::lock_guard<std::mutex> lock(health_mutex_);
  if (!resumed.ok()) log_message(LogLevel::kDebug, "storage recovery failed: " + resumed.ToString());
  if (!resumed.ok() || failures_ != failures_before) return;
  failed_ = false;
  failure_ = Status::ok();
  log_message(LogLevel::kInfo, "storage recovered: writes are accepted again");
}

Status Store::writable() const {
  if (!failed_) return Status::ok();
  std::lock_guard<std::mutex> lock(health_mutex_);
  return failed_ ? Status::refused(failure_.message()) : Status::ok();
}

Status Store::health() const { return writable(); }

Status Store::write(const Mutation& mutation, bool sync) {
  Status ok = writable();
  if (!ok.is_ok()) return ok;
  rocksdb::WriteOptions options;
  options.sync = sync && !options_.in_memory;
  // An in-memory store loses everything with the process: a log of its writes would only be a
  // second in-memory copy of each memtable.
  options.disableWAL = options_.in_memory;
  rocksdb::Status status = db_->Write(options, mutation.batch_.get());
  if (status.ok()) return Status::ok();
  record_failure(status.ToString());
  return Status::io_error(status.ToString());
}

std::optional<std::string> Store::get_meta(std::string_view name) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_key(name), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) throw std::runtime_error("reading metadata " + std::string(name) + ": " + status.ToString());
  return value;
}

Status Store::put_meta(std::string_view name, std::string_view value) {
  Mutation m;
  m.batch_->Put(meta_key(name), slice(value));
  return write(m, true);
}

Status Store::apply(const Mutation& mutation) { return write(mutation, options_.sync_mode == SyncMode::kBatch); }

namespace {

void delete_prefix(rocksdb::WriteBatch* batch, const std::string& prefix) {
  batch->DeleteRange(prefix, prefix_successor(prefix));
}

}  // namespace

Status Store::apply_schema(std::string_view name, std::string_view record, const std::vector<uint32_t>& dropped_tables,
                           const std::vector<uint32_t>& dropped_indexes) {
  Mutation m;
  m.batch_->Put(meta_key(name), slice(record));
  for (uint32_t id : dropped_tables) delete_prefix(m.batch_.get(), table_prefix(id));
  for (uint32_t id : dropped_indexes) delete_prefix(m.batch_.get(), index_prefix(id));
  return write(m, true);
}

Status Store::truncate(uint32_t storage_id, const std::vector<uint32_t>& index_ids) {
  Mutation m;
  delete_prefix(m.batch_.get(), table_prefix(storage_id));
  for (uint32_t id : index_ids) delete_prefix(m.batch_.get(), index_prefix(id));
  return write(m, true);
}

Status Store::drop_index_entries(uint32_t index_id) {
  Mutation m;
  delete_prefix(m.batch_.get(), index_prefix(index_id));
  return write(m, true);
}

std::unique_ptr<RowReader> Store::read_indexed_rows(const TableDef& table, const IndexDef& index, std::string_view value,
                                                    std::optional<TokenBound> lower, std::optional<TokenBound> upper,
                                                    const std::string& resume_after_position, int64_t now_seconds) {
  if (table.find_column(index.column) == nullptr) throw std::logic_error("index " + index.name + " on a column its table lacks");
  auto clean = [this](const Mutation& stale) {
    if (writable().is_ok()) write(stale, false);  // best effort: a stale entry left costs a read
  };
  return std::make_unique<IndexedRowReader>(db_.get(), table, index, value, lower, upper, resume_after_position,
                                            now_seconds, clean);
}

Status Store::build_index(const TableDef& table, const IndexDef& index, int64_t now_seconds) {
  constexpr size_t kBatchBytes = 1 << 20;
  int ci = table.column_index(index.column);
  if (ci < 0) throw std::logic_error("index " + index.name + " on a column its table lacks");
  const ColumnDef& column = table.columns[static_cast<size_t>(ci)];
  auto rows = read_rows(table, ReadSelection::token_range(std::nullopt, std::nullopt), ReadOrder{}, "", now_seconds);
  Mutation batch;
  ReadRow row;
  while (rows->next(&row)) {
    const Value& value = row.values[static_cast<size_t>(ci)];
    if (!value.is_set()) continue;
    Cell time;
    time.timestamp = row.writetimes[static_cast<size_t>(ci)];
    time.ttl = row.ttls[static_cast<size_t>(ci)];
    // The remaining TTL is whole seconds: the entry may outlive its cell by one, never the reverse.
    if (time.ttl > 0) time.expires_at = now_seconds + time.ttl + 1;
    batch.write_index_entry(index, column, row.position, value.bytes, time);
    if (batch.byte_size() >= kBatchBytes) {
      Status s = write(batch, false);
      if (!s.is_ok()) return s;
      batch = Mutation();
    }
  }
  if (!rows->status().is_ok()) return rows->status();
  return write(batch, true);
}

std::unique_ptr<RowReader> Store::read_rows(const TableDef& table, const ReadSelection& selection, ReadOrder order,
                                            const std::string& resume_after_position, int64_t now_seconds) const {
  return std::make_unique<StoredRowReader>(
      db_.get(), table, std::make_unique<KeyRangeCursor>(table, selection, resume_after_position, order.reversed), order,
      now_seconds);
}

std::vector<ListElement> Store::read_list(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                                          const ColumnDef& column, int64_t now_seconds) const {
  std::string base = column_key(table, partition, column.kind == ColumnKind::kStatic ? std::string() : row_key(table, partition, row), column);
  std::string prefix = base + static_cast<char>(ElementPart::kElement);
  int64_t deleted_at = INT64_MIN;
  std::string deletion;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), base + static_cast<char>(ElementPart::kCollectionDeletion), &deletion);
  if (status.ok()) {
    if (auto cell = decode_cell(deletion)) deleted_at = cell->timestamp;
  }
  std::vector<ListElement> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(total_order_read()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto cell = decode_cell(std::string_view(it->value().data(), it->value().size()));
    if (!cell) throw std::runtime_error("corrupt list element cell in table " + table.keyspace + "." + table.name);
    if (cell->timestamp <= deleted_at || !cell->is_live(now_seconds)) continue;
    out.push_back(ListElement{it->key().ToString(), cell->value});
  }
  return out;
}

}  // namespace cqld
