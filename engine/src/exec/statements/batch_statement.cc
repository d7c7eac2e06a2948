#include "exec/statements/batch_statement.h"

#include <algorithm>
#include <climits>

#include "common/errors.h"
#include "common/overloaded.h"
#include "exec/statements/conditional_batch.h"
#include "exec/statements/prepare.h"
#include "exec/write_failure.h"

namespace cqld {
namespace {

const char* write_type(BatchRequest::Type type) {
  switch (type) {
    case BatchRequest::Type::kLogged: return "BATCH";
    case BatchRequest::Type::kUnlogged: return "UNLOGGED_BATCH";
    case BatchRequest::Type::kCounter: return "COUNTER";
  }
  return "BATCH";
}

bool any_conditional(const std::vector<const ModificationStatement*>& children) {
  for (const ModificationStatement* m : children)
    if (m->is_conditional()) return true;
  return false;
}

}  // namespace

void BatchStatement::check_kinds(BatchRequest::Type type, const std::vector<const ModificationStatement*>& children) {
  for (const ModificationStatement* m : children) {
    if (type == BatchRequest::Type::kCounter && !m->is_counter())
      throw InvalidRequest("Cannot include non-counter statement in a counter batch");
    if (type == BatchRequest::Type::kLogged && m->is_counter())
      throw InvalidRequest("Cannot include a counter statement in a logged batch");
    if (type == BatchRequest::Type::kUnlogged && m->is_counter())
      throw InvalidRequest("Counter and non-counter mutations cannot exist in the same batch");
  }
}

std::unique_ptr<BatchStatement> BatchStatement::prepare(const ast::BatchStatement& s, const ast::RawStatement& raw,
                                                        const Schema& schema, const ClientState& client) {
  std::unique_ptr<BatchStatement> p(new BatchStatement());
  p->type_ = static_cast<BatchRequest::Type>(s.type);
  if (s.using_clause.ttl) throw InvalidRequest("Global TTL on the BATCH statement is not supported.");
  BindContext ctx;
  ctx.marker_names = raw.bind_marker_names;
  std::vector<const ModificationStatement*> children;
  auto add = [&](const auto& child, auto prepare_fn) {
    TablePtr table = table_for_write(child.table, client, schema);
    ctx.keyspace = table->keyspace;
    ctx.table = table->name;
    ctx.table_def = table.get();
    p->dependencies_.push_back(table);
    p->children_.push_back(prepare_fn(child, table, ctx));
    children.push_back(p->children_.back().get());
  };
  for (const auto& child : s.statements) {
    std::visit(Overloaded{
                   [&](const ast::InsertStatement& c) { add(c, &ModificationStatement::prepare_insert); },
                   [&](const ast::UpdateStatement& c) { add(c, &ModificationStatement::prepare_update); },
                   [&](const ast::DeleteStatement& c) { add(c, &ModificationStatement::prepare_delete); },
               },
               child);
  }
  check_kinds(p->type_, children);
  p->conditional_ = any_conditional(children);
  if (s.using_clause.timestamp && p->conditional_)
    throw InvalidRequest("Cannot provide custom timestamp for conditional BATCH");
  if (s.using_clause.timestamp) {
    p->timestamp_ = bind_term(*s.using_clause.timestamp, primitive_type(TypeKind::kBigint), "[timestamp]", ctx);
    for (const auto& m : p->children_)
      if (m->has_timestamp()) throw InvalidRequest("Timestamp must be set either on BATCH or individual statements");
  }
  p->markers_ = finish_markers(ctx, raw);
  if (p->dependencies_.size() == 1) p->pk_indexes_ = partition_key_indexes(p->markers_, *p->dependencies_[0]);
  return p;
}

Result BatchStatement::execute(ExecutionContext& ctx) const {
  if (children_.empty()) return VoidResult{};
  if (conditional_) {
    std::vector<ConditionalBatchChild> children;
    for (const auto& m : children_) children.push_back(ConditionalBatchChild{m.get(), ctx.bindings});
    return execute_conditional_batch(ctx, children);
  }
  WriteContext write{ctx.bindings, ctx.options->default_timestamp, ctx.store};
  if (timestamp_) {
    Value ts = timestamp_->evaluate(ctx.bindings);
    if (ts.is_null()) throw InvalidRequest("Invalid null value of timestamp");
    if (ts.is_set()) write.default_timestamp = decode_int64(ts.bytes);
  }
  Mutation mutation;
  BatchWrites views;
  for (const auto& m : children_) {
    m->add_mutations(write, &mutation);
    views.add(*m, write);
  }
  apply(ctx, type_, mutation, views);
  return VoidResult{};
}

Result BatchStatement::execute_children(ExecutionContext& ctx, BatchRequest::Type type, const std::vector<Child>& children) {
  std::vector<const ModificationStatement*> statements;
  for (const Child& child : children) {
    const auto* m = dynamic_cast<const ModificationStatement*>(child.statement.get());
    if (m == nullptr)
      throw InvalidRequest("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
    check_kinds(type, {m});
    statements.push_back(m);
  }
  auto bindings = [&](size_t i) { return Bindings{&children[i].values, ctx.bindings.now_micros, ctx.limits}; };
  if (!statements.empty() && any_conditional(statements)) {
    std::vector<ConditionalBatchChild> conditional;
    for (size_t i = 0; i < statements.size(); ++i) conditional.push_back(ConditionalBatchChild{statements[i], bindings(i)});
    return execute_conditional_batch(ctx, conditional);
  }
  Mutation mutation;
  BatchWrites views;
  for (size_t i = 0; i < statements.size(); ++i) {
    WriteContext write{bindings(i), ctx.options->default_timestamp, ctx.store};
    statements[i]->add_mutations(write, &mutation);
    views.add(*statements[i], write);
  }
  apply(ctx, type, mutation, views);
  return VoidResult{};
}

void BatchStatement::BatchWrites::add(const ModificationStatement& m, const WriteContext& write) {
  m.add_touched(write, &touched);
  timestamp = std::max(timestamp, m.write_timestamp(write));
}

void BatchStatement::apply(ExecutionContext& ctx, BatchRequest::Type type, Mutation& mutation, const BatchWrites& views) {
  if (ctx.deadline.expired()) throw RequestTimeout::write(static_cast<uint16_t>(ctx.options->consistency), write_type(type));
  check_write(apply_with_views(view_write_for(ctx, views.timestamp), mutation, views.touched));
}

}  // namespace cqld
