// DESCRIBE, as cqlsh 6 sends it to Cassandra 4+ servers: answered from the schema snapshot of
// the moment it runs (exec/describe.h prints the CREATE statements).
#pragma once

#include "cql/ast.h"
#include "exec/statements/statement.h"

namespace cqld {

class DescribeStatement : public CqlStatement {
 public:
  explicit DescribeStatement(ast::DescribeStatement raw) : raw_(std::move(raw)) {}
  StatementKind kind() const override { return StatementKind::kOther; }
  Result execute(ExecutionContext& ctx) const override;

 private:
  ast::DescribeStatement raw_;
};

}  // namespace cqld
