#include "types/token.h"

#include <gtest/gtest.h>

namespace cqld {
namespace {

TEST(TokenTest, EmptyKey) { EXPECT_EQ(murmur3_token(""), 0); }

}  // namespace
}  // namespace cqld
