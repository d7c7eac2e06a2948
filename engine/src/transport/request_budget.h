// A process-wide bound on the bytes of large request frames buffered at once across all
// connections, so many clients sending big frames together cannot exhaust memory. Frames that
// do not fit wait for others to be processed; a frame always fits when nothing else is held,
// so every frame within the frame-size limit is eventually read. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>

namespace cqld::transport {

class RequestBudget {
 public:
  explicit RequestBudget(size_t limit) : limit_(limit) {}

  // Takes "n" bytes if they fit under the limit, or if nothing is held. Returns whether taken.
  bool try_acquire(size_t n);
  void release(size_t n) { used_.fetch_sub(n); }
  size_t used() const { return used_.load(); }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
};

}  // namespace cqld::transport
