// Casts (Cassandra's CastFcts): system.cast_as_<type>(value), one overload per type that casts
// to it, as CAST(value AS type) calls them. The conversions themselves are in cast.h.
#include "functions/cast.h"
#include "functions/registry.h"

namespace cqld {

void add_cast_functions(FunctionRegistry& r) {
  static constexpr TypeKind kKinds[] = {
      TypeKind::kAscii,   TypeKind::kBigint,   TypeKind::kBlob,     TypeKind::kBoolean, TypeKind::kCounter,
      TypeKind::kDate,    TypeKind::kDecimal,  TypeKind::kDouble,   TypeKind::kDuration, TypeKind::kFloat,
      TypeKind::kInet,    TypeKind::kInt,      TypeKind::kSmallint, TypeKind::kVarchar, TypeKind::kTime,
      TypeKind::kTimestamp, TypeKind::kTimeuuid, TypeKind::kTinyint, TypeKind::kUuid,   TypeKind::kVarint};
  for (TypeKind to : kKinds) {
    TypePtr to_type = primitive_type(to);
    std::string name = "cast_as_" + type_to_cql(*to_type);
    for (TypeKind from : kKinds) {
      if (from == to || !cast_supported(from, to)) continue;
      r.add(NativeFunction{name, {primitive_type(from)}, to_type, true, false,
                           [from, to](const std::vector<Value>& args, const FunctionContext&) {
                             // An empty value (zero bytes) casts to an empty value.
                             if (args[0].bytes.empty()) return Value::of("");
                             return Value::of(cast_value(from, to, args[0].bytes));
                           },
                           {}});
    }
  }
}

}  // namespace cqld
