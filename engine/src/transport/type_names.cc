#include "transport/type_names.h"

namespace cqld::transport {
namespace {

constexpr std::string_view kDurationClass = "org.apache.cassandra.db.marshal.DurationType";
constexpr std::string_view kDateClass = "org.apache.cassandra.db.marshal.SimpleDateType";
constexpr std::string_view kTimeClass = "org.apache.cassandra.db.marshal.TimeType";
constexpr std::string_view kSmallintClass = "org.apache.cassandra.db.marshal.ShortType";
constexpr std::string_view kTinyintClass = "org.apache.cassandra.db.marshal.ByteType";
constexpr std::string_view kEmptyClass = "org.apache.cassandra.db.marshal.EmptyType";
constexpr uint8_t kFirstVersionWithSmallTypes = 4;
constexpr uint8_t kFirstVersionWithDuration = 5;

}  // namespace

std::string_view custom_class_for(TypeKind kind, uint8_t version) {
  bool small_types_are_custom = version < kFirstVersionWithSmallTypes;
  switch (kind) {
    case TypeKind::kDuration:
      return version < kFirstVersionWithDuration ? kDurationClass : "";
    case TypeKind::kEmpty:
      return kEmptyClass;
    case TypeKind::kDate:
      return small_types_are_custom ? kDateClass : "";
    case TypeKind::kTime:
      return small_types_are_custom ? kTimeClass : "";
    case TypeKind::kSmallint:
      return small_types_are_custom ? kSmallintClass : "";
    case TypeKind::kTinyint:
      return small_types_are_custom ? kTinyintClass : "";
    default:
      return "";
  }
}

std::optional<TypeKind> kind_of_custom_class(std::string_view java_class) {
  if (java_class == kDurationClass) return TypeKind::kDuration;
  if (java_class == kDateClass) return TypeKind::kDate;
  if (java_class == kTimeClass) return TypeKind::kTime;
  if (java_class == kSmallintClass) return TypeKind::kSmallint;
  if (java_class == kTinyintClass) return TypeKind::kTinyint;
  return std::nullopt;
}

bool is_primitive_option_id(uint16_t id) {
  switch (static_cast<TypeKind>(id)) {
    case TypeKind::kAscii:
    case TypeKind::kBigint:
    case TypeKind::kBlob:
    case TypeKind::kBoolean:
    case TypeKind::kCounter:
    case TypeKind::kDecimal:
    case TypeKind::kDouble:
    case TypeKind::kFloat:
    case TypeKind::kInt:
    case TypeKind::kTimestamp:
    case TypeKind::kUuid:
    case TypeKind::kVarchar:
    case TypeKind::kVarint:
    case TypeKind::kTimeuuid:
    case TypeKind::kInet:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kSmallint:
    case TypeKind::kTinyint:
      return true;
    default:
      return false;
  }
}

}  // namespace cqld::transport
