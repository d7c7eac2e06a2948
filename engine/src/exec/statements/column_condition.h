// One IF condition of a lightweight transaction, with Cassandra's ColumnCondition rules: on a
// whole column (IF v = 1, IF l = [...], IF v IN (...)), on a collection element (IF l[0] = 1,
// IF m['k'] IN (...)), on a UDT field (IF u.f > 1), or a membership test (IF s CONTAINS 'a',
// IF m CONTAINS KEY 'k'), frozen or not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "exec/terms.h"
#include "schema/schema.h"

namespace cqld {

class ColumnCondition {
 public:
  // Checks the condition against the table and binds its terms (Cassandra's messages).
  static ColumnCondition bind(const TableDef& t, const ast::Condition& c, BindContext& ctx);
  // Whether it holds for "current", the column's value in the row read (null when absent).
  bool holds(const Value& current, const Bindings& b) const;
  int column() const { return column_; }

 private:
  enum class Target : uint8_t { kColumn, kElement, kField };
  // The value the condition compares, taken from the column's current value (null when the
  // element, key or field is absent).
  Value compared_value(const Value& current, const Bindings& b) const;
  bool compare(const Value& expected, const Value& actual) const;
  bool contains(const Value& current, const Value& wanted) const;
  std::vector<Value> expected_values(const Bindings& b) const;

  int column_ = -1;
  TypePtr column_type_;
  TypePtr compared_type_;  // the column's, the element's or the field's type
  Target target_ = Target::kColumn;
  ast::Operator op_ = ast::Operator::kEq;
  std::optional<BoundTerm> element_;  // l[i] / m[k]
  int field_ = -1;                    // u.f
  std::vector<BoundTerm> values_;     // one, or IN's list
  std::optional<BoundTerm> in_marker_;  // IN ?
};

}  // namespace cqld
