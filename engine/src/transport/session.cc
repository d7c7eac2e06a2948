#include "transport/session.h"

#include <charconv>
#include <string>

#include "common/errors.h"
#include "common/overloaded.h"
#include "common/log.h"

namespace cqld::transport {
namespace {

constexpr int kMinCqlMajorVersion = 3;

constexpr std::string_view kSupportedVersions = "(3/v3, 4/v4)";


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
                                  {"PROTOCOL_VERSIONS", {"3/v3", "4/v4"}},
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
  if (h.is_response) {
    problem = "Wrong protocol direction (expected REQUEST, got RESPONSE)";
  } else if (h.length < 0 || static_cast<uint64_t>(h.length) > options_.max_frame_body) {
    problem = "Request is too big: length " + std::to_string(h.length) +
              " exceeds maximum allowed length " + std::to_string(options_.max_frame_body) + ".";
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

Reply Session::handle(const FrameHeader& h, std::string_view body) {
  bool compress_reply = compression_ != Compression::kNone && state_ != State::kNew;
  try {
    if (!is_request_opcode(h.opcode)) {
      throw ProtocolError("Unknown opcode " + std::to_string(h.opcode) + " for a request");
    }
    check_allowed(h.opcode);
    std::string decompressed;
    if (h.flags & frame_flags::kCompressed) {
      decompressed = decompress(compression_, body, options_.max_frame_body);
      body = decompressed;
    }
    Request request = decode_request(h, body);
    return {frame(h.version, h.stream, dispatch(h, request), compress_reply)};
  } catch (const CqlError& e) {
    return {error_frame(h.version, h.stream, e)};
  } catch (const std::exception& e) {
    // Not a CqlError: a bug or an environment failure, worth an operator's attention.
    log_message(LogLevel::kWarn, std::string(opcode_name(h.opcode)) + " failed: " + e.what());
    return {error_frame(h.version, h.stream, e)};
  } catch (...) {
    log_message(LogLevel::kWarn, std::string(opcode_name(h.opcode)) + " failed: unknown error");
    return {error_frame(h.version, h.stream, ServerError("unknown error"))};
  }
}

std::optional<std::string> Session::schema_change_event(const SchemaChangeResult& change) const {
  if (!schema_events_ || !version_) return std::nullopt;
  Response event{Opcode::kEvent, encode_schema_change_event(change, *version_)};
  return frame(*version_, kEventStream, event, compression_ != Compression::kNone);
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
  uint8_t v = h.version;
  return std::visit(
      Overloaded{
          [&](const StartupRequest& r) { return on_startup(r); },
          [&](const AuthResponseRequest& r) { return on_auth_response(r); },
          [&](const OptionsRequest&) { return supported(); },
          [&](const QueryRequest& r) {
            Result result = processor_.query(client_, r.query, r.options);
            return Response{Opcode::kResult, encode_result(result, v, r.options.skip_metadata)};
          },
          [&](const PrepareRequest& r) {
            return Response{Opcode::kResult, encode_result(processor_.prepare(client_, r.query), v,
                                                           /*skip_metadata=*/false)};
          },
          [&](const ExecuteRequest& r) {
            Result result = processor_.execute(client_, r.id, r.options);
            return Response{Opcode::kResult, encode_result(result, v, r.options.skip_metadata)};
          },
          [&](const BatchRequest& r) {
            return Response{Opcode::kResult, encode_result(processor_.batch(client_, r), v, false)};
          },
          [&](const RegisterRequest& r) { return on_register(r); },
      },
      request);
}

Response Session::on_startup(const StartupRequest& startup) {
  check_cql_version(startup.options);
  auto it = startup.options.find("COMPRESSION");
  if (it != startup.options.end() && !it->second.empty()) {
    std::optional<Compression> c = compression_by_name(it->second);
    if (!c) throw ProtocolError("Unknown compression algorithm: " + it->second);
    compression_ = *c;
  }
  if (options_.authenticator != nullptr) {
    state_ = State::kAuthenticating;
    return {Opcode::kAuthenticate, encode_authenticate(options_.authenticator->class_name())};
  }
  state_ = State::kReady;
  return {Opcode::kReady, {}};
}

Response Session::on_auth_response(const AuthResponseRequest& auth) {
  options_.authenticator->authenticate(auth.token.value_or(std::string_view()));
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

std::string Session::frame(uint8_t version, int16_t stream, const Response& response,
                           bool compress_body) const {
  std::string out;
  if (compress_body) {
    std::string body = compress(compression_, response.body);
    out.reserve(kHeaderSize + body.size());
    append_response_header(out, version, frame_flags::kCompressed, stream, response.opcode,
                           static_cast<uint32_t>(body.size()));
    out += body;
    return out;
  }
  out.reserve(kHeaderSize + response.body.size());
  append_response_header(out, version, 0, stream, response.opcode,
                         static_cast<uint32_t>(response.body.size()));
  out += response.body;
  return out;
}

std::string Session::error_frame(uint8_t version, int16_t stream,
                                 const std::exception& error) const {
  bool compress_body = compression_ != Compression::kNone && state_ != State::kNew;
  return frame(version, stream, {Opcode::kError, encode_error(error, version)}, compress_body);
}

}  // namespace cqld::transport
