#include "transport/segment.h"

#include <gtest/gtest.h>

#include <string>

#include "common/errors.h"
#include "transport/frame.h"

namespace cqld::transport::segment {
namespace {

// An OPTIONS envelope (v5, stream 9, empty body), as the CRC vectors below were taken with.
const std::string kOptions("\x05\x00\x00\x09\x05\x00\x00\x00\x00", 9);

std::string envelope(size_t body_size, char fill = 'b', int16_t stream = 1) {
  std::string out;
  append_response_header(out, kFirstSegmentedVersion, 0, stream, Opcode::kQuery, static_cast<uint32_t>(body_size));
  out[0] = static_cast<char>(kFirstSegmentedVersion);  // a request
  out.append(body_size, fill);
  return out;
}

// Reads a stream of segments back into envelopes, as a connection does.
std::vector<EnvelopeAssembler::Envelope> read_all(std::string_view stream, bool lz4, size_t max_frame = 1 << 24) {
  EnvelopeAssembler assembler(max_frame);
  std::vector<EnvelopeAssembler::Envelope> out;
  size_t header_size = segment::header_size(lz4);
  while (!stream.empty()) {
    Header h = parse_header(stream, lz4);
    EXPECT_LE(h.payload_length, kMaxPayload);
    size_t length = header_size + h.payload_length + kTrailerSize;
    std::string payload = decode_payload(h, stream.substr(header_size, length - header_size));
    for (auto& e : assembler.add(payload, h.self_contained)) out.push_back(std::move(e));
    stream.remove_prefix(length);
  }
  EXPECT_EQ(assembler.pending_bytes(), 0u);
  return out;
}

// Values Cassandra 5.0.8 computed for kOptions in one self-contained segment (it prints both in
// its CRC mismatch errors: "Computed 12699812" for the header, "Computed 1780996056" for the body).
TEST(SegmentTest, CrcsMatchCassandra) {
  EXPECT_EQ(crc24(kOptions.size() | (1u << 17), 3), 12699812u);
  EXPECT_EQ(crc32(kOptions), 1780996056u);
  // The check value of the seeded CRC32 differs from zlib's plain 0xCBF43926 for "123456789".
  EXPECT_EQ(crc32("123456789"), 3802292647u);
  EXPECT_EQ(crc24(0, 3), 8251255u);
}

TEST(SegmentTest, UncompressedHeaderLayout) {
  std::string out;
  append_segment(out, kOptions, /*self_contained=*/true, /*lz4=*/false);
  ASSERT_EQ(out.size(), kHeaderSize + kOptions.size() + kTrailerSize);
  // 17 bits of length, then the self-contained bit, little-endian.
  EXPECT_EQ(static_cast<uint8_t>(out[0]), 9);
  EXPECT_EQ(static_cast<uint8_t>(out[1]), 0);
  EXPECT_EQ(static_cast<uint8_t>(out[2]), 0x02);
  uint32_t crc = static_cast<uint8_t>(out[3]) | static_cast<uint8_t>(out[4]) << 8 | static_cast<uint8_t>(out[5]) << 16;
  EXPECT_EQ(crc, 12699812u);
  EXPECT_EQ(out.substr(kHeaderSize, kOptions.size()), kOptions);
  Header h = parse_header(out, false);
  EXPECT_EQ(h.payload_length, 9u);
  EXPECT_TRUE(h.self_contained);
  EXPECT_EQ(decode_payload(h, std::string_view(out).substr(kHeaderSize)), kOptions);
}

TEST(SegmentTest, SmallEnvelopeIsOneSelfContainedSegment) {
  std::string e = envelope(100);
  for (bool lz4 : {false, true}) {
    std::string stream = encode(e, lz4);
    EXPECT_TRUE(parse_header(stream, lz4).self_contained);
    auto got = read_all(stream, lz4);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, e);
    EXPECT_FALSE(got[0].refused);
  }
}

TEST(SegmentTest, LargeEnvelopeIsSplitAtMaxPayloadAndJoined) {
  std::string e = envelope(3 * kMaxPayload + 10, 'x');
  for (bool lz4 : {false, true}) {
    std::string stream = encode(e, lz4);
    // Four segments, none self-contained; without lz4 each full one carries 128 KiB - 1.
    std::string_view rest = stream;
    int segments = 0;
    while (!rest.empty()) {
      Header h = parse_header(rest, lz4);
      EXPECT_FALSE(h.self_contained);
      if (!lz4 && segments < 3) {
        EXPECT_EQ(h.payload_length, kMaxPayload);
      }
      if (lz4) {
        EXPECT_LT(h.payload_length, h.uncompressed_length);  // 'x' * n compresses
      }
      rest.remove_prefix(segment::header_size(lz4) + h.payload_length + kTrailerSize);
      ++segments;
    }
    EXPECT_EQ(segments, 4);
    auto got = read_all(stream, lz4);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, e);
  }
}

TEST(SegmentTest, EnvelopeOfExactlyMaxPayloadStaysSelfContained) {
  std::string e = envelope(kMaxPayload - transport::kHeaderSize);
  ASSERT_EQ(e.size(), kMaxPayload);
  EXPECT_TRUE(parse_header(encode(e, false), false).self_contained);
  EXPECT_FALSE(parse_header(encode(envelope(kMaxPayload), false), false).self_contained);
}

TEST(SegmentTest, SelfContainedSegmentMayHoldSeveralEnvelopes) {
  std::string a = envelope(5, 'a', 1), b = envelope(0, 'b', 2), c = envelope(70, 'c', 3);
  std::string stream;
  append_segment(stream, a + b + c, true, false);
  auto got = read_all(stream, false);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].bytes, a);
  EXPECT_EQ(got[1].bytes, b);
  EXPECT_EQ(got[2].bytes, c);
}

TEST(SegmentTest, IncompressiblePayloadIsSentAsIsUnderLz4) {
  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 4000; ++i) {
    x = x * 1103515245 + 12345;
    noise.push_back(static_cast<char>(x >> 24));
  }
  std::string out;
  append_segment(out, noise, true, true);
  Header h = parse_header(out, true);
  EXPECT_EQ(h.uncompressed_length, 0u);  // "use the payload as is"
  EXPECT_EQ(h.payload_length, noise.size());
  EXPECT_EQ(decode_payload(h, std::string_view(out).substr(kCompressedHeaderSize)), noise);
}

TEST(SegmentTest, CorruptHeaderIsACrcMismatch) {
  std::string out = encode(kOptions, false);
  out[0] ^= 0x01;
  try {
    parse_header(out, false);
    FAIL() << "a corrupt header parsed";
  } catch (const CrcMismatch& e) {
    EXPECT_STREQ(e.what(),
                 "invalid, unrecoverable CRC mismatch detected in frame header. Read 12699812, Computed 11118780");
  }
  std::string lz4 = encode(kOptions, true);
  lz4[3] ^= 0x40;
  EXPECT_THROW(parse_header(lz4, true), CrcMismatch);
}

TEST(SegmentTest, CorruptPayloadIsACrcMismatchWithCassandrasMessage) {
  std::string out = encode(kOptions, false);
  out[out.size() - kTrailerSize] ^= 0x01;  // the trailer's low byte, as the raw test sent Cassandra
  Header h = parse_header(out, false);
  try {
    decode_payload(h, std::string_view(out).substr(kHeaderSize));
    FAIL() << "a corrupt payload decoded";
  } catch (const CrcMismatch& e) {
    EXPECT_STREQ(e.what(),
                 "invalid, unrecoverable CRC mismatch detected in frame body. Read 1780996057, Computed 1780996056");
  }
  std::string flipped = encode(kOptions, false);
  flipped[kHeaderSize + 4] ^= 0x10;  // the payload itself
  EXPECT_THROW(decode_payload(parse_header(flipped, false), std::string_view(flipped).substr(kHeaderSize)),
               CrcMismatch);
}

TEST(SegmentTest, CorruptLz4DataIsAProtocolError) {
  std::string out;
  Header h;
  h.payload_length = 4;
  h.uncompressed_length = 1000;
  std::string garbage("\xff\xff\xff\xff", 4);
  uint32_t crc = crc32(garbage);
  std::string with_trailer = garbage;
  for (int i = 0; i < 4; ++i) with_trailer.push_back(static_cast<char>(crc >> (8 * i)));
  EXPECT_THROW(decode_payload(h, with_trailer), ProtocolError);
}

TEST(SegmentTest, DeclaredTooBigEnvelopeIsRefusedByItsHeaderAndNeverHeld) {
  size_t max_frame = 200000;
  std::string big = envelope(300000, 'z');
  EnvelopeAssembler assembler(max_frame);
  std::string_view rest = big;
  EXPECT_TRUE(assembler.add(rest.substr(0, kMaxPayload), false).empty());
  EXPECT_EQ(assembler.pending_bytes(), 0u);
  rest.remove_prefix(kMaxPayload);
  // Dropped as it comes; refused (by the header alone) when its last segment has arrived.
  std::vector<EnvelopeAssembler::Envelope> refused;
  while (!rest.empty()) {
    std::string_view chunk = rest.substr(0, kMaxPayload);
    refused = assembler.add(chunk, false);
    EXPECT_EQ(assembler.pending_bytes(), 0u);
    rest.remove_prefix(chunk.size());
    EXPECT_EQ(refused.empty(), !rest.empty());
  }
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_TRUE(refused[0].refused);
  EXPECT_EQ(refused[0].bytes, big.substr(0, transport::kHeaderSize));
  // The next envelope is read normally.
  auto next = assembler.add(envelope(3), true);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_FALSE(next[0].refused);
}

TEST(SegmentTest, PayloadsThatDoNotFrameEnvelopesAreProtocolErrors) {
  EnvelopeAssembler a(1 << 20);
  // A self-contained payload that ends inside an envelope.
  EXPECT_THROW(a.add(envelope(50).substr(0, 30), true), ProtocolError);
  // A header cut short.
  EXPECT_THROW(a.add(std::string("\x05\x00", 2), true), ProtocolError);
  // A negative body length.
  std::string negative = envelope(0);
  negative[5] = '\xff';
  EXPECT_THROW(a.add(negative, true), ProtocolError);
  // A large envelope's run interrupted by a self-contained segment.
  EnvelopeAssembler b(1 << 20);
  std::string large = envelope(1000);
  EXPECT_TRUE(b.add(std::string_view(large).substr(0, 500), false).empty());
  EXPECT_EQ(b.pending_bytes(), 500u);
  EXPECT_THROW(b.add(envelope(1), true), ProtocolError);
  // A run that goes past its envelope's end.
  EnvelopeAssembler c(1 << 20);
  EXPECT_TRUE(c.add(std::string_view(large).substr(0, 500), false).empty());
  EXPECT_THROW(c.add(std::string(600, 'q'), false), ProtocolError);
}

}  // namespace
}  // namespace cqld::transport::segment
