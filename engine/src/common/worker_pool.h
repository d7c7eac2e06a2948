// A fixed set of threads running tasks from a bounded queue: where cqld executes requests, so
// the I/O threads only frame bytes and a long scan or a lock wait never stalls other
// connections. A full queue refuses the task (the caller answers Overloaded), so the queue never
// grows without bound. Thread-safe.
//
// Handing a task to a sleeping thread costs a futex wake and two context switches, more than a
// point read itself. So a worker that runs out of tasks first looks for a new one for a short
// while before it sleeps (one such searching worker at a time, yielding the core as it looks),
// and a task queued while a worker searches wakes nobody. Under a steady stream of requests
// the workers rarely sleep; an idle pool sleeps after one short search.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cqld {

class WorkerPool {
 public:
  // How long the searching worker looks for a task before it sleeps.
  static constexpr std::chrono::microseconds kSearchTime{50};

  WorkerPool(size_t threads, size_t max_queued, std::chrono::microseconds search_time = kSearchTime);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues "task"; false when the queue is full or the pool is stopping.
  bool try_submit(std::function<void()> task);
  // Runs what is queued, then joins the threads. Later submissions are refused. Idempotent.
  void stop();

  size_t threads() const { return threads_.size(); }
  size_t queued() const;
  // How often a submission had to wake a sleeping worker (for tests and benchmarks).
  uint64_t wakeups() const { return wakeups_.load(std::memory_order_relaxed); }

 private:
  void run();
  // Takes the next task, searching then sleeping while there is none; false once stopping with
  // nothing left to run.
  bool next_task(std::function<void()>* task);
  // Looks for a task for up to search_time_ without sleeping, or until stop().
  void search();
  // mutex_ held; wakes another worker when tasks remain that no one was woken for.
  bool pop(std::function<void()>* task);
  // mutex_ held: wakes a sleeping worker unless one is searching (it will take the task).
  void wake_one_unless_searching();

  const size_t max_queued_;
  const std::chrono::microseconds search_time_;
  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<std::function<void()>> queue_;   // guarded by mutex_
  size_t sleeping_ = 0;                       // guarded by mutex_
  std::atomic<bool> stopping_{false};         // set under mutex_; read by the search without it
  std::atomic<size_t> queue_length_{0};       // queue_.size(), readable without the mutex
  std::atomic<bool> searching_{false};        // a worker is looking for a task
  std::atomic<uint64_t> wakeups_{0};
  std::vector<std::thread> threads_;
};

}  // namespace cqld
