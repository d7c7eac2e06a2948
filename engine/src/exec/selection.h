// The SELECT clause: which values each result row carries. Selectors are evaluated per row;
// aggregates (COUNT, MIN, MAX, SUM, AVG) fold all rows into one. A Selection is immutable and
// shared by executions; per-execution aggregate state lives in an Aggregation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "exec/result.h"
#include "functions/function.h"
#include "storage/row_reader.h"
#include "schema/schema.h"

namespace cqld {

class SelectorNode {
 public:
  virtual ~SelectorNode() = default;
  virtual TypePtr type() const = 0;
  virtual bool is_aggregate() const { return false; }
  virtual Value evaluate(const ReadRow& row) const = 0;
  virtual std::unique_ptr<AggregateState> new_state() const { return nullptr; }
  virtual void add(AggregateState&, const ReadRow&) const {}
  virtual Value result(const AggregateState&) const { return Value::null(); }
};

class Selection {
 public:
  // Binds the selectors of "s" (or * when select_all) to "table". Throws InvalidRequest.
  static std::unique_ptr<Selection> bind(const ast::SelectStatement& s, const TableDef& table);

  const std::vector<ColumnSpec>& columns() const { return columns_; }
  bool is_aggregate() const { return aggregate_; }
  void add_row(const ReadRow& row, std::vector<Value>* out) const;

  // One execution's fold of an aggregate selection.
  class Aggregation {
   public:
    explicit Aggregation(const Selection& selection);
    void add(const ReadRow& row);
    void finish(std::vector<Value>* out) const;

   private:
    void finish_values(std::vector<Value>* out) const;
    const Selection& selection_;
    std::vector<std::unique_ptr<AggregateState>> states_;
    std::vector<Value> first_row_;
    bool seen_row_ = false;
  };

 private:
  std::vector<std::unique_ptr<SelectorNode>> nodes_;
  std::vector<ColumnSpec> columns_;
  bool aggregate_ = false;
  // SELECT JSON: the columns as selected, written as one JSON object per row under columns_'s
  // single [json] column. Empty for other selections.
  std::vector<ColumnSpec> json_columns_;
};

}  // namespace cqld
