// fromJson() and toJson() as values of INSERT, UPDATE, DELETE and WHERE clauses.
#pragma once

#include <string>

#include "cql/ast.h"
#include "exec/terms.h"

namespace cqld {

// fromJson(text): the JSON text decoded as a value of the receiver's type. Its argument is a
// string constant or a bind marker (varchar). Bad JSON or a value the type refuses fails the
// execution with FunctionFailure, as in Cassandra.
BoundTerm bind_from_json(const ast::Term& call, const TypePtr& receiver_type, BindContext& ctx);

// toJson(x) where a value is expected: x of "argument_type" (what the argument resolves to:
// a call's result or a constant's preferred type) as JSON text.
BoundTerm bind_to_json(const ast::Term& call, const TypePtr& argument_type, const TypePtr& receiver_type,
                       const std::string& receiver, BindContext& ctx);

}  // namespace cqld
