// The collection functions of Cassandra 5.0 (CollectionFcts), each typed at the call by its
// argument: map_keys (a set of the keys) and map_values (a list of the values, in key order),
// collection_count of any collection, collection_min and collection_max of a set or list by
// the element type's order, collection_sum and collection_avg of a numeric set or list in the
// element type (sum wraps as the sum() aggregate does; avg divides the exact sum). An empty
// collection counts, sums and averages to 0 and has no minimum, as Cassandra answers.
#include <memory>
#include <optional>

#include "common/errors.h"
#include "functions/numbers.h"
#include "functions/registry.h"
#include "types/bignum.h"
#include "types/value.h"

namespace cqld {
namespace {

using Scalar = NativeFunction::Scalar;
// What a collection function checks of its argument, with the words of its message.
enum class Accepts : uint8_t { kMap, kCollection, kSetOrList, kNumericSetOrList };

bool is_numeric(TypeKind k) { return is_fixed_width_number(k) || k == TypeKind::kVarint || k == TypeKind::kDecimal; }

void check_argument(const std::string& name, Accepts accepts, const TypePtr& type, const std::string& text) {
  bool set_or_list = type && (type->kind == TypeKind::kSet || type->kind == TypeKind::kList);
  bool ok = false;
  const char* wanted = "";
  switch (accepts) {
    case Accepts::kMap: ok = type && type->kind == TypeKind::kMap; wanted = "a map"; break;
    case Accepts::kCollection: ok = type && type->is_collection(); wanted = "a collection"; break;
    case Accepts::kSetOrList: ok = set_or_list; wanted = "a set or list"; break;
    case Accepts::kNumericSetOrList:
      ok = set_or_list && is_numeric(type->params[0]->kind);
      wanted = "a numeric set/list";
      break;
  }
  if (ok) return;
  if (!type) throw InvalidRequest("Cannot infer type of argument " + text + " in call to function system." + name);
  throw InvalidRequest("Function system." + name + " requires " + wanted + " argument, but found argument " + text +
                       " of type " + type_to_cql(*type));
}

std::shared_ptr<const NativeFunction> concrete(const std::string& name, TypePtr argument, TypePtr returns, Scalar scalar) {
  auto f = std::make_shared<NativeFunction>();
  f->name = name;
  f->arguments = {std::move(argument)};
  f->returns = std::move(returns);
  f->scalar = std::move(scalar);
  return f;
}

// Declares "name": its argument checked, then "make" builds the function for its type.
void declare(FunctionRegistry& r, const std::string& name, Accepts accepts,
             std::function<std::shared_ptr<const NativeFunction>(const TypePtr&)> make) {
  NativeFunction f;
  f.name = name;
  f.arguments = {nullptr};
  f.specialize = [name, accepts, make](const std::vector<TypePtr>& types, const std::vector<TypePtr>&,
                                       const std::vector<std::string>& texts) {
    if (types.size() != 1)
      throw InvalidRequest("Invalid number of arguments for function system." + name + "(" +
                           (accepts == Accepts::kMap ? "map" : "collection") + ")");
    check_argument(name, accepts, types.at(0), texts.empty() ? std::string("?") : texts[0]);
    return make(types[0]);
  };
  r.add(std::move(f));
}

int32_t element_count(const CqlType& type, const std::string& bytes) {
  return static_cast<int32_t>(type.kind == TypeKind::kMap ? parse_map(bytes).size() : parse_collection(bytes).size());
}

Scalar extreme(TypePtr element, int sign) {
  return [element, sign](const std::vector<Value>& args, const FunctionContext&) {
    std::optional<std::string> best;
    for (std::string& e : parse_collection(args[0].bytes))
      if (!best || compare_values(*element, e, *best) * sign > 0) best = std::move(e);
    return best ? Value::of(*best) : Value::null();
  };
}

// The bits of an integer type (0 for the others).
int integer_width(TypeKind k) {
  switch (k) {
    case TypeKind::kTinyint: return 8;
    case TypeKind::kSmallint: return 16;
    case TypeKind::kInt: return 32;
    case TypeKind::kBigint:
    case TypeKind::kCounter: return 64;
    default: return 0;
  }
}

// The sum of integer elements as Cassandra adds them, in the element's type: wrapping at its
// width, as Java's arithmetic does.
int64_t wrapped_sum(const std::vector<std::string>& elements, TypeKind k, int width) {
  uint64_t sum = 0;
  for (const std::string& e : elements) sum += static_cast<uint64_t>(static_cast<int64_t>(to_number(k, e)));
  if (width == 64) return static_cast<int64_t>(sum);
  uint64_t sign = uint64_t{1} << (width - 1);
  uint64_t low = sum & ((uint64_t{1} << width) - 1);
  return static_cast<int64_t>(low ^ sign) - static_cast<int64_t>(sign);
}

// The elements' sum (wrapped to the element type for the fixed widths) or average.
Scalar sum_or_average(TypePtr element, bool average) {
  return [element, average](const std::vector<Value>& args, const FunctionContext&) {
    std::vector<std::string> elements = parse_collection(args[0].bytes);
    TypeKind k = element->kind;
    auto count = static_cast<int64_t>(elements.size());
    if (k == TypeKind::kVarint || k == TypeKind::kDecimal) {
      std::string sum = k == TypeKind::kVarint ? std::string(1, '\0') : std::string(5, '\0');
      for (const std::string& e : elements) sum = k == TypeKind::kVarint ? varint_add(sum, e) : decimal_add(sum, e);
      if (!average || count == 0) return Value::of(sum);
      return Value::of(k == TypeKind::kVarint ? varint_divide(sum, count) : decimal_divide(sum, count));
    }
    // A sum of integers wraps; their average is taken of the exact sum (as Cassandra's is), so it
    // stays within the type's range.
    if (int width = integer_width(k); width > 0 && !average) {
      return Value::of(from_number(k, static_cast<long double>(wrapped_sum(elements, k, width))));
    }
    long double sum = 0;
    for (const std::string& e : elements) sum += to_number(k, e);
    return Value::of(from_number(k, average && count > 0 ? sum / count : sum));
  };
}

}  // namespace

void add_collection_functions(FunctionRegistry& r) {
  declare(r, "map_keys", Accepts::kMap, [](const TypePtr& t) {
    return concrete("map_keys", t, set_type(t->params[0], false), [](const std::vector<Value>& args, const FunctionContext&) {
      std::vector<std::string> keys;
      for (auto& [key, value] : parse_map(args[0].bytes)) keys.push_back(key);
      return Value::of(serialize_collection(keys));
    });
  });
  declare(r, "map_values", Accepts::kMap, [](const TypePtr& t) {
    return concrete("map_values", t, list_type(t->params[1], false), [](const std::vector<Value>& args, const FunctionContext&) {
      std::vector<std::string> values;
      for (auto& [key, value] : parse_map(args[0].bytes)) values.push_back(value);
      return Value::of(serialize_collection(values));
    });
  });
  declare(r, "collection_count", Accepts::kCollection, [](const TypePtr& t) {
    return concrete("collection_count", t, primitive_type(TypeKind::kInt),
                    [t](const std::vector<Value>& args, const FunctionContext&) {
                      return Value::of(encode_int32(element_count(*t, args[0].bytes)));
                    });
  });
  declare(r, "collection_min", Accepts::kSetOrList,
          [](const TypePtr& t) { return concrete("collection_min", t, t->params[0], extreme(t->params[0], -1)); });
  declare(r, "collection_max", Accepts::kSetOrList,
          [](const TypePtr& t) { return concrete("collection_max", t, t->params[0], extreme(t->params[0], 1)); });
  declare(r, "collection_sum", Accepts::kNumericSetOrList, [](const TypePtr& t) {
    return concrete("collection_sum", t, t->params[0], sum_or_average(t->params[0], false));
  });
  declare(r, "collection_avg", Accepts::kNumericSetOrList, [](const TypePtr& t) {
    return concrete("collection_avg", t, t->params[0], sum_or_average(t->params[0], true));
  });
}

}  // namespace cqld
