// BATCH: the statement form (BEGIN ... APPLY BATCH, its children sharing the statement's
// markers) and the protocol's BATCH message (each child a statement of its own with its own
// values). Either way every child's writes go into one Mutation, applied atomically; a batch
// with conditions runs as conditional_batch.h says.
#pragma once

#include <climits>
#include <memory>
#include <optional>
#include <vector>

#include "cql/ast.h"
#include "exec/statements/modification_statement.h"
#include "exec/statements/statement.h"

namespace cqld {

class BatchStatement : public CqlStatement {
 public:
  static std::unique_ptr<BatchStatement> prepare(const ast::BatchStatement& s, const ast::RawStatement& raw,
                                                 const Schema& schema, const ClientState& client);
  StatementKind kind() const override { return conditional_ ? StatementKind::kConditional : StatementKind::kWrite; }
  // Every child's own check (the protocol's BATCH checks each child as it binds it).
  void check_access(const auth::Access& access) const override {
    for (const auto& child : children_) child->check_access(access);
  }
  Result execute(ExecutionContext& ctx) const override;

  // One child of a protocol BATCH: a prepared (or just bound) statement and its values.
  struct Child {
    StatementPtr statement;
    std::vector<Value> values;
  };
  // Runs a protocol BATCH. Throws InvalidRequest for children a batch may not hold.
  static Result execute_children(ExecutionContext& ctx, BatchRequest::Type type, const std::vector<Child>& children);

  // Counter and regular writes cannot share a batch, and counters need a COUNTER batch.
  static void check_kinds(BatchRequest::Type type, const std::vector<const ModificationStatement*>& children);

 private:
  BatchStatement() = default;
  // What the views of the batch's tables follow: the partitions it touches, its latest timestamp.
  struct BatchWrites {
    std::vector<TouchedPartition> touched;
    int64_t timestamp = INT64_MIN;
    void add(const ModificationStatement& m, const WriteContext& write);
  };
  static void apply(ExecutionContext& ctx, BatchRequest::Type type, Mutation& mutation, const BatchWrites& views);

  BatchRequest::Type type_ = BatchRequest::Type::kLogged;
  std::vector<std::unique_ptr<ModificationStatement>> children_;
  std::optional<BoundTerm> timestamp_;  // USING TIMESTAMP of the whole batch
  bool conditional_ = false;            // a child has IF conditions (conditional_batch.h)
};

}  // namespace cqld
