#include "storage/fault_injection_fs.h"

#include <filesystem>

namespace cqld {

// A written file that reports its appends and syncs to the file system, and fails as told.
class FaultInjectionFileSystem::File : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  File(std::unique_ptr<rocksdb::FSWritableFile> target, FaultInjectionFileSystem* fs, std::string name)
      : rocksdb::FSWritableFileOwnerWrapper(std::move(target)), fs_(fs), name_(std::move(name)) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    if (auto s = check_append(); !s.ok()) return s;
    rocksdb::IOStatus s = target()->Append(data, options, dbg);
    if (s.ok()) appended(data.size());
    return s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
    if (auto s = check_append(); !s.ok()) return s;
    rocksdb::IOStatus s = target()->Append(data, options, info, dbg);
    if (s.ok()) appended(data.size());
    return s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* dbg) override {
    if (auto s = check_append(); !s.ok()) return s;
    rocksdb::IOStatus s = target()->PositionedAppend(data, offset, options, dbg);
    if (s.ok()) appended_at(offset + data.size());
    return s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& options,
                                     const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
    if (auto s = check_append(); !s.ok()) return s;
    rocksdb::IOStatus s = target()->PositionedAppend(data, offset, options, info, dbg);
    if (s.ok()) appended_at(offset + data.size());
    return s;
  }
  rocksdb::IOStatus Flush(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    if (auto s = fs_->check_power(); !s.ok()) return s;
    return target()->Flush(options, dbg);
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    if (auto s = check_sync(); !s.ok()) return s;
    rocksdb::IOStatus s = target()->Sync(options, dbg);
    if (s.ok()) synced();
    return s;
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    if (auto s = check_sync(); !s.ok()) return s;
    rocksdb::IOStatus s = target()->Fsync(options, dbg);
    if (s.ok()) synced();
    return s;
  }
  // Partial syncs are not counted as syncs: only a whole-file sync makes data survive.
  rocksdb::IOStatus RangeSync(uint64_t, uint64_t, const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    return fs_->check_power();
  }
  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    if (auto s = fs_->check_power(); !s.ok()) return s;
    rocksdb::IOStatus s = target()->Truncate(size, options, dbg);
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(fs_->mutex_);
      FileState& state = fs_->files_[name_];
      state.written = size;
      state.synced = std::min(state.synced, size);
    }
    return s;
  }
  rocksdb::IOStatus Close(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    if (!fs_->powered_) return rocksdb::IOStatus::IOError("power lost");
    return target()->Close(options, dbg);
  }

 private:
  rocksdb::IOStatus check_append() const {
    if (auto s = fs_->check_power(); !s.ok()) return s;
    if (fs_->no_space_) return rocksdb::IOStatus::NoSpace("injected: no space left on device");
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus check_sync() const {
    if (auto s = fs_->check_power(); !s.ok()) return s;
    if (fs_->fail_syncs_) return rocksdb::IOStatus::IOError("injected: sync failed");
    return rocksdb::IOStatus::OK();
  }
  void appended(uint64_t n) {
    std::lock_guard<std::mutex> lock(fs_->mutex_);
    fs_->files_[name_].written += n;
  }
  void appended_at(uint64_t end) {
    std::lock_guard<std::mutex> lock(fs_->mutex_);
    FileState& state = fs_->files_[name_];
    state.written = std::max(state.written, end);
  }
  void synced() {
    std::lock_guard<std::mutex> lock(fs_->mutex_);
    FileState& state = fs_->files_[name_];
    state.synced = state.written;
  }

  FaultInjectionFileSystem* fs_;
  std::string name_;
};

FaultInjectionFileSystem::FaultInjectionFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
    : rocksdb::FileSystemWrapper(base) {}

std::unique_ptr<rocksdb::Env> FaultInjectionFileSystem::env_for(const std::shared_ptr<FaultInjectionFileSystem>& fs) {
  return rocksdb::NewCompositeEnv(fs);
}

rocksdb::IOStatus FaultInjectionFileSystem::check_power() const {
  return powered_ ? rocksdb::IOStatus::OK() : rocksdb::IOStatus::IOError("power lost");
}

rocksdb::IOStatus FaultInjectionFileSystem::wrap(const std::string& name, rocksdb::IOStatus opened, uint64_t existing,
                                                 std::unique_ptr<rocksdb::FSWritableFile>* result) {
  if (!opened.ok()) return opened;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    files_[name] = FileState{existing, existing};
  }
  *result = std::make_unique<File>(std::move(*result), this, name);
  return opened;
}

rocksdb::IOStatus FaultInjectionFileSystem::NewWritableFile(const std::string& name,
                                                            const rocksdb::FileOptions& options,
                                                            std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                            rocksdb::IODebugContext* dbg) {
  if (auto s = check_power(); !s.ok()) return s;
  return wrap(name, target()->NewWritableFile(name, options, result, dbg), 0, result);
}

rocksdb::IOStatus FaultInjectionFileSystem::ReopenWritableFile(const std::string& name,
                                                               const rocksdb::FileOptions& options,
                                                               std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                               rocksdb::IODebugContext* dbg) {
  if (auto s = check_power(); !s.ok()) return s;
  uint64_t size = 0;
  if (!target()->GetFileSize(name, rocksdb::IOOptions(), &size, dbg).ok()) size = 0;
  return wrap(name, target()->ReopenWritableFile(name, options, result, dbg), size, result);
}

rocksdb::IOStatus FaultInjectionFileSystem::ReuseWritableFile(const std::string& name, const std::string& old_name,
                                                              const rocksdb::FileOptions& options,
                                                              std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                              rocksdb::IODebugContext* dbg) {
  if (auto s = check_power(); !s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    files_.erase(old_name);
  }
  return wrap(name, target()->ReuseWritableFile(name, old_name, options, result, dbg), 0, result);
}

rocksdb::IOStatus FaultInjectionFileSystem::RenameFile(const std::string& from, const std::string& to,
                                                       const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) {
  if (auto s = check_power(); !s.ok()) return s;
  rocksdb::IOStatus s = target()->RenameFile(from, to, options, dbg);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(from);
    if (it != files_.end()) {
      files_[to] = it->second;
      files_.erase(it);
    }
  }
  return s;
}

rocksdb::IOStatus FaultInjectionFileSystem::DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                                                       rocksdb::IODebugContext* dbg) {
  if (auto s = check_power(); !s.ok()) return s;
  rocksdb::IOStatus s = target()->DeleteFile(name, options, dbg);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    files_.erase(name);
  }
  return s;
}

void FaultInjectionFileSystem::drop_unsynced_data(double torn_fraction) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [name, state] : files_) {
    std::error_code ec;
    if (!std::filesystem::exists(name, ec)) continue;
    uint64_t unsynced = state.written > state.synced ? state.written - state.synced : 0;
    uint64_t keep = state.synced + static_cast<uint64_t>(static_cast<double>(unsynced) * torn_fraction);
    if (std::filesystem::file_size(name, ec) > keep) std::filesystem::resize_file(name, keep, ec);
    state.written = keep;
    state.synced = keep;
  }
}

}  // namespace cqld
