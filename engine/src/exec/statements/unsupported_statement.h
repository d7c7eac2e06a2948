// Statements cqld parses but does not run yet (materialized views, user-defined functions and
// aggregates, triggers, roles and permissions): each answers Invalid with the reason when it
// executes, as before they are implemented.
#pragma once

#include <string>

#include "common/errors.h"
#include "exec/statements/statement.h"

namespace cqld {

class UnsupportedStatement : public CqlStatement {
 public:
  explicit UnsupportedStatement(std::string message) : message_(std::move(message)) {}
  StatementKind kind() const override { return StatementKind::kOther; }
  Result execute(ExecutionContext&) const override { throw InvalidRequest(message_); }

 private:
  std::string message_;
};

}  // namespace cqld
