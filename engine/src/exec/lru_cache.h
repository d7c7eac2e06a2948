// A least-recently-used cache bounded by the bytes its entries cost (as measured when they were
// made), for parsed and prepared statements. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cqld {

template <class V>
class LruCache {
 public:
  explicit LruCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The entry, now the most recently used; null if absent.
  std::shared_ptr<V> get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second.position);
    return it->second.value;
  }

  // Keeps "value" at "cost" bytes, evicting the least recently used entries beyond the capacity.
  // An entry that alone would take more than an eighth of the capacity is not kept: one huge
  // statement must not flush everything else.
  void put(const std::string& key, std::shared_ptr<V> value, size_t cost) {
    if (cost > capacity_ / kMaxShare) return;
    std::lock_guard<std::mutex> lock(mutex_);
    remove_locked(key);
    order_.push_front(key);
    entries_.emplace(key, Entry{std::move(value), cost, order_.begin()});
    bytes_ += cost;
    while (bytes_ > capacity_ && !order_.empty()) remove_locked(order_.back());
  }

  void erase(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    remove_locked(key);
  }

  size_t bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

 private:
  static constexpr size_t kMaxShare = 8;
  struct Entry {
    std::shared_ptr<V> value;
    size_t cost;
    std::list<std::string>::iterator position;
  };
  void remove_locked(const std::string& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    bytes_ -= it->second.cost;
    order_.erase(it->second.position);
    entries_.erase(it);
  }

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::list<std::string> order_;  // most recent first
  std::unordered_map<std::string, Entry> entries_;
  size_t bytes_ = 0;
};

}  // namespace cqld
