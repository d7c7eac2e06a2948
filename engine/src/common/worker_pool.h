// A fixed set of threads running tasks from a bounded queue: where cqld executes requests, so
// the I/O threads only frame bytes and a long scan or a lock wait never stalls other
// connections. A full queue refuses the task (the caller answers Overloaded), so the queue never
// grows without bound. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cqld {

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues "task"; false when the queue is full or the pool is stopping.
  bool try_submit(std::function<void()> task);
  // Runs what is queued, then joins the threads. Later submissions are refused. Idempotent.
  void stop();

  size_t threads() const { return threads_.size(); }
  size_t queued() const;

 private:
  void run();

  const size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cqld
