// A native function or aggregate of CQL, declared as data: its name, argument and return types,
// and its evaluator. The registry (registry.h) holds every one, declared one family per file
// (time_functions.cc, blob_functions.cc, cast_functions.cc, aggregate_functions.cc, ...);
// selectors and terms both call them through it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "types/cql_type.h"
#include "types/value.h"

namespace cqld {

// What an evaluation may read besides its arguments: the statement's clock.
struct FunctionContext {
  int64_t now_micros = 0;
};

// The running state of one aggregate over the rows of one execution.
struct AggregateState {
  virtual ~AggregateState() = default;
};

struct NativeFunction {
  using Scalar = std::function<Value(const std::vector<Value>& args, const FunctionContext& ctx)>;
  struct Aggregate {
    // Given the types the arguments resolved to (an "any" argument's type is known only here).
    std::function<std::unique_ptr<AggregateState>(const std::vector<TypePtr>& argument_types)> start;
    std::function<void(AggregateState& state, const std::vector<Value>& args)> add;
    std::function<Value(const AggregateState& state)> finish;
  };

  std::string name;               // lower case, without "system."
  std::vector<TypePtr> arguments; // a null entry accepts any type
  TypePtr returns;                // null: the type of the first argument
  bool deterministic = true;      // false for now(), uuid(), current*()
  // Scalars: Cassandra's native functions return null on null input unless they say so.
  bool called_on_null_input = false;
  Scalar scalar;                  // set for scalar functions
  Aggregate aggregate;            // set for aggregates (aggregate.add non-null)
  // Set for functions typed at the call, as Cassandra's FunctionFactory (map_keys,
  // collection_min, mask_inner, ...): the concrete function for the types of a call's arguments
  // (null for a constant or marker; "preferred" has a constant's preferred type) as written
  // ("texts"); throws InvalidRequest with
  // Cassandra's message when they do not fit. "arguments" then only gives the arity.
  std::function<std::shared_ptr<const NativeFunction>(const std::vector<TypePtr>& types,
                                                      const std::vector<TypePtr>& preferred,
                                                      const std::vector<std::string>& texts)>
      specialize;

  bool is_aggregate() const { return static_cast<bool>(aggregate.add); }
  // The type this call returns, given the types its arguments were resolved to.
  TypePtr return_type(const std::vector<TypePtr>& argument_types) const;
  // "system.todate : (timeuuid) -> date", as Cassandra prints signatures in errors.
  std::string signature() const;
  // Evaluates a scalar, applying the null-input rule.
  Value call(const std::vector<Value>& args, const FunctionContext& ctx) const;
};

}  // namespace cqld
