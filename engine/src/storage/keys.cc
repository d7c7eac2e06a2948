#include "storage/keys.h"

#include "types/comparable.h"
#include "types/cql_type.h"

namespace cqld {

void append_token(int64_t token, std::string* out) {
  uint64_t biased = static_cast<uint64_t>(token) ^ (uint64_t{1} << 63);
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(biased >> shift));
}

int64_t read_token(std::string_view bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return static_cast<int64_t>(v ^ (uint64_t{1} << 63));
}

void append_u32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

void append_u16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

uint16_t read_u16(std::string_view bytes) {
  return static_cast<uint16_t>((static_cast<uint8_t>(bytes[0]) << 8) | static_cast<uint8_t>(bytes[1]));
}

void append_length_prefixed(std::string_view part, std::string* out) {
  append_u32(static_cast<uint32_t>(part.size()), out);
  out->append(part);
}

bool take_length_prefixed(std::string_view* in, std::string_view* part) {
  if (in->size() < 4) return false;
  uint32_t n = 0;
  for (size_t i = 0; i < 4; ++i) n = (n << 8) | static_cast<uint8_t>((*in)[i]);
  if (in->size() - 4 < n) return false;
  *part = in->substr(4, n);
  in->remove_prefix(4 + n);
  return true;
}

std::string table_prefix(uint32_t table_id) {
  std::string key;
  key.push_back(static_cast<char>(KeySpace::kData));
  append_u32(table_id, &key);
  return key;
}

std::string partition_prefix(uint32_t table_id, int64_t token, std::string_view partition_key) {
  static const TypePtr kBlob = primitive_type(TypeKind::kBlob);
  std::string key = table_prefix(table_id);
  append_token(token, &key);
  append_comparable(*kBlob, partition_key, false, &key);
  return key;
}

std::string prefix_successor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty() && static_cast<uint8_t>(out.back()) == 0xFF) out.pop_back();
  if (!out.empty()) out.back() = static_cast<char>(static_cast<uint8_t>(out.back()) + 1);
  return out;
}

}  // namespace cqld
