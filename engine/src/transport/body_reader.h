// Bounds-checked reader for the notations of the native protocol spec (section 3): every read
// checks the remaining length first and throws ProtocolError on truncated or invalid input, so
// hostile bodies can never read past the buffer or make cqld allocate more than they carry.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exec/query_processor.h"
#include "types/cql_type.h"
#include "types/value.h"

namespace cqld::transport {

struct Inet {
  std::string address;  // 4 or 16 raw bytes
  int32_t port = 0;
};

class BodyReader {
 public:
  // "body" must outlive the reader; string_views returned point into it.
  explicit BodyReader(std::string_view body) : body_(body) {}

  uint8_t read_byte();
  uint16_t read_short();
  int32_t read_int();
  int64_t read_long();
  std::string_view read_string();       // [short n][n bytes]
  std::string_view read_long_string();  // [int n][n bytes]
  std::string_view read_uuid();         // 16 bytes
  std::vector<std::string> read_string_list();
  std::optional<std::string_view> read_bytes();  // [int n]; n < 0 is null
  std::string_view read_short_bytes();
  // [value]: n >= 0 bytes, -1 null, -2 unset (only when "allow_unset", i.e. protocol v4+).
  Value read_value(bool allow_unset);
  std::map<std::string, std::string> read_string_map();
  std::map<std::string, std::vector<std::string>> read_string_multimap();
  std::map<std::string, std::optional<std::string>> read_bytes_map();
  Inet read_inet();
  Consistency read_consistency();
  // A type [option]; v4 duration (custom DurationType) comes back as TypeKind::kDuration.
  TypePtr read_option();

  size_t remaining() const { return body_.size() - pos_; }
  std::string_view rest() const { return body_.substr(pos_); }

 private:
  std::string_view take(size_t n, const char* what);
  size_t read_count(const char* what);  // a [short] count, checked against remaining()

  std::string_view body_;
  size_t pos_ = 0;
};

}  // namespace cqld::transport
