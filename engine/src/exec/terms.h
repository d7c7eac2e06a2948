// Terms bound to their receivers at prepare time (constants converted once, markers typed),
// evaluated per execution against the request's values.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "exec/limits.h"
#include "exec/query_processor.h"
#include "exec/result.h"
#include "schema/schema.h"
#include "types/value.h"

namespace cqld {

// What an execution supplies to terms: the bound values and the statement's clock.
struct Bindings {
  const std::vector<Value>* values = nullptr;
  int64_t now_micros = 0;
  const ExecLimits* limits = nullptr;  // bounds on what the values may make (IN products)
};

class BoundTerm {
 public:
  BoundTerm() = default;
  static BoundTerm constant(Value v);
  static BoundTerm marker(int index);
  static BoundTerm computed(std::function<Value(const Bindings&)> fn);

  Value evaluate(const Bindings& b) const;
  bool is_marker() const { return kind_ == Kind::kMarker; }
  bool is_constant() const { return kind_ == Kind::kConstant; }

 private:
  enum class Kind : uint8_t { kConstant, kMarker, kComputed };
  Kind kind_ = Kind::kConstant;
  Value constant_;
  int marker_ = -1;
  std::function<Value(const Bindings&)> fn_;
};

// Collects the bind markers' metadata while a statement is prepared.
struct BindContext {
  std::string keyspace;
  std::string table;
  std::vector<ColumnSpec> markers;  // indexed by marker position
  std::vector<std::string> marker_names;  // from the parser: ":name" or empty
  const TableDef* table_def = nullptr;    // the statement's table (token() needs its key types)
  void declare(int index, const std::string& name, TypePtr type);
};

// Binds a term to a receiver of type "type" named "receiver" (for error messages and
// marker metadata). Literals are converted now; markers are declared in "ctx".
BoundTerm bind_term(const ast::Term& term, const TypePtr& type, const std::string& receiver,
                    BindContext& ctx);

// The operator's character in CQL and in Cassandra's messages ('+', '-', '*', '/', '%').
char operator_symbol(ast::ArithmeticOp op);


}  // namespace cqld
