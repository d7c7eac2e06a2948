// A request's whole path on a worker, as the load benchmark's workloads send it (bench/load/):
// an EXECUTE frame body decoded, the prepared statement run, the response frame encoded
// (Session::run_request, no sockets). The write is kv_write's INSERT of a small row, the read
// kv_read's point SELECT, and the page read range_scan's 100-row slice of a partition, whose cost
// is mostly row encoding.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "exec/database.h"
#include "transport/body_writer.h"
#include "transport/frame.h"
#include "transport/requests.h"
#include "transport/session.h"

namespace cqld {
namespace {

using transport::BodyWriter;
using transport::FrameHeader;
using transport::Session;

constexpr uint8_t kProtocolVersion = 4;
constexpr uint8_t kOpcodeQuery = static_cast<uint8_t>(transport::Opcode::kQuery);
constexpr uint8_t kOpcodePrepare = static_cast<uint8_t>(transport::Opcode::kPrepare);
constexpr uint8_t kOpcodeExecute = static_cast<uint8_t>(transport::Opcode::kExecute);
constexpr uint8_t kOpcodeStartup = static_cast<uint8_t>(transport::Opcode::kStartup);
constexpr uint8_t kOpcodeError = static_cast<uint8_t>(transport::Opcode::kError);
constexpr uint16_t kConsistencyOne = 0x0001;
constexpr int kRows = 10000;
constexpr int kPartitionRows = 1000;

std::string big_endian(int64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

ClientState client_state() {
  ClientState client;
  client.peer_address = "127.0.0.1";
  client.local_address = "127.0.0.1";
  return client;
}

class Connection {
 public:
  Connection() {
    DatabaseOptions options;
    options.in_memory = true;
    db_ = open_database(options);
    session_ = std::make_unique<Session>(*db_, transport::SessionOptions{}, client_state());
    std::string startup;
    BodyWriter(startup).write_string_map({{"CQL_VERSION", "3.0.0"}});
    session_->handle(header(kOpcodeStartup, startup), startup);
    query("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    query("CREATE TABLE bench.kv (id bigint PRIMARY KEY, v text)");
    query("CREATE TABLE bench.wide (p bigint, c bigint, v text, PRIMARY KEY (p, c))");
  }

  FrameHeader header(uint8_t opcode, const std::string& body) const {
    FrameHeader h;
    h.version = kProtocolVersion;
    h.opcode = opcode;
    h.length = static_cast<int64_t>(body.size());
    return h;
  }

  std::string run(uint8_t opcode, const std::string& body) {
    FrameHeader h = header(opcode, body);
    transport::RequestContext context = session_->begin_request(h);
    transport::Reply reply = Session::run_request(*db_, session_->options(), context, h, body);
    session_->end_request(context);
    return std::move(reply.frame);
  }

  void query(const std::string& text) {
    std::string body;
    BodyWriter w(body);
    w.write_long_string(text);
    w.write_short(kConsistencyOne);
    w.write_byte(0);
    std::string reply = run(kOpcodeQuery, body);
    if (reply.size() > transport::kHeaderSize && static_cast<uint8_t>(reply[4]) == kOpcodeError) {
      throw std::runtime_error("benchmark setup failed: " + text);
    }
  }

  // The prepared id of "text" ([short bytes] after the result kind in the RESULT body).
  std::string prepare(const std::string& text) {
    std::string body;
    BodyWriter(body).write_long_string(text);
    std::string reply = run(kOpcodePrepare, body);
    size_t at = transport::kHeaderSize + 4;
    size_t length = (static_cast<uint8_t>(reply[at]) << 8) | static_cast<uint8_t>(reply[at + 1]);
    return reply.substr(at + 2, length);
  }

  static std::string execute_body(const std::string& id, const std::vector<std::string>& values, int page_size = 0) {
    std::string body;
    BodyWriter w(body);
    w.write_short_bytes(id);
    w.write_short(kConsistencyOne);
    uint32_t flags = transport::query_flags::kValues;
    if (page_size > 0) flags |= transport::query_flags::kPageSize;
    w.write_byte(static_cast<uint8_t>(flags));
    w.write_short(static_cast<uint16_t>(values.size()));
    for (const auto& v : values) w.write_bytes(v);
    if (page_size > 0) w.write_int(page_size);
    return body;
  }

 private:
  std::unique_ptr<QueryProcessor> db_;
  std::unique_ptr<Session> session_;
};

const std::string kValue(48, 'v');

void BM_ExecuteInsertSmallRow(benchmark::State& state) {
  Connection c;
  std::string id = c.prepare("INSERT INTO bench.kv (id, v) VALUES (?, ?)");
  int64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(c.run(kOpcodeExecute, Connection::execute_body(id, {big_endian(i++), kValue})));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExecuteInsertSmallRow);

// The loaded connection is made once for every run of a benchmark, so its setup stays out of
// profiles of the benchmark.
Connection& loaded_connection() {
  static Connection* c = [] {
    auto* loaded = new Connection();
    std::string kv = loaded->prepare("INSERT INTO bench.kv (id, v) VALUES (?, ?)");
    for (int64_t i = 0; i < kRows; ++i) loaded->run(kOpcodeExecute, Connection::execute_body(kv, {big_endian(i), kValue}));
    std::string wide = loaded->prepare("INSERT INTO bench.wide (p, c, v) VALUES (?, ?, ?)");
    for (int64_t r = 0; r < kPartitionRows; ++r) {
      loaded->run(kOpcodeExecute, Connection::execute_body(wide, {big_endian(1), big_endian(r), kValue}));
    }
    return loaded;
  }();
  return *c;
}

void BM_ExecutePointRead(benchmark::State& state) {
  Connection& c = loaded_connection();
  std::string id = c.prepare("SELECT id, v FROM bench.kv WHERE id = ?");
  int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.run(kOpcodeExecute, Connection::execute_body(id, {big_endian((i++ * 7919) % kRows)})));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExecutePointRead);

// 100 rows a page: the row encoding of a result dominates.
void BM_ExecutePageOf100Rows(benchmark::State& state) {
  Connection& c = loaded_connection();
  std::string id = c.prepare("SELECT c, v FROM bench.wide WHERE p = ? AND c >= ?");
  int64_t i = 0;
  for (auto _ : state) {
    int64_t from = (i++ * 100) % (kPartitionRows - 100);
    benchmark::DoNotOptimize(c.run(kOpcodeExecute, Connection::execute_body(id, {big_endian(1), big_endian(from)}, 100)));
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_ExecutePageOf100Rows);

}  // namespace
}  // namespace cqld
