#include "common/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <future>

namespace cqld {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskThenStops) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(pool.try_submit([&] { ++ran; }));
    pool.stop();
    EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
  }
  EXPECT_EQ(ran.load(), 500);
}

TEST(WorkerPoolTest, AFullQueueRefusesTasks) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  WorkerPool pool(1, 2);
  std::promise<void> started;
  ASSERT_TRUE(pool.try_submit([&] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();  // the only worker is busy
  EXPECT_TRUE(pool.try_submit([] {}));
  EXPECT_TRUE(pool.try_submit([] {}));
  EXPECT_FALSE(pool.try_submit([] {}));  // two queued: the bound
  release.set_value();
  pool.stop();
  EXPECT_EQ(pool.queued(), 0u);
}

// A task blocked on one worker does not hold back tasks on the others.
TEST(WorkerPoolTest, ABlockedTaskDoesNotStallOthers) {
  // Declared before the pool, so they outlive its workers: the released task may still be
  // returning from wait() when the test ends (ASan found it reading a destroyed future).
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> other;
  WorkerPool pool(2, 10);
  ASSERT_TRUE(pool.try_submit([&] { released.wait(); }));
  ASSERT_TRUE(pool.try_submit([&] { other.set_value(); }));
  other.get_future().wait();  // completes while the first task still waits
  release.set_value();
}

// Tasks queued together while a worker searches, and each blocking until all are running, finish:
// the wakeups the search saved are passed on, so every worker takes part.
TEST(WorkerPoolTest, ABurstQueuedDuringASearchRunsOnEveryWorker) {
  constexpr int kWorkers = 4;
  for (int round = 0; round < 20; ++round) {
    std::atomic<int> running{0};
    std::atomic<int> done{0};
    WorkerPool pool(kWorkers, 100);
    // After one task the pool is idle again: one worker searches, the others sleep.
    ASSERT_TRUE(pool.try_submit([] {}));
    for (int i = 0; i < kWorkers; ++i) {
      ASSERT_TRUE(pool.try_submit([&] {
        ++running;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (running.load() < kWorkers && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        if (running.load() == kWorkers) ++done;
      }));
    }
    pool.stop();
    ASSERT_EQ(done.load(), kWorkers) << "round " << round;
  }
}

// A steady trickle of tasks, each queued after the previous one finished, wakes a sleeping
// worker far less than once a task: the searching worker takes them. (The search is long here,
// so a busy machine cannot make the gaps outlast it.)
TEST(WorkerPoolTest, ASearchingWorkerTakesTasksWithoutAWakeup) {
  WorkerPool pool(4, 100, std::chrono::seconds(2));
  constexpr int kTasks = 2000;
  for (int i = 0; i < kTasks; ++i) {
    std::promise<void> ran;
    ASSERT_TRUE(pool.try_submit([&] { ran.set_value(); }));
    ran.get_future().wait();
  }
  pool.stop();
  EXPECT_LT(pool.wakeups(), uint64_t{kTasks / 2});
}

}  // namespace
}  // namespace cqld
