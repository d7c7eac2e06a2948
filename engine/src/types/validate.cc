// validate_value: Cassandra's TypeSerializer.validate checks and messages, per type.
#include <cstdio>

#include "common/errors.h"
#include "common/text.h"
#include "types/duration.h"
#include "types/value.h"
#include "types/vector.h"
#include "types/wire.h"

namespace cqld {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw InvalidRequest(message);
}

void expect_size(std::string_view bytes, size_t size, bool empty_ok, const char* message) {
  if (bytes.size() == size || (empty_ok && bytes.empty())) return;
  char buf[128];
  std::snprintf(buf, sizeof buf, message, static_cast<int>(bytes.size()));
  invalid(buf);
}

void validate_ascii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<uint8_t>(c) > 127)
      invalid("Invalid byte for ascii: " + std::to_string(static_cast<int>(c)));
  }
}

void validate_timeuuid(std::string_view bytes) {
  expect_size(bytes, 16, true, "TimeUUID should be 16 or 0 bytes (%d)");
  if (!bytes.empty() && (wire::byte_at(bytes, 6) & 0xF0) != 0x10)
    invalid("Invalid version for TimeUUID type.");
}

void validate_duration(std::string_view bytes) {
  if (bytes.empty()) return;
  if (bytes.size() < 3)
    invalid("Expected at least 3 bytes for a duration (" + std::to_string(bytes.size()) + ")");
  auto d = deserialize_duration(bytes);
  if (!d) invalid("Invalid duration value");
  bool all_nonneg = d->months >= 0 && d->days >= 0 && d->nanoseconds >= 0;
  bool all_nonpos = d->months <= 0 && d->days <= 0 && d->nanoseconds <= 0;
  if (!all_nonneg && !all_nonpos) {
    invalid("The duration months, days and nanoseconds must be all of the same sign (" +
            std::to_string(d->months) + ", " + std::to_string(d->days) + ", " +
            std::to_string(d->nanoseconds) + ")");
  }
}

void validate_collection(const CqlType& type, std::string_view bytes) {
  if (bytes.empty()) return;
  const char* name = type.kind == TypeKind::kList  ? "list"
                     : type.kind == TypeKind::kSet ? "set"
                                                   : "map";
  std::string_view in = bytes;
  auto fail = [&] { invalid(std::string("Not enough bytes to read a ") + name); };
  if (in.size() < 4) fail();
  int32_t count = decode_int32(in);
  in.remove_prefix(4);
  if (count < 0) fail();
  size_t per_entry = type.kind == TypeKind::kMap ? 2 : 1;
  for (int64_t i = 0; i < count; ++i) {
    for (size_t part = 0; part < per_entry; ++part) {
      if (in.size() < 4) fail();
      int32_t n = decode_int32(in);
      in.remove_prefix(4);
      if (n < 0) invalid("null is not supported inside collections");
      if (in.size() < static_cast<size_t>(n)) fail();
      validate_value(*type.params[part], in.substr(0, static_cast<size_t>(n)));
      in.remove_prefix(static_cast<size_t>(n));
    }
  }
  if (!in.empty()) invalid(std::string("Unexpected extraneous bytes after ") + name + " value");
}

void validate_tuple(const CqlType& type, std::string_view bytes) {
  std::string_view in = bytes;
  for (size_t i = 0; i < type.params.size() && !in.empty(); ++i) {
    if (in.size() < 4)
      invalid("Not enough bytes to read size of " + std::to_string(i) + "th component");
    int32_t n = decode_int32(in);
    in.remove_prefix(4);
    if (n < 0) continue;
    if (in.size() < static_cast<size_t>(n))
      invalid("Not enough bytes to read " + std::to_string(i) + "th component");
    validate_value(*type.params[i], in.substr(0, static_cast<size_t>(n)));
    in.remove_prefix(static_cast<size_t>(n));
  }
  if (!in.empty()) {
    invalid(type.kind == TypeKind::kUdt ? "Invalid remaining data after end of UDT value"
                                        : "Invalid remaining data after end of tuple value");
  }
}

}  // namespace

void validate_value(const CqlType& type, std::string_view bytes) {
  switch (type.kind) {
    case TypeKind::kTinyint:
      return expect_size(bytes, 1, false, "Expected 1 byte for a tinyint (%d)");
    case TypeKind::kSmallint:
      return expect_size(bytes, 2, false, "Expected 2 bytes for a smallint (%d)");
    case TypeKind::kInt:
      return expect_size(bytes, 4, true, "Expected 4 or 0 byte int (%d)");
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return expect_size(bytes, 8, true, "Expected 8 or 0 byte long (%d)");
    case TypeKind::kFloat:
      return expect_size(bytes, 4, true, "Expected 4 or 0 byte value for a float (%d)");
    case TypeKind::kDouble:
      return expect_size(bytes, 8, true, "Expected 8 or 0 byte value for a double (%d)");
    case TypeKind::kBoolean:
      return expect_size(bytes, 1, true, "Expected 1 or 0 byte value (%d)");
    case TypeKind::kTimestamp:
      return expect_size(bytes, 8, true, "Expected 8 or 0 byte long for date (%d)");
    case TypeKind::kDate:
      return expect_size(bytes, 4, false, "Expected 4 byte long for date (%d)");
    case TypeKind::kTime:
      return expect_size(bytes, 8, false, "Expected 8 byte long for time (%d)");
    case TypeKind::kUuid:
      return expect_size(bytes, 16, true, "UUID should be 16 or 0 bytes (%d)");
    case TypeKind::kTimeuuid:
      return validate_timeuuid(bytes);
    case TypeKind::kDecimal:
      if (!bytes.empty() && bytes.size() < 4)
        invalid("Expected 0 or at least 4 bytes (" + std::to_string(bytes.size()) + ")");
      return;
    case TypeKind::kInet:
      if (!bytes.empty() && bytes.size() != 4 && bytes.size() != 16)
        invalid("Expected 4 or 16 byte inetaddress; got " + std::to_string(bytes.size()) +
                " bytes");
      return;
    case TypeKind::kAscii:
      return validate_ascii(bytes);
    case TypeKind::kVarchar:
      if (!is_valid_utf8(bytes)) invalid("String didn't validate.");
      return;
    case TypeKind::kDuration:
      return validate_duration(bytes);
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      return validate_collection(type, bytes);
    case TypeKind::kTuple:
    case TypeKind::kUdt:
      return validate_tuple(type, bytes);
    case TypeKind::kVector:
      for (std::string_view element : split_vector(type, bytes)) validate_value(*type.params[0], element);
      return;
    case TypeKind::kEmpty:
      if (!bytes.empty()) invalid("EmptyType only accept empty values");
      return;
    default:
      return;  // blob, varint, custom: any bytes
  }
}

}  // namespace cqld
