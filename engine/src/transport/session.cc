#include "transport/session.h"

#include <charconv>
#include <climits>
#include <string>

#include "common/errors.h"
#include "common/overloaded.h"
#include "common/log.h"

namespace cqld::transport {
namespace {

constexpr int kMinCqlMajorVersion = 3;

constexpr std::string_view kSupportedVersions = "(3/v3, 4/v4, 5/v5)";


// Parses the leading "major" of a dotted version; nullopt if it does not start with digits.
std::optional<int> major_version(std::string_view version) {
  int major = 0;
  auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), major);
  if (ec != std::errc() || end == version.data()) return std::nullopt;
  if (end != version.data() + version.size() && *end != '.') return std::nullopt;
  return major;
}

void check_cql_version(const std::map<std::string, std::string>& options) {
  auto it = options.find("CQL_VERSION");
  if (it == options.end()) throw ProtocolError("Missing value CQL_VERSION in STARTUP message");
  std::optional<int> major = major_version(it->second);
  if (!major) throw ProtocolError("Invalid CQL version: " + it->second);
  if (*major < kMinCqlMajorVersion) {
    throw ProtocolError("CQL version " + it->second +
                        " is not supported by the binary protocol (supported version are >= "
                        "3.0.0)");
  }
}

bool is_event_type(std::string_view type) {
  return type == "TOPOLOGY_CHANGE" || type == "STATUS_CHANGE" || type == "SCHEMA_CHANGE";
}

std::string unexpected(uint8_t opcode, std::string_view why) {
  return "Unexpected message " + std::string(opcode_name(opcode)) + ", " + std::string(why);
}

Response supported() {
  return {Opcode::kSupported, encode_supported({
                                  {"CQL_VERSION", {std::string(kCqlVersion)}},
                                  {"COMPRESSION", {"lz4", "snappy"}},
                                  {"PROTOCOL_VERSIONS", {"3/v3", "4/v4", "5/v5"}},
                              })};
}

}  // namespace

Session::Session(QueryProcessor& processor, SessionOptions options, ClientState client)
    : processor_(processor), options_(options), client_(std::move(client)) {}

Reply Session::unsupported_version(uint8_t version_byte, int16_t stream) {
  int version = version_byte & ~kResponseBit;
  std::string message = "Invalid or unsupported protocol version (" + std::to_string(version) +
                        "); supported versions are " + std::string(kSupportedVersions);
  std::string body = encode_error(static_cast<int32_t>(ErrorCode::kProtocolError), message);
  std::string out;
  append_response_header(out, kVersionForErrors, 0, stream, Opcode::kError,
                         static_cast<uint32_t>(body.size()));
  out += body;
  return {std::move(out), true};
}

std::optional<Reply> Session::check_header(const FrameHeader& h) {
  if (!is_supported_version(h.version)) return unsupported_version(h.version, h.stream);
  std::string problem;
  // Up to v4 Cassandra counts the header in the frame's length; in v5 it counts the message
  // body alone. Either way it answers Invalid, drops the body and keeps the connection.
  uint64_t frame_length = static_cast<uint64_t>(h.length) + (segmented_ ? 0 : kHeaderSize);
  if (!h.is_response && h.length >= 0 && frame_length > options_.max_frame_body &&
      (!version_ || *version_ == h.version)) {
    version_ = h.version;
    std::string max = std::to_string(options_.max_frame_body);
    std::string message = segmented_ ? "CQL Message of size " + std::to_string(h.length) +
                                           " bytes exceeds allowed maximum of " + max + " bytes"
                                     : "Request is too big: length " + std::to_string(frame_length) +
                                           " exceeds maximum allowed length " + max + ".";
    Reply refused{error_frame(h.version, h.stream, InvalidRequest(message)), false};
    refused.discard_body = true;
    return refused;
  }
  if (h.is_response) {
    problem = "Wrong protocol direction (expected REQUEST, got RESPONSE)";
  } else if (h.length < 0) {
    problem = "Invalid frame body length " + std::to_string(h.length);
  } else if (version_ && *version_ != h.version) {
    problem = "Invalid message version. Got v" + std::to_string(h.version) +
              " but previous messages on this connection had version v" + std::to_string(*version_);
  }
  if (problem.empty()) {
    version_ = h.version;
    return std::nullopt;
  }
  return Reply{error_frame(h.version, h.stream, ProtocolError(problem)), true};
}

namespace {

// A frame's length is a signed 32-bit number: no response may be longer.
void check_frame_length(size_t body_size) {
  constexpr size_t kMaxBody = static_cast<size_t>(INT32_MAX);
  if (body_size > kMaxBody) {
    throw InvalidRequest("The response of " + std::to_string(body_size) + " bytes exceeds the largest frame the protocol allows (" +
                         std::to_string(kMaxBody) + " bytes): page the query or lower its LIMIT");
  }
}

std::string_view decompressed_body(Compression compression, const FrameHeader& h, std::string_view body,
                                   size_t max_size, std::string* storage) {
  // v5 compresses segments, not envelopes: the envelope's flag is ignored (spec 2.4).
  if (!(h.flags & frame_flags::kCompressed) || h.version >= kFirstSegmentedVersion) return body;
  *storage = decompress(compression, body, max_size);
  return *storage;
}

}  // namespace

// The ERROR frame for whatever a request threw; errors that are not CqlErrors are logged.
std::string Session::failure_frame(uint8_t version, int16_t stream, uint8_t opcode, Compression compression,
                                   std::exception_ptr error) {
  auto frame_of = [&](const std::exception& e) {
    return frame(version, stream, {Opcode::kError, encode_error(e, version)}, compression);
  };
  try {
    std::rethrow_exception(error);
  } catch (const CqlError& e) {
    return frame_of(e);
  } catch (const std::exception& e) {
    // Not a CqlError: a bug or an environment failure, worth an operator's attention.
    log_message(LogLevel::kWarn, std::string(opcode_name(opcode)) + " failed: " + e.what());
    return frame_of(e);
  } catch (...) {
    log_message(LogLevel::kWarn, std::string(opcode_name(opcode)) + " failed: unknown error");
    return frame_of(ServerError("unknown error"));
  }
}

Reply Session::handle(const FrameHeader& h, std::string_view body) {
  Compression reply = reply_compression();
  try {
    if (!is_request_opcode(h.opcode)) {
      throw ProtocolError("Unknown opcode " + std::to_string(h.opcode) + " for a request");
    }
    check_allowed(h.opcode);
    std::string storage;
    body = decompressed_body(compression_, h, body, options_.max_frame_body, &storage);
    Request request = decode_request(h, body);
    return {frame(h.version, h.stream, dispatch(h, request), reply)};
  } catch (...) {
    Reply refused{failure_frame(h.version, h.stream, h.opcode, reply, std::current_exception())};
    refused.close = failed_logins_ >= kMaxFailedLogins;
    return refused;
  }
}

bool Session::is_query_request(const FrameHeader& h) const {
  if (state_ != State::kReady) return false;
  auto op = static_cast<Opcode>(h.opcode);
  return op == Opcode::kQuery || op == Opcode::kPrepare || op == Opcode::kExecute || op == Opcode::kBatch;
}

RequestContext Session::begin_request(const FrameHeader& h) const {
  RequestContext context;
  context.version = h.version;
  context.compression = envelope_compression();
  context.client = client_;
  context.keyspace_before = client_.keyspace;
  return context;
}

Reply Session::run_request(QueryProcessor& processor, const SessionOptions& options, RequestContext& context,
                           const FrameHeader& h, std::string_view body) {
  try {
    std::string storage;
    body = decompressed_body(context.compression, h, body, options.max_frame_body, &storage);
    Request request = decode_request(h, body);
    return {frame(h.version, h.stream, run_query(processor, h.version, context.client, request), context.compression)};
  } catch (...) {
    return {failure_frame(h.version, h.stream, h.opcode, context.compression, std::current_exception())};
  }
}

void Session::end_request(const RequestContext& context) {
  if (context.client.keyspace != context.keyspace_before) client_.keyspace = context.client.keyspace;
}

std::string Session::overloaded_frame(const FrameHeader& h) const {
  return error_frame(h.version, h.stream,
                     OverloadedError("Server is in overloaded state. Cannot accept more requests at this point"));
}

std::optional<std::string> Session::schema_change_event(const SchemaChangeResult& change) const {
  if (!schema_events_ || !version_) return std::nullopt;
  Response event{Opcode::kEvent, encode_schema_change_event(change, *version_)};
  return frame(*version_, kEventStream, event, envelope_compression());
}

void Session::check_allowed(uint8_t opcode) const {
  auto op = static_cast<Opcode>(opcode);
  if (op == Opcode::kOptions) return;
  switch (state_) {
    case State::kNew:
      if (op != Opcode::kStartup)
        throw ProtocolError(unexpected(opcode, "expecting STARTUP or OPTIONS"));
      return;
    case State::kAuthenticating:
      if (op != Opcode::kAuthResponse) {
        throw ProtocolError(
            unexpected(opcode, "needs authentication through AUTH_RESPONSE message"));
      }
      return;
    case State::kReady:
      if (op == Opcode::kStartup) {
        throw ProtocolError(unexpected(opcode, "the connection is already initialized"));
      }
      if (op == Opcode::kAuthResponse) {
        throw ProtocolError(unexpected(opcode, "the connection is already authenticated"));
      }
      return;
  }
}

Response Session::dispatch(const FrameHeader& h, Request& request) {
  return std::visit(
      Overloaded{
          [&](const StartupRequest& r) { return on_startup(r); },
          [&](const AuthResponseRequest& r) { return on_auth_response(r); },
          [&](const OptionsRequest&) { return supported(); },
          [&](const RegisterRequest& r) { return on_register(r); },
          [&](const auto&) { return run_query(processor_, h.version, client_, request); },
      },
      request);
}

namespace {

// A v5 request's keyspace replaces the connection's for that request only (a USE inside it
// still changes the connection's, as in Cassandra, through the state that comes back).
class ScopedClient {
 public:
  ScopedClient(ClientState& client, const RequestScope& scope) : client_(client) {
    if (!scope.keyspace) return;
    saved_ = client_.keyspace;
    client_.keyspace = *scope.keyspace;
  }
  ~ScopedClient() {
    if (saved_ && client_.keyspace == scoped_) client_.keyspace = *saved_;
  }
  ScopedClient(const ScopedClient&) = delete;
  ScopedClient& operator=(const ScopedClient&) = delete;
  ClientState& get() {
    scoped_ = client_.keyspace;
    return client_;
  }

 private:
  ClientState& client_;
  std::optional<std::string> saved_;
  std::string scoped_;
};

}  // namespace

Response Session::run_query(QueryProcessor& processor, uint8_t v, ClientState& client, Request& request) {
  return std::visit(
      Overloaded{
          [&](const QueryRequest& r) {
            ScopedClient scoped(client, r.scope);
            Result result = processor.query(scoped.get(), r.query, r.options);
            return Response{Opcode::kResult, encode_result(result, v, r.options.skip_metadata)};
          },
          [&](const PrepareRequest& r) {
            ScopedClient scoped(client, r.scope);
            return Response{Opcode::kResult, encode_result(processor.prepare(scoped.get(), r.query), v,
                                                           /*skip_metadata=*/false)};
          },
          [&](const ExecuteRequest& r) {
            ScopedClient scoped(client, r.scope);
            Result result = processor.execute(scoped.get(), r.id, r.options);
            return Response{Opcode::kResult,
                            encode_result(result, v, r.options.skip_metadata, r.result_metadata_id)};
          },
          [&](const BatchMessage& r) {
            ScopedClient scoped(client, r.scope);
            return Response{Opcode::kResult, encode_result(processor.batch(scoped.get(), r.batch), v, false)};
          },
          [&](const auto&) -> Response { throw ProtocolError("Unexpected message on a worker"); },
      },
      request);
}

Response Session::on_startup(const StartupRequest& startup) {
  check_cql_version(startup.options);
  auto it = startup.options.find("COMPRESSION");
  if (it != startup.options.end() && !it->second.empty()) {
    std::optional<Compression> c = compression_by_name(it->second);
    if (!c) throw ProtocolError("Unknown compression algorithm: " + it->second);
    if (*c == Compression::kSnappy && segmented_version()) {
      throw ProtocolError("Snappy compression is not supported in protocol V5");
    }
    compression_ = *c;
  }
  // From the frame after this answer on, a v5 connection speaks in segments (spec 2.3.1).
  segmented_ = segmented_version();
  if (options_.authenticator != nullptr) {
    state_ = State::kAuthenticating;
    return {Opcode::kAuthenticate, encode_authenticate(options_.authenticator->class_name())};
  }
  state_ = State::kReady;
  return {Opcode::kReady, {}};
}

// A connection gets kMaxFailedLogins attempts; the answer to the last is followed by closing it,
// so guessing passwords costs a new connection (and a bcrypt check) per few tries.
Response Session::on_auth_response(const AuthResponseRequest& auth) {
  try {
    client_.user = options_.authenticator->authenticate(auth.token.value_or(std::string_view()));
  } catch (const CqlError& e) {
    if (e.code() == ErrorCode::kBadCredentials) ++failed_logins_;
    throw;
  }
  state_ = State::kReady;
  return {Opcode::kAuthSuccess, encode_auth_success(std::nullopt)};
}

Response Session::on_register(const RegisterRequest& reg) {
  for (const auto& type : reg.events) {
    if (!is_event_type(type)) throw ProtocolError("Invalid event type: " + type);
  }
  for (const auto& type : reg.events) {
    if (type == "SCHEMA_CHANGE") schema_events_ = true;
  }
  return {Opcode::kReady, {}};
}

std::string Session::frame(uint8_t version, int16_t stream, const Response& response, Compression compression) {
  std::string out;
  if (compression != Compression::kNone) {
    std::string body = compress(compression, response.body);
    check_frame_length(body.size());
    out.reserve(kHeaderSize + body.size());
    append_response_header(out, version, frame_flags::kCompressed, stream, response.opcode,
                           static_cast<uint32_t>(body.size()));
    out += body;
    return out;
  }
  check_frame_length(response.body.size());
  out.reserve(kHeaderSize + response.body.size());
  append_response_header(out, version, 0, stream, response.opcode,
                         static_cast<uint32_t>(response.body.size()));
  out += response.body;
  return out;
}

std::string Session::error_frame(uint8_t version, int16_t stream, const std::exception& error) const {
  return frame(version, stream, {Opcode::kError, encode_error(error, version)}, reply_compression());
}

}  // namespace cqld::transport
