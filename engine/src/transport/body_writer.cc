#include "transport/body_writer.h"

#include <limits>
#include <string>

#include "common/errors.h"
#include "transport/type_names.h"

namespace cqld::transport {
namespace {

constexpr int32_t kNullLength = -1;
constexpr int32_t kUnsetLength = -2;
constexpr size_t kUuidSize = 16;

void append_be(std::string& out, uint64_t v, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

uint16_t short_length(size_t n, const char* what) {
  if (n > std::numeric_limits<uint16_t>::max()) {
    throw ServerError(std::string(what) + " too long for the protocol: " + std::to_string(n));
  }
  return static_cast<uint16_t>(n);
}

int32_t int_length(size_t n, const char* what) {
  if (n > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw ServerError(std::string(what) + " too long for the protocol: " + std::to_string(n));
  }
  return static_cast<int32_t>(n);
}

}  // namespace

void BodyWriter::write_byte(uint8_t v) {
  out_.push_back(static_cast<char>(v));
}

void BodyWriter::write_short(uint16_t v) {
  append_be(out_, v, 2);
}

void BodyWriter::write_int(int32_t v) {
  append_be(out_, static_cast<uint32_t>(v), 4);
}

void BodyWriter::write_long(int64_t v) {
  append_be(out_, static_cast<uint64_t>(v), 8);
}

void BodyWriter::write_string(std::string_view s) {
  write_short(short_length(s.size(), "A [string]"));
  out_.append(s);
}

void BodyWriter::write_long_string(std::string_view s) {
  write_int(int_length(s.size(), "A [long string]"));
  out_.append(s);
}

void BodyWriter::write_uuid(std::string_view sixteen_bytes) {
  if (sixteen_bytes.size() != kUuidSize) throw ServerError("A [uuid] must have 16 bytes");
  out_.append(sixteen_bytes);
}

void BodyWriter::write_string_list(const std::vector<std::string>& list) {
  write_short(short_length(list.size(), "A [string list]"));
  for (const auto& s : list) write_string(s);
}

void BodyWriter::write_bytes(std::optional<std::string_view> bytes) {
  if (!bytes) {
    write_int(kNullLength);
    return;
  }
  write_int(int_length(bytes->size(), "A [bytes]"));
  out_.append(*bytes);
}

void BodyWriter::write_short_bytes(std::string_view bytes) {
  write_short(short_length(bytes.size(), "A [short bytes]"));
  out_.append(bytes);
}

void BodyWriter::write_value(const Value& value) {
  if (value.is_null()) {
    write_int(kNullLength);
  } else if (value.is_unset()) {
    write_int(kUnsetLength);
  } else {
    write_bytes(value.bytes);
  }
}

void BodyWriter::write_string_map(const std::map<std::string, std::string>& map) {
  write_short(short_length(map.size(), "A [string map]"));
  for (const auto& [key, value] : map) {
    write_string(key);
    write_string(value);
  }
}

void BodyWriter::write_string_multimap(const std::map<std::string, std::vector<std::string>>& map) {
  write_short(short_length(map.size(), "A [string multimap]"));
  for (const auto& [key, values] : map) {
    write_string(key);
    write_string_list(values);
  }
}

void BodyWriter::write_bytes_map(const std::map<std::string, std::optional<std::string>>& map) {
  write_short(short_length(map.size(), "A [bytes map]"));
  for (const auto& [key, value] : map) {
    write_string(key);
    write_bytes(value ? std::optional<std::string_view>(*value) : std::nullopt);
  }
}

void BodyWriter::write_inet(std::string_view address, int32_t port) {
  if (address.size() != 4 && address.size() != 16) {
    throw ServerError("An [inet] address must have 4 or 16 bytes");
  }
  write_byte(static_cast<uint8_t>(address.size()));
  out_.append(address);
  write_int(port);
}

void BodyWriter::write_option(const CqlType& type, uint8_t version) {
  std::string vector_class = type.kind == TypeKind::kVector ? marshal_class(type) : std::string();
  std::string_view custom = type.kind == TypeKind::kCustom   ? std::string_view(type.custom_class)
                            : type.kind == TypeKind::kVector ? std::string_view(vector_class)
                                                             : custom_class_for(type.kind, version);
  if (type.kind == TypeKind::kCustom && custom.empty()) {
    // Drivers cannot parse an unnamed custom type and drop the whole connection over it.
    throw ServerError("A custom type without a class name cannot be sent to clients");
  }
  if (!custom.empty()) {
    write_short(static_cast<uint16_t>(TypeKind::kCustom));
    write_string(custom);
    return;
  }
  write_short(static_cast<uint16_t>(type.kind));
  switch (type.kind) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      for (const auto& param : type.params) write_option(*param, version);
      return;
    case TypeKind::kUdt:
      write_string(type.udt_keyspace);
      write_string(type.udt_name);
      write_short(short_length(type.params.size(), "A UDT option"));
      for (size_t i = 0; i < type.params.size(); ++i) {
        write_string(i < type.field_names.size() ? type.field_names[i] : std::string());
        write_option(*type.params[i], version);
      }
      return;
    case TypeKind::kTuple:
      write_short(short_length(type.params.size(), "A tuple option"));
      for (const auto& param : type.params) write_option(*param, version);
      return;
    default:
      return;
  }
}

void BodyWriter::patch_int(size_t offset, int32_t v) {
  auto bits = static_cast<uint32_t>(v);
  for (int i = 0; i < 4; ++i) out_[offset + i] = static_cast<char>((bits >> (24 - 8 * i)) & 0xFF);
}

}  // namespace cqld::transport
