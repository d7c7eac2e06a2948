// The whole server path, a frame in and a frame out: the bytes a client sends on one connection
// are framed as the connection does (version check, header check, body), handled by a transport
// Session over an in-memory database, query-class
// requests run through Session::run_request as a worker would. Every reply must be one
// well-formed response frame; the connection's end (a close, or bytes that stop mid-frame) ends
// the input. Each input gets a fresh, empty in-memory database, so every finding reproduces from
// its input alone; the seeds (seeds.py) create their keyspaces and tables as a client would.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string_view>

#include "common/log.h"
#include "exec/database.h"
#include "transport/session.h"

namespace {

using namespace cqld;
using namespace cqld::transport;

// Small, so bodies stay within what an input can hold and inflated bodies stay cheap.
constexpr size_t kMaxFrameBody = 1 << 20;

void check_response(std::string_view frame) {
  if (frame.empty()) return;
  if (frame.size() < kHeaderSize) {
    fprintf(stderr, "reply of %zu bytes is shorter than a frame header\n", frame.size());
    abort();
  }
  FrameHeader header = parse_header(frame);
  if (!header.is_response || header.length != static_cast<int64_t>(frame.size() - kHeaderSize)) {
    fprintf(stderr, "malformed reply frame: response bit %d, length %lld for %zu bytes\n", header.is_response,
            static_cast<long long>(header.length), frame.size() - kHeaderSize);
    abort();
  }
}

// Feeds one connection's bytes to "session"; returns when the connection would close or wait.
void run_connection(QueryProcessor& db, Session& session, std::string_view rest) {
  while (!rest.empty()) {
    auto version_byte = static_cast<uint8_t>(rest[0]);
    if (!is_supported_version(version_byte & ~kResponseBit)) {
      if (rest.size() < bytes_needed_for_stream(version_byte)) return;
      return check_response(Session::unsupported_version(version_byte, peek_stream(rest)).frame);
    }
    if (rest.size() < kHeaderSize) return;
    FrameHeader header = parse_header(rest);
    if (auto refusal = session.check_header(header)) return check_response(refusal->frame);
    rest.remove_prefix(kHeaderSize);
    if (rest.size() < static_cast<size_t>(header.length)) return;
    std::string_view body = rest.substr(0, static_cast<size_t>(header.length));
    rest.remove_prefix(body.size());
    Reply reply;
    if (session.is_query_request(header)) {
      RequestContext context = session.begin_request(header);
      reply = Session::run_request(db, session.options(), context, header, body);
      session.end_request(context);
    } else {
      reply = session.handle(header, body);
    }
    check_response(reply.frame);
    if (reply.close) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  set_log_level(LogLevel::kError);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  DatabaseOptions database_options;
  database_options.in_memory = true;
  auto db = open_database(database_options);
  SessionOptions options;
  options.max_frame_body = kMaxFrameBody;
  Session session(*db, options, ClientState{"", "127.0.0.1", "127.0.0.1"});
  db->set_schema_change_listener([&session](const SchemaChangeResult& change) {
    if (auto event = session.schema_change_event(change)) check_response(*event);
  });
  run_connection(*db, session, std::string_view(reinterpret_cast<const char*>(data), size));
  db->set_schema_change_listener(nullptr);
  return 0;
}
