#include "common/worker_pool.h"

#include <algorithm>

namespace cqld {

WorkerPool::WorkerPool(size_t threads, size_t max_queued, std::chrono::microseconds search_time)
    : max_queued_(max_queued), search_time_(search_time) {
  for (size_t i = 0; i < std::max<size_t>(1, threads); ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(task));
    queue_length_.store(queue_.size(), std::memory_order_release);
    // A searching worker takes the task; it looks at the queue again under this mutex before
    // it sleeps, so skipping the wakeup here loses no task.
    wake_one_unless_searching();
  }
  return true;
}

void WorkerPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_.store(true, std::memory_order_release);
  }
  wakeup_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

size_t WorkerPool::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void WorkerPool::run() {
  std::function<void()> task;
  while (next_task(&task)) {
    task();
    task = nullptr;  // the task's captures are released before the next wait
  }
}

bool WorkerPool::next_task(std::function<void()>* task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pop(task)) return true;
  }
  // Only one worker searches at a time: the others would only burn the cores it leaves.
  bool expected = false;
  if (searching_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
    search();
    std::lock_guard<std::mutex> lock(mutex_);
    searching_.store(false, std::memory_order_release);
    if (pop(task)) return true;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (pop(task)) return true;
    if (stopping_) return false;
    ++sleeping_;
    wakeup_.wait(lock);
    --sleeping_;
  }
}

void WorkerPool::search() {
  auto deadline = std::chrono::steady_clock::now() + search_time_;
  while (queue_length_.load(std::memory_order_acquire) == 0 && !stopping_.load(std::memory_order_acquire) &&
         std::chrono::steady_clock::now() < deadline) {
    // Yielding lets the I/O thread that will queue the next task run on this core.
    std::this_thread::yield();
  }
}

bool WorkerPool::pop(std::function<void()>* task) {
  if (queue_.empty()) return false;
  *task = std::move(queue_.front());
  queue_.pop_front();
  queue_length_.store(queue_.size(), std::memory_order_release);
  // Tasks queued while a worker searched woke nobody: each taker passes the wakeup on, so a
  // burst still spreads over every worker.
  if (!queue_.empty()) wake_one_unless_searching();
  return true;
}

void WorkerPool::wake_one_unless_searching() {
  if (sleeping_ == 0 || searching_.load(std::memory_order_acquire)) return;
  wakeups_.fetch_add(1, std::memory_order_relaxed);
  wakeup_.notify_one();
}

}  // namespace cqld
