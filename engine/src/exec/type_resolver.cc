#include "exec/type_resolver.h"

#include "common/errors.h"

namespace cqld {
namespace {

// The type as written, for error messages about types that cannot be built.
std::string raw_to_cql(const ast::RawType& raw) {
  auto params = [&] {
    std::string out;
    for (size_t i = 0; i < raw.params.size(); ++i) out += (i ? ", " : "") + raw_to_cql(raw.params[i]);
    return out;
  };
  std::string s;
  switch (raw.kind) {
    case TypeKind::kList: s = "list<" + params() + ">"; break;
    case TypeKind::kSet: s = "set<" + params() + ">"; break;
    case TypeKind::kMap: s = "map<" + params() + ">"; break;
    case TypeKind::kTuple: s = "tuple<" + params() + ">"; break;
    case TypeKind::kUdt: s = raw.udt.name; break;
    case TypeKind::kCustom: s = "'" + raw.custom_class + "'"; break;
    case TypeKind::kVector: s = "vector<" + params() + ", " + std::to_string(raw.vector_dimension) + ">"; break;
    default: s = type_to_cql(*primitive_type(raw.kind)); break;
  }
  return raw.frozen ? "frozen<" + s + ">" : s;
}

TypePtr resolve(const ast::RawType& raw, const Schema& schema, const std::string& keyspace,
                bool inside_collection);

// Cassandra validates a collection type as a whole, naming the whole type in its message.
void validate_collection(const ast::RawType& raw) {
  bool is_collection = raw.kind == TypeKind::kList || raw.kind == TypeKind::kSet || raw.kind == TypeKind::kMap;
  if (!is_collection) return;
  if (!raw.frozen) {
    for (const auto& p : raw.params)
      if ((p.kind == TypeKind::kList || p.kind == TypeKind::kSet || p.kind == TypeKind::kMap) && !p.frozen)
        throw InvalidRequest("Non-frozen collections are not allowed inside collections: " + raw_to_cql(raw));
    for (const auto& p : raw.params)
      if (p.kind == TypeKind::kUdt && !p.frozen)
        throw InvalidRequest("Non-frozen UDTs are not allowed inside collections: " + raw_to_cql(raw));
  }
  for (const auto& p : raw.params)
    if (p.kind == TypeKind::kCounter)
      throw InvalidRequest("Counters are not allowed inside collections: " + raw_to_cql(raw));
  if (raw.kind == TypeKind::kSet && raw.params.at(0).kind == TypeKind::kDuration)
    throw InvalidRequest("Durations are not allowed inside sets: " + raw_to_cql(raw));
  if (raw.kind == TypeKind::kMap && raw.params.at(0).kind == TypeKind::kDuration)
    throw InvalidRequest("Durations are not allowed as map keys: " + raw_to_cql(raw));
}

// Inside frozen<...> every nested collection and user type is frozen too, as Cassandra's
// CQL3Type.Raw.freeze() makes them: frozen<map<set<int>, list<int>>> is a valid type.
void freeze_nested(ast::RawType& raw) {
  for (auto& p : raw.params) {
    bool freezable = p.kind == TypeKind::kList || p.kind == TypeKind::kSet || p.kind == TypeKind::kMap ||
                     p.kind == TypeKind::kTuple || p.kind == TypeKind::kUdt;
    if (freezable) p.frozen = true;
    freeze_nested(p);
  }
}

TypePtr resolve(const ast::RawType& written, const Schema& schema, const std::string& keyspace,
                bool inside_collection) {
  ast::RawType frozen_copy;
  if (written.frozen && !written.params.empty()) {
    frozen_copy = written;
    freeze_nested(frozen_copy);
  }
  const ast::RawType& raw = frozen_copy.params.empty() ? written : frozen_copy;
  validate_collection(raw);
  auto child = [&](size_t i) { return resolve(raw.params.at(i), schema, keyspace, true); };
  switch (raw.kind) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: {
      if (inside_collection && !raw.frozen)
        throw InvalidRequest("Non-frozen collections are not allowed inside collections: " +
                             std::string(raw.kind == TypeKind::kList ? "list" : raw.kind == TypeKind::kSet ? "set" : "map") + "<...>");
      if (raw.kind == TypeKind::kList) return list_type(child(0), raw.frozen);
      if (raw.kind == TypeKind::kSet) return set_type(child(0), raw.frozen);
      return map_type(child(0), child(1), raw.frozen);
    }
    case TypeKind::kTuple: {
      std::vector<TypePtr> elements;
      for (size_t i = 0; i < raw.params.size(); ++i) elements.push_back(child(i));
      return tuple_type(std::move(elements));
    }
    case TypeKind::kUdt: {
      const std::string& ks = raw.udt.keyspace.empty() ? keyspace : raw.udt.keyspace;
      if (!raw.udt.keyspace.empty() && raw.udt.keyspace != keyspace)
        throw InvalidRequest("Statement on keyspace " + keyspace +
                             " cannot refer to a user type in keyspace " + raw.udt.keyspace +
                             "; user types can only be used in the keyspace they are defined in");
      const KeyspaceDef* def = schema.find_keyspace(ks);
      const UserTypeDef* type = def == nullptr ? nullptr : def->find_type(raw.udt.name);
      if (type == nullptr) throw InvalidRequest("Unknown type " + ks + "." + raw.udt.name);
      return type->as_type(raw.frozen || inside_collection);
    }
    case TypeKind::kCustom:
      return custom_type(raw.custom_class);
    case TypeKind::kVector:
      if (raw.vector_dimension <= 0)
        throw InvalidRequest("vectors may only have positive dimensions; given " + std::to_string(raw.vector_dimension));
      return vector_type(resolve(raw.params[0], schema, keyspace, false), raw.vector_dimension);
    case TypeKind::kCounter:
      if (inside_collection) throw InvalidRequest("Counters are not allowed inside collections: counter");
      return primitive_type(raw.kind);
    default:
      return primitive_type(raw.kind);
  }
}

}  // namespace

TypePtr resolve_type(const ast::RawType& raw, const Schema& schema, const std::string& keyspace) {
  return resolve(raw, schema, keyspace, false);
}

bool type_references_udt(const CqlType& type, const std::string& keyspace, const std::string& name) {
  if (type.kind == TypeKind::kUdt && type.udt_keyspace == keyspace && type.udt_name == name) return true;
  for (const auto& p : type.params)
    if (type_references_udt(*p, keyspace, name)) return true;
  return false;
}

}  // namespace cqld
