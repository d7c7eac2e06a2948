// CQL's operators (+ - * / % and unary -) as Cassandra 5.0 declares them (OperationFcts): one
// overload per pair of numeric types (tinyint ... varint, counter), timestamp and date plus or
// minus a duration, and text/ascii concatenation; their resolution, with FunctionResolver's
// exact/weak matching, receiver filter and messages; and their evaluation with Java's
// semantics (fixed-width integers wrap, decimals as DecimalType computes them, failures as
// FunctionFailure).
#pragma once

#include <functional>
#include <string>

#include "types/cql_type.h"
#include "types/literal.h"
#include "types/value.h"

namespace cqld {

// One overload. "right" is null for a negation.
struct Operation {
  char symbol = '+';
  TypePtr left, right, result;
  // "int / int", as Cassandra names an operation in its failures.
  std::string signature() const;
};

// What a call site knows of an operand before an overload is chosen.
struct Operand {
  enum class Kind : uint8_t { kTyped, kConstant, kNull, kMarker, kNested };
  Kind kind = Kind::kTyped;
  TypePtr type;     // kTyped: a column, a function's result, a type hint
  Literal literal;  // kConstant
  // kNested (an operation inside a term): the type it returns when its receiver has the given
  // type, or null when it resolves to nothing there.
  std::function<TypePtr(const TypePtr& receiver)> nested;
  std::string text;  // as written, for messages
};

// Whether a constant can be assigned to "type" at all (Cassandra's testAssignment is not
// NOT_ASSIGNABLE): "'x'" cannot be an int, "1" can be a bigint.
bool constant_assignable(const Literal& literal, const CqlType& type);

// The overload "left symbol right" resolves to; "receiver" (may be null) is the type the
// result is assigned to. Throws InvalidRequest with Cassandra's messages.
const Operation& resolve_operation(char symbol, const Operand& left, const Operand& right, const TypePtr& receiver);
const Operation& resolve_negation(const Operand& operand, const TypePtr& receiver);

// The result; null when an operand is null or empty. Throws CqlError FunctionFailure ("the
// operation 'int / int' failed: / by zero").
Value apply_operation(const Operation& operation, const Value& left, const Value& right);
Value apply_negation(const Operation& operation, const Value& operand);

}  // namespace cqld
