// The store's operations for operators (nodetool flush, compact, snapshot, tablestats, status).
#include <rocksdb/db.h>
#include <rocksdb/metadata.h>
#include <rocksdb/utilities/checkpoint.h>

#include <filesystem>

#include "storage/keys.h"
#include "storage/store.h"
#include "storage/stored_row_reader.h"

namespace cqld {
namespace {

Status from_rocksdb(const rocksdb::Status& status, const std::string& what) {
  if (status.ok()) return Status::ok();
  if (status.IsCorruption()) return Status::corruption(what + ": " + status.ToString());
  return Status::io_error(what + ": " + status.ToString());
}

// The keys of one table: [prefix, successor of prefix).
struct TableKeys {
  explicit TableKeys(uint32_t storage_id) : begin(table_prefix(storage_id)), end(prefix_successor(begin)) {}
  std::string begin;
  std::string end;
};

}  // namespace

Status Store::flush() {
  rocksdb::FlushOptions options;
  options.wait = true;
  return from_rocksdb(db_->Flush(options), "flush");
}

Status Store::compact(std::optional<uint32_t> storage_id) {
  rocksdb::CompactRangeOptions options;
  // Rewrite the bottom level too, so tombstones and overwritten cells are really dropped, as
  // a major compaction in Cassandra does.
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (!storage_id) return from_rocksdb(db_->CompactRange(options, nullptr, nullptr), "compaction");
  TableKeys keys(*storage_id);
  rocksdb::Slice begin(keys.begin);
  rocksdb::Slice end(keys.end);
  return from_rocksdb(db_->CompactRange(options, &begin, &end), "compaction");
}

Status Store::checkpoint(const std::string& dir) {
  if (options_.in_memory) return Status::refused("an in-memory store keeps no files to snapshot");
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return Status::refused(dir + " already exists");
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ec);
  if (ec) return Status::io_error("cannot create " + std::filesystem::path(dir).parent_path().string() + ": " + ec.message());
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(db_.get(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (status.ok()) status = checkpoint->CreateCheckpoint(dir);
  return from_rocksdb(status, "snapshot");
}

Store::TableSpace Store::table_space(uint32_t storage_id) const {
  TableKeys keys(storage_id);
  rocksdb::Range range(keys.begin, keys.end);
  TableSpace space;
  rocksdb::SizeApproximationOptions on_disk;
  on_disk.include_files = true;
  on_disk.include_memtables = false;
  db_->GetApproximateSizes(on_disk, db_->DefaultColumnFamily(), &range, 1, &space.bytes_on_disk);
  uint64_t entries = 0;
  db_->GetApproximateMemTableStats(db_->DefaultColumnFamily(), range, &entries, &space.bytes_in_memory);
  std::vector<rocksdb::LiveFileMetaData> files;
  db_->GetLiveFilesMetaData(&files);
  for (const auto& file : files) {
    if (file.largestkey >= keys.begin && file.smallestkey < keys.end) ++space.data_files;
  }
  return space;
}

uint64_t Store::count_partitions(uint32_t storage_id) const {
  TableKeys keys(storage_id);
  rocksdb::ReadOptions options = total_order_read();
  rocksdb::Slice end(keys.end);
  options.iterate_upper_bound = &end;
  options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options));
  uint64_t count = 0;
  for (it->Seek(keys.begin); it->Valid(); ++count) {
    std::string_view key(it->key().data(), it->key().size());
    it->Seek(prefix_successor(key.substr(0, partition_prefix_length(key))));
  }
  return count;
}

uint64_t Store::load_bytes() const {
  uint64_t files = 0;
  db_->GetIntProperty(rocksdb::DB::Properties::kLiveSstFilesSize, &files);
  // The memtables' entries, not their arenas (which start at megabytes, whatever they hold).
  std::string all_begin(1, '\0');
  std::string all_end(1, '\xff');
  uint64_t entries = 0;
  uint64_t memtables = 0;
  db_->GetApproximateMemTableStats(db_->DefaultColumnFamily(), rocksdb::Range(all_begin, all_end), &entries, &memtables);
  return files + memtables;
}

}  // namespace cqld
