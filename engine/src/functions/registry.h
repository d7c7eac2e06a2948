// The registry of native functions and aggregates: every overload of every name, and
// Cassandra's overload resolution over them (its messages included).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "functions/function.h"

namespace cqld {

class FunctionRegistry {
 public:
  void add(NativeFunction function);
  // Every overload of "name" once more under "alias" (Cassandra 5.0's snake_case names).
  void add_alias(const std::string& alias, const std::string& name);
  // Every overload of "name" (lower case), or null when there is no such function.
  const std::vector<NativeFunction>* overloads(std::string_view name) const;

  // What a call site knows of its arguments before an overload is chosen, one entry each.
  struct CallArguments {
    std::vector<TypePtr> types;      // its type, or null for a constant or bind marker
    std::vector<TypePtr> preferred;  // for a constant, the type Cassandra prefers (may be empty)
    std::vector<std::string> texts;  // as written, for messages (may be empty)
  };

  // The overload a call resolves to, as Cassandra's FunctionResolver picks it: the only
  // overload (its argument types checked), else the one exact fit, the one compatible fit, or
  // the one that takes each constant in its preferred type (int for an integer literal, double
  // for a floating one, text for a string). "called_as" is the name as messages show it.
  // Throws InvalidRequest, with Cassandra's wording, when no overload or more than one fits.
  const NativeFunction& resolve(std::string_view name, const CallArguments& call, const std::string& called_as) const;
  const NativeFunction& resolve(std::string_view name, const std::vector<TypePtr>& argument_types,
                                const std::string& called_as) const {
    return resolve(name, CallArguments{argument_types, {}, {}}, called_as);
  }

 private:
  std::map<std::string, std::vector<NativeFunction>, std::less<>> functions_;
};

// Every native function of cqld, built once.
const FunctionRegistry& native_functions();

// count(*): an aggregate over rows, not over a value.
const NativeFunction& count_rows_function();

// The families, each in a file of its own.
// The native function a call names: "abs" and "system.abs" are both "abs". Any other keyspace
// names a user-defined function, which cqld does not have (Cassandra 5.0 disables them): that
// is InvalidRequest "Unknown function 'ks.f'". Names come folded by the parser ("ABS" quoted
// stays upper case and is unknown too).
std::string native_function_name(const std::string& keyspace, const std::string& name);

void add_time_functions(FunctionRegistry& registry);
void add_blob_functions(FunctionRegistry& registry);
void add_cast_functions(FunctionRegistry& registry);
void add_aggregate_functions(FunctionRegistry& registry);
void add_math_functions(FunctionRegistry& registry);
void add_vector_functions(FunctionRegistry& registry);
void add_collection_functions(FunctionRegistry& registry);
void add_masking_functions(FunctionRegistry& registry);
void add_floor_functions(FunctionRegistry& registry);
// similarity_cosine, similarity_euclidean, similarity_dot_product: typed at the call, over
// vector<float, n> of any n.
bool is_vector_similarity_function(const std::string& name);

}  // namespace cqld
