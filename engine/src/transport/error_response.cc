// The one table from exceptions to ERROR bodies (see responses.h).
#include <string>

#include "common/errors.h"
#include "common/text.h"
#include "transport/body_writer.h"
#include "transport/responses.h"

namespace cqld::transport {
namespace {

constexpr uint8_t kFirstVersionWithFailureCodes = 4;
// v5 replaces the failures' <numfailures> with a <reasonmap> (endpoint -> reason code).
constexpr uint8_t kFirstVersionWithReasonMap = 5;

// Codes that v3 lacks are sent as their closest v3 equivalent, as Cassandra does.
ErrorCode code_for_version(ErrorCode code, uint8_t version) {
  if (version >= kFirstVersionWithFailureCodes) return code;
  switch (code) {
    case ErrorCode::kReadFailure:
      return ErrorCode::kReadTimeout;
    case ErrorCode::kWriteFailure:
      return ErrorCode::kWriteTimeout;
    case ErrorCode::kFunctionFailure:
      return ErrorCode::kInvalid;
    default:
      return code;
  }
}

// The extra fields some codes carry. cqld is one node, so the replica counts of the
// availability and timeout errors describe that node: one replica required, none answered.
// The failures' count (v3/v4) or reason map (v5). cqld's failures happen on the coordinator,
// which is the only replica: the one failure is counted, and the map names no other node, so
// it is empty.
void write_failures(BodyWriter& w, uint8_t version) {
  if (version >= kFirstVersionWithReasonMap) {
    w.write_int(0);
  } else {
    w.write_int(1);
  }
}

void write_extras(BodyWriter& w, ErrorCode code, const CqlError& e, uint8_t version) {
  switch (code) {
    case ErrorCode::kUnavailable:
      w.write_consistency(Consistency::kOne);
      w.write_int(1);
      w.write_int(0);
      return;
    case ErrorCode::kWriteTimeout: {
      const auto* timeout = dynamic_cast<const RequestTimeout*>(&e);
      w.write_consistency(timeout ? static_cast<Consistency>(timeout->consistency) : Consistency::kOne);
      w.write_int(0);
      w.write_int(1);
      w.write_string(timeout && !timeout->write_type.empty() ? timeout->write_type : "SIMPLE");
      return;
    }
    case ErrorCode::kReadTimeout: {
      const auto* timeout = dynamic_cast<const RequestTimeout*>(&e);
      w.write_consistency(timeout ? static_cast<Consistency>(timeout->consistency) : Consistency::kOne);
      w.write_int(0);
      w.write_int(1);
      w.write_byte(0);
      return;
    }
    case ErrorCode::kReadFailure:
      w.write_consistency(Consistency::kOne);
      w.write_int(0);
      w.write_int(1);
      write_failures(w, version);
      w.write_byte(0);
      return;
    case ErrorCode::kWriteFailure:
      w.write_consistency(Consistency::kOne);
      w.write_int(0);
      w.write_int(1);
      write_failures(w, version);
      w.write_string("SIMPLE");
      return;
    case ErrorCode::kFunctionFailure:
      w.write_string("");
      w.write_string("");
      w.write_string_list({});
      return;
    case ErrorCode::kAlreadyExists: {
      const auto* exists = dynamic_cast<const AlreadyExists*>(&e);
      w.write_string(exists ? exists->keyspace : std::string());
      w.write_string(exists ? exists->table : std::string());
      return;
    }
    case ErrorCode::kUnprepared: {
      const auto* unprepared = dynamic_cast<const Unprepared*>(&e);
      w.write_short_bytes(unprepared ? unprepared->id : std::string());
      return;
    }
    default:
      return;
  }
}

}  // namespace

std::string encode_error(int32_t code, std::string_view message) {
  std::string out;
  BodyWriter w(out);
  w.write_int(code);
  // Messages quote client text: they go out as valid UTF-8, cut only between characters, or
  // drivers fail to decode them and drop the connection.
  std::string text = to_valid_utf8(message);
  w.write_string(utf8_prefix(text, UINT16_MAX));
  return out;
}

std::string encode_error(const std::exception& error, uint8_t version) {
  const auto* cql = dynamic_cast<const CqlError*>(&error);
  if (cql == nullptr) {
    return encode_error(static_cast<int32_t>(ErrorCode::kServerError), error.what());
  }
  ErrorCode code = code_for_version(cql->code(), version);
  std::string out = encode_error(static_cast<int32_t>(code), cql->what());
  BodyWriter w(out);
  write_extras(w, code, *cql, version);
  return out;
}

}  // namespace cqld::transport
