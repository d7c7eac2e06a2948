// Socket-level tests: a real Server on an ephemeral port, clients on plain POSIX sockets.
#include "transport/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include "test_support.h"
#include "transport/segment.h"

namespace cqld::transport {
namespace {

using testing::error_of;
using testing::parse_frame;
using testing::ParsedFrame;
using testing::query_body;
using testing::request_frame;
using testing::ScriptedProcessor;
using testing::startup_body;

// A guard against a hung test, not a timing assertion.
constexpr int kReceiveTimeoutSeconds = 30;

class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{kReceiveTimeoutSeconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { ::close(fd_); }

  bool connected() const { return connected_; }
  void send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // Reads one frame; nullopt on EOF (or on a receive error).
  std::optional<ParsedFrame> read_frame() {
    std::string header;
    if (!read_exactly(kHeaderSize, header)) return std::nullopt;
    FrameHeader h = parse_header(header);
    std::string body;
    if (!read_exactly(static_cast<size_t>(h.length), body)) return std::nullopt;
    return ParsedFrame{h, body};
  }
  // True when the server closed the connection (EOF with no further bytes).
  bool closed_by_server() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }
  void start() {
    send(request_frame(Opcode::kStartup, startup_body()));
    auto ready = read_frame();
    ASSERT_TRUE(ready);
    ASSERT_EQ(ready->header.opcode, static_cast<uint8_t>(Opcode::kReady));
  }
  std::optional<ParsedFrame> query(const std::string& text, int16_t stream = 1) {
    send(request_frame(Opcode::kQuery, query_body(text), stream));
    return read_frame();
  }

  // Reads one envelope from v5 segments (plain or lz4), checking their CRCs.
  std::optional<ParsedFrame> read_framed(bool lz4 = false) {
    std::string data;
    for (;;) {
      std::string header;
      if (!read_exactly(segment::header_size(lz4), header)) return std::nullopt;
      segment::Header h = segment::parse_header(header, lz4);
      std::string rest;
      if (!read_exactly(h.payload_length + segment::kTrailerSize, rest)) return std::nullopt;
      data += segment::decode_payload(h, rest);
      if (data.size() >= kHeaderSize && data.size() >= kHeaderSize + parse_header(data).length) break;
    }
    return testing::parse_frame(data);
  }

 private:
  bool read_exactly(size_t n, std::string& out) {
    out.resize(n);
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::recv(fd_, out.data() + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start_server(ServerOptions{}); }
  void start_server(ServerOptions options) {
    options.port = 0;
    options.session.max_frame_body = 1 << 20;
    server_ = std::make_unique<Server>(options);
    port_ = server_->listen().port();
    server_->serve(processor_);
  }
  void TearDown() override { server_->stop(); }

  void expect_protocol_error_then_close(Client& client, int16_t stream) {
    auto error = client.read_frame();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->header.opcode, static_cast<uint8_t>(Opcode::kError));
    EXPECT_EQ(error->header.stream, stream);
    EXPECT_EQ(error_of(error->body).first, 0x000A);
    EXPECT_TRUE(client.closed_by_server());
  }

  ScriptedProcessor processor_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

TEST_F(ServerTest, HandshakeAndQuery) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.start();
  auto rows = client.query("rows", 42);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->header.stream, 42);
  EXPECT_EQ(static_cast<uint8_t>(rows->header.version), 4);
  EXPECT_TRUE(rows->header.is_response);
  EXPECT_EQ(BodyReader(rows->body).read_int(), 2);
  EXPECT_EQ(processor_.last_client.local_address, "127.0.0.1");
  EXPECT_EQ(processor_.last_client.peer_address, "127.0.0.1");
}

TEST_F(ServerTest, GarbageBytesGetAVersionErrorAndClose) {
  Client client(port_);
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto error = client.read_frame();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->header.version, 4);
  EXPECT_TRUE(error->header.is_response);
  EXPECT_EQ(error_of(error->body),
            std::make_pair(0x000A, std::string("Invalid or unsupported protocol version (71); "
                                               "supported versions are (3/v3, 4/v4, 5/v5)")));
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, NewerProtocolVersionsAreRefusedSoDriversStepDown) {
  for (uint8_t version : {6, 0x41, 0x42}) {
    Client client(port_);
    client.send(request_frame(Opcode::kOptions, "", 0, version));
    auto error = client.read_frame();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->header.stream, 0);
    EXPECT_EQ(error_of(error->body).first, 0x000A);
    EXPECT_TRUE(client.closed_by_server());
  }
  Client v3(port_);
  v3.send(request_frame(Opcode::kOptions, "", 0, 3));
  auto supported = v3.read_frame();
  ASSERT_TRUE(supported);
  EXPECT_EQ(supported->header.opcode, static_cast<uint8_t>(Opcode::kSupported));
  EXPECT_EQ(supported->header.version, 3);
}

// As Cassandra: the body is read and dropped as it comes (never held), then Invalid, and the
// connection serves the next request.
TEST_F(ServerTest, TooBigRequestIsRefusedAndItsBodyDropped) {
  Client client(port_);
  client.start();
  std::string body(2 << 20, 'x');  // over the fixture's 1 MiB limit
  client.send(request_frame(Opcode::kQuery, body, 11));
  auto error = client.read_frame();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->header.stream, 11);
  EXPECT_EQ(error_of(error->body).first, 0x2200);
  auto rows = client.query("rows", 12);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->header.stream, 12);
}

TEST_F(ServerTest, TruncatedFrameThenEofCloses) {
  Client client(port_);
  client.start();
  std::string frame = request_frame(Opcode::kQuery, query_body("rows"), 5);
  client.send(frame.substr(0, frame.size() - 3));
  client.shutdown_write();
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, UnknownOpcodeKeepsTheConnection) {
  Client client(port_);
  client.start();
  client.send(request_frame(static_cast<Opcode>(0x42), "abc", 8));
  auto error = client.read_frame();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->header.stream, 8);
  EXPECT_EQ(error_of(error->body).first, 0x000A);
  auto rows = client.query("rows", 9);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->header.stream, 9);
}

TEST_F(ServerTest, BadInputOnOneConnectionLeavesOthersWorking) {
  Client good(port_);
  good.start();
  {
    Client bad(port_);
    bad.send(std::string("\x04\x00\x00\x01\x07\xFF\xFF\xFF\xFF", 9));
    expect_protocol_error_then_close(bad, 1);
  }
  {
    Client garbage(port_);
    garbage.send(std::string(100, '\xEE'));
    ASSERT_TRUE(garbage.read_frame());
    EXPECT_TRUE(garbage.closed_by_server());
  }
  auto rows = good.query("rows");
  ASSERT_TRUE(rows);
  EXPECT_EQ(BodyReader(rows->body).read_int(), 2);
  auto crash = good.query("crash");
  ASSERT_TRUE(crash);
  EXPECT_EQ(error_of(crash->body), std::make_pair(0x0000, std::string("boom")));
  EXPECT_TRUE(good.query("rows"));
}

TEST_F(ServerTest, PipelinedRequestsAreAllAnsweredWithTheirStreams) {
  Client client(port_);
  client.start();
  constexpr int kRequests = 200;
  std::string burst;
  for (int i = 0; i < kRequests; ++i) burst += request_frame(Opcode::kQuery, query_body("rows"), i);
  client.send(burst);
  std::vector<bool> seen(kRequests, false);
  for (int i = 0; i < kRequests; ++i) {
    auto frame = client.read_frame();
    ASSERT_TRUE(frame);
    ASSERT_GE(frame->header.stream, 0);
    ASSERT_LT(frame->header.stream, kRequests);
    seen[frame->header.stream] = true;
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), kRequests);
}

TEST_F(ServerTest, SchemaChangesArePushedToRegisteredConnections) {
  Client listener(port_);
  listener.start();
  std::string reg;
  BodyWriter(reg).write_string_list({"SCHEMA_CHANGE"});
  listener.send(request_frame(Opcode::kRegister, reg, 2));
  auto ready = listener.read_frame();
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->header.opcode, static_cast<uint8_t>(Opcode::kReady));

  Client ddl(port_);
  ddl.start();
  auto result = ddl.query("create");
  ASSERT_TRUE(result);
  EXPECT_EQ(BodyReader(result->body).read_int(), 5);

  auto event = listener.read_frame();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->header.opcode, static_cast<uint8_t>(Opcode::kEvent));
  EXPECT_EQ(event->header.stream, -1);
  BodyReader r(event->body);
  EXPECT_EQ(r.read_string(), "SCHEMA_CHANGE");
  EXPECT_EQ(r.read_string(), "CREATED");
  EXPECT_EQ(r.read_string(), "TABLE");
}

TEST_F(ServerTest, LargeFramesWithinTheLimitAreRead) {
  Client client(port_);
  client.start();
  std::string big(512 * 1024, 'q');
  auto reply = client.query(big, 3);
  ASSERT_TRUE(reply);
  EXPECT_EQ(BodyReader(reply->body).read_int(), 1);
  EXPECT_EQ(processor_.queries.back().size(), big.size());
}

TEST_F(ServerTest, StopClosesConnections) {
  Client client(port_);
  client.start();
  server_->stop();
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(server_->connection_count(), 0u);
}

TEST_F(ServerTest, LargeFramesFromSeveralClientsShareTheRequestBudget) {
  server_->stop();
  ServerOptions options;
  options.max_request_bytes_in_flight = 300 * 1024;
  start_server(options);
  constexpr int kClients = 4;
  std::vector<std::unique_ptr<Client>> clients;
  std::string big(200 * 1024, 'q');
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(port_));
    clients.back()->start();
    clients.back()->send(request_frame(Opcode::kQuery, query_body(big), 1));
  }
  for (auto& client : clients) {
    auto reply = client->read_frame();
    ASSERT_TRUE(reply);
    EXPECT_EQ(BodyReader(reply->body).read_int(), 1);
  }
}

class LimitedServerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.max_connections = 1;
    options.connection.max_in_flight = 1;
    options.connection.max_queued_bytes = 64;
    start_server(options);
  }
};

TEST_F(LimitedServerTest, PipelinedRequestsBeyondTheInFlightLimitWaitTheirTurn) {
  Client client(port_);
  client.start();
  constexpr int kRequests = 100;
  std::string burst;
  for (int i = 0; i < kRequests; ++i) burst += request_frame(Opcode::kQuery, query_body("rows"), i);
  client.send(burst);
  for (int i = 0; i < kRequests; ++i) {
    auto frame = client.read_frame();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->header.stream, i);
  }
}

TEST_F(LimitedServerTest, ConnectionsBeyondTheLimitAreClosed) {
  Client first(port_);
  first.start();
  Client second(port_);
  EXPECT_TRUE(second.closed_by_server());
  EXPECT_TRUE(first.query("rows"));
}

}  // namespace
}  // namespace cqld::transport

namespace cqld::transport {
namespace {

class ServerV5Test : public ServerTest {
 protected:
  // STARTUP in v5; the answer is the last unframed frame.
  void start_v5(Client& client, const std::string& compression = "") {
    client.send(request_frame(Opcode::kStartup, startup_body(compression), 1, 5));
    auto ready = client.read_frame();
    ASSERT_TRUE(ready);
    ASSERT_EQ(ready->header.opcode, static_cast<uint8_t>(Opcode::kReady));
    ASSERT_EQ(ready->header.version, 5);
  }
};

TEST_F(ServerV5Test, AfterStartupEverythingTravelsInSegments) {
  for (bool lz4 : {false, true}) {
    Client client(port_);
    start_v5(client, lz4 ? "lz4" : "");
    client.send(segment::encode(request_frame(Opcode::kOptions, "", 4, 5), lz4));
    auto supported = client.read_framed(lz4);
    ASSERT_TRUE(supported);
    EXPECT_EQ(supported->header.opcode, static_cast<uint8_t>(Opcode::kSupported));
    EXPECT_EQ(supported->header.stream, 4);
    EXPECT_EQ(supported->header.flags, 0);
    std::string query;
    BodyWriter w(query);
    w.write_long_string("rows");
    w.write_consistency(Consistency::kOne);
    w.write_int(0);
    client.send(segment::encode(request_frame(Opcode::kQuery, query, 5, 5), lz4));
    auto rows = client.read_framed(lz4);
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->header.opcode, static_cast<uint8_t>(Opcode::kResult));
    EXPECT_EQ(rows->header.stream, 5);
  }
}

TEST_F(ServerV5Test, LargeEnvelopeSplitAcrossSegmentsIsAnswered) {
  Client client(port_);
  start_v5(client);
  std::string query;
  BodyWriter w(query);
  w.write_long_string("rows" + std::string(300000, ' '));
  w.write_consistency(Consistency::kOne);
  w.write_int(0);
  std::string stream = segment::encode(request_frame(Opcode::kQuery, query, 6, 5), false);
  // Sent a few bytes at a time across segment boundaries.
  for (size_t at = 0; at < stream.size(); at += 70001) client.send(stream.substr(at, 70001));
  auto answer = client.read_framed();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->header.stream, 6);
  EXPECT_EQ(answer->header.opcode, static_cast<uint8_t>(Opcode::kResult));
}

TEST_F(ServerV5Test, CorruptSegmentGetsAProtocolErrorAndCloses) {
  for (size_t corrupt : {size_t{0}, segment::kHeaderSize + 2}) {
    Client client(port_);
    start_v5(client);
    std::string bytes = segment::encode(request_frame(Opcode::kOptions, "", 9, 5), false);
    bytes[corrupt] ^= 0x01;
    client.send(bytes);
    auto error = client.read_framed();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->header.stream, 0);
    auto [code, message] = error_of(error->body);
    EXPECT_EQ(code, 0x000A);
    EXPECT_NE(message.find(corrupt == 0 ? "CRC mismatch detected in frame header" : "CRC mismatch detected in frame body"),
              std::string::npos)
        << message;
    EXPECT_TRUE(client.closed_by_server());
  }
}

TEST_F(ServerV5Test, DeclaredTooBigMessageIsRefusedAndTheConnectionGoesOn) {
  Client client(port_);
  start_v5(client);
  std::string body(2 << 20, 'x');  // over the fixture's 1 MiB limit
  client.send(segment::encode(request_frame(Opcode::kQuery, body, 11, 5), false));
  auto error = client.read_framed();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->header.stream, 11);
  EXPECT_EQ(error_of(error->body),
            std::make_pair(0x2200, std::string("CQL Message of size 2097152 bytes exceeds allowed maximum of 1048576 bytes")));
  client.send(segment::encode(request_frame(Opcode::kOptions, "", 12, 5), false));
  auto supported = client.read_framed();
  ASSERT_TRUE(supported);
  EXPECT_EQ(supported->header.stream, 12);
}

}  // namespace
}  // namespace cqld::transport
