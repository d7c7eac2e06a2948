#include "transport/requests.h"

#include <limits>

#include "common/errors.h"
#include "transport/body_reader.h"

namespace cqld::transport {
namespace {

constexpr uint8_t kFirstVersionWithUnset = 4;
constexpr uint8_t kFirstVersionWithIntFlags = 5;
constexpr uint8_t kBatchQueryString = 0;
constexpr uint8_t kBatchPreparedId = 1;
constexpr uint8_t kMaxBatchType = static_cast<uint8_t>(BatchRequest::Type::kCounter);

bool allows_unset(const FrameHeader& h) {
  return h.version >= kFirstVersionWithUnset;
}

uint32_t read_flags(BodyReader& r, const FrameHeader& h) {
  if (h.version >= kFirstVersionWithIntFlags) return static_cast<uint32_t>(r.read_int());
  return r.read_byte();
}

// The v5 fields that follow the timestamp in QUERY, EXECUTE and BATCH.
RequestScope read_scope(BodyReader& r, uint32_t flags) {
  RequestScope scope;
  if (flags & query_flags::kKeyspace) scope.keyspace = std::string(r.read_string());
  if (flags & query_flags::kNowInSeconds) scope.now_in_seconds = r.read_int();
  return scope;
}

int64_t read_timestamp(BodyReader& r) {
  int64_t ts = r.read_long();
  if (ts == std::numeric_limits<int64_t>::min()) {
    throw ProtocolError(
        "Out of bound timestamp, must be in [-9223372036854775807, 9223372036854775807] (got "
        "-9223372036854775808)");
  }
  return ts;
}

void read_values(BodyReader& r, const FrameHeader& h, bool with_names, QueryOptions& out) {
  uint16_t n = r.read_short();
  out.values.reserve(std::min<size_t>(n, r.remaining() / 4));
  for (uint16_t i = 0; i < n; ++i) {
    if (with_names) out.value_names.emplace_back(r.read_string());
    out.values.push_back(r.read_value(allows_unset(h)));
  }
}

QueryOptions read_query_options(BodyReader& r, const FrameHeader& h, RequestScope* scope) {
  QueryOptions o;
  o.consistency = r.read_consistency();
  uint32_t flags = read_flags(r, h);
  if (flags & query_flags::kValues) {
    read_values(r, h, (flags & query_flags::kNamesForValues) != 0, o);
  }
  o.skip_metadata = (flags & query_flags::kSkipMetadata) != 0;
  if (flags & query_flags::kPageSize) o.page_size = r.read_int();
  if (flags & query_flags::kPagingState) {
    auto state = r.read_bytes();
    if (state) o.paging_state = std::string(*state);
  }
  if (flags & query_flags::kSerialConsistency) o.serial_consistency = r.read_consistency();
  if (flags & query_flags::kDefaultTimestamp) o.default_timestamp = read_timestamp(r);
  *scope = read_scope(r, flags);
  return o;
}

BatchChild read_batch_statement(BodyReader& r, const FrameHeader& h) {
  BatchChild s;
  uint8_t kind = r.read_byte();
  if (kind == kBatchQueryString) {
    s.query_or_id = std::string(r.read_long_string());
  } else if (kind == kBatchPreparedId) {
    s.is_prepared = true;
    s.query_or_id = std::string(r.read_short_bytes());
  } else {
    throw ProtocolError("Invalid query kind in BATCH messages. Must be 0 or 1 but got " +
                        std::to_string(kind));
  }
  uint16_t n = r.read_short();
  s.values.reserve(std::min<size_t>(n, r.remaining() / 4));
  for (uint16_t i = 0; i < n; ++i) s.values.push_back(r.read_value(allows_unset(h)));
  return s;
}

BatchMessage read_batch(BodyReader& r, const FrameHeader& h) {
  BatchMessage message;
  BatchRequest& b = message.batch;
  uint8_t type = r.read_byte();
  if (type > kMaxBatchType)
    throw ProtocolError("Invalid BATCH message type " + std::to_string(type));
  b.type = static_cast<BatchRequest::Type>(type);
  uint16_t n = r.read_short();
  for (uint16_t i = 0; i < n; ++i) b.statements.push_back(read_batch_statement(r, h));
  b.consistency = r.read_consistency();
  uint32_t flags = read_flags(r, h);
  if (flags & query_flags::kNamesForValues) {
    throw ProtocolError("Alternate names for values in BATCH messages are not supported");
  }
  if (flags & query_flags::kSerialConsistency) b.serial_consistency = r.read_consistency();
  if (flags & query_flags::kDefaultTimestamp) b.default_timestamp = read_timestamp(r);
  message.scope = read_scope(r, flags);
  return message;
}

PrepareRequest read_prepare(BodyReader& r, const FrameHeader& h) {
  PrepareRequest p;
  p.query = r.read_long_string();
  if (h.version < kFirstVersionWithIntFlags) return p;
  auto flags = static_cast<uint32_t>(r.read_int());
  if (flags & prepare_flags::kKeyspace) p.scope.keyspace = std::string(r.read_string());
  return p;
}

Request read_body(BodyReader& r, const FrameHeader& h) {
  switch (static_cast<Opcode>(h.opcode)) {
    case Opcode::kStartup:
      return StartupRequest{r.read_string_map()};
    case Opcode::kAuthResponse:
      return AuthResponseRequest{r.read_bytes()};
    case Opcode::kOptions:
      return OptionsRequest{};
    case Opcode::kQuery: {
      QueryRequest q;
      q.query = r.read_long_string();
      q.options = read_query_options(r, h, &q.scope);
      return q;
    }
    case Opcode::kPrepare:
      return read_prepare(r, h);
    case Opcode::kExecute: {
      ExecuteRequest e;
      e.id = r.read_short_bytes();
      if (h.version >= kFirstVersionWithIntFlags) e.result_metadata_id = r.read_short_bytes();
      e.options = read_query_options(r, h, &e.scope);
      return e;
    }
    case Opcode::kBatch:
      return read_batch(r, h);
    case Opcode::kRegister:
      return RegisterRequest{r.read_string_list()};
    default:
      throw ProtocolError("Unknown opcode " + std::to_string(h.opcode));
  }
}

}  // namespace

Request decode_request(const FrameHeader& header, std::string_view body) {
  BodyReader r(body);
  if (header.flags & frame_flags::kCustomPayload) r.read_bytes_map();
  return read_body(r, header);
}

}  // namespace cqld::transport
