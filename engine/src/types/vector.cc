#include "types/vector.h"

#include "common/errors.h"
#include "types/duration.h"

namespace cqld {

size_t fixed_value_size(const CqlType& type) {
  // As Cassandra's types declare it (and drivers decode vectors by it): smallint, tinyint,
  // date, time and counter values are not of fixed size there, whatever their encoding.
  switch (type.kind) {
    case TypeKind::kBoolean:
      return 1;
    case TypeKind::kInt:
    case TypeKind::kFloat:
      return 4;
    case TypeKind::kBigint:
    case TypeKind::kDouble:
    case TypeKind::kTimestamp:
      return 8;
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return 16;
    case TypeKind::kVector:
      return fixed_value_size(*type.params[0]) * static_cast<size_t>(type.dimension);
    default:
      return 0;
  }
}

std::vector<std::string_view> split_vector(const CqlType& vector, std::string_view bytes) {
  const CqlType& element = *vector.params[0];
  auto n = static_cast<size_t>(vector.dimension);
  std::vector<std::string_view> out;
  out.reserve(n);
  if (size_t size = fixed_value_size(element); size != 0) {
    if (bytes.size() != size * n) {
      throw InvalidRequest("Expected " + std::to_string(size * n) + " bytes for a " + type_to_cql(vector) +
                           " value, but got " + std::to_string(bytes.size()));
    }
    for (size_t i = 0; i < n; ++i) out.push_back(bytes.substr(i * size, size));
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    auto length = read_unsigned_vint(&bytes);
    if (!length || *length > bytes.size()) {
      throw InvalidRequest("Not enough bytes to read a " + type_to_cql(vector) + " value: " + std::to_string(i) +
                           " of its " + std::to_string(n) + " elements read");
    }
    out.push_back(bytes.substr(0, static_cast<size_t>(*length)));
    bytes.remove_prefix(static_cast<size_t>(*length));
  }
  if (!bytes.empty()) {
    throw InvalidRequest("Unexpected " + std::to_string(bytes.size()) + " extraneous bytes after " +
                         type_to_cql(vector) + " value");
  }
  return out;
}

std::string serialize_vector(const CqlType& vector, const std::vector<std::string>& elements) {
  bool fixed = fixed_value_size(*vector.params[0]) != 0;
  std::string out;
  for (const auto& element : elements) {
    if (!fixed) append_unsigned_vint(element.size(), &out);
    out += element;
  }
  return out;
}

}  // namespace cqld
