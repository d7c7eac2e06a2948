#include <gtest/gtest.h>

#include "admin/nodetool.h"
#include "admin/nodetool_channel.h"

namespace cqld::admin {
namespace {

TEST(HumanSize, FormatsAsCassandrasFileUtils) {
  EXPECT_EQ(human_size(0), "0 bytes");
  EXPECT_EQ(human_size(1023), "1023 bytes");
  EXPECT_EQ(human_size(1024), "1 KiB");
  EXPECT_EQ(human_size(87081), "85.04 KiB");
  EXPECT_EQ(human_size(1.5 * 1024 * 1024), "1.5 MiB");
  EXPECT_EQ(human_size(3.0 * 1024 * 1024 * 1024), "3 GiB");
}

TEST(NodetoolChannel, RequestsRoundTrip) {
  std::vector<std::string> args = {"tablestats", "-H", "ks.t", "", std::string("a\0b", 3)};
  std::vector<std::string> decoded;
  ASSERT_TRUE(decode_request(encode_request(args), &decoded));
  EXPECT_EQ(decoded, args);
}

TEST(NodetoolChannel, RefusesPartialAndMalformedRequests) {
  std::string whole = encode_request({"status", "ks"});
  std::vector<std::string> decoded;
  for (size_t n = 0; n < whole.size(); ++n) EXPECT_FALSE(decode_request(whole.substr(0, n), &decoded)) << n;
  EXPECT_FALSE(decode_request(whole + "x", &decoded));
  // A count of arguments the bytes cannot hold is refused before anything is reserved.
  EXPECT_FALSE(decode_request(std::string("\xff\xff\xff\xff", 4), &decoded));
}

TEST(NodetoolChannel, RepliesRoundTrip) {
  NodetoolReply reply{2, "out\n", "error: x\n"};
  NodetoolReply decoded;
  ASSERT_TRUE(decode_reply(encode_reply(reply), &decoded));
  EXPECT_EQ(decoded.exit_code, 2);
  EXPECT_EQ(decoded.out, reply.out);
  EXPECT_EQ(decoded.err, reply.err);
  EXPECT_FALSE(decode_reply(encode_reply(reply).substr(0, 5), &decoded));
}

}  // namespace
}  // namespace cqld::admin
