#include "transport/request_budget.h"

#include <gtest/gtest.h>

namespace cqld::transport {
namespace {

TEST(RequestBudgetTest, BoundsTheTotalButAlwaysAdmitsALoneFrame) {
  RequestBudget budget(100);
  EXPECT_TRUE(budget.try_acquire(60));
  EXPECT_TRUE(budget.try_acquire(40));
  EXPECT_FALSE(budget.try_acquire(1));
  budget.release(60);
  EXPECT_FALSE(budget.try_acquire(61));
  EXPECT_TRUE(budget.try_acquire(60));
  budget.release(100);
  EXPECT_EQ(budget.used(), 0u);
  EXPECT_TRUE(budget.try_acquire(1000));
  EXPECT_FALSE(budget.try_acquire(1));
  budget.release(1000);
}

}  // namespace
}  // namespace cqld::transport
