#include "types/cql_type.h"
#include "common/text.h"

#include <array>
#include <cctype>
#include <utility>

namespace cqld {
namespace {

struct NamedKind {
  std::string_view name;
  TypeKind kind;
};

// The CQL names of the native types; "varchar" is an alias of text.
constexpr std::array<NamedKind, 22> kNativeNames = {{
    {"ascii", TypeKind::kAscii},       {"bigint", TypeKind::kBigint},
    {"blob", TypeKind::kBlob},         {"boolean", TypeKind::kBoolean},
    {"counter", TypeKind::kCounter},   {"date", TypeKind::kDate},
    {"decimal", TypeKind::kDecimal},   {"double", TypeKind::kDouble},
    {"duration", TypeKind::kDuration}, {"float", TypeKind::kFloat},
    {"inet", TypeKind::kInet},         {"int", TypeKind::kInt},
    {"smallint", TypeKind::kSmallint}, {"text", TypeKind::kVarchar},
    {"time", TypeKind::kTime},         {"timestamp", TypeKind::kTimestamp},
    {"timeuuid", TypeKind::kTimeuuid}, {"tinyint", TypeKind::kTinyint},
    {"uuid", TypeKind::kUuid},         {"varchar", TypeKind::kVarchar},
    {"varint", TypeKind::kVarint},     {"empty", TypeKind::kEmpty},
}};

TypePtr make(CqlType t) {
  return std::make_shared<const CqlType>(std::move(t));
}


// Cassandra's CQL3Type.toString(withFrozen): inside a frozen collection the elements are
// printed without their own frozen<>; elsewhere nested frozen types say so.
std::string print(const CqlType& t, bool with_frozen);

std::string print_params(const CqlType& t, bool with_frozen) {
  std::string out;
  for (size_t i = 0; i < t.params.size(); ++i) {
    if (i > 0) out += ", ";
    out += print(*t.params[i], with_frozen);
  }
  return out;
}

std::string print(const CqlType& t, bool with_frozen) {
  switch (t.kind) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: {
      const char* name = t.kind == TypeKind::kList  ? "list<"
                         : t.kind == TypeKind::kSet ? "set<"
                                                    : "map<";
      std::string inner = name + print_params(t, !t.frozen) + ">";
      return t.frozen && with_frozen ? "frozen<" + inner + ">" : inner;
    }
    case TypeKind::kTuple: {
      std::string inner = "tuple<" + print_params(t, true) + ">";
      return with_frozen ? "frozen<" + inner + ">" : inner;
    }
    case TypeKind::kUdt: {
      std::string name = maybe_quote(t.udt_name);
      return t.frozen && with_frozen ? "frozen<" + name + ">" : name;
    }
    case TypeKind::kCustom:
      return "'" + t.custom_class + "'";
    case TypeKind::kVector:
      return "vector<" + print(*t.params[0], true) + ", " + std::to_string(t.dimension) + ">";
    default:
      for (const auto& n : kNativeNames) {
        if (n.kind == t.kind) return std::string(n.name);
      }
      return "blob";
  }
}

bool params_equal(const CqlType& a, const CqlType& b) {
  if (a.params.size() != b.params.size()) return false;
  for (size_t i = 0; i < a.params.size(); ++i) {
    // Types nested in a collection, tuple or UDT are frozen whether or not the flag says so.
    const CqlType& pa = *a.params[i];
    const CqlType& pb = *b.params[i];
    if (pa.kind != pb.kind || !params_equal(pa, pb)) return false;
    if (pa.kind == TypeKind::kUdt &&
        (pa.udt_keyspace != pb.udt_keyspace || pa.udt_name != pb.udt_name))
      return false;
    if (pa.kind == TypeKind::kCustom && pa.custom_class != pb.custom_class) return false;
    if (pa.kind == TypeKind::kVector && pa.dimension != pb.dimension) return false;
  }
  return true;
}

bool is_tuple_like(const CqlType& t) {
  return t.kind == TypeKind::kTuple || t.kind == TypeKind::kUdt;
}

// Cassandra's isValueCompatibleWith for the native types: whether bytes written as "from"
// are valid and sort the same way when read as "to".
bool native_value_compatible(TypeKind to, TypeKind from) {
  if (to == from) return true;
  switch (to) {
    case TypeKind::kBlob:
      return true;
    case TypeKind::kVarchar:
      return from == TypeKind::kAscii;
    case TypeKind::kVarint:
      return from == TypeKind::kInt || from == TypeKind::kBigint || from == TypeKind::kTimestamp;
    case TypeKind::kBigint:
      return from == TypeKind::kTimestamp;
    case TypeKind::kTimestamp:
      return from == TypeKind::kBigint;
    case TypeKind::kUuid:
      return from == TypeKind::kTimeuuid;
    default:
      return false;
  }
}

}  // namespace

std::string maybe_quote(const std::string& name) {
  bool plain = !name.empty() && std::islower(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::islower(u) || std::isdigit(u) || c == '_')) plain = false;
  }
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

TypePtr primitive_type(TypeKind kind) {
  CqlType t;
  t.kind = kind;
  return make(std::move(t));
}

TypePtr list_type(TypePtr element, bool frozen) {
  CqlType t;
  t.kind = TypeKind::kList;
  t.frozen = frozen;
  t.params = {std::move(element)};
  return make(std::move(t));
}

TypePtr set_type(TypePtr element, bool frozen) {
  CqlType t;
  t.kind = TypeKind::kSet;
  t.frozen = frozen;
  t.params = {std::move(element)};
  return make(std::move(t));
}

TypePtr map_type(TypePtr key, TypePtr value, bool frozen) {
  CqlType t;
  t.kind = TypeKind::kMap;
  t.frozen = frozen;
  t.params = {std::move(key), std::move(value)};
  return make(std::move(t));
}

TypePtr tuple_type(std::vector<TypePtr> elements) {
  CqlType t;
  t.kind = TypeKind::kTuple;
  t.frozen = true;
  t.params = std::move(elements);
  return make(std::move(t));
}

TypePtr udt_type(std::string keyspace, std::string name, std::vector<std::string> field_names,
                 std::vector<TypePtr> field_types, bool frozen) {
  CqlType t;
  t.kind = TypeKind::kUdt;
  t.frozen = frozen;
  t.udt_keyspace = std::move(keyspace);
  t.udt_name = std::move(name);
  t.field_names = std::move(field_names);
  t.params = std::move(field_types);
  return make(std::move(t));
}

TypePtr custom_type(std::string java_class) {
  CqlType t;
  t.kind = TypeKind::kCustom;
  t.custom_class = std::move(java_class);
  return make(std::move(t));
}

TypePtr vector_type(TypePtr element, int dimension) {
  CqlType t;
  t.kind = TypeKind::kVector;
  t.frozen = true;
  t.dimension = dimension;
  t.params = {frozen_type(element)};
  return make(std::move(t));
}

std::string marshal_class(const CqlType& type) {
  static constexpr std::string_view kPrefix = "org.apache.cassandra.db.marshal.";
  auto named = [](std::string_view name) { return std::string(kPrefix) + std::string(name); };
  auto with_params = [&](std::string_view name) {
    std::string out = named(name) + "(";
    for (size_t i = 0; i < type.params.size(); ++i) out += (i ? "," : "") + marshal_class(*type.params[i]);
    return out + ")";
  };
  auto frozen = [&](std::string inner) { return type.frozen ? named("FrozenType") + "(" + inner + ")" : inner; };
  switch (type.kind) {
    case TypeKind::kAscii: return named("AsciiType");
    case TypeKind::kBigint: return named("LongType");
    case TypeKind::kBlob: return named("BytesType");
    case TypeKind::kBoolean: return named("BooleanType");
    case TypeKind::kCounter: return named("CounterColumnType");
    case TypeKind::kDecimal: return named("DecimalType");
    case TypeKind::kDouble: return named("DoubleType");
    case TypeKind::kFloat: return named("FloatType");
    case TypeKind::kInt: return named("Int32Type");
    case TypeKind::kTimestamp: return named("TimestampType");
    case TypeKind::kUuid: return named("UUIDType");
    case TypeKind::kVarchar: return named("UTF8Type");
    case TypeKind::kVarint: return named("IntegerType");
    case TypeKind::kTimeuuid: return named("TimeUUIDType");
    case TypeKind::kInet: return named("InetAddressType");
    case TypeKind::kDate: return named("SimpleDateType");
    case TypeKind::kTime: return named("TimeType");
    case TypeKind::kSmallint: return named("ShortType");
    case TypeKind::kTinyint: return named("ByteType");
    case TypeKind::kDuration: return named("DurationType");
    case TypeKind::kEmpty: return named("EmptyType");
    case TypeKind::kCustom: return type.custom_class;
    case TypeKind::kList: return frozen(with_params("ListType"));
    case TypeKind::kSet: return frozen(with_params("SetType"));
    case TypeKind::kMap: return frozen(with_params("MapType"));
    case TypeKind::kTuple: return with_params("TupleType");
    case TypeKind::kVector: return named("VectorType") + "(" + marshal_class(*type.params[0]) + "," + std::to_string(type.dimension) + ")";
    case TypeKind::kUdt: {
      static constexpr char kHex[] = "0123456789abcdef";
      auto hex = [](const std::string& text) {
        std::string out;
        for (unsigned char c : text) {
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        }
        return out;
      };
      std::string out = named("UserType") + "(" + type.udt_keyspace + "," + hex(type.udt_name);
      for (size_t i = 0; i < type.params.size(); ++i) {
        out += "," + hex(i < type.field_names.size() ? type.field_names[i] : std::string()) + ":" + marshal_class(*type.params[i]);
      }
      return frozen(out + ")");
    }
  }
  return named("BytesType");
}

TypePtr frozen_type(const TypePtr& type) {
  if (type->frozen) return type;
  CqlType t = *type;
  t.frozen = true;
  return make(std::move(t));
}

TypePtr primitive_type_by_name(std::string_view name) {
  // Shared instances: the native types are looked up on every statement preparation.
  static const auto* by_kind = [] {
    auto* table = new std::array<TypePtr, 256>();
    for (const auto& n : kNativeNames)
      (*table)[static_cast<uint8_t>(n.kind)] = primitive_type(n.kind);
    return table;
  }();
  std::string lower = ascii_lower(name);
  for (const auto& n : kNativeNames) {
    if (n.name == lower && n.kind != TypeKind::kEmpty)
      return (*by_kind)[static_cast<uint8_t>(n.kind)];
  }
  return nullptr;
}

std::string type_to_cql(const CqlType& type) {
  return print(type, true);
}

bool types_equal(const CqlType& a, const CqlType& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == TypeKind::kCustom) return a.custom_class == b.custom_class;
  if (a.kind == TypeKind::kVector && a.dimension != b.dimension) return false;
  if (a.kind == TypeKind::kUdt && (a.udt_keyspace != b.udt_keyspace || a.udt_name != b.udt_name))
    return false;
  if ((a.is_collection() || a.kind == TypeKind::kUdt) && a.frozen != b.frozen) return false;
  return params_equal(a, b);
}

bool is_value_compatible(const CqlType& to, const CqlType& from) {
  if (types_equal(to, from)) return true;
  if (to.kind == TypeKind::kBlob) return !from.is_multi_cell();
  if (is_tuple_like(to) && is_tuple_like(from)) {
    if (to.kind != from.kind || to.is_multi_cell() != from.is_multi_cell()) return false;
    if (to.kind == TypeKind::kUdt &&
        (to.udt_keyspace != from.udt_keyspace || to.udt_name != from.udt_name))
      return false;
    // A tuple or UDT can gain trailing fields: old values simply lack them.
    if (from.params.size() > to.params.size()) return false;
    for (size_t i = 0; i < from.params.size(); ++i) {
      if (!is_value_compatible(*to.params[i], *from.params[i])) return false;
    }
    return true;
  }
  if (to.is_collection() || from.is_collection()) {
    if (to.kind != from.kind || to.frozen != from.frozen) return false;
    if (to.kind == TypeKind::kMap || to.kind == TypeKind::kSet) {
      // Keys and set elements order the cells, so they must sort identically.
      if (!types_equal(*to.params[0], *from.params[0]) &&
          !(to.params[0]->kind == TypeKind::kVarchar && from.params[0]->kind == TypeKind::kAscii))
        return false;
      return to.kind == TypeKind::kSet || is_value_compatible(*to.params[1], *from.params[1]);
    }
    return is_value_compatible(*to.params[0], *from.params[0]);
  }
  if (to.params.empty() && from.params.empty()) return native_value_compatible(to.kind, from.kind);
  return false;
}

}  // namespace cqld
