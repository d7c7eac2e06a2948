// CQL data types: the tree that describes a column, a bind marker or a result column.
// Types are immutable and shared; build them with the factory functions below.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cqld {

// Values are the protocol-v4 type option ids, so a TypeKind can be written to the wire as is
// (except Duration, which v4 sends as a custom type, and Empty, which is internal).
enum class TypeKind : uint16_t {
  kCustom = 0x0000,
  kAscii = 0x0001,
  kBigint = 0x0002,
  kBlob = 0x0003,
  kBoolean = 0x0004,
  kCounter = 0x0005,
  kDecimal = 0x0006,
  kDouble = 0x0007,
  kFloat = 0x0008,
  kInt = 0x0009,
  kTimestamp = 0x000B,
  kUuid = 0x000C,
  kVarchar = 0x000D,  // "text" and "varchar" are the same type; Cassandra prints "text".
  kVarint = 0x000E,
  kTimeuuid = 0x000F,
  kInet = 0x0010,
  kDate = 0x0011,
  kTime = 0x0012,
  kSmallint = 0x0013,
  kTinyint = 0x0014,
  kDuration = 0x0015,  // v5 id; v4 encodes it as custom org.apache.cassandra.db.marshal.DurationType
  kList = 0x0020,
  kMap = 0x0021,
  kSet = 0x0022,
  kUdt = 0x0030,
  kTuple = 0x0031,
  kVector = 0x00FE,  // internal: Cassandra 5's vector<element, n>; sent as a custom type
  kEmpty = 0x00FF,  // internal: the type of a COMPACT STORAGE placeholder; never sent
};

struct CqlType;
using TypePtr = std::shared_ptr<const CqlType>;

struct CqlType {
  TypeKind kind = TypeKind::kBlob;
  // Collections, tuples and UDTs: frozen ones are a single cell compared as a whole.
  // Tuples are always frozen in Cassandra; the flag records whether the user wrote frozen<>.
  bool frozen = false;
  // list/set: {element}; map: {key, value}; tuple: element types; udt: field types.
  std::vector<TypePtr> params;
  // udt only.
  std::string udt_keyspace;
  std::string udt_name;
  std::vector<std::string> field_names;
  // custom only: the Java class name.
  std::string custom_class;
  // vector only: the number of elements (params: {element}).
  int dimension = 0;

  bool is_collection() const {
    return kind == TypeKind::kList || kind == TypeKind::kSet || kind == TypeKind::kMap;
  }
  // A multi-cell value: a non-frozen collection or UDT, stored one element per cell.
  bool is_multi_cell() const { return (is_collection() || kind == TypeKind::kUdt) && !frozen; }
};

TypePtr primitive_type(TypeKind kind);
TypePtr list_type(TypePtr element, bool frozen);
TypePtr set_type(TypePtr element, bool frozen);
TypePtr map_type(TypePtr key, TypePtr value, bool frozen);
TypePtr tuple_type(std::vector<TypePtr> elements);
TypePtr udt_type(std::string keyspace, std::string name, std::vector<std::string> field_names,
                 std::vector<TypePtr> field_types, bool frozen);
TypePtr custom_type(std::string java_class);
// vector<element, dimension>: always a single frozen cell; its element is frozen too.
TypePtr vector_type(TypePtr element, int dimension);
// The type as Cassandra's AbstractType.toString() names it, the class name a custom type carries
// on the wire: "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType,3)".
std::string marshal_class(const CqlType& type);
// The same type with the frozen flag set (recursively not needed: Cassandra freezes the outer).
TypePtr frozen_type(const TypePtr& type);

// Looks up a primitive type by its CQL name ("int", "text", "varchar", "timeuuid", ...),
// case-insensitive. Returns nullptr if the name is not a primitive type.
TypePtr primitive_type_by_name(std::string_view name);

// The type as Cassandra prints it in system_schema.columns.type and DESCRIBE:
// "int", "text", "map<text, int>", "frozen<list<int>>", "frozen<address>", "tuple<int, text>"
// (Cassandra 4 prints tuples as "frozen<tuple<int, text>>"), "duration".
std::string type_to_cql(const CqlType& type);
// A name as CQL prints it: bare when it is a lower-case identifier ([a-z][a-z0-9_]*), else in
// double quotes with inner quotes doubled ("K", "שלום").
std::string maybe_quote(const std::string& name);

// Structural equality (kind, params, frozen-ness, UDT identity).
bool types_equal(const CqlType& a, const CqlType& b);

// Whether a value of type "from" can be used where "to" is expected without conversion
// (e.g. ascii -> text, timeuuid -> uuid, int literal assignments are checked elsewhere).
bool is_value_compatible(const CqlType& to, const CqlType& from);

}  // namespace cqld
