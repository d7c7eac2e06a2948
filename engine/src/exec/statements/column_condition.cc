#include "exec/statements/column_condition.h"

#include "common/errors.h"

namespace cqld {
namespace {

const char* operator_symbol(ast::Operator op) {
  switch (op) {
    case ast::Operator::kEq: return "=";
    case ast::Operator::kNeq: return "!=";
    case ast::Operator::kLt: return "<";
    case ast::Operator::kLte: return "<=";
    case ast::Operator::kGt: return ">";
    case ast::Operator::kGte: return ">=";
    case ast::Operator::kIn: return "IN";
    case ast::Operator::kContains: return "CONTAINS";
    case ast::Operator::kContainsKey: return "CONTAINS KEY";
    default: return "?";
  }
}

bool is_slice(ast::Operator op) {
  return op == ast::Operator::kLt || op == ast::Operator::kLte || op == ast::Operator::kGt || op == ast::Operator::kGte;
}

bool references_duration(const CqlType& type) {
  if (type.kind == TypeKind::kDuration) return true;
  for (const auto& p : type.params)
    if (references_duration(*p)) return true;
  return false;
}

// Cassandra's ColumnCondition.Raw.validateOperationOnDurations: durations have no order.
void refuse_duration_slices(const CqlType& type, ast::Operator op) {
  if (!is_slice(op) || !references_duration(type)) return;
  if (type.is_collection()) throw InvalidRequest("Slice conditions are not supported on collections containing durations");
  if (type.kind == TypeKind::kTuple) throw InvalidRequest("Slice conditions are not supported on tuples containing durations");
  if (type.kind == TypeKind::kUdt) throw InvalidRequest("Slice conditions are not supported on UDTs containing durations");
  throw InvalidRequest("Slice conditions are not supported on durations");
}

// A non-frozen collection with no cells reads as null; as a condition value it equals [].
bool empty_multi_cell(const CqlType& type, const Value& v) {
  return type.is_multi_cell() && type.is_collection() && (v.is_null() || parse_collection(v.bytes).empty());
}

}  // namespace

ColumnCondition ColumnCondition::bind(const TableDef& t, const ast::Condition& c, BindContext& ctx) {
  ColumnCondition cc;
  cc.column_ = t.column_index(c.column);
  if (cc.column_ < 0) throw undefined_column(c.column, t.keyspace, t.name);
  const ColumnDef& column = t.columns[static_cast<size_t>(cc.column_)];
  if (column.is_primary_key()) throw InvalidRequest("PRIMARY KEY column '" + column.name + "' cannot have IF conditions");
  if (column.type->kind == TypeKind::kCounter) throw InvalidRequest("Conditions on counters are not supported");
  cc.column_type_ = column.type;
  cc.compared_type_ = column.type;
  cc.op_ = c.op;
  std::string receiver = column.name;
  if (c.element) {
    const CqlType& type = *column.type;
    if (!type.is_collection())
      throw InvalidRequest("Invalid element access syntax for non-collection column " + column.name);
    if (type.kind == TypeKind::kSet) throw InvalidRequest("Invalid element access syntax for set column " + column.name);
    cc.target_ = Target::kElement;
    bool list = type.kind == TypeKind::kList;
    cc.element_ = bind_term(*c.element, list ? primitive_type(TypeKind::kInt) : type.params[0],
                            (list ? "idx(" : "key(") + column.name + ")", ctx);
    cc.compared_type_ = list ? type.params[0] : type.params[1];
    receiver = "value(" + column.name + ")";
  } else if (!c.field.empty()) {
    const CqlType& type = *column.type;
    if (type.kind != TypeKind::kUdt)
      throw InvalidRequest("Invalid field selection syntax for non-UDT column " + column.name);
    for (size_t i = 0; i < type.field_names.size(); ++i)
      if (type.field_names[i] == c.field) cc.field_ = static_cast<int>(i);
    if (cc.field_ < 0) throw InvalidRequest("Unknown field " + c.field + " for column " + column.name);
    cc.target_ = Target::kField;
    cc.compared_type_ = type.params[static_cast<size_t>(cc.field_)];
    receiver = column.name + "." + c.field;
  }
  refuse_duration_slices(*cc.compared_type_, c.op);
  const CqlType& compared = *cc.compared_type_;
  if (c.op == ast::Operator::kContainsKey && compared.kind != TypeKind::kMap)
    throw InvalidRequest("Cannot use CONTAINS KEY on non-map column " + receiver);
  if (c.op == ast::Operator::kContains && !compared.is_collection())
    throw InvalidRequest("Cannot use CONTAINS on non-collection column " + receiver);
  if (c.op == ast::Operator::kIn) {
    if (c.value) {
      cc.in_marker_ = bind_term(*c.value, list_type(cc.compared_type_, false), "in(" + receiver + ")", ctx);
    } else {
      for (const auto& v : c.in_values) cc.values_.push_back(bind_term(v, cc.compared_type_, receiver, ctx));
    }
    return cc;
  }
  if (c.op == ast::Operator::kContains || c.op == ast::Operator::kContainsKey) {
    bool key = c.op == ast::Operator::kContainsKey || compared.kind != TypeKind::kMap;
    TypePtr element = key ? compared.params[0] : compared.params[1];
    std::string name = (compared.kind == TypeKind::kMap && key ? "key(" : "value(") + receiver + ")";
    cc.values_.push_back(bind_term(*c.value, element, name, ctx));
    return cc;
  }
  cc.values_.push_back(bind_term(*c.value, cc.compared_type_, receiver, ctx));
  return cc;
}

std::vector<Value> ColumnCondition::expected_values(const Bindings& b) const {
  std::vector<Value> values;
  if (in_marker_) {
    Value list = in_marker_->evaluate(b);
    if (list.is_unset()) throw InvalidRequest("Invalid 'unset' value in condition");
    if (list.is_null()) throw InvalidRequest("Invalid null value for IN condition");
    for (auto& element : parse_collection(list.bytes)) values.push_back(Value::of(std::move(element)));
    return values;
  }
  for (const auto& term : values_) {
    Value v = term.evaluate(b);
    if (v.is_unset()) throw InvalidRequest("Invalid 'unset' value in condition");
    values.push_back(std::move(v));
  }
  return values;
}

Value ColumnCondition::compared_value(const Value& current, const Bindings& b) const {
  if (target_ == Target::kColumn) return current;
  if (target_ == Target::kField) {
    if (current.is_null()) return Value::null();
    std::vector<Value> fields = parse_tuple(current.bytes);
    size_t i = static_cast<size_t>(field_);
    return i < fields.size() ? fields[i] : Value::null();
  }
  Value element = element_->evaluate(b);
  bool list = column_type_->kind == TypeKind::kList;
  if (!element.is_set()) throw InvalidRequest(std::string("Invalid null value for ") + (list ? "list" : "map") + " element access");
  if (list) {
    int32_t index = decode_int32(element.bytes);
    if (index < 0) throw InvalidRequest("Invalid negative list index " + std::to_string(index));
    if (current.is_null()) return Value::null();
    std::vector<std::string> elements = parse_collection(current.bytes);
    size_t i = static_cast<size_t>(index);
    return i < elements.size() ? Value::of(elements[i]) : Value::null();
  }
  if (current.is_null()) return Value::null();
  const CqlType& key_type = *column_type_->params[0];
  for (auto& [key, value] : parse_map(current.bytes))
    if (compare_values(key_type, key, element.bytes) == 0) return Value::of(value);
  return Value::null();
}

// Cassandra's compareWithOperator: a null condition value matches only = (absent) and
// != (present); an absent value satisfies only !=.
bool ColumnCondition::compare(const Value& expected, const Value& actual) const {
  ast::Operator op = op_ == ast::Operator::kIn ? ast::Operator::kEq : op_;
  bool multi_cell_collection = target_ == Target::kColumn && column_type_->is_multi_cell() && column_type_->is_collection();
  if (multi_cell_collection && !expected.is_null()) {
    // A non-frozen collection compares element by element, an absent one as empty.
    if (empty_multi_cell(*column_type_, expected) && empty_multi_cell(*column_type_, actual))
      return op == ast::Operator::kEq || op == ast::Operator::kLte || op == ast::Operator::kGte;
    if (empty_multi_cell(*column_type_, actual)) return op == ast::Operator::kLt || op == ast::Operator::kLte || op == ast::Operator::kNeq;
  }
  Value row = actual;
  if (multi_cell_collection && empty_multi_cell(*column_type_, row)) row = Value::null();
  if (expected.is_null()) {
    if (op == ast::Operator::kEq) return row.is_null();
    if (op == ast::Operator::kNeq) return !row.is_null();
    throw InvalidRequest(std::string("Invalid comparison with null for operator \"") + operator_symbol(op) + "\"");
  }
  if (row.is_null()) return op == ast::Operator::kNeq;
  int cmp = compare_values(*compared_type_, row.bytes, expected.bytes);
  switch (op) {
    case ast::Operator::kEq: return cmp == 0;
    case ast::Operator::kNeq: return cmp != 0;
    case ast::Operator::kLt: return cmp < 0;
    case ast::Operator::kLte: return cmp <= 0;
    case ast::Operator::kGt: return cmp > 0;
    case ast::Operator::kGte: return cmp >= 0;
    default: throw InvalidRequest(std::string("Unsupported operator ") + operator_symbol(op) + " in IF condition");
  }
}

bool ColumnCondition::contains(const Value& current, const Value& wanted) const {
  if (wanted.is_null())
    throw InvalidRequest(std::string("Invalid comparison with null for operator \"") + operator_symbol(op_) + "\"");
  if (current.is_null()) return false;
  const CqlType& type = *compared_type_;
  if (type.kind == TypeKind::kMap) {
    bool key = op_ == ast::Operator::kContainsKey;
    const CqlType& element_type = *type.params[key ? 0 : 1];
    for (const auto& [k, v] : parse_map(current.bytes))
      if (compare_values(element_type, key ? k : v, wanted.bytes) == 0) return true;
    return false;
  }
  for (const auto& element : parse_collection(current.bytes))
    if (compare_values(*type.params[0], element, wanted.bytes) == 0) return true;
  return false;
}

bool ColumnCondition::holds(const Value& current, const Bindings& b) const {
  Value actual = compared_value(current, b);
  std::vector<Value> expected = expected_values(b);
  if (op_ == ast::Operator::kContains || op_ == ast::Operator::kContainsKey) return contains(actual, expected.at(0));
  for (const auto& v : expected)
    if (compare(v, actual)) return true;
  return false;
}

}  // namespace cqld
