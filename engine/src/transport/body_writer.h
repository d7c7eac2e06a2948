// Appends the notations of the native protocol spec (section 3) to a response body. Lengths
// that do not fit their prefix (a [string] over 65535 bytes) throw ServerError: such a body
// would be unreadable by the client.
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

class BodyWriter {
 public:
  // "out" must outlive the writer; everything is appended to it.
  explicit BodyWriter(std::string& out) : out_(out) {}

  void write_byte(uint8_t v);
  void write_short(uint16_t v);
  void write_int(int32_t v);
  void write_long(int64_t v);
  void write_string(std::string_view s);
  void write_long_string(std::string_view s);
  void write_uuid(std::string_view sixteen_bytes);
  void write_string_list(const std::vector<std::string>& list);
  void write_bytes(std::optional<std::string_view> bytes);  // nullopt: null (-1)
  void write_short_bytes(std::string_view bytes);
  void write_value(const Value& value);  // null -1, unset -2
  void write_string_map(const std::map<std::string, std::string>& map);
  void write_string_multimap(const std::map<std::string, std::vector<std::string>>& map);
  void write_bytes_map(const std::map<std::string, std::optional<std::string>>& map);
  void write_inet(std::string_view address, int32_t port);
  void write_consistency(Consistency c) { write_short(static_cast<uint16_t>(c)); }
  // A type [option] as the given protocol version spells it: v4 sends duration as a custom
  // type, v3 also sends date, time, smallint and tinyint as custom types.
  void write_option(const CqlType& type, uint8_t version);

  size_t size() const { return out_.size(); }
  // Overwrites 4 bytes at "offset" (a placeholder written earlier) with "v".
  void patch_int(size_t offset, int32_t v);

 private:
  std::string& out_;
};

}  // namespace cqld::transport
