#include "types/token.h"

#include <gtest/gtest.h>

#include <limits>
#include <utility>
#include <vector>

namespace cqld {
namespace {

// Expected tokens were computed with the python-driver (cassandra-driver 3.29.3), whose
// murmur3 reproduces Cassandra's Murmur3Partitioner, sign-extended tail bytes included:
//   from cassandra.murmur3 import murmur3; murmur3(key_bytes)
// The keys cover every tail length (0..17 bytes), several blocks, and bytes >= 0x80.
const std::vector<std::pair<std::string, int64_t>>& Vectors() {
  static const std::vector<std::pair<std::string, int64_t>> kVectors = {
      {std::string("", 0), 0LL},
      {std::string("\x61", 1), -8839064797231613815LL},
      {std::string("\x61\x62", 2), -7815133031266706642LL},
      {std::string("\x61\x62\x63", 3), -5434086359492102041LL},
      {std::string("\x01\x02\x03\x04", 4), 720734999560851427LL},
      {std::string("\x68\x65\x6c\x6c\x6f", 5), -3758069500696749310LL},
      {std::string("\x31\x32\x33\x34\x35\x36", 6), -2010911088018992938LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37", 7), 3232113351312417698LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38", 8), 4272337174398058908LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39", 9), 4360720697772133540LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30", 10), -1370700782722513142LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31", 11), 3063849707784841171LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32", 12), -2475040756973033196LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32\x33", 13),
       -2027197603272007863LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32\x33\x34", 14),
       9030246602903440529LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32\x33\x34\x35", 15),
       -8615384237594390570LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32\x33\x34\x35\x36", 16),
       5746133278497385720LL},
      {std::string("\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32\x33\x34\x35\x36\x37", 17),
       8396424490441422718LL},
      {std::string("\x80", 1), -5284281814142962636LL},
      {std::string("\xff\xff\xff", 3), -9154616442117352147LL},
      {std::string("\x00\x80\xff\x7f\x81\xfe\x90\xa0\xb0", 9), -2173702962852422422LL},
      {std::string("\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90", 17),
       -3616694464407856223LL},
      {std::string(
           "\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc"
           "\xdd\xde\xdf\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef",
           40),
       -1860465978298901019LL},
      {std::string("\x00\x00\x00\x01", 4), -4069959284402364209LL},
      {std::string("\x00\x00\x00\x00\x00\x00\x00\x2a", 8), 8623491988607824794LL},
      {std::string("\x70", 1), -4369997082720685421LL},
      {std::string("\x70\x7d", 2), -8163904456184873638LL},
      {std::string("\x70\x7d\x8a", 3), -2769908705519560780LL},
      {std::string("\x70\x7d\x8a\x97", 4), 8041393047759143786LL},
      {std::string("\x70\x7d\x8a\x97\xa4", 5), -7494056812431643303LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1", 6), 4962079219606822234LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe", 7), -6913097597815405898LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb", 8), 8844327434252172448LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8", 9), -421446127117592892LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5", 10), 2223469220914281489LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5\xf2", 11), 8504283064179529287LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5\xf2\xff", 12), 1161085108885611667LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5\xf2\xff\x0c", 13),
       7071580435009049293LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5\xf2\xff\x0c\x19", 14),
       697075473437115312LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5\xf2\xff\x0c\x19\x26", 15),
       -3734785082982542466LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5\xf2\xff\x0c\x19\x26\x33", 16),
       6124365830581399290LL},
      {std::string("\x70\x7d\x8a\x97\xa4\xb1\xbe\xcb\xd8\xe5\xf2\xff\x0c\x19\x26\x33\x40", 17),
       -7692982877251525585LL},
  };
  return kVectors;
}

TEST(TokenTest, MatchesPythonDriver) {
  for (const auto& [key, token] : Vectors()) {
    EXPECT_EQ(murmur3_token(key), token) << "key length " << key.size();
  }
}

TEST(TokenTest, CompositeKeyRoundTrip) {
  std::string a("\x00\x01", 2), b = "text", c;
  std::string key = serialize_partition_key({a, b, c});
  EXPECT_EQ(key, std::string("\x00\x02\x00\x01\x00\x00\x04text\x00\x00\x00\x00", 15));
  EXPECT_EQ(split_partition_key(key, 3), (std::vector<std::string>{a, b, c}));
}

TEST(TokenTest, SingleComponentKeyIsTheValue) {
  EXPECT_EQ(serialize_partition_key({"abc"}), "abc");
  EXPECT_EQ(split_partition_key("abc", 1), std::vector<std::string>{"abc"});
}

TEST(TokenTest, TruncatedCompositeKeyThrows) {
  EXPECT_THROW((void)split_partition_key(std::string("\x00\x05"
                                                     "ab",
                                                     4),
                                         2),
               std::runtime_error);
}

}  // namespace
}  // namespace cqld
