// USE keyspace: sets the client's keyspace (answered SET_KEYSPACE).
#pragma once

#include <string>

#include "exec/statements/statement.h"

namespace cqld {

class UseStatement : public CqlStatement {
 public:
  explicit UseStatement(std::string keyspace) : keyspace_(std::move(keyspace)) {}
  StatementKind kind() const override { return StatementKind::kOther; }
  Result execute(ExecutionContext& ctx) const override;

 private:
  std::string keyspace_;
};

}  // namespace cqld
