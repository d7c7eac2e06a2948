#include "storage/keys.h"

#include <gtest/gtest.h>

#include <climits>

namespace cqld {
namespace {

std::string token_bytes(int64_t t) {
  std::string s;
  append_token(t, &s);
  return s;
}

TEST(KeysTest, TokenBytesSortNumerically) {
  const int64_t tokens[] = {INT64_MIN, -1000000, -1, 0, 1, 42, INT64_MAX};
  for (size_t i = 0; i + 1 < std::size(tokens); ++i) {
    EXPECT_LT(token_bytes(tokens[i]), token_bytes(tokens[i + 1])) << tokens[i];
    EXPECT_EQ(read_token(token_bytes(tokens[i])), tokens[i]);
  }
}

TEST(KeysTest, PartitionsOrderByTableThenToken) {
  EXPECT_LT(partition_prefix(1, INT64_MAX, "z"), partition_prefix(2, INT64_MIN, "a"));
  EXPECT_LT(partition_prefix(1, -5, "z"), partition_prefix(1, 7, "a"));
  EXPECT_LT(partition_prefix(1, 7, "a"), partition_prefix(1, 7, "b"));
}

TEST(KeysTest, PrefixSuccessorBoundsEveryExtension) {
  std::string p = partition_prefix(3, 9, "key");
  std::string succ = prefix_successor(p);
  EXPECT_LT(p + '\xff' + '\xff', succ);
  EXPECT_LT(p, succ);
  EXPECT_EQ(prefix_successor(std::string("a\xff\xff", 3)), "b");
}

TEST(KeysTest, PartitionEntriesKeepTheirDocumentedOrder) {
  std::string p = partition_prefix(1, 0, "k");
  auto tagged = [&](EntryTag t) { return p + static_cast<char>(t); };
  EXPECT_LT(tagged(EntryTag::kPartitionDeletion), tagged(EntryTag::kRangeTombstone));
  EXPECT_LT(tagged(EntryTag::kRangeTombstone), tagged(EntryTag::kStatic));
  EXPECT_LT(tagged(EntryTag::kStatic), tagged(EntryTag::kRow));
  EXPECT_LT(tagged(EntryTag::kRow) + "\xff\xff", prefix_successor(p));
}

}  // namespace
}  // namespace cqld
