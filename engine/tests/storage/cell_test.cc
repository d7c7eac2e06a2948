#include "storage/cell.h"

#include <gtest/gtest.h>

namespace cqld {
namespace {

Cell live(int64_t ts, std::string value, int32_t ttl = 0, int64_t expires = 0) {
  Cell c;
  c.timestamp = ts;
  c.value = std::move(value);
  c.ttl = ttl;
  c.expires_at = expires;
  return c;
}

Cell dead(int64_t ts) {
  Cell c;
  c.timestamp = ts;
  c.tombstone = true;
  return c;
}

TEST(CellTest, RoundTripsEveryField) {
  Cell c = live(-5, std::string("\0ab", 3), 60, 1700000000);
  auto decoded = decode_cell(encode_cell(c));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->timestamp, -5);
  EXPECT_EQ(decoded->value, std::string("\0ab", 3));
  EXPECT_EQ(decoded->ttl, 60);
  EXPECT_EQ(decoded->expires_at, 1700000000);
  EXPECT_FALSE(decoded->tombstone);
  auto t = decode_cell(encode_cell(dead(7)));
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->tombstone);
  EXPECT_EQ(t->timestamp, 7);
}

TEST(CellTest, RejectsTruncatedInput) {
  std::string bytes = encode_cell(live(1, "x", 10, 20));
  EXPECT_FALSE(decode_cell(bytes.substr(0, 5)).has_value());
  EXPECT_FALSE(decode_cell(bytes.substr(0, 12)).has_value());
}

TEST(CellTest, HigherTimestampWinsWhateverTheOrderOfArrival) {
  EXPECT_TRUE(cell_wins(live(2, "a"), live(1, "z")));
  EXPECT_FALSE(cell_wins(live(1, "z"), live(2, "a")));
  EXPECT_TRUE(cell_wins(live(3, "a"), dead(2)));
  EXPECT_TRUE(cell_wins(dead(3), live(2, "a")));
}

TEST(CellTest, TiesFollowCassandraReconciliation) {
  EXPECT_TRUE(cell_wins(dead(5), live(5, "a")));
  EXPECT_FALSE(cell_wins(live(5, "a"), dead(5)));
  EXPECT_TRUE(cell_wins(live(5, "a", 10, 100), live(5, "b")));
  EXPECT_TRUE(cell_wins(live(5, "a", 10, 200), live(5, "a", 10, 100)));
  EXPECT_TRUE(cell_wins(live(5, "b"), live(5, "a")));
  EXPECT_TRUE(cell_wins(live(5, "\x80"), live(5, "\x7f")));  // unsigned byte order
}

TEST(CellTest, ExpiryMakesACellDead) {
  Cell c = live(1, "x", 10, 100);
  EXPECT_TRUE(c.is_live(99));
  EXPECT_FALSE(c.is_live(100));
  EXPECT_FALSE(dead(1).is_live(0));
}

}  // namespace
}  // namespace cqld
