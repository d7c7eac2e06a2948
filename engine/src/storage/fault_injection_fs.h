// A file system for tests that fails on demand, wrapped around a real one: syncs that fail,
// a disk that is full, and power loss (everything written since the last sync of each file is
// lost, or torn part way). Give its Env to StoreOptions.env (or DatabaseOptions.env).
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cqld {

class FaultInjectionFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FaultInjectionFileSystem(std::shared_ptr<rocksdb::FileSystem> base = rocksdb::FileSystem::Default());

  // An Env over this file system, for RocksDB's options.
  static std::unique_ptr<rocksdb::Env> env_for(const std::shared_ptr<FaultInjectionFileSystem>& fs);

  // Syncs of written files fail (an fsync that reports EIO).
  void set_sync_failures(bool on) { fail_syncs_ = on; }
  // Appends fail as on a full disk (ENOSPC).
  void set_no_space(bool on) { no_space_ = on; }
  // The machine stops: from now on every write, sync, rename and delete fails and changes
  // nothing. Call drop_unsynced_data() once the database is closed.
  void lose_power() { powered_ = false; }
  // What a machine that lost power finds on its disk: each file written through this file
  // system keeps what was synced plus "torn_fraction" (0..1) of what was not.
  void drop_unsynced_data(double torn_fraction = 0);
  // Back to normal, for a restart on the same files.
  void restore_power() { powered_ = true; }

  const char* Name() const override { return "cqld.FaultInjection"; }
  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;

 private:
  class File;
  friend class File;
  struct FileState {
    uint64_t written = 0;
    uint64_t synced = 0;
  };
  rocksdb::IOStatus wrap(const std::string& name, rocksdb::IOStatus opened, uint64_t existing,
                         std::unique_ptr<rocksdb::FSWritableFile>* result);
  rocksdb::IOStatus check_power() const;

  std::atomic<bool> fail_syncs_{false};
  std::atomic<bool> no_space_{false};
  std::atomic<bool> powered_{true};
  std::mutex mutex_;
  std::map<std::string, FileState> files_;
};

}  // namespace cqld
