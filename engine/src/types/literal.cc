// literal_to_value: Cassandra's rules for typing literals (Constants, Lists, Sets, Maps, Tuples,
// UserTypes): first whether a literal is assignable to the receiver at all (testAssignment),
// then the conversion of each constant (AbstractType.fromString), with the same messages.
#include "types/literal.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

#include <algorithm>

#include "common/errors.h"
#include "types/from_string.h"
#include "types/vector.h"

namespace cqld {
namespace {

const char* constant_kind_name(Literal::Kind kind) {
  switch (kind) {
    case Literal::Kind::kString:
      return "STRING";
    case Literal::Kind::kInteger:
      return "INTEGER";
    case Literal::Kind::kFloat:
      return "FLOAT";
    case Literal::Kind::kBoolean:
      return "BOOLEAN";
    case Literal::Kind::kUuid:
      return "UUID";
    case Literal::Kind::kHex:
      return "HEX";
    case Literal::Kind::kDuration:
      return "DURATION";
    default:
      return "";
  }
}

// "{}" is written as an empty map literal but Cassandra parses it as an empty set.
bool is_empty_braces(const Literal& lit) {
  return lit.kind == Literal::Kind::kMap && lit.elements.empty();
}

// Term.Raw.getText(): how a literal is quoted back in error messages.
std::string literal_text(const Literal& lit);

std::string join_text(const std::vector<Literal>& elements, const char* open, const char* close) {
  std::string out = open;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ", ";
    out += literal_text(elements[i]);
  }
  return out + close;
}

std::string literal_text(const Literal& lit) {
  switch (lit.kind) {
    case Literal::Kind::kString:
      return "'" + lit.text + "'";
    case Literal::Kind::kHex:
      return "0x" + lit.text;
    case Literal::Kind::kNull:
      return "NULL";
    case Literal::Kind::kList:
      return join_text(lit.elements, "[", "]");
    case Literal::Kind::kSet:
      return join_text(lit.elements, "{", "}");
    case Literal::Kind::kTuple:
      return join_text(lit.elements, "(", ")");
    case Literal::Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i + 1 < lit.elements.size(); i += 2) {
        if (i > 0) out += ", ";
        out += literal_text(lit.elements[i]) + ": " + literal_text(lit.elements[i + 1]);
      }
      return out + "}";
    }
    case Literal::Kind::kUdt: {
      std::string out = "{";
      for (size_t i = 0; i < lit.elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += lit.field_names[i] + ": " + literal_text(lit.elements[i]);
      }
      return out + "}";
    }
    default:
      return lit.text;
  }
}

// Constants.Literal.testAssignment for native receivers.
bool constant_assignable(Literal::Kind kind, TypeKind type) {
  using K = TypeKind;
  switch (kind) {
    case Literal::Kind::kString:
      return type == K::kAscii || type == K::kVarchar || type == K::kInet || type == K::kDate ||
             type == K::kTime || type == K::kTimestamp;
    case Literal::Kind::kInteger:
      return type == K::kBigint || type == K::kCounter || type == K::kDate || type == K::kDecimal ||
             type == K::kDouble || type == K::kDuration || type == K::kFloat || type == K::kInt ||
             type == K::kSmallint || type == K::kTime || type == K::kTimestamp ||
             type == K::kTinyint || type == K::kVarint;
    case Literal::Kind::kUuid:
      return type == K::kUuid || type == K::kTimeuuid;
    case Literal::Kind::kFloat:
      return type == K::kDecimal || type == K::kDouble || type == K::kFloat;
    case Literal::Kind::kBoolean:
      return type == K::kBoolean;
    case Literal::Kind::kHex:
      return type == K::kBlob;
    case Literal::Kind::kDuration:
      return type == K::kDuration;
    default:
      return false;
  }
}

bool is_native(const CqlType& type) {
  return !type.is_collection() && type.kind != TypeKind::kTuple && type.kind != TypeKind::kUdt &&
         type.kind != TypeKind::kVector;
}

bool assignable(const Literal& lit, const CqlType& type);

bool all_assignable(const std::vector<Literal>& elements, const CqlType& type) {
  return std::all_of(elements.begin(), elements.end(),
                     [&](const Literal& e) { return assignable(e, type); });
}

bool map_entries_assignable(const Literal& lit, const CqlType& type) {
  for (size_t i = 0; i + 1 < lit.elements.size(); i += 2) {
    if (!assignable(lit.elements[i], *type.params[0]) ||
        !assignable(lit.elements[i + 1], *type.params[1]))
      return false;
  }
  return true;
}

int field_index(const CqlType& type, const std::string& name) {
  auto it = std::find(type.field_names.begin(), type.field_names.end(), name);
  return it == type.field_names.end() ? -1 : static_cast<int>(it - type.field_names.begin());
}

bool udt_assignable(const Literal& lit, const CqlType& type) {
  if (type.kind != TypeKind::kUdt) return false;
  for (size_t i = 0; i < lit.elements.size(); ++i) {
    int f = field_index(type, lit.field_names[i]);
    if (f < 0 || !assignable(lit.elements[i], *type.params[static_cast<size_t>(f)])) return false;
  }
  return true;
}

[[noreturn]] void throw_unexpected_array_receiver(const CqlType& type) {
  throw InvalidRequest("Unexpected receiver type '" + type_to_cql(type) + "'; only list and vector are expected");
}

bool assignable(const Literal& lit, const CqlType& type) {
  switch (lit.kind) {
    case Literal::Kind::kNull:
      return type.kind != TypeKind::kCounter;
    case Literal::Kind::kList:
      if (type.kind == TypeKind::kVector) {
        return lit.elements.size() == static_cast<size_t>(type.dimension) && all_assignable(lit.elements, *type.params[0]);
      }
      // Cassandra's ArrayLiteral knows no receiver but a list or a vector, even when only
      // testing whether it could be assigned (a nested [..] for a set reports so).
      if (type.kind != TypeKind::kList) throw_unexpected_array_receiver(type);
      return all_assignable(lit.elements, *type.params[0]);
    case Literal::Kind::kSet:
      if (type.kind == TypeKind::kMap) return lit.elements.empty();
      return type.kind == TypeKind::kSet && all_assignable(lit.elements, *type.params[0]);
    case Literal::Kind::kMap:
      if (is_empty_braces(lit)) return type.kind == TypeKind::kSet || type.kind == TypeKind::kMap;
      return type.kind == TypeKind::kMap && map_entries_assignable(lit, type);
    case Literal::Kind::kTuple:
      if (type.kind != TypeKind::kTuple || lit.elements.size() > type.params.size()) return false;
      for (size_t i = 0; i < lit.elements.size(); ++i) {
        if (!assignable(lit.elements[i], *type.params[i])) return false;
      }
      return true;
    case Literal::Kind::kUdt:
      return udt_assignable(lit, type);
    default:
      if (type.kind == TypeKind::kCustom) return true;
      return is_native(type) && constant_assignable(lit.kind, type.kind);
  }
}

std::string type_name(const CqlType& type) {
  return type_to_cql(type);
}

Value prepare(const Literal& lit, const CqlType& type, const std::string& receiver);

std::string prepare_element(const Literal& lit, const CqlType& type, const std::string& receiver) {
  Value v = prepare(lit, type, receiver);
  if (!v.is_set()) throw InvalidRequest("null is not supported inside collections");
  return std::move(v.bytes);
}

Value prepare_constant(const Literal& lit, const CqlType& type, const std::string& receiver) {
  if (!assignable(lit, type)) {
    throw InvalidRequest(std::string("Invalid ") + constant_kind_name(lit.kind) + " constant (" +
                         (lit.kind == Literal::Kind::kHex ? "0x" : "") + lit.text + ") for \"" +
                         receiver + "\" of type " + type_name(type));
  }
  if (lit.kind == Literal::Kind::kHex) return Value::of(blob_from_hex(lit.text));
  if (type.kind == TypeKind::kCustom) return Value::of(blob_from_hex(lit.text));
  return Value::of(value_from_string(type.kind, lit.text));
}

Value prepare_list(const Literal& lit, const CqlType& type, const std::string& receiver) {
  const CqlType& element = *type.params[0];
  for (const auto& e : lit.elements) {
    if (!assignable(e, element))
      throw InvalidRequest("Invalid list literal for " + receiver + ": value " + literal_text(e) +
                           " is not of type " + type_name(element));
  }
  std::vector<std::string> values;
  for (const auto& e : lit.elements)
    values.push_back(prepare_element(e, element, "value(" + receiver + ")"));
  return Value::of(serialize_collection(values));
}

Value prepare_vector(const Literal& lit, const CqlType& type, const std::string& receiver) {
  if (lit.elements.size() != static_cast<size_t>(type.dimension)) {
    throw InvalidRequest("Invalid vector literal for " + receiver + " of type " + type_name(type) + "; expected " +
                         std::to_string(type.dimension) + " elements, but given " + std::to_string(lit.elements.size()));
  }
  const CqlType& element = *type.params[0];
  for (const auto& e : lit.elements) {
    if (!assignable(e, element))
      throw InvalidRequest("Invalid vector literal for " + receiver + ": value " + literal_text(e) + " is not of type " +
                           type_name(element));
  }
  std::vector<std::string> values;
  for (const auto& e : lit.elements) {
    Value v = prepare(e, element, "value(" + receiver + ")");
    if (!v.is_set()) throw InvalidRequest("null is not supported inside vectors");
    values.push_back(std::move(v.bytes));
  }
  return Value::of(serialize_vector(type, values));
}

Value prepare_set(const std::vector<Literal>& elements, const CqlType& type,
                  const std::string& receiver) {
  const CqlType& element = *type.params[0];
  for (const auto& e : elements) {
    if (!assignable(e, element))
      throw InvalidRequest("Invalid set literal for " + receiver + ": value " + literal_text(e) +
                           " is not of type " + type_name(element));
  }
  std::vector<std::string> values;
  for (const auto& e : elements)
    values.push_back(prepare_element(e, element, "value(" + receiver + ")"));
  // A set is stored sorted by its element order, each element once (the first one written).
  std::stable_sort(values.begin(), values.end(), [&](const std::string& a, const std::string& b) {
    return compare_values(element, a, b) < 0;
  });
  values.erase(std::unique(values.begin(), values.end(),
                           [&](const std::string& a, const std::string& b) {
                             return compare_values(element, a, b) == 0;
                           }),
               values.end());
  return Value::of(serialize_collection(values));
}

Value prepare_map(const Literal& lit, const CqlType& type, const std::string& receiver) {
  const CqlType& key = *type.params[0];
  const CqlType& value = *type.params[1];
  for (size_t i = 0; i + 1 < lit.elements.size(); i += 2) {
    if (!assignable(lit.elements[i], key))
      throw InvalidRequest("Invalid map literal for " + receiver + ": key " +
                           literal_text(lit.elements[i]) + " is not of type " + type_name(key));
    if (!assignable(lit.elements[i + 1], value))
      throw InvalidRequest("Invalid map literal for " + receiver + ": value " +
                           literal_text(lit.elements[i + 1]) + " is not of type " +
                           type_name(value));
  }
  std::vector<std::pair<std::string, std::string>> entries;
  for (size_t i = 0; i + 1 < lit.elements.size(); i += 2) {
    std::string k = prepare_element(lit.elements[i], key, "key(" + receiver + ")");
    entries.emplace_back(std::move(k),
                         prepare_element(lit.elements[i + 1], value, "value(" + receiver + ")"));
  }
  // Sorted by key; a key written twice keeps its last value.
  std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
    return compare_values(key, a.first, b.first) < 0;
  });
  std::vector<std::pair<std::string, std::string>> unique;
  for (auto& e : entries) {
    if (!unique.empty() && compare_values(key, unique.back().first, e.first) == 0) {
      unique.back().second = std::move(e.second);
    } else {
      unique.push_back(std::move(e));
    }
  }
  return Value::of(serialize_map(unique));
}

Value prepare_tuple(const Literal& lit, const CqlType& type, const std::string& receiver) {
  if (lit.elements.size() > type.params.size()) {
    throw InvalidRequest("Invalid tuple literal for " + receiver + ": too many elements. Type " +
                         type_name(type) + " expects " + std::to_string(type.params.size()) +
                         " but got " + std::to_string(lit.elements.size()));
  }
  // A shorter literal stays short: Cassandra serializes only the components written.
  std::vector<Value> fields(lit.elements.size());
  for (size_t i = 0; i < lit.elements.size(); ++i) {
    if (!assignable(lit.elements[i], *type.params[i]))
      throw InvalidRequest("Invalid tuple literal for " + receiver + ": component " +
                           std::to_string(i) + " is not of type " + type_name(*type.params[i]));
  }
  for (size_t i = 0; i < lit.elements.size(); ++i) {
    fields[i] = prepare(lit.elements[i], *type.params[i], receiver + "[" + std::to_string(i) + "]");
  }
  return Value::of(serialize_tuple(fields));
}

Value prepare_udt(const Literal& lit, const CqlType& type, const std::string& receiver) {
  std::vector<Value> fields(type.params.size());
  for (size_t i = 0; i < lit.elements.size(); ++i) {
    int f = field_index(type, lit.field_names[i]);
    if (f < 0)
      throw InvalidRequest("Unknown field '" + lit.field_names[i] +
                           "' in value of user defined type " + type.udt_name);
    const CqlType& field_type = *type.params[static_cast<size_t>(f)];
    if (!assignable(lit.elements[i], field_type))
      throw InvalidRequest("Invalid user type literal for " + receiver + ": field " +
                           lit.field_names[i] + " is not of type " + type_name(field_type));
    fields[static_cast<size_t>(f)] =
        prepare(lit.elements[i], field_type, receiver + "." + lit.field_names[i]);
  }
  return Value::of(serialize_tuple(fields));
}

[[noreturn]] void wrong_shape(const char* what, const std::string& receiver, const CqlType& type) {
  throw InvalidRequest(std::string("Invalid ") + what + " literal for " + receiver + " of type " +
                       type_name(type));
}

Value prepare(const Literal& lit, const CqlType& type, const std::string& receiver) {
  switch (lit.kind) {
    case Literal::Kind::kNull:
      if (type.kind == TypeKind::kCounter)
        throw InvalidRequest("Invalid null value for counter increment/decrement");
      return Value::null();
    case Literal::Kind::kList:
      if (type.kind == TypeKind::kVector) return prepare_vector(lit, type, receiver);
      // [..] is a list or a vector, as the receiver says (Cassandra's ArrayLiteral).
      if (type.kind != TypeKind::kList) throw_unexpected_array_receiver(type);
      return prepare_list(lit, type, receiver);
    case Literal::Kind::kSet:
      if (type.kind == TypeKind::kMap && lit.elements.empty()) return Value::of(serialize_map({}));
      if (type.kind != TypeKind::kSet) wrong_shape("set", receiver, type);
      return prepare_set(lit.elements, type, receiver);
    case Literal::Kind::kMap:
      if (is_empty_braces(lit)) {
        if (type.kind == TypeKind::kMap) return Value::of(serialize_map({}));
        if (type.kind != TypeKind::kSet) wrong_shape("set", receiver, type);
        return Value::of(serialize_collection({}));
      }
      if (type.kind != TypeKind::kMap) wrong_shape("map", receiver, type);
      return prepare_map(lit, type, receiver);
    case Literal::Kind::kTuple:
      if (type.kind != TypeKind::kTuple) wrong_shape("tuple type", receiver, type);
      return prepare_tuple(lit, type, receiver);
    case Literal::Kind::kUdt:
      if (type.kind != TypeKind::kUdt) wrong_shape("user type", receiver, type);
      return prepare_udt(lit, type, receiver);
    default:
      return prepare_constant(lit, type, receiver);
  }
}

}  // namespace

std::string literal_source_text(const Literal& literal) { return literal_text(literal); }

Value literal_to_value(const Literal& literal, const CqlType& type, const std::string& receiver) {
  return prepare(literal, type, receiver);
}

TypePtr preferred_literal_type(const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::kInteger: {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(literal.text.c_str(), &end, 10);
      if (errno == ERANGE || end == literal.text.c_str() || *end != '\0') return primitive_type(TypeKind::kVarint);
      if (v >= INT32_MIN && v <= INT32_MAX) return primitive_type(TypeKind::kInt);
      return primitive_type(TypeKind::kBigint);
    }
    case Literal::Kind::kFloat: return primitive_type(TypeKind::kDouble);
    case Literal::Kind::kString: return primitive_type(TypeKind::kVarchar);
    case Literal::Kind::kBoolean: return primitive_type(TypeKind::kBoolean);
    case Literal::Kind::kUuid: return primitive_type(TypeKind::kUuid);
    case Literal::Kind::kHex: return primitive_type(TypeKind::kBlob);
    case Literal::Kind::kDuration: return primitive_type(TypeKind::kDuration);
    default: return nullptr;
  }
}

}  // namespace cqld
