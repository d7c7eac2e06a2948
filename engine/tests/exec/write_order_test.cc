// The barrier between requests and index builds: it waits for the operations started before it
// and not for those started after.
#include "exec/write_order.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace cqld {
namespace {

TEST(WriteOrderTest, WaitsForEarlierOperationsOnly) {
  WriteOrder order;
  auto earlier = std::make_unique<WriteOrder::Operation>(order.start());
  std::atomic<bool> passed{false};
  std::thread barrier([&] {
    order.await_earlier();
    passed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(passed.load());
  // An operation started while the barrier waits is not waited for.
  WriteOrder::Operation later = order.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(passed.load());
  earlier.reset();
  barrier.join();
  EXPECT_TRUE(passed.load());
}

TEST(WriteOrderTest, EndedAndMovedOperationsCountOnce) {
  WriteOrder order;
  WriteOrder::Operation a = order.start();
  WriteOrder::Operation b = std::move(a);
  a.end();  // moved from: nothing to end
  b.end();
  b.end();
  order.await_earlier();  // returns: nothing is running
  WriteOrder::Operation c = order.start();
  c = order.start();  // the first is ended by the assignment
  c.end();
  order.await_earlier();
  SUCCEED();
}

TEST(WriteOrderTest, OperationsOnManyThreadsAreAllWaitedFor) {
  WriteOrder order;
  constexpr int kThreads = 8;
  std::atomic<int> running{0};
  std::atomic<bool> release{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      WriteOrder::Operation op = order.start();
      ++running;
      while (!release) std::this_thread::yield();
      --running;
    });
  while (running < kThreads) std::this_thread::yield();
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    release = true;
  });
  order.await_earlier();
  EXPECT_EQ(running.load(), 0);
  releaser.join();
  for (auto& t : threads) t.join();
}

}  // namespace
}  // namespace cqld
