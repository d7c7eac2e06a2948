// The protocol v5 outer framing ("segments", called frames in the spec's section 2), with no
// sockets: after the STARTUP handshake a v5 connection carries its envelopes (the v4-layout
// frames) inside segments. A segment is a little-endian header (payload length and the
// self-contained flag, plus the uncompressed length when lz4 is on) protected by a CRC24, a
// payload of at most 128 KiB - 1 bytes, and the payload's CRC32. A self-contained segment holds
// whole envelopes; a larger envelope is split across a run of segments that are not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cqld::transport::segment {

constexpr size_t kMaxPayload = (size_t{1} << 17) - 1;
constexpr size_t kHeaderSize = 6;            // 3 bytes of fields + CRC24
constexpr size_t kCompressedHeaderSize = 8;  // 5 bytes of fields + CRC24
constexpr size_t kTrailerSize = 4;           // CRC32 of the payload as sent

// The big-endian int32 at "offset" (an envelope's length field is at 5).
uint32_t read_be32(std::string_view bytes, size_t offset);

// Cassandra's CRC24 (init 0x875060, polynomial 0x1974F0B) over the "length" low bytes of
// "bytes", least significant first.
uint32_t crc24(uint64_t bytes, size_t length);
// Cassandra's CRC32: the zlib CRC32 of the bytes FA 2D 55 CA followed by "data".
uint32_t crc32(std::string_view data);

// Encodes one envelope as segments: one self-contained segment when it fits, else a run of
// segments of kMaxPayload bytes (the last one shorter), none self-contained. With "lz4", each
// payload is compressed unless that would not make it smaller (then it is sent as is, with an
// uncompressed length of 0, as the spec allows).
std::string encode(std::string_view envelope, bool lz4);
// Appends one segment carrying "payload" (at most kMaxPayload bytes).
void append_segment(std::string& out, std::string_view payload, bool self_contained, bool lz4);

struct Header {
  size_t payload_length = 0;       // bytes that follow the header, before the CRC32
  size_t uncompressed_length = 0;  // lz4 only; 0: the payload is not compressed
  bool self_contained = false;
};

// A header or payload whose CRC does not match what was sent. Nothing after it can be trusted
// to start a segment, so the connection answers with a protocol error and closes, as
// Cassandra does. what(): "invalid, unrecoverable CRC mismatch detected in frame header. Read
// R, Computed C" (Cassandra prefixes its connection id, and prints the CRCs as Java ints).
class CrcMismatch : public std::runtime_error {
 public:
  CrcMismatch(std::string_view part, uint32_t read, uint32_t computed);
};

// Parses a segment header of header_size(lz4) bytes. Throws CrcMismatch.
Header parse_header(std::string_view bytes, bool lz4);
inline size_t header_size(bool lz4) { return lz4 ? kCompressedHeaderSize : kHeaderSize; }

// Checks the CRC32 trailer of "payload_and_trailer" (payload_length + 4 bytes) and returns the
// payload, decompressed. Throws CrcMismatch, or ProtocolError on corrupt lz4 data.
std::string decode_payload(const Header& header, std::string_view payload_and_trailer);

// Reassembles envelopes from decoded segment payloads, in order. A self-contained payload must
// hold whole envelopes; a run of other payloads holds one envelope. An envelope whose declared
// body exceeds "max_body" is not held: its remaining segments are dropped as they come, and it
// is reported once, by its header, as refused. Like Cassandra's v5 message limit, "max_body"
// counts the envelope's body, not its 9-byte header.
class EnvelopeAssembler {
 public:
  explicit EnvelopeAssembler(size_t max_body) : max_body_(max_body) {}

  struct Envelope {
    std::string bytes;      // 9-byte header + body; only the header when refused
    bool refused = false;   // declared body above max_body: answer with the size error
  };

  // Takes one payload and returns the envelopes it completes. Throws ProtocolError when the
  // payloads do not frame envelopes (a self-contained payload that splits one, a header split
  // across segments of a large envelope, a negative length).
  std::vector<Envelope> add(std::string_view payload, bool self_contained);
  // Bytes held for an envelope still being assembled.
  size_t pending_bytes() const { return pending_.size(); }

 private:
  size_t max_body_;
  std::string pending_;        // the large envelope so far
  size_t pending_total_ = 0;   // its header + declared body
  size_t discard_left_ = 0;    // bytes still to drop of a refused large envelope
  std::string refused_header_;  // its header, answered when its last byte is dropped
};

}  // namespace cqld::transport::segment
