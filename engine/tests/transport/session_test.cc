#include "transport/session.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace cqld::transport {
namespace {

using testing::error_of;
using testing::parse_frame;
using testing::query_body;
using testing::request_frame;
using testing::ScriptedProcessor;
using testing::startup_body;

// Feeds a full request frame (as bytes) to the session the way a connection does.
Reply feed(Session& session, const std::string& frame) {
  FrameHeader h = parse_header(frame);
  if (auto refusal = session.check_header(h)) return *refusal;
  return session.handle(h, std::string_view(frame).substr(kHeaderSize));
}

class SessionTest : public ::testing::Test {
 protected:
  Reply send(Opcode op, const std::string& body, int16_t stream = 1, uint8_t flags = 0) {
    return feed(session_, request_frame(op, body, stream, version_, flags));
  }
  void start(const std::string& compression = "") {
    ParsedFrame ready = parse_frame(send(Opcode::kStartup, startup_body(compression)).frame);
    ASSERT_EQ(ready.header.opcode, static_cast<uint8_t>(Opcode::kReady));
    ASSERT_EQ(ready.header.flags, 0);
  }

  using ParsedFrame = testing::ParsedFrame;
  ScriptedProcessor processor_;
  uint8_t version_ = 4;
  Session session_{processor_, SessionOptions{}, ClientState{"", "10.0.0.2", "10.0.0.1"}};
};

TEST_F(SessionTest, UnsupportedVersionsGetAV4ProtocolErrorEchoingTheStream) {
  for (uint8_t version : {0x01, 0x02, 0x06, 0x41, 0x42, 0x47}) {
    Reply reply = Session::unsupported_version(version, 7);
    EXPECT_TRUE(reply.close);
    ParsedFrame f = parse_frame(reply.frame);
    EXPECT_EQ(static_cast<uint8_t>(reply.frame[0]), 0x84);
    EXPECT_EQ(f.header.stream, 7);
    EXPECT_EQ(f.header.opcode, static_cast<uint8_t>(Opcode::kError));
    auto [code, message] = error_of(f.body);
    EXPECT_EQ(code, 0x000A);
    EXPECT_EQ(message, "Invalid or unsupported protocol version (" +
                           std::to_string(version & 0x7F) +
                           "); supported versions are (3/v3, 4/v4, 5/v5)");
  }
}

TEST_F(SessionTest, StreamOfOldVersionsIsOneByte) {
  EXPECT_EQ(bytes_needed_for_stream(0x02), 3u);
  EXPECT_EQ(peek_stream(std::string("\x02\x00\x05", 3)), 5);
  EXPECT_EQ(bytes_needed_for_stream(0x05), 4u);
  EXPECT_EQ(peek_stream(std::string("\x05\x00\x01\x02", 4)), 0x0102);
}

TEST_F(SessionTest, OptionsAnswersSupportedAnyTime) {
  for (int i = 0; i < 2; ++i) {
    ParsedFrame f = parse_frame(send(Opcode::kOptions, "", 3).frame);
    EXPECT_EQ(f.header.opcode, static_cast<uint8_t>(Opcode::kSupported));
    EXPECT_EQ(f.header.stream, 3);
    EXPECT_EQ(static_cast<uint8_t>(f.header.version), 4);
    auto map = BodyReader(f.body).read_string_multimap();
    EXPECT_EQ(map.at("CQL_VERSION"), std::vector<std::string>{"3.4.5"});
    EXPECT_EQ(map.at("COMPRESSION"), (std::vector<std::string>{"lz4", "snappy"}));
    EXPECT_EQ(map.at("PROTOCOL_VERSIONS"), (std::vector<std::string>{"3/v3", "4/v4", "5/v5"}));
    if (i == 0) start();
  }
}

TEST_F(SessionTest, QueriesBeforeStartupAreRefused) {
  Reply reply = send(Opcode::kQuery, query_body("rows"));
  EXPECT_FALSE(reply.close);
  auto [code, message] = error_of(parse_frame(reply.frame).body);
  EXPECT_EQ(code, 0x000A);
  EXPECT_EQ(message, "Unexpected message QUERY, expecting STARTUP or OPTIONS");
  EXPECT_TRUE(processor_.queries.empty());
}

TEST_F(SessionTest, StartupRequiresACqlVersion) {
  std::string body;
  BodyWriter(body).write_string_map({{"DRIVER_NAME", "x"}});
  auto [code, message] = error_of(parse_frame(send(Opcode::kStartup, body).frame).body);
  EXPECT_EQ(code, 0x000A);
  EXPECT_EQ(message, "Missing value CQL_VERSION in STARTUP message");
  std::string old;
  BodyWriter(old).write_string_map({{"CQL_VERSION", "2.0.0"}});
  EXPECT_EQ(error_of(parse_frame(send(Opcode::kStartup, old).frame).body).first, 0x000A);
  std::string bad_compression;
  BodyWriter(bad_compression).write_string_map({{"CQL_VERSION", "3.4.5"}, {"COMPRESSION", "xz"}});
  EXPECT_EQ(error_of(parse_frame(send(Opcode::kStartup, bad_compression).frame).body).second,
            "Unknown compression algorithm: xz");
  start();
  EXPECT_EQ(error_of(parse_frame(send(Opcode::kStartup, startup_body()).frame).body).second,
            "Unexpected message STARTUP, the connection is already initialized");
}

TEST_F(SessionTest, QueryPassesOptionsAndClientState) {
  start();
  ParsedFrame f =
      parse_frame(send(Opcode::kQuery, query_body("rows", Consistency::kQuorum), 9).frame);
  EXPECT_EQ(f.header.stream, 9);
  EXPECT_EQ(f.header.opcode, static_cast<uint8_t>(Opcode::kResult));
  EXPECT_EQ(BodyReader(f.body).read_int(), 2);
  EXPECT_EQ(processor_.last_options.consistency, Consistency::kQuorum);
  EXPECT_EQ(processor_.last_client.peer_address, "10.0.0.2");
  EXPECT_EQ(processor_.last_client.local_address, "10.0.0.1");
  send(Opcode::kQuery, query_body("use app"));
  EXPECT_EQ(session_.client().keyspace, "app");
}

TEST_F(SessionTest, ProcessorErrorsBecomeErrorFrames) {
  start();
  EXPECT_EQ(error_of(parse_frame(send(Opcode::kQuery, query_body("invalid")).frame).body),
            std::make_pair(0x2200, std::string("bad query")));
  EXPECT_EQ(error_of(parse_frame(send(Opcode::kQuery, query_body("crash")).frame).body),
            std::make_pair(0x0000, std::string("boom")));
  Reply exists = send(Opcode::kQuery, query_body("exists"));
  EXPECT_FALSE(exists.close);
  ParsedFrame exists_frame = parse_frame(exists.frame);
  BodyReader r(exists_frame.body);
  EXPECT_EQ(r.read_int(), 0x2400);
  r.read_string();
  EXPECT_EQ(r.read_string(), "ks");
  EXPECT_EQ(r.read_string(), "t");
}

TEST_F(SessionTest, PrepareExecuteAndUnprepared) {
  start();
  std::string prepare;
  BodyWriter(prepare).write_long_string("SELECT * FROM t WHERE a = ?");
  ParsedFrame prepared = parse_frame(send(Opcode::kPrepare, prepare).frame);
  BodyReader p(prepared.body);
  EXPECT_EQ(p.read_int(), 4);
  std::string id(p.read_short_bytes());
  std::string execute;
  BodyWriter w(execute);
  w.write_short_bytes(id);
  w.write_consistency(Consistency::kOne);
  w.write_byte(query_flags::kSkipMetadata);
  ParsedFrame rows_frame = parse_frame(send(Opcode::kExecute, execute).frame);
  BodyReader rows(rows_frame.body);
  EXPECT_EQ(rows.read_int(), 2);
  EXPECT_EQ(rows.read_int(), rows_flags::kNoMetadata);

  std::string unknown;
  BodyWriter u(unknown);
  u.write_short_bytes(std::string(16, 'z'));
  u.write_consistency(Consistency::kOne);
  u.write_byte(0);
  ParsedFrame error_frame = parse_frame(send(Opcode::kExecute, unknown).frame);
  BodyReader e(error_frame.body);
  EXPECT_EQ(e.read_int(), 0x2500);
  e.read_string();
  EXPECT_EQ(e.read_short_bytes(), std::string(16, 'z'));
}

TEST_F(SessionTest, BatchReachesTheProcessor) {
  start();
  std::string body;
  BodyWriter w(body);
  w.write_byte(0);
  w.write_short(1);
  w.write_byte(0);
  w.write_long_string("INSERT INTO t (a) VALUES (1)");
  w.write_short(0);
  w.write_consistency(Consistency::kOne);
  w.write_byte(0);
  EXPECT_EQ(BodyReader(parse_frame(send(Opcode::kBatch, body).frame).body).read_int(), 1);
  EXPECT_EQ(processor_.last_batch.statements.size(), 1u);
}

TEST_F(SessionTest, UndecodableBodyKeepsTheConnection) {
  start();
  Reply reply = send(Opcode::kQuery, "\x00\x00\x00\x10trunc");
  EXPECT_FALSE(reply.close);
  EXPECT_EQ(error_of(parse_frame(reply.frame).body).first, 0x000A);
  EXPECT_EQ(BodyReader(parse_frame(send(Opcode::kQuery, query_body("rows")).frame).body).read_int(),
            2);
}

TEST_F(SessionTest, UnknownAndResponseOpcodesAreProtocolErrors) {
  start();
  for (uint8_t opcode : {0x04, 0x11, 0xFF, 0x02, 0x08}) {
    Reply reply = feed(session_, request_frame(static_cast<Opcode>(opcode), "", 4));
    EXPECT_FALSE(reply.close);
    ParsedFrame f = parse_frame(reply.frame);
    EXPECT_EQ(f.header.stream, 4);
    EXPECT_EQ(error_of(f.body).first, 0x000A);
  }
}

TEST_F(SessionTest, HeadersOutOfBoundsCloseTheConnection) {
  Session small(processor_, SessionOptions{1024, nullptr}, ClientState{});
  // Too big: Invalid, as Cassandra answers it; the body is dropped and the connection stays.
  std::string huge = request_frame(Opcode::kQuery, "", 6);
  huge[5] = '\x7F';
  Reply reply = feed(small, huge);
  EXPECT_FALSE(reply.close);
  EXPECT_TRUE(reply.discard_body);
  ParsedFrame f = parse_frame(reply.frame);
  EXPECT_EQ(f.header.stream, 6);
  auto [code, message] = error_of(f.body);
  EXPECT_EQ(code, 0x2200);
  EXPECT_NE(message.find("Request is too big: length 2130706441 exceeds maximum allowed length 1024."), std::string::npos);

  std::string negative = request_frame(Opcode::kQuery, "", 6);
  negative[5] = '\x80';
  EXPECT_TRUE(feed(small, negative).close);

  std::string response_direction = request_frame(Opcode::kOptions, "", 6);
  response_direction[0] = '\x84';
  EXPECT_TRUE(feed(small, response_direction).close);
}

TEST_F(SessionTest, VersionMayNotChangeOnAConnection) {
  start();
  Reply reply = feed(session_, request_frame(Opcode::kOptions, "", 1, 3));
  EXPECT_TRUE(reply.close);
  EXPECT_EQ(error_of(parse_frame(reply.frame).body).first, 0x000A);
}

TEST_F(SessionTest, V3IsSpoken) {
  version_ = 3;
  start();
  ParsedFrame f = parse_frame(send(Opcode::kQuery, query_body("rows")).frame);
  EXPECT_EQ(static_cast<uint8_t>(f.header.version), 3);
  EXPECT_EQ(BodyReader(f.body).read_int(), 2);
}

TEST_F(SessionTest, CompressionAppliesAfterReady) {
  for (const char* name : {"lz4", "snappy"}) {
    Session session(processor_, SessionOptions{}, ClientState{});
    Compression c = *compression_by_name(name);
    Reply ready = feed(session, request_frame(Opcode::kStartup, startup_body(name)));
    EXPECT_EQ(parse_frame(ready.frame).header.flags, 0) << "READY stays uncompressed";
    std::string compressed_query = compress(c, query_body("rows"));
    Reply rows = feed(
        session, request_frame(Opcode::kQuery, compressed_query, 2, 4, frame_flags::kCompressed));
    ParsedFrame f = parse_frame(rows.frame);
    EXPECT_EQ(f.header.flags, frame_flags::kCompressed);
    std::string body = decompress(c, f.body, 1 << 20);
    EXPECT_EQ(BodyReader(body).read_int(), 2);
    Reply plain = feed(session, request_frame(Opcode::kQuery, query_body("rows"), 3));
    EXPECT_EQ(BodyReader(decompress(c, parse_frame(plain.frame).body, 1 << 20)).read_int(), 2);
  }
}

TEST_F(SessionTest, CompressedFrameWithoutNegotiationIsAProtocolError) {
  start();
  Reply reply = send(Opcode::kQuery, query_body("rows"), 1, frame_flags::kCompressed);
  EXPECT_FALSE(reply.close);
  EXPECT_EQ(error_of(parse_frame(reply.frame).body).first, 0x000A);
}

TEST_F(SessionTest, EventsOnlyAfterRegister) {
  start();
  SchemaChangeResult change{
      SchemaChangeResult::Change::kCreated, SchemaChangeResult::Target::kKeyspace, "app", "", {}};
  EXPECT_FALSE(session_.schema_change_event(change));
  std::string reg;
  BodyWriter(reg).write_string_list({"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"});
  EXPECT_EQ(parse_frame(send(Opcode::kRegister, reg).frame).header.opcode,
            static_cast<uint8_t>(Opcode::kReady));
  auto event = session_.schema_change_event(change);
  ASSERT_TRUE(event);
  ParsedFrame f = parse_frame(*event);
  EXPECT_EQ(f.header.stream, -1);
  EXPECT_EQ(f.header.opcode, static_cast<uint8_t>(Opcode::kEvent));
  EXPECT_EQ(BodyReader(f.body).read_string(), "SCHEMA_CHANGE");

  std::string bad;
  BodyWriter(bad).write_string_list({"NOPE"});
  EXPECT_EQ(error_of(parse_frame(send(Opcode::kRegister, bad).frame).body).first, 0x000A);
}

class PlainTextAuthenticator : public Authenticator {
 public:
  std::string_view class_name() const override {
    return "org.apache.cassandra.auth.PasswordAuthenticator";
  }
  std::string authenticate(std::string_view token) const override {
    if (token != std::string_view("\0cassandra\0cassandra", 20)) {
      throw CqlError(ErrorCode::kBadCredentials, "Provided username and/or password are incorrect");
    }
    return "cassandra";
  }
};

TEST_F(SessionTest, AuthenticatorSeam) {
  PlainTextAuthenticator auth;
  Session session(processor_, SessionOptions{kDefaultMaxFrameBody, &auth}, ClientState{});
  ParsedFrame challenge =
      parse_frame(feed(session, request_frame(Opcode::kStartup, startup_body())).frame);
  EXPECT_EQ(challenge.header.opcode, static_cast<uint8_t>(Opcode::kAuthenticate));
  EXPECT_EQ(BodyReader(challenge.body).read_string(), auth.class_name());
  EXPECT_EQ(
      error_of(
          parse_frame(feed(session, request_frame(Opcode::kQuery, query_body("rows"))).frame).body)
          .first,
      0x000A);
  std::string wrong;
  BodyWriter(wrong).write_bytes(std::string_view("\0a\0b", 4));
  EXPECT_EQ(
      error_of(parse_frame(feed(session, request_frame(Opcode::kAuthResponse, wrong)).frame).body)
          .first,
      0x0100);
  std::string right;
  BodyWriter(right).write_bytes(std::string_view("\0cassandra\0cassandra", 20));
  ParsedFrame success =
      parse_frame(feed(session, request_frame(Opcode::kAuthResponse, right)).frame);
  EXPECT_EQ(success.header.opcode, static_cast<uint8_t>(Opcode::kAuthSuccess));
  EXPECT_EQ(
      BodyReader(
          parse_frame(feed(session, request_frame(Opcode::kQuery, query_body("rows"))).frame).body)
          .read_int(),
      2);
}

}  // namespace
}  // namespace cqld::transport

namespace cqld::transport {
namespace {

// Deterministic pseudo-random input: every frame gets an answer, and nothing escapes.
TEST(SessionRobustnessTest, RandomBodiesAndMutatedRequestsAlwaysGetAnAnswer) {
  testing::ScriptedProcessor processor;
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<std::string> seeds = {testing::query_body("rows"), testing::startup_body("lz4")};
  for (int round = 0; round < 4000; ++round) {
    Session session(processor, SessionOptions{1 << 16, nullptr}, ClientState{});
    if (round % 2 == 0) {
      std::string startup = startup_body();
      session.handle(parse_header(request_frame(Opcode::kStartup, startup)), startup);
    }
    std::string body = seeds[round % seeds.size()];
    if (round % 3 == 0) {
      body.assign(next() % 64, '\0');
      for (char& c : body) c = static_cast<char>(next());
    } else {
      for (int m = 0; m < 3; ++m) body[next() % body.size()] = static_cast<char>(next());
      body.resize(next() % (body.size() + 1));
    }
    static constexpr uint8_t kOpcodes[] = {0x01, 0x05, 0x07, 0x09, 0x0A, 0x0B, 0x0D, 0x0F};
    auto opcode = static_cast<Opcode>(kOpcodes[next() % std::size(kOpcodes)]);
    auto flags = static_cast<uint8_t>(next() % 8);
    std::string frame = request_frame(opcode, body, static_cast<int16_t>(round), 4, flags);
    FrameHeader h = parse_header(frame);
    Reply reply;
    ASSERT_NO_THROW(reply = session.handle(h, std::string_view(frame).substr(kHeaderSize)));
    ASSERT_FALSE(reply.frame.empty());
    EXPECT_EQ(parse_frame(reply.frame).header.stream, static_cast<int16_t>(round));
  }
}

}  // namespace
}  // namespace cqld::transport

namespace cqld::transport {
namespace {

class SessionV5Test : public ::testing::Test {
 protected:
  Reply send(Opcode op, const std::string& body, int16_t stream = 1) {
    return feed(session_, testing::request_frame(op, body, stream, 5, 0));
  }
  testing::ScriptedProcessor processor_;
  Session session_{processor_, SessionOptions{}, ClientState{"", "10.0.0.2", "10.0.0.1"}};
};

TEST_F(SessionV5Test, StartupAnswersReadyUnframedThenTheSessionIsSegmented) {
  EXPECT_FALSE(session_.segmented());
  testing::ParsedFrame ready = testing::parse_frame(send(Opcode::kStartup, testing::startup_body("lz4")).frame);
  EXPECT_EQ(ready.header.opcode, static_cast<uint8_t>(Opcode::kReady));
  EXPECT_EQ(ready.header.version, 5);
  EXPECT_EQ(ready.header.flags, 0);  // never envelope-compressed in v5
  EXPECT_TRUE(session_.segmented());
  EXPECT_TRUE(session_.segments_compressed());
}

TEST_F(SessionV5Test, SnappyIsRefusedAsCassandraRefusesIt) {
  Reply reply = send(Opcode::kStartup, testing::startup_body("snappy"));
  EXPECT_FALSE(reply.close);
  testing::ParsedFrame f = testing::parse_frame(reply.frame);
  auto [code, message] = testing::error_of(f.body);
  EXPECT_EQ(code, 0x000A);
  EXPECT_EQ(message, "Snappy compression is not supported in protocol V5");
  EXPECT_FALSE(session_.segmented());
}

TEST_F(SessionV5Test, V4StartupStaysUnsegmented) {
  testing::parse_frame(feed(session_, testing::request_frame(Opcode::kStartup, testing::startup_body("snappy"), 1, 4, 0)).frame);
  EXPECT_TRUE(session_.ready());
  EXPECT_FALSE(session_.segmented());
}

}  // namespace
}  // namespace cqld::transport
