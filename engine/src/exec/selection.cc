#include "exec/selection.h"

#include <climits>
#include <cmath>
#include <cstring>

#include "common/clock.h"
#include "common/errors.h"
#include "common/text.h"
#include "cql/parser.h"
#include "exec/json_selection.h"
#include "exec/terms.h"
#include "exec/type_resolver.h"
#include "functions/numbers.h"
#include "functions/operations.h"
#include "functions/registry.h"
#include "types/literal.h"
#include "types/token.h"

namespace cqld {
namespace {

// Non-frozen collections and UDTs: stored one cell per element or field.
bool is_multi_cell(const CqlType& type) { return stored_per_element(type) || stored_per_field(type); }

class ColumnNode : public SelectorNode {
 public:
  ColumnNode(int column, TypePtr type) : column_(column), type_(std::move(type)), multi_cell_(is_multi_cell(*type_)) {}
  TypePtr type() const override { return type_; }
  Value evaluate(const ReadRow& row) const override { return row.values[static_cast<size_t>(column_)]; }
  SelectedTimes times(const ReadRow& row) const override {
    size_t c = static_cast<size_t>(column_);
    if (!multi_cell_) return SelectedTimes{false, {CellTime{row.writetimes[c], row.ttls[c]}}};
    if (c >= row.cell_times.size() || !row.values[c].is_set()) return SelectedTimes{true, {}};
    return SelectedTimes{true, row.cell_times[c]};
  }

 private:
  int column_;
  TypePtr type_;
  bool multi_cell_;
};

// A list<T> value whose entries may be null (a ttl() list has one for each cell without a TTL):
// [int32 count] then each entry [int32 length][bytes], length -1 for null.
std::string serialize_list_with_nulls(const std::vector<Value>& entries) {
  std::string out = encode_int32(static_cast<int32_t>(entries.size()));
  for (const Value& e : entries) {
    out += encode_int32(e.is_set() ? static_cast<int32_t>(e.bytes.size()) : -1);
    if (e.is_set()) out += e.bytes;
  }
  return out;
}

enum class TimeFunction { kWritetime, kMaxWritetime, kTtl };

const char* time_function_name(TimeFunction f) {
  switch (f) {
    case TimeFunction::kWritetime: return "writetime";
    case TimeFunction::kMaxWritetime: return "maxwritetime";
    case TimeFunction::kTtl: return "ttl";
  }
  return "?";
}

// writetime(x), maxwritetime(x), ttl(x). Of a multi-cell value, writetime and ttl give a list
// with one entry per cell (null when the value is null), maxwritetime the newest cell's time.
class WritetimeNode : public SelectorNode {
 public:
  WritetimeNode(TimeFunction function, std::unique_ptr<SelectorNode> arg)
      : function_(function), arg_(std::move(arg)), multi_cell_(is_multi_cell(*arg_->type())) {}
  TypePtr type() const override {
    TypePtr scalar = primitive_type(function_ == TimeFunction::kTtl ? TypeKind::kInt : TypeKind::kBigint);
    return multi_cell_ && function_ != TimeFunction::kMaxWritetime ? list_type(scalar, false) : scalar;
  }
  Value evaluate(const ReadRow& row) const override {
    SelectedTimes t = arg_->times(row);
    if (function_ == TimeFunction::kMaxWritetime) {
      int64_t newest = INT64_MIN;
      for (const CellTime& c : t.cells) newest = std::max(newest, c.writetime);
      return newest == INT64_MIN ? Value::null() : Value::of(encode_int64(newest));
    }
    if (!multi_cell_) return t.cells.empty() ? Value::null() : one(t.cells[0]);
    if (t.cells.empty()) return Value::null();
    std::vector<Value> entries;
    entries.reserve(t.cells.size());
    for (const CellTime& c : t.cells) entries.push_back(one(c));
    return Value::of(serialize_list_with_nulls(entries));
  }

 private:
  Value one(const CellTime& c) const {
    if (function_ == TimeFunction::kTtl) return c.writetime == INT64_MIN || c.ttl <= 0 ? Value::null() : Value::of(encode_int32(c.ttl));
    return c.writetime == INT64_MIN ? Value::null() : Value::of(encode_int64(c.writetime));
  }
  TimeFunction function_;
  std::unique_ptr<SelectorNode> arg_;
  bool multi_cell_;
};

class TokenNode : public SelectorNode {
 public:
  TypePtr type() const override { return primitive_type(TypeKind::kBigint); }
  Value evaluate(const ReadRow& row) const override { return Value::of(encode_int64(row.token)); }
};

// token() of values other than the row's partition key.
class TokenOfValuesNode : public SelectorNode {
 public:
  explicit TokenOfValuesNode(std::vector<std::unique_ptr<SelectorNode>> parts) : parts_(std::move(parts)) {}
  TypePtr type() const override { return primitive_type(TypeKind::kBigint); }
  Value evaluate(const ReadRow& row) const override {
    std::vector<std::string> values;
    for (const auto& part : parts_) {
      Value v = part->evaluate(row);
      if (!v.is_set()) return Value::null();
      values.push_back(std::move(v.bytes));
    }
    std::vector<std::string_view> views(values.begin(), values.end());
    return Value::of(encode_int64(murmur3_token(serialize_partition_key(views))));
  }

 private:
  std::vector<std::unique_ptr<SelectorNode>> parts_;
};

// A native function over per-row arguments.
class FunctionNode : public SelectorNode {
 public:
  FunctionNode(const NativeFunction& function, std::vector<std::unique_ptr<SelectorNode>> args, TypePtr type,
               std::shared_ptr<const NativeFunction> owned = nullptr)
      : owned_(std::move(owned)), function_(function), args_(std::move(args)), type_(std::move(type)) {}
  TypePtr type() const override { return type_; }
  Value evaluate(const ReadRow& row) const override {
    std::vector<Value> values;
    values.reserve(args_.size());
    for (const auto& arg : args_) values.push_back(arg->evaluate(row));
    return function_.call(values, FunctionContext{system_clock().now_micros()});
  }
  // Over aggregates (cast(sum(v) AS text), abs(min(v))), it is an aggregate itself: the
  // aggregate arguments fold the rows, and the function takes their results.
  bool is_aggregate() const override {
    for (const auto& arg : args_)
      if (arg->is_aggregate()) return true;
    return false;
  }
  std::unique_ptr<AggregateState> new_state() const override {
    auto state = std::make_unique<ArgumentStates>();
    for (const auto& arg : args_) state->states.push_back(arg->is_aggregate() ? arg->new_state() : nullptr);
    return state;
  }
  void add(AggregateState& state, const ReadRow& row) const override {
    auto& s = static_cast<ArgumentStates&>(state);
    for (size_t i = 0; i < args_.size(); ++i)
      if (args_[i]->is_aggregate()) args_[i]->add(*s.states[i], row);
  }
  Value result(const AggregateState& state) const override {
    const auto& s = static_cast<const ArgumentStates&>(state);
    static const ReadRow kNoRow;
    std::vector<Value> values;
    for (size_t i = 0; i < args_.size(); ++i)
      values.push_back(args_[i]->is_aggregate() ? args_[i]->result(*s.states[i]) : args_[i]->evaluate(kNoRow));
    return function_.call(values, FunctionContext{system_clock().now_micros()});
  }

 private:
  struct ArgumentStates : AggregateState {
    std::vector<std::unique_ptr<AggregateState>> states;
  };
  std::shared_ptr<const NativeFunction> owned_;  // a function specialized for this call
  const NativeFunction& function_;
  std::vector<std::unique_ptr<SelectorNode>> args_;
  TypePtr type_;
};

// A native aggregate: folds its arguments over the rows of one execution.
class AggregateNode : public SelectorNode {
 public:
  AggregateNode(const NativeFunction& function, std::vector<std::unique_ptr<SelectorNode>> args,
                std::vector<TypePtr> arg_types)
      : function_(function), args_(std::move(args)), arg_types_(std::move(arg_types)),
        type_(function.return_type(arg_types_)) {}
  bool is_aggregate() const override { return true; }
  TypePtr type() const override { return type_; }
  Value evaluate(const ReadRow&) const override { return Value::null(); }
  std::unique_ptr<AggregateState> new_state() const override { return function_.aggregate.start(arg_types_); }
  void add(AggregateState& state, const ReadRow& row) const override {
    std::vector<Value> values;
    for (const auto& arg : args_) values.push_back(arg->evaluate(row));
    function_.aggregate.add(state, values);
  }
  Value result(const AggregateState& state) const override { return function_.aggregate.finish(state); }

 private:
  const NativeFunction& function_;
  std::vector<std::unique_ptr<SelectorNode>> args_;
  std::vector<TypePtr> arg_types_;
  TypePtr type_;
};

// udt.field
class FieldNode : public SelectorNode {
 public:
  FieldNode(std::unique_ptr<SelectorNode> arg, size_t index, TypePtr type)
      : arg_(std::move(arg)), index_(index), type_(std::move(type)) {}
  TypePtr type() const override { return type_; }
  Value evaluate(const ReadRow& row) const override {
    Value v = arg_->evaluate(row);
    if (!v.is_set()) return Value::null();
    std::vector<Value> fields = parse_tuple(v.bytes);
    return index_ < fields.size() ? fields[index_] : Value::null();
  }
  // A field of a non-frozen UDT is a cell of its own; a frozen value's fields share its cell
  // (a null field has no time).
  SelectedTimes times(const ReadRow& row) const override {
    SelectedTimes t = arg_->times(row);
    if (!t.multi_cell) return evaluate(row).is_set() ? t : SelectedTimes{false, {CellTime{}}};
    return SelectedTimes{false, {index_ < t.cells.size() ? t.cells[index_] : CellTime{}}};
  }

 private:
  std::unique_ptr<SelectorNode> arg_;
  size_t index_;
  TypePtr type_;
};

// The keys of a set's or map's serialized value, in its order (the order of its cells).
std::vector<std::string> collection_keys(const CqlType& type, const std::string& bytes) {
  if (type.kind != TypeKind::kMap) return parse_collection(bytes);
  std::vector<std::string> keys;
  for (auto& entry : parse_map(bytes)) keys.push_back(std::move(entry.first));
  return keys;
}

// collection[key]: a map's value, a list's element by index, or a set's element if present.
class ElementNode : public SelectorNode {
 public:
  ElementNode(std::unique_ptr<SelectorNode> arg, std::string key) : arg_(std::move(arg)), key_(std::move(key)) {}
  TypePtr type() const override {
    const CqlType& t = *arg_->type();
    return t.kind == TypeKind::kMap ? t.params[1] : t.params[0];
  }
  Value evaluate(const ReadRow& row) const override {
    Value v = arg_->evaluate(row);
    if (!v.is_set()) return Value::null();
    const CqlType& t = *arg_->type();
    if (t.kind == TypeKind::kMap) {
      for (auto& [k, val] : parse_map(v.bytes))
        if (compare_values(*t.params[0], k, key_) == 0) return Value::of(val);
      return Value::null();
    }
    auto elements = parse_collection(v.bytes);
    if (t.kind == TypeKind::kList) {
      int32_t i = decode_int32(key_);
      return i >= 0 && static_cast<size_t>(i) < elements.size() ? Value::of(elements[i]) : Value::null();
    }
    for (auto& e : elements)
      if (compare_values(*t.params[0], e, key_) == 0) return Value::of(e);
    return Value::null();
  }
  // An element of a non-frozen set or map is a cell of its own; a frozen value's elements
  // share its cell. An absent element has no time.
  SelectedTimes times(const ReadRow& row) const override {
    SelectedTimes t = arg_->times(row);
    if (!t.multi_cell) return evaluate(row).is_set() ? t : SelectedTimes{false, {CellTime{}}};
    Value v = arg_->evaluate(row);
    const CqlType& type = *arg_->type();
    std::vector<std::string> keys = v.is_set() ? collection_keys(type, v.bytes) : std::vector<std::string>{};
    for (size_t i = 0; i < keys.size() && i < t.cells.size(); ++i)
      if (compare_values(*type.params[0], keys[i], key_) == 0) return SelectedTimes{false, {t.cells[i]}};
    return SelectedTimes{false, {CellTime{}}};
  }

 private:
  std::unique_ptr<SelectorNode> arg_;
  std::string key_;
};

// collection[from..to] of a set or a map: the elements whose keys are within both bounds
// (inclusive; an absent bound leaves that side open), null when there are none.
class SliceNode : public SelectorNode {
 public:
  SliceNode(std::unique_ptr<SelectorNode> arg, std::optional<std::string> from, std::optional<std::string> to)
      : arg_(std::move(arg)), from_(std::move(from)), to_(std::move(to)) {}
  TypePtr type() const override { return arg_->type(); }
  Value evaluate(const ReadRow& row) const override {
    Value v = arg_->evaluate(row);
    if (!v.is_set()) return Value::null();
    const CqlType& t = *arg_->type();
    if (t.kind == TypeKind::kMap) {
      std::vector<std::pair<std::string, std::string>> kept;
      for (auto& entry : parse_map(v.bytes))
        if (within(entry.first)) kept.push_back(std::move(entry));
      return kept.empty() ? Value::null() : Value::of(serialize_map(kept));
    }
    std::vector<std::string> kept;
    for (auto& e : parse_collection(v.bytes))
      if (within(e)) kept.push_back(std::move(e));
    return kept.empty() ? Value::null() : Value::of(serialize_collection(kept));
  }
  SelectedTimes times(const ReadRow& row) const override {
    SelectedTimes t = arg_->times(row);
    if (!t.multi_cell) return evaluate(row).is_set() ? t : SelectedTimes{false, {CellTime{}}};
    Value v = arg_->evaluate(row);
    SelectedTimes out{true, {}};
    if (!v.is_set()) return out;
    std::vector<std::string> keys = collection_keys(*arg_->type(), v.bytes);
    for (size_t i = 0; i < keys.size() && i < t.cells.size(); ++i)
      if (within(keys[i])) out.cells.push_back(t.cells[i]);
    return out;
  }

 private:
  bool within(const std::string& key) const {
    const CqlType& key_type = *arg_->type()->params[0];
    if (from_ && compare_values(key_type, key, *from_) < 0) return false;
    return !to_ || compare_values(key_type, key, *to_) <= 0;
  }
  std::unique_ptr<SelectorNode> arg_;
  std::optional<std::string> from_, to_;
};

// An operator (functions/operations.h) over per-row operands.
// Over aggregates (sum(i) + 1), it is an aggregate itself: its operands fold the rows, and it
// combines their results (a constant operand stays as it is).
class OperationNode : public SelectorNode {
 public:
  OperationNode(const Operation& operation, std::unique_ptr<SelectorNode> left, std::unique_ptr<SelectorNode> right)
      : operation_(operation), left_(std::move(left)), right_(std::move(right)) {}
  TypePtr type() const override { return operation_.result; }
  bool is_aggregate() const override { return left_->is_aggregate() || (right_ && right_->is_aggregate()); }
  Value evaluate(const ReadRow& row) const override {
    return combine(left_->evaluate(row), right_ ? right_->evaluate(row) : Value::null());
  }
  std::unique_ptr<AggregateState> new_state() const override {
    auto state = std::make_unique<OperandStates>();
    state->left = left_->new_state();
    if (right_) state->right = right_->new_state();
    return state;
  }
  void add(AggregateState& state, const ReadRow& row) const override {
    auto& s = static_cast<OperandStates&>(state);
    if (left_->is_aggregate()) left_->add(*s.left, row);
    if (right_ && right_->is_aggregate()) right_->add(*s.right, row);
  }
  Value result(const AggregateState& state) const override {
    const auto& s = static_cast<const OperandStates&>(state);
    return combine(folded(*left_, s.left.get()), right_ ? folded(*right_, s.right.get()) : Value::null());
  }

 private:
  struct OperandStates : AggregateState {
    std::unique_ptr<AggregateState> left, right;
  };
  // An operand's value once the rows are folded: an aggregate's result, else a constant's.
  static Value folded(const SelectorNode& operand, const AggregateState* state) {
    if (operand.is_aggregate()) return operand.result(*state);
    static const ReadRow kNoRow;
    return operand.evaluate(kNoRow);
  }
  Value combine(const Value& l, const Value& r) const {
    if (!right_) return apply_negation(operation_, l);
    return apply_operation(operation_, l, r);
  }
  const Operation& operation_;
  std::unique_ptr<SelectorNode> left_, right_;
};

// A constant in a selection, typed by the operand it is combined with.
class ConstantNode : public SelectorNode {
 public:
  ConstantNode(Value value, TypePtr type) : value_(std::move(value)), type_(std::move(type)) {}
  TypePtr type() const override { return type_; }
  Value evaluate(const ReadRow&) const override { return value_; }

 private:
  Value value_;
  TypePtr type_;
};

struct Bound {
  std::unique_ptr<SelectorNode> node;
  std::string name;
  // The type Cassandra's getExactTypeIfKnown gives, where it differs from the node's: an
  // operator resolves its overload by it (ttl(m['k']) of a non-frozen map is a list<int> there).
  TypePtr exact_type = nullptr;
};

Bound bind_selector(const ast::Selector& sel, const TableDef& t);

Bound bind_column(const std::string& name, const TableDef& t) {
  int ci = t.column_index(name);
  if (ci < 0) throw undefined_column(name, t.keyspace, t.name);
  return Bound{std::make_unique<ColumnNode>(ci, t.columns[ci].type), name};
}

std::string constant_text(const Literal& l) {
  if (l.kind == Literal::Kind::kNull) return "NULL";
  if (l.kind == Literal::Kind::kString) return "'" + l.text + "'";
  if (l.kind == Literal::Kind::kHex) return "0x" + l.text;
  bool composite = l.kind == Literal::Kind::kList || l.kind == Literal::Kind::kSet || l.kind == Literal::Kind::kMap ||
                   l.kind == Literal::Kind::kTuple || l.kind == Literal::Kind::kUdt;
  if (composite) return literal_source_text(l);
  return l.text;
}

// A constant argument, typed by the overload it resolved to.
Bound bind_constant_argument(const ast::Selector& child, const TypePtr& type, const std::string& fname) {
  auto literal = child.term ? term_to_literal(*child.term) : std::nullopt;
  if (!type || !literal)
    throw InvalidRequest("Cannot infer type for term " + (literal ? constant_text(*literal) : std::string("?")) +
                         " in selection clause (try using a cast to force a type)");
  Value v = literal_to_value(*literal, *type, fname);
  return Bound{std::make_unique<ConstantNode>(v, type), constant_text(*literal)};
}

// The type a constant has on its own (Cassandra's getExactTypeIfKnown): an integer's int, an
// all-ASCII string's ascii, a collection of elements that all have the same such type; null
// when nothing tells it (NULL, an empty or mixed collection, tuples and UDTs).
TypePtr literal_exact_type(const Literal& l) {
  auto same_type = [](const std::vector<Literal>& elements, size_t first, size_t step) -> TypePtr {
    TypePtr type;
    for (size_t i = first; i < elements.size(); i += step) {
      TypePtr t = literal_exact_type(elements[i]);
      if (!t || (type && !types_equal(*type, *t))) return nullptr;
      type = t;
    }
    return type;
  };
  switch (l.kind) {
    case Literal::Kind::kString: {
      bool ascii = true;
      for (char c : l.text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
      return primitive_type(ascii ? TypeKind::kAscii : TypeKind::kVarchar);
    }
    case Literal::Kind::kList: {
      TypePtr e = same_type(l.elements, 0, 1);
      return e ? list_type(e, false) : nullptr;
    }
    case Literal::Kind::kSet: {
      TypePtr e = same_type(l.elements, 0, 1);
      return e ? set_type(e, false) : nullptr;
    }
    case Literal::Kind::kMap: {
      TypePtr k = same_type(l.elements, 0, 2), v = same_type(l.elements, 1, 2);
      return k && v ? map_type(k, v, false) : nullptr;
    }
    case Literal::Kind::kTuple:
    case Literal::Kind::kUdt:
    case Literal::Kind::kNull: return nullptr;
    default: return preferred_literal_type(l);
  }
}

// A constant that cannot be the argument's type at all, in FunctionResolver's words.
void check_constant_argument(const ast::Selector& child, const NativeFunction& function, size_t i) {
  auto literal = child.term ? term_to_literal(*child.term) : std::nullopt;
  const TypePtr& type = function.arguments.at(i);
  if (!literal || !type || constant_assignable(*literal, *type)) return;
  throw InvalidRequest("Type error: " + constant_text(*literal) + " cannot be passed as argument " + std::to_string(i) +
                       " of function system." + function.name + " of type " + type_to_cql(*type));
}

// similarity_cosine(a, b) and its kin: each argument a vector<float, n> column or expression,
// or a list literal typed as one, every n the same.
Bound bind_similarity(const ast::Selector& sel, const TableDef& t, const std::string& fname) {
  std::string called = "system." + fname;
  if (sel.children.size() != 2) {
    throw InvalidRequest("Invalid number of arguments for function " + called + "(vector<float, n>, vector<float, n>)");
  }
  std::vector<Bound> args(2);
  int dimension = 0;
  auto agree = [&dimension](int n) {
    if (dimension != 0 && n != dimension) throw InvalidRequest("All arguments must have the same vector dimensions");
    dimension = n;
  };
  for (size_t i = 0; i < 2; ++i) {
    const ast::Selector& child = sel.children[i];
    if (child.kind == ast::Selector::Kind::kTerm) {
      auto literal = child.term ? term_to_literal(*child.term) : std::nullopt;
      if (literal && literal->kind == Literal::Kind::kList) agree(static_cast<int>(literal->elements.size()));
      if (literal && literal->kind == Literal::Kind::kNull) args[i] = Bound{nullptr, "NULL"};
      continue;
    }
    args[i] = bind_selector(child, t);
    const CqlType& type = *args[i].node->type();
    if (type.kind != TypeKind::kVector || type.params[0]->kind != TypeKind::kFloat) {
      throw InvalidRequest("Function " + called + " requires a float vector argument, but found argument " + args[i].name +
                           " of type " + type_to_cql(type));
    }
    agree(type.dimension);
  }
  if (dimension == 0) throw InvalidRequest("Cannot infer the vector dimension of the arguments of " + called);
  TypePtr receiver = vector_type(primitive_type(TypeKind::kFloat), dimension);
  for (size_t i = 0; i < 2; ++i) {
    if (args[i].node) continue;
    std::string shown = args[i].name;
    args[i] = bind_constant_argument(sel.children[i], receiver, fname);
    if (!shown.empty()) args[i].name = shown;
  }
  const NativeFunction& function = native_functions().overloads(fname)->front();
  std::string name = called + "(" + args[0].name + ", " + args[1].name + ")";
  std::vector<std::unique_ptr<SelectorNode>> nodes;
  for (auto& arg : args) nodes.push_back(std::move(arg.node));
  return Bound{std::make_unique<FunctionNode>(function, std::move(nodes), function.returns), name};
}

// token(a, b, ...): the token of the partition key those values form, each typed by its key
// column. The partition key itself reads the row's token.
Bound bind_token(const ast::Selector& sel, const TableDef& t) {
  if (sel.children.size() != t.partition_key.size())
    throw InvalidRequest("Invalid number of arguments in call to function system.token: " +
                         std::to_string(t.partition_key.size()) + " required but " + std::to_string(sel.children.size()) +
                         " provided");
  std::vector<std::unique_ptr<SelectorNode>> parts;
  std::string names;
  bool is_row_key = true;
  for (size_t i = 0; i < sel.children.size(); ++i) {
    const ColumnDef& key = t.columns[t.partition_key[i]];
    const ast::Selector& child = sel.children[i];
    is_row_key = is_row_key && child.kind == ast::Selector::Kind::kColumn && child.column == key.name;
    Bound part = child.kind == ast::Selector::Kind::kTerm ? bind_constant_argument(child, key.type, "token")
                                                          : bind_selector(child, t);
    names += (i ? ", " : "") + part.name;
    parts.push_back(std::move(part.node));
  }
  std::string name = "system.token(" + names + ")";
  if (is_row_key) return Bound{std::make_unique<TokenNode>(), name};
  return Bound{std::make_unique<TokenOfValuesNode>(std::move(parts)), name};
}

// toJson(x): any selector, or a constant in the type Cassandra prefers for it.
Bound bind_to_json(const ast::Selector& sel, const TableDef& t) {
  if (sel.children.size() != 1) throw InvalidRequest("Invalid number of arguments for function system.tojson(any)");
  const ast::Selector& child = sel.children[0];
  Bound arg;
  if (child.kind == ast::Selector::Kind::kTerm) {
    auto literal = child.term ? term_to_literal(*child.term) : std::nullopt;
    arg = bind_constant_argument(child, literal ? preferred_literal_type(*literal) : nullptr, "tojson");
  } else {
    arg = bind_selector(child, t);
  }
  return Bound{to_json_selector(std::move(arg.node)), "system.tojson(" + arg.name + ")"};
}

// A function over an aggregate takes the other arguments as constants: a column's value has no
// one row to come from once the rows are folded.
void check_folded_arguments(const std::vector<std::unique_ptr<SelectorNode>>& args) {
  bool folded = false, per_row = false;
  for (const auto& arg : args) {
    folded = folded || arg->is_aggregate();
    per_row = per_row || (!arg->is_aggregate() && dynamic_cast<const ConstantNode*>(arg.get()) == nullptr);
  }
  if (folded && per_row)
    throw InvalidRequest("A function call mixing an aggregate and a non-constant value is not supported by cqld yet");
}

// A call of a native function or aggregate (token() aside, which reads the row's token): the
// arguments' types pick the overload, which then types the constant arguments.
Bound bind_function(const ast::Selector& sel, const TableDef& t) {
  std::string fname = native_function_name(sel.function.keyspace, sel.function.name);
  if (fname == "token") return bind_token(sel, t);
  if (is_vector_similarity_function(fname)) return bind_similarity(sel, t, fname);
  if (fname == "tojson") return bind_to_json(sel, t);
  if (fname == "fromjson") throw InvalidRequest("fromjson() cannot be used in the selection clause of a SELECT statement");
  std::vector<Bound> args(sel.children.size());
  FunctionRegistry::CallArguments call{std::vector<TypePtr>(sel.children.size()),
                                       std::vector<TypePtr>(sel.children.size()),
                                       std::vector<std::string>(sel.children.size())};
  for (size_t i = 0; i < sel.children.size(); ++i) {
    if (sel.children[i].kind == ast::Selector::Kind::kTerm) {
      auto literal = sel.children[i].term ? term_to_literal(*sel.children[i].term) : std::nullopt;
      if (literal) {
        call.preferred[i] = preferred_literal_type(*literal);
        call.texts[i] = constant_text(*literal);
      }
      continue;
    }
    args[i] = bind_selector(sel.children[i], t);
    call.types[i] = args[i].node->type();
    call.texts[i] = args[i].name;
  }
  const NativeFunction* resolved = &native_functions().resolve(fname, call, fname);
  std::shared_ptr<const NativeFunction> specialized;
  if (resolved->specialize) {
    std::vector<TypePtr> known = call.types;  // a collection literal's type, when its elements tell it
    for (size_t i = 0; i < known.size(); ++i) {
      if (known[i] || sel.children[i].kind != ast::Selector::Kind::kTerm || !sel.children[i].term) continue;
      if (auto literal = term_to_literal(*sel.children[i].term)) known[i] = literal_exact_type(*literal);
    }
    specialized = resolved->specialize(known, call.preferred, call.texts);
    resolved = specialized.get();
  }
  const NativeFunction& function = *resolved;
  std::vector<TypePtr>& types = call.types;
  for (size_t i = 0; i < sel.children.size(); ++i) {
    if (args[i].node) continue;
    if (specialized) check_constant_argument(sel.children[i], function, i);
    args[i] = bind_constant_argument(sel.children[i], function.arguments[i], fname);
    types[i] = args[i].node->type();
  }
  std::string arg_names;
  std::vector<std::unique_ptr<SelectorNode>> nodes;
  for (size_t i = 0; i < args.size(); ++i) {
    arg_names += (i ? ", " : "") + args[i].name;
    nodes.push_back(std::move(args[i].node));
  }
  std::string name = "system." + fname + "(" + arg_names + ")";
  check_folded_arguments(nodes);
  if (function.is_aggregate()) return Bound{std::make_unique<AggregateNode>(function, std::move(nodes), types), name};
  return Bound{std::make_unique<FunctionNode>(function, std::move(nodes), function.return_type(types), specialized), name};
}

// An operand of an operator: constants wait for the overload to type them.
struct BoundOperand {
  Operand operand;
  Bound bound;  // set unless a constant
  std::optional<Literal> literal;
};

BoundOperand bind_operand(const ast::Selector& child, const TableDef& t) {
  BoundOperand out;
  if (child.kind != ast::Selector::Kind::kTerm) {
    out.bound = bind_selector(child, t);
    out.operand.type = out.bound.exact_type ? out.bound.exact_type : out.bound.node->type();
    out.operand.text = out.bound.name;
    return out;
  }
  out.literal = child.term ? term_to_literal(*child.term) : std::nullopt;
  if (!out.literal) {
    out.operand.kind = Operand::Kind::kMarker;
    out.operand.text = "?";
  } else if (out.literal->kind == Literal::Kind::kNull) {
    out.operand.kind = Operand::Kind::kNull;
    out.operand.text = "NULL";
  } else {
    out.operand.kind = Operand::Kind::kConstant;
    out.operand.literal = *out.literal;
    out.operand.text = constant_text(*out.literal);
  }
  if (child.parenthesized) out.operand.text = "(" + out.operand.text + ")";
  return out;
}

// The operand's node, a constant now typed by the overload's argument.
Bound operand_node(BoundOperand& o, const TypePtr& type) {
  if (o.bound.node) return std::move(o.bound);
  if (!o.literal) throw InvalidRequest("Bind markers in selection arithmetic are not supported by cqld yet");
  Value v = literal_to_value(*o.literal, *type, "arithmetic operand");
  return Bound{std::make_unique<ConstantNode>(v, type), o.operand.text};
}

// An aggregate combines with another aggregate or a constant only: a column's value has no one
// row to come from once the rows are folded.
void check_folded_operands(const SelectorNode& l, const SelectorNode& r) {
  if (l.is_aggregate() == r.is_aggregate()) return;
  const SelectorNode& plain = l.is_aggregate() ? r : l;
  if (dynamic_cast<const ConstantNode*>(&plain) == nullptr)
    throw InvalidRequest("An operation between an aggregate and a non-constant value is not supported by cqld yet");
}

// a op b, or -a: the overload is resolved as Cassandra's FunctionResolver does, with no receiver.
Bound bind_operation(const ast::Selector& sel, const TableDef& t) {
  BoundOperand left = bind_operand(sel.children.at(0), t);
  if (sel.kind == ast::Selector::Kind::kNegate) {
    const Operation& negation = resolve_negation(left.operand, nullptr);
    Bound operand = operand_node(left, negation.left);
    std::string name = "-" + operand.name;
    return Bound{std::make_unique<OperationNode>(negation, std::move(operand.node), nullptr), name};
  }
  BoundOperand right = bind_operand(sel.children.at(1), t);
  char symbol = operator_symbol(sel.op);
  const Operation& operation = resolve_operation(symbol, left.operand, right.operand, nullptr);
  Bound l = operand_node(left, operation.left), r = operand_node(right, operation.right);
  check_folded_operands(*l.node, *r.node);
  std::string name = l.name + " " + symbol + " " + r.name;
  return Bound{std::make_unique<OperationNode>(operation, std::move(l.node), std::move(r.node)), name};
}

// (type) constant, or (type) selector of a type its values are compatible with.
Bound bind_type_hint(const ast::Selector& sel, const TableDef& t) {
  // User types are not known here (the selection sees its table only), so a hint naming one
  // is refused as unknown.
  TypePtr type = resolve_type(sel.type, Schema{}, t.keyspace);
  const ast::Selector& child = sel.children.at(0);
  std::string shown = "(" + type_to_cql(*type) + ")";
  if (child.kind == ast::Selector::Kind::kTerm) {
    auto literal = child.term ? term_to_literal(*child.term) : std::nullopt;
    if (!literal) throw InvalidRequest("Bind markers in selections are not supported by cqld yet");
    Value v = literal_to_value(*literal, *type, shown);
    return Bound{std::make_unique<ConstantNode>(v, type), shown + constant_text(*literal)};
  }
  Bound inner = bind_selector(child, t);
  if (!is_value_compatible(*type, *inner.node->type()))
    throw InvalidRequest("Cannot assign value of type " + type_to_cql(*inner.node->type()) + " to " + type_to_cql(*type));
  return Bound{std::move(inner.node), shown + inner.name};
}

Bound bind_selector_kind(const ast::Selector& sel, const TableDef& t);

// A slice bound, as a value of the collection's key type.
std::optional<std::string> slice_bound(const std::optional<ast::Term>& term, const CqlType& key_type, const std::string& of,
                                       std::string* shown) {
  if (!term) return std::nullopt;
  auto literal = term_to_literal(*term);
  if (!literal) throw InvalidRequest("Slice selection with bind markers is not supported by cqld yet");
  Value bound = literal_to_value(*literal, key_type, of);
  if (!bound.is_set()) throw InvalidRequest("Invalid null value for slice selection on " + of);
  *shown = value_to_cql_literal(key_type, bound.bytes);
  return bound.bytes;
}

// x[from..to]: sets and maps only (a list's positions are not its keys).
Bound bind_slice(const ast::Selector& sel, const TableDef& t) {
  Bound inner = bind_selector(sel.children.at(0), t);
  const CqlType& type = *inner.node->type();
  if (type.kind == TypeKind::kVector || !type.is_collection())
    throw InvalidRequest("Invalid slice selection: " + inner.name + " of type " + type_to_cql(type) + " is not a collection");
  if (type.kind == TypeKind::kList)
    throw InvalidRequest("Slice selection is only allowed on sets and maps, but " + inner.name + " is a list");
  std::string from_text, to_text;
  auto from = slice_bound(sel.slice_from, *type.params[0], inner.name, &from_text);
  auto to = slice_bound(sel.slice_to, *type.params[0], inner.name, &to_text);
  std::string name = inner.name + "[" + from_text + ".." + to_text + "]";
  return Bound{std::make_unique<SliceNode>(std::move(inner.node), std::move(from), std::move(to)), name};
}

// The column a writetime()/ttl() argument is read from: the innermost of its chain of element,
// field and slice selections.
const ast::Selector& selected_column(const ast::Selector& sel) {
  const ast::Selector* s = &sel;
  while (s->kind != ast::Selector::Kind::kColumn && !s->children.empty()) s = &s->children[0];
  return *s;
}

Bound bind_writetime(const ast::Selector& sel, const TableDef& t) {
  TimeFunction function = sel.kind == ast::Selector::Kind::kTtl          ? TimeFunction::kTtl
                          : sel.kind == ast::Selector::Kind::kMaxWritetime ? TimeFunction::kMaxWritetime
                                                                           : TimeFunction::kWritetime;
  const ast::Selector& column = selected_column(sel.children.at(0));
  int ci = t.column_index(column.column);
  if (ci < 0) throw undefined_column(column.column, t.keyspace, t.name);
  const ColumnDef& c = t.columns[static_cast<size_t>(ci)];
  if (c.is_primary_key())
    throw InvalidRequest(std::string("Cannot use selection function ") + time_function_name(function) + " on PRIMARY KEY part " + c.name);
  Bound arg = bind_selector(sel.children[0], t);
  std::string name = std::string(time_function_name(function)) + "(" + arg.name + ")";
  auto node = std::make_unique<WritetimeNode>(function, std::move(arg.node));
  Bound out{std::move(node), name};
  // Cassandra types the call by its column, not by what is selected of it.
  if (is_multi_cell(*c.type) && function != TimeFunction::kMaxWritetime) {
    out.exact_type = list_type(primitive_type(function == TimeFunction::kTtl ? TypeKind::kInt : TypeKind::kBigint), false);
  }
  return out;
}

// Parentheses written around a selector stay in its name, as Cassandra's result names show them.
Bound bind_selector(const ast::Selector& sel, const TableDef& t) {
  Bound bound = bind_selector_kind(sel, t);
  if (sel.parenthesized) bound.name = "(" + bound.name + ")";
  return bound;
}

Bound bind_selector_kind(const ast::Selector& sel, const TableDef& t) {
  switch (sel.kind) {
    case ast::Selector::Kind::kColumn: return bind_column(sel.column, t);
    case ast::Selector::Kind::kWritetime:
    case ast::Selector::Kind::kMaxWritetime:
    case ast::Selector::Kind::kTtl: return bind_writetime(sel, t);
    case ast::Selector::Kind::kCountRows:
      return Bound{std::make_unique<AggregateNode>(count_rows_function(), std::vector<std::unique_ptr<SelectorNode>>{},
                                                   std::vector<TypePtr>{}),
                   "count"};
    case ast::Selector::Kind::kFunctionCall: return bind_function(sel, t);
    case ast::Selector::Kind::kArithmetic:
    case ast::Selector::Kind::kNegate: return bind_operation(sel, t);
    case ast::Selector::Kind::kTypeHint: return bind_type_hint(sel, t);
    case ast::Selector::Kind::kCast: {
      Bound inner = bind_selector(sel.children.at(0), t);
      TypePtr to = primitive_type(sel.type.kind);
      std::string name = "cast(" + inner.name + " as " + type_to_cql(*to) + ")";
      // A cast to the value's own type is no cast: Cassandra names the result after the value.
      if (types_equal(*inner.node->type(), *to)) return inner;
      std::string function_name = "cast_as_" + type_to_cql(*to);
      const NativeFunction* function = nullptr;
      try {
        function = &native_functions().resolve(function_name, {inner.node->type()}, "system." + function_name);
      } catch (const InvalidRequest&) {
        throw InvalidRequest(inner.name + " cannot be cast to " + type_to_cql(*to));
      }
      std::vector<std::unique_ptr<SelectorNode>> nodes;
      nodes.push_back(std::move(inner.node));
      return Bound{std::make_unique<FunctionNode>(*function, std::move(nodes), to), name};
    }
    case ast::Selector::Kind::kFieldAccess: {
      Bound inner = bind_selector(sel.children.at(0), t);
      const CqlType& type = *inner.node->type();
      if (type.kind != TypeKind::kUdt)
        throw InvalidRequest("Invalid field selection: " + inner.name + " of type " + type_to_cql(type) + " is not a user type");
      for (size_t i = 0; i < type.field_names.size(); ++i)
        if (type.field_names[i] == sel.column)
          return Bound{std::make_unique<FieldNode>(std::move(inner.node), i, type.params[i]), inner.name + "." + sel.column};
      throw InvalidRequest(inner.name + " of type " + type_to_cql(type) + " has no field " + sel.column);
    }
    case ast::Selector::Kind::kElement: {
      Bound inner = bind_selector(sel.children.at(0), t);
      const CqlType& type = *inner.node->type();
      if (type.kind == TypeKind::kVector)
        throw InvalidRequest("Invalid element selection: " + inner.name + " is of type " + type_to_cql(type) + " is not a collection");
      if (type.kind != TypeKind::kMap && type.kind != TypeKind::kSet)
        throw InvalidRequest("Element selection is only allowed on sets and maps, but " + inner.name + " is a " +
                             (type.kind == TypeKind::kList ? "list" : type_to_cql(type)));
      auto literal = sel.term ? term_to_literal(*sel.term) : std::nullopt;
      if (!literal) throw InvalidRequest("Element selection with bind markers is not supported by cqld yet");
      const CqlType& key_type = *type.params[0];
      // The key is typed as a map's key or a set's element, and named so in its errors.
      std::string receiver = (type.kind == TypeKind::kMap ? "key(" : "value(") + inner.name + ")";
      Value key = literal_to_value(*literal, key_type, receiver);
      if (!key.is_set()) throw InvalidRequest("Invalid null value for element selection on " + inner.name);
      std::string shown = value_to_cql_literal(key_type, key.bytes);
      return Bound{std::make_unique<ElementNode>(std::move(inner.node), key.bytes), inner.name + "[" + shown + "]"};
    }
    case ast::Selector::Kind::kSlice: return bind_slice(sel, t);
    case ast::Selector::Kind::kTerm: {
      // A constant alone has no type in a selection (an operator or a function types it).
      auto literal = sel.term ? term_to_literal(*sel.term) : std::nullopt;
      throw InvalidRequest("Cannot infer type for term " + (literal ? constant_text(*literal) : std::string("?")) +
                           " in selection clause (try using a cast to force a type)");
    }
    default: throw InvalidRequest("This kind of selector is not supported by cqld yet");
  }
}

}  // namespace

std::unique_ptr<SelectorNode> bind_selector_node(const ast::Selector& selector, const TableDef& t) {
  return bind_selector(selector, t).node;
}

std::unique_ptr<Selection> Selection::bind(const ast::SelectStatement& s, const TableDef& t) {
  auto selection = std::make_unique<Selection>();
  auto add = [&](Bound b, const std::string& alias) {
    selection->columns_.push_back(ColumnSpec{t.keyspace, t.name, alias.empty() ? b.name : alias, b.node->type()});
    selection->aggregate_ = selection->aggregate_ || b.node->is_aggregate();
    selection->nodes_.push_back(std::move(b.node));
  };
  if (s.select_all) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const ColumnDef& c = t.columns[i];
      if (s.distinct && c.kind != ColumnKind::kPartitionKey && c.kind != ColumnKind::kStatic) continue;
      add(Bound{std::make_unique<ColumnNode>(static_cast<int>(i), c.type), c.name}, "");
    }
  }
  for (const auto& item : s.selectors) add(bind_selector(item.selector, t), item.alias);
  if (s.json) {
    selection->json_columns_ = std::move(selection->columns_);
    selection->columns_ = {json_result_column(t.keyspace, t.name)};
  }
  return selection;
}

void Selection::add_row(const ReadRow& row, std::vector<Value>* out) const {
  if (!json_columns_.empty()) {
    std::vector<Value> values;
    for (const auto& node : nodes_) values.push_back(node->evaluate(row));
    out->push_back(json_row(json_columns_, values));
    return;
  }
  for (const auto& node : nodes_) out->push_back(node->evaluate(row));
}

Selection::Aggregation::Aggregation(const Selection& selection) : selection_(selection) {
  for (const auto& node : selection.nodes_) states_.push_back(node->new_state());
}

void Selection::Aggregation::add(const ReadRow& row) {
  for (size_t i = 0; i < selection_.nodes_.size(); ++i) {
    const SelectorNode& node = *selection_.nodes_[i];
    if (node.is_aggregate()) node.add(*states_[i], row);
    else if (!seen_row_) first_row_.push_back(node.evaluate(row));
    else continue;
  }
  seen_row_ = true;
}

void Selection::Aggregation::finish(std::vector<Value>* out) const {
  if (!selection_.json_columns_.empty()) {
    std::vector<Value> values;
    finish_values(&values);
    out->push_back(json_row(selection_.json_columns_, values));
    return;
  }
  finish_values(out);
}

void Selection::Aggregation::finish_values(std::vector<Value>* out) const {
  size_t plain = 0;
  for (size_t i = 0; i < selection_.nodes_.size(); ++i) {
    const SelectorNode& node = *selection_.nodes_[i];
    if (node.is_aggregate()) out->push_back(node.result(*states_[i]));
    else out->push_back(seen_row_ ? first_row_[plain++] : Value::null());
  }
}

}  // namespace cqld
