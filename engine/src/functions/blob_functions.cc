// Blob conversions (Cassandra's BytesConversionFcts): typeAsBlob(value) and blobAsType(blob) for
// every native type but blob itself. The bytes stay the same; blobAsType checks they are a valid
// value of the type, with Cassandra's message.
#include "functions/cast.h"
#include "functions/registry.h"

namespace cqld {
namespace {

void add_conversions(FunctionRegistry& r, const TypePtr& type, const std::string& to_blob,
                     const std::string& from_blob) {
  TypePtr blob = primitive_type(TypeKind::kBlob);
  r.add(NativeFunction{to_blob, {type}, blob, true, false,
                       [](const std::vector<Value>& args, const FunctionContext&) { return args[0]; }, {}});
  r.add(NativeFunction{from_blob, {blob}, type, true, false,
                       [from_blob, type](const std::vector<Value>& args, const FunctionContext&) {
                         check_blob_conversion(from_blob, *type, args[0].bytes);
                         return args[0];
                       },
                       {}});
}

}  // namespace

void add_blob_functions(FunctionRegistry& r) {
  static constexpr const char* kTypes[] = {"ascii",  "bigint",   "boolean", "counter",   "date",     "decimal",
                                           "double", "duration", "float",   "inet",      "int",      "smallint",
                                           "text",   "time",     "timestamp", "timeuuid", "tinyint", "uuid",
                                           "varchar", "varint"};
  for (const char* name : kTypes) {
    TypePtr type = primitive_type_by_name(name);
    add_conversions(r, type, std::string(name) + "asblob", "blobas" + std::string(name));
    // Cassandra 5.0's snake_case names: int_as_blob, blob_as_int.
    add_conversions(r, type, std::string(name) + "_as_blob", "blob_as_" + std::string(name));
  }
}

}  // namespace cqld
