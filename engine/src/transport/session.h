// One client connection's protocol state machine, independent of sockets: it checks frame
// headers, decodes requests, calls the QueryProcessor and encodes (and compresses) response
// frames. Not thread-safe: a connection drives its session from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "exec/query_processor.h"
#include "transport/authenticator.h"
#include "transport/compression.h"
#include "transport/frame.h"
#include "transport/requests.h"
#include "transport/responses.h"

namespace cqld::transport {

// The largest frame body accepted by default: Cassandra's native_transport_max_frame_size
// (16 MiB), which also bounds its mutations (half a 32 MiB commit log segment).
constexpr size_t kDefaultMaxFrameBody = size_t{16} << 20;

// Failed AUTH_RESPONSEs a connection may make; the last one's error is followed by closing it.
constexpr int kMaxFailedLogins = 3;

// The CQL version advertised in SUPPORTED and accepted (>= 3.0.0) in STARTUP.
constexpr std::string_view kCqlVersion = "3.4.5";

struct SessionOptions {
  size_t max_frame_body = kDefaultMaxFrameBody;
  const Authenticator* authenticator = nullptr;  // null: no authentication
};

// What to do with a frame once it has been handled.
struct Reply {
  std::string frame;   // encoded response frame (header + body); empty: nothing to send
  bool close = false;  // close the connection once "frame" is written
  // A request refused for its size: its body is read and dropped (never held), and the
  // connection goes on, as Cassandra does.
  bool discard_body = false;
};

// What a query-class request takes from its connection when it is dispatched to a worker, so
// the worker runs it while the connection goes on reading. The client state is a copy: a USE
// comes back through it and is applied by Session::end_request on the connection's thread.
struct RequestContext {
  uint8_t version = kMaxVersion;
  Compression compression = Compression::kNone;
  ClientState client;
  std::string keyspace_before;
};

class Session {
 public:
  // "processor" and "options.authenticator" must outlive the session.
  Session(QueryProcessor& processor, SessionOptions options, ClientState client);

  // The answer to a frame whose version byte is not 3, 4 or 5, sent before reading further;
  // the connection closes after it.
  static Reply unsupported_version(uint8_t version_byte, int16_t stream);

  // Checks a parsed header before its body is read. Returns a closing Reply when the frame
  // must be refused (wrong direction, declared length out of bounds, version change).
  std::optional<Reply> check_header(const FrameHeader& header);

  // Handles a complete request frame whose header passed check_header, on the connection's
  // thread: the control messages (STARTUP, AUTH_RESPONSE, OPTIONS, REGISTER) and anything
  // refused before it reaches the processor.
  Reply handle(const FrameHeader& header, std::string_view body);

  // Whether a frame is a query-class request (QUERY, PREPARE, EXECUTE, BATCH) on a ready
  // connection: those run on workers through begin_request / run_request / end_request.
  bool is_query_request(const FrameHeader& header) const;
  RequestContext begin_request(const FrameHeader& header) const;
  // Runs on any thread: decompresses, decodes, executes and encodes, touching nothing of the
  // session. Always returns a reply (errors become ERROR frames).
  static Reply run_request(QueryProcessor& processor, const SessionOptions& options, RequestContext& context,
                           const FrameHeader& header, std::string_view body);
  // Back on the connection's thread, after run_request: applies a keyspace change.
  void end_request(const RequestContext& context);
  // The answer to a query-class request that could not be queued (the workers are saturated).
  std::string overloaded_frame(const FrameHeader& header) const;

  QueryProcessor& processor() const { return processor_; }
  const SessionOptions& options() const { return options_; }

  // An ERROR frame in the connection's current compression.
  std::string error_frame(uint8_t version, int16_t stream, const std::exception& error) const;

  // An EVENT frame for a schema change, or nullopt if the client did not REGISTER for them.
  std::optional<std::string> schema_change_event(const SchemaChangeResult& change) const;

  const ClientState& client() const { return client_; }
  // STARTUP (and authentication, when required) is done.
  bool ready() const { return state_ == State::kReady; }
  // v5 after a successful STARTUP: everything read and written from then on is in segments.
  bool segmented() const { return segmented_; }
  // Whether those segments are lz4-compressed (the STARTUP asked for lz4).
  bool segments_compressed() const { return segmented_ && compression_ == Compression::kLz4; }
  size_t max_frame_body() const { return options_.max_frame_body; }

 private:
  enum class State { kNew, kAuthenticating, kReady };

  Response dispatch(const FrameHeader& header, Request& request);
  static Response run_query(QueryProcessor& processor, uint8_t version, ClientState& client, Request& request);
  void check_allowed(uint8_t opcode) const;
  Response on_startup(const StartupRequest& startup);
  Response on_auth_response(const AuthResponseRequest& auth);
  Response on_register(const RegisterRequest& reg);
  static std::string frame(uint8_t version, int16_t stream, const Response& response, Compression compression);
  static std::string failure_frame(uint8_t version, int16_t stream, uint8_t opcode, Compression compression,
                                   std::exception_ptr error);
  // Compression applies from the frame after READY.
  Compression reply_compression() const { return state_ == State::kNew ? Compression::kNone : envelope_compression(); }
  // Up to v4 the envelope body is compressed; v5 compresses segments instead.
  Compression envelope_compression() const { return segmented_ ? Compression::kNone : compression_; }
  bool segmented_version() const { return version_ && *version_ >= kFirstSegmentedVersion; }

  QueryProcessor& processor_;
  SessionOptions options_;
  ClientState client_;
  State state_ = State::kNew;
  std::optional<uint8_t> version_;  // fixed by the first frame
  Compression compression_ = Compression::kNone;
  bool schema_events_ = false;
  int failed_logins_ = 0;
  bool segmented_ = false;
};

}  // namespace cqld::transport
