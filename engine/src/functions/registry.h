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
  // Every overload of "name" (lower case), or null when there is no such function.
  const std::vector<NativeFunction>* overloads(std::string_view name) const;

  // The overload a call resolves to. "argument_types" has one entry per argument: its type, or
  // null where the argument is a constant or bind marker whose type comes from the function.
  // "called_as" is the name as the error messages show it. Throws InvalidRequest, with
  // Cassandra's wording, when no overload or more than one fits.
  const NativeFunction& resolve(std::string_view name, const std::vector<TypePtr>& argument_types,
                                const std::string& called_as) const;

 private:
  std::map<std::string, std::vector<NativeFunction>, std::less<>> functions_;
};

// Every native function of cqld, built once.
const FunctionRegistry& native_functions();

// count(*): an aggregate over rows, not over a value.
const NativeFunction& count_rows_function();

// The families, each in a file of its own.
void add_time_functions(FunctionRegistry& registry);
void add_blob_functions(FunctionRegistry& registry);
void add_cast_functions(FunctionRegistry& registry);
void add_aggregate_functions(FunctionRegistry& registry);

}  // namespace cqld
