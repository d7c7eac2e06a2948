#include "storage/store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <stdexcept>

#include "common/errors.h"
#include "storage/cell.h"
#include "storage/keys.h"

namespace cqld {
namespace {

constexpr size_t kBlockCacheBytes = 64 << 20;

// Reconciles versions of one cell key: the winner by Cassandra's rules is kept whole.
class LastWriteWinsMerge : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    if (existing == nullptr) {
      new_value->assign(value.data(), value.size());
      return true;
    }
    auto old_cell = decode_cell(std::string_view(existing->data(), existing->size()));
    auto new_cell = decode_cell(std::string_view(value.data(), value.size()));
    if (!old_cell || !new_cell) {
      new_value->assign(new_cell ? value.data() : existing->data(), new_cell ? value.size() : existing->size());
      return true;
    }
    *new_value = encode_cell(reconcile(*old_cell, *new_cell));
    return true;
  }
  const char* Name() const override { return "cqld.LastWriteWins"; }
};

void check(const rocksdb::Status& status, const char* what) {
  if (!status.ok()) throw ServerError(std::string(what) + ": " + status.ToString());
}

std::string meta_key(std::string_view name) {
  std::string key(1, static_cast<char>(KeySpace::kMeta));
  key.append(name);
  return key;
}

rocksdb::Options make_options() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.merge_operator = std::make_shared<LastWriteWinsMerge>();
  options.IncreaseParallelism(2);
  options.max_open_files = 256;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kLZ4Compression;
  return options;
}

}  // namespace

std::unique_ptr<Store> Store::open(const StoreOptions& store_options) {
  std::unique_ptr<Store> store(new Store());
  rocksdb::Options options = make_options();
  std::string path = store_options.path;
  if (store_options.in_memory) {
    store->memory_env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    options.env = store->memory_env_.get();
    options.compression = rocksdb::kNoCompression;
    path = "/cqld-memory";
  }
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, path, &db);
  if (!status.ok()) {
    throw std::runtime_error("cannot open data directory " + path + ": " + status.ToString());
  }
  store->db_.reset(db);
  store->options_ = store_options;
  if (!store_options.in_memory && store_options.sync_mode == SyncMode::kPeriodic) {
    store->sync_thread_ = std::thread([s = store.get()] { s->sync_loop(); });
  }
  return store;
}

void Store::sync_loop() {
  std::unique_lock<std::mutex> lock(sync_mutex_);
  while (!stopping_) {
    sync_wakeup_.wait_for(lock, std::chrono::milliseconds(options_.sync_period_ms));
    if (stopping_) break;
    lock.unlock();
    db_->FlushWAL(true);
    lock.lock();
  }
}

Store::~Store() {
  {
    std::lock_guard<std::mutex> lock(sync_mutex_);
    stopping_ = true;
  }
  sync_wakeup_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
  if (db_) {
    db_->FlushWAL(true);
    db_->Close();
    db_.reset();
  }
}

std::optional<std::string> Store::get_meta(std::string_view name) {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_key(name), &value);
  if (status.IsNotFound()) return std::nullopt;
  check(status, "reading metadata");
  return value;
}

void Store::put_meta(std::string_view name, std::string_view value) {
  rocksdb::WriteOptions options;
  options.sync = true;
  check(db_->Put(options, meta_key(name), rocksdb::Slice(value.data(), value.size())),
        "writing metadata");
}

void Store::write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.sync = !options_.in_memory && options_.sync_mode == SyncMode::kBatch;
  check(db_->Write(options, batch), "writing");
}

void Store::delete_range(std::string_view begin, std::string_view end) {
  check(db_->DeleteRange(rocksdb::WriteOptions(), db_->DefaultColumnFamily(),
                         rocksdb::Slice(begin.data(), begin.size()),
                         rocksdb::Slice(end.data(), end.size())),
        "deleting range");
}

std::unique_ptr<rocksdb::Iterator> Store::new_iterator() {
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(rocksdb::ReadOptions()));
}

std::optional<std::string> Store::get(std::string_view key) {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  check(status, "reading");
  return value;
}

}  // namespace cqld
