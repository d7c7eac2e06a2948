// The statements that change the schema (CREATE, ALTER, DROP of keyspaces, tables, indexes and
// types, and TRUNCATE): each keeps its parsed form and runs the change of its own file
// (schema_change.h) against the schema current when it executes.
#pragma once

#include "exec/statements/schema_access.h"
#include "exec/statements/schema_change.h"
#include "exec/statements/statement.h"

namespace cqld {

template <class Raw>
class SchemaStatement : public CqlStatement {
 public:
  using Run = Result (*)(const DdlContext&, const Raw&);
  SchemaStatement(Raw raw, Run run) : raw_(std::move(raw)), run_(run) {}
  StatementKind kind() const override { return StatementKind::kOther; }
  void check_access(const auth::Access& access) const override { check_schema_access(access, raw_); }
  Result execute(ExecutionContext& ctx) const override {
    Result result = run_(DdlContext{ctx.schema, ctx.store, ctx.client}, raw_);
    if (std::holds_alternative<SchemaChangeResult>(result)) after_schema_change(ctx, raw_);
    return result;
  }

 private:
  Raw raw_;
  Run run_;
};

}  // namespace cqld
