#include "exec/json_selection.h"

#include "functions/json_codec.h"

namespace cqld {
namespace {

class ToJsonNode : public SelectorNode {
 public:
  explicit ToJsonNode(std::unique_ptr<SelectorNode> argument) : argument_(std::move(argument)) {}
  TypePtr type() const override { return primitive_type(TypeKind::kVarchar); }
  Value evaluate(const ReadRow& row) const override {
    return Value::of(value_to_json(*argument_->type(), argument_->evaluate(row)));
  }
  // toJson(max(v)): the aggregate folds the rows, its result is then written as JSON.
  bool is_aggregate() const override { return argument_->is_aggregate(); }
  std::unique_ptr<AggregateState> new_state() const override { return argument_->new_state(); }
  void add(AggregateState& state, const ReadRow& row) const override { argument_->add(state, row); }
  Value result(const AggregateState& state) const override {
    return Value::of(value_to_json(*argument_->type(), argument_->result(state)));
  }

 private:
  std::unique_ptr<SelectorNode> argument_;
};

}  // namespace

std::unique_ptr<SelectorNode> to_json_selector(std::unique_ptr<SelectorNode> argument) {
  return std::make_unique<ToJsonNode>(std::move(argument));
}

ColumnSpec json_result_column(const std::string& keyspace, const std::string& table) {
  return ColumnSpec{keyspace, table, "[json]", primitive_type(TypeKind::kVarchar), ""};
}

Value json_row(const std::vector<ColumnSpec>& columns, const std::vector<Value>& values) {
  std::vector<std::string> names;
  std::vector<TypePtr> types;
  for (const ColumnSpec& c : columns) {
    names.push_back(c.name);
    types.push_back(c.type);
  }
  return Value::of(json_object(names, types, values));
}

}  // namespace cqld
