#include "common/text.h"

#include <gtest/gtest.h>

namespace cqld {
namespace {

TEST(TextTest, FoldsAsciiLettersOnly) {
  EXPECT_EQ(ascii_lower("SeLeCt \"Ab\" 1Z"), "select \"ab\" 1z");
  EXPECT_EQ(ascii_lower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // UTF-8 bytes untouched
  EXPECT_TRUE(ascii_iequals("NaN", "nan"));
  EXPECT_FALSE(ascii_iequals("NaN", "nan "));
  EXPECT_FALSE(ascii_iequals("\xC3\x89", "\xC3\xA9"));
}

TEST(TextTest, HexOfBytes) {
  EXPECT_EQ(to_hex(std::string("\x00\x0a\xff", 3)), "000aff");
  EXPECT_EQ(to_hex(""), "");
}

}  // namespace
}  // namespace cqld
