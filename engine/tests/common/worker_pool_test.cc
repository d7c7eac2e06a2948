#include "common/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace cqld
