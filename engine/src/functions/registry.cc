#include "functions/registry.h"

#include <algorithm>

#include "common/errors.h"

namespace cqld {
namespace {

bool accepts(const TypePtr& declared, const TypePtr& actual) {
  if (declared == nullptr || actual == nullptr) return true;
  return types_equal(*declared, *actual) || is_value_compatible(*declared, *actual);
}

bool exact(const TypePtr& declared, const TypePtr& actual) {
  return declared == nullptr || actual == nullptr || types_equal(*declared, *actual);
}

std::string signature_list(const std::vector<const NativeFunction*>& functions) {
  std::string out;
  for (const NativeFunction* f : functions) out += (out.empty() ? "" : ", ") + f->signature();
  return out;
}

// The one overload of a function, checked as Cassandra's validateTypes does.
void check_only_overload(const NativeFunction& only, const FunctionRegistry::CallArguments& call) {
  if (only.arguments.size() != call.types.size())
    throw InvalidRequest("Invalid number of arguments in call to function system." + only.name + ": " +
                         std::to_string(only.arguments.size()) + " required but " + std::to_string(call.types.size()) +
                         " provided");
  for (size_t i = 0; i < call.types.size() && i < call.texts.size(); ++i) {
    if (accepts(only.arguments[i], call.types[i])) continue;
    throw InvalidRequest("Type error: " + call.texts[i] + " cannot be passed as argument " + std::to_string(i) +
                         " of function system." + only.name + " of type " + type_to_cql(*only.arguments[i]));
  }
}

// The one overload taking every argument in its own type, constants in their preferred one.
const NativeFunction* preferred_fit(const std::vector<const NativeFunction*>& fitting,
                                    const FunctionRegistry::CallArguments& call) {
  if (call.preferred.size() != call.types.size()) return nullptr;
  const NativeFunction* found = nullptr;
  for (const NativeFunction* f : fitting) {
    bool all = true;
    for (size_t i = 0; i < call.types.size(); ++i) {
      const TypePtr& want = call.types[i] ? call.types[i] : call.preferred[i];
      all = all && want && f->arguments[i] && types_equal(*f->arguments[i], *want);
    }
    if (!all) continue;
    if (found) return nullptr;
    found = f;
  }
  return found;
}

}  // namespace

TypePtr NativeFunction::return_type(const std::vector<TypePtr>& argument_types) const {
  if (returns) return returns;
  return argument_types.empty() ? nullptr : argument_types[0];
}

std::string NativeFunction::signature() const {
  std::string args;
  for (const TypePtr& t : arguments) args += (args.empty() ? "" : ", ") + (t ? type_to_cql(*t) : std::string("any"));
  return "system." + name + " : (" + args + ") -> " + (returns ? type_to_cql(*returns) : std::string("any"));
}

Value NativeFunction::call(const std::vector<Value>& args, const FunctionContext& ctx) const {
  if (!called_on_null_input) {
    for (const Value& v : args)
      if (!v.is_set()) return Value::null();
  }
  return scalar(args, ctx);
}

void FunctionRegistry::add(NativeFunction function) {
  std::string name = function.name;
  functions_[name].push_back(std::move(function));
}

void FunctionRegistry::add_alias(const std::string& alias, const std::string& name) {
  std::vector<NativeFunction> copies = functions_.at(name);
  for (NativeFunction& f : copies) f.name = alias;
  for (NativeFunction& f : copies) add(std::move(f));
}

const std::vector<NativeFunction>* FunctionRegistry::overloads(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

// Cassandra's FunctionResolver: overloads of the right arity whose every argument accepts the
// call's; an exact match wins over a compatible one; several left is ambiguous.
const NativeFunction& FunctionRegistry::resolve(std::string_view name, const CallArguments& call,
                                                const std::string& called_as) const {
  const std::vector<NativeFunction>* candidates = overloads(name);
  if (candidates == nullptr) throw InvalidRequest("Unknown function '" + std::string(name) + "'");
  // A factory checks its own arity and argument types, with its own messages, when specialized.
  if (candidates->size() == 1 && candidates->front().specialize) return candidates->front();
  if (candidates->size() == 1) check_only_overload(candidates->front(), call);
  const std::vector<TypePtr>& types = call.types;
  std::vector<const NativeFunction*> fitting, exact_fits, all;
  for (const NativeFunction& f : *candidates) {
    all.push_back(&f);
    if (f.arguments.size() != types.size()) continue;
    bool fits = true, is_exact = true;
    for (size_t i = 0; i < types.size(); ++i) {
      fits = fits && accepts(f.arguments[i], types[i]);
      is_exact = is_exact && exact(f.arguments[i], types[i]);
    }
    if (fits) fitting.push_back(&f);
    if (fits && is_exact) exact_fits.push_back(&f);
  }
  if (exact_fits.size() == 1) return *exact_fits[0];
  if (fitting.size() == 1) return *fitting[0];
  if (const NativeFunction* preferred = preferred_fit(fitting, call)) return *preferred;
  if (fitting.empty())
    throw InvalidRequest("Invalid call to function " + called_as + ", none of its type signatures match (known type signatures: " +
                         signature_list(all) + ")");
  throw InvalidRequest("Ambiguous call to function " + called_as + " (can be matched by following signatures: " +
                       signature_list(fitting) + "): use type casts to disambiguate");
}

std::string native_function_name(const std::string& keyspace, const std::string& name) {
  if (!keyspace.empty() && keyspace != "system") throw InvalidRequest("Unknown function '" + keyspace + "." + name + "'");
  return name;
}

const FunctionRegistry& native_functions() {
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    add_time_functions(r);
    add_blob_functions(r);
    add_cast_functions(r);
    add_aggregate_functions(r);
    add_math_functions(r);
    add_vector_functions(r);
    add_collection_functions(r);
    add_masking_functions(r);
    add_floor_functions(r);
    return r;
  }();
  return registry;
}

}  // namespace cqld
