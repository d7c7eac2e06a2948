#include "transport/compression.h"

#include <gtest/gtest.h>
#include <lz4.h>

#include "common/errors.h"

namespace cqld::transport {
namespace {

std::string sample() {
  std::string s;
  for (int i = 0; i < 1000; ++i) s += "row " + std::to_string(i % 17) + ";";
  return s;
}

TEST(CompressionTest, NamesAreCaseInsensitive) {
  EXPECT_EQ(compression_by_name("lz4"), Compression::kLz4);
  EXPECT_EQ(compression_by_name("LZ4"), Compression::kLz4);
  EXPECT_EQ(compression_by_name("snappy"), Compression::kSnappy);
  EXPECT_EQ(compression_by_name("zstd"), std::nullopt);
}

TEST(CompressionTest, RoundTrips) {
  for (Compression c : {Compression::kLz4, Compression::kSnappy}) {
    for (const std::string& body : {std::string(), std::string("x"), sample()}) {
      std::string packed = compress(c, body);
      EXPECT_EQ(decompress(c, packed, body.size() + 1), body);
    }
  }
  EXPECT_LT(compress(Compression::kLz4, sample()).size(), sample().size());
}

TEST(CompressionTest, Lz4BodyStartsWithBigEndianUncompressedLength) {
  std::string body = sample();
  std::string packed = compress(Compression::kLz4, body);
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<uint8_t>(packed[i]);
  EXPECT_EQ(n, body.size());
  std::string raw(body.size(), '\0');
  int got = LZ4_decompress_safe(packed.data() + 4, raw.data(), static_cast<int>(packed.size() - 4),
                                static_cast<int>(raw.size()));
  EXPECT_EQ(got, static_cast<int>(body.size()));
  EXPECT_EQ(raw, body);
}

TEST(CompressionTest, CorruptOrOversizedInputIsAProtocolError) {
  std::string packed = compress(Compression::kLz4, sample());
  EXPECT_THROW(decompress(Compression::kLz4, packed, 10), ProtocolError);
  EXPECT_THROW(decompress(Compression::kLz4, "\x00\x00", 100), ProtocolError);
  std::string lying = packed;
  lying[0] = '\x7F';
  EXPECT_THROW(decompress(Compression::kLz4, lying, size_t{1} << 20), ProtocolError);
  std::string truncated = packed.substr(0, packed.size() / 2);
  EXPECT_THROW(decompress(Compression::kLz4, truncated, size_t{1} << 20), ProtocolError);
  std::string snappy = compress(Compression::kSnappy, sample());
  EXPECT_THROW(decompress(Compression::kSnappy, snappy, 10), ProtocolError);
  EXPECT_THROW(decompress(Compression::kSnappy, snappy.substr(0, 5), 1 << 20), ProtocolError);
  EXPECT_THROW(decompress(Compression::kNone, "x", 10), ProtocolError);
}

// The most compressible bodies still decompress (a long run of one byte is LZ4's and snappy's
// best case), and a small body that claims a huge size is refused before it is allocated.
TEST(CompressionTest, DeclaredSizesBeyondWhatTheBodyCanHoldAreRefused) {
  std::string run(size_t{8} << 20, 'a');
  for (Compression c : {Compression::kLz4, Compression::kSnappy}) {
    EXPECT_EQ(decompress(c, compress(c, run), run.size()), run);
  }
  std::string lz4_claim = std::string("\x10\x00\x00\x00", 4) + std::string(13, '\0');  // 256 MiB in 17 bytes
  try {
    decompress(Compression::kLz4, lz4_claim, size_t{1} << 30);
    FAIL() << "accepted";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot hold"), std::string::npos) << e.what();
  }
  std::string snappy_claim = std::string("\x80\x80\x80\x80\x01", 5) + std::string(12, '\0');  // varint 256 MiB
  EXPECT_THROW(decompress(Compression::kSnappy, snappy_claim, size_t{1} << 30), ProtocolError);
}

}  // namespace
}  // namespace cqld::transport
