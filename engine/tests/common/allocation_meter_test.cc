#include "common/allocation_meter.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace cqld {
namespace {

TEST(AllocationMeterTest, CountsWhatTheThreadAllocatesWhileAlive) {
  AllocationMeter outer;
  std::vector<std::unique_ptr<char[]>> kept;
  {
    AllocationMeter inner;
    for (int i = 0; i < 10; ++i) kept.emplace_back(new char[1000]);
    EXPECT_GE(inner.bytes(), 10000u);
    EXPECT_LT(inner.bytes(), 20000u);
  }
  EXPECT_GE(outer.bytes(), 10000u);  // the inner meter's bytes count for the outer one
  size_t before = outer.bytes();
  std::string s(100000, 'x');
  EXPECT_GE(outer.bytes(), before + 100000);
}

}  // namespace
}  // namespace cqld
