#include "exec/selection.h"
#include "common/text.h"

#include <climits>
#include <cmath>
#include <cstring>

#include "common/errors.h"
#include "cql/parser.h"
#include "exec/cast.h"
#include "types/timeuuid.h"
#include "types/literal.h"

namespace cqld {
namespace {

class ColumnNode : public SelectorNode {
 public:
  ColumnNode(int column, TypePtr type) : column_(column), type_(std::move(type)) {}
  TypePtr type() const override { return type_; }
  Value evaluate(const ReadRow& row) const override { return row.values[static_cast<size_t>(column_)]; }

 private:
  int column_;
  TypePtr type_;
};

class WritetimeNode : public SelectorNode {
 public:
  WritetimeNode(int column, bool ttl) : column_(column), ttl_(ttl) {}
  TypePtr type() const override { return primitive_type(ttl_ ? TypeKind::kInt : TypeKind::kBigint); }
  Value evaluate(const ReadRow& row) const override {
    size_t c = static_cast<size_t>(column_);
    if (ttl_) return row.ttls[c] <= 0 ? Value::null() : Value::of(encode_int32(row.ttls[c]));
    return row.writetimes[c] == INT64_MIN ? Value::null() : Value::of(encode_int64(row.writetimes[c]));
  }

 private:
  int column_;
  bool ttl_;
};

class TokenNode : public SelectorNode {
 public:
  TypePtr type() const override { return primitive_type(TypeKind::kBigint); }
  Value evaluate(const ReadRow& row) const override { return Value::of(encode_int64(row.token)); }
};

constexpr int64_t kMillisPerDay = 86400000LL;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Time conversion functions: toTimestamp, toDate, toUnixTimestamp (and the old dateOf,
// unixTimestampOf) over timeuuid, timestamp and date arguments.
class TimeConversionNode : public SelectorNode {
 public:
  enum class Target { kTimestamp, kDate, kUnixMillis };
  TimeConversionNode(std::unique_ptr<SelectorNode> arg, Target target, const std::string& name)
      : arg_(std::move(arg)), target_(target) {
    TypeKind k = arg_->type()->kind;
    if (k != TypeKind::kTimeuuid && k != TypeKind::kTimestamp && k != TypeKind::kDate)
      throw InvalidRequest("Type error: cannot pass " + type_to_cql(*arg_->type()) + " to function " + name);
  }
  TypePtr type() const override {
    switch (target_) {
      case Target::kTimestamp: return primitive_type(TypeKind::kTimestamp);
      case Target::kDate: return primitive_type(TypeKind::kDate);
      case Target::kUnixMillis: return primitive_type(TypeKind::kBigint);
    }
    return primitive_type(TypeKind::kBigint);
  }
  Value evaluate(const ReadRow& row) const override {
    Value v = arg_->evaluate(row);
    if (!v.is_set() || v.bytes.empty()) return Value::null();
    int64_t millis = 0;
    switch (arg_->type()->kind) {
      case TypeKind::kTimeuuid: millis = timeuuid_to_millis(v.bytes); break;
      case TypeKind::kTimestamp: millis = decode_int64(v.bytes); break;
      default: {
        int64_t days = static_cast<int64_t>(static_cast<uint32_t>(decode_int32(v.bytes))) - (int64_t{1} << 31);
        millis = days * kMillisPerDay;
      }
    }
    if (target_ == Target::kDate) {
      int64_t days = floor_div(millis, kMillisPerDay);
      return Value::of(encode_int32(static_cast<int32_t>(static_cast<uint32_t>(days + (int64_t{1} << 31)))));
    }
    return Value::of(encode_int64(millis));
  }

 private:
  std::unique_ptr<SelectorNode> arg_;
  Target target_;
};

// blobAsType / typeAsBlob: the serialized bytes are the same, only the type changes.
class ReinterpretNode : public SelectorNode {
 public:
  ReinterpretNode(std::unique_ptr<SelectorNode> arg, TypePtr type, std::string function = "")
      : arg_(std::move(arg)), type_(std::move(type)), function_(std::move(function)) {}
  TypePtr type() const override { return type_; }
  Value evaluate(const ReadRow& row) const override {
    Value v = arg_->evaluate(row);
    if (!v.is_set()) return v;
    check_blob_conversion(function_, *type_, v.bytes);
    return v;
  }

 private:
  std::unique_ptr<SelectorNode> arg_;
  TypePtr type_;
  std::string function_;
};

bool is_numeric(TypeKind k) {
  return k == TypeKind::kInt || k == TypeKind::kBigint || k == TypeKind::kSmallint || k == TypeKind::kTinyint ||
         k == TypeKind::kFloat || k == TypeKind::kDouble || k == TypeKind::kCounter;
}

// Numbers as long double for SUM/AVG of the fixed-width numeric types.
long double to_number(TypeKind k, const std::string& b) {
  switch (k) {
    case TypeKind::kTinyint: return static_cast<int8_t>(b[0]);
    case TypeKind::kSmallint: return static_cast<int16_t>((static_cast<uint8_t>(b[0]) << 8) | static_cast<uint8_t>(b[1]));
    case TypeKind::kInt: return decode_int32(b);
    case TypeKind::kFloat: {
      uint32_t bits = static_cast<uint32_t>(decode_int32(b));
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    case TypeKind::kDouble: {
      uint64_t bits = static_cast<uint64_t>(decode_int64(b));
      double d;
      std::memcpy(&d, &bits, 8);
      return d;
    }
    default: return static_cast<long double>(decode_int64(b));
  }
}

std::string from_number(TypeKind k, long double v, bool truncate) {
  switch (k) {
    case TypeKind::kTinyint: return std::string(1, static_cast<char>(static_cast<int8_t>(static_cast<int64_t>(v))));
    case TypeKind::kSmallint: {
      auto s = static_cast<uint16_t>(static_cast<int16_t>(static_cast<int64_t>(v)));
      return std::string{static_cast<char>(s >> 8), static_cast<char>(s)};
    }
    case TypeKind::kInt: return encode_int32(static_cast<int32_t>(static_cast<int64_t>(v)));
    case TypeKind::kFloat: {
      float f = static_cast<float>(v);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      return encode_int32(static_cast<int32_t>(bits));
    }
    case TypeKind::kDouble: {
      double d = static_cast<double>(v);
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      return encode_int64(static_cast<int64_t>(bits));
    }
    default:
      (void)truncate;
      return encode_int64(static_cast<int64_t>(v));
  }
}

struct FoldState : AggregateState {
  int64_t count = 0;
  long double sum = 0;
  std::optional<std::string> best;
};

class AggregateNode : public SelectorNode {
 public:
  enum class Fn { kCountRows, kCount, kMin, kMax, kSum, kAvg };
  AggregateNode(Fn fn, std::unique_ptr<SelectorNode> arg) : fn_(fn), arg_(std::move(arg)) {
    if ((fn_ == Fn::kSum || fn_ == Fn::kAvg) && !is_numeric(arg_->type()->kind))
      throw InvalidRequest("Invalid call to function " + std::string(fn_ == Fn::kSum ? "sum" : "avg") +
                           ", none of its type signatures match (cqld sums fixed-width numbers only)");
  }
  bool is_aggregate() const override { return true; }
  TypePtr type() const override {
    if (fn_ == Fn::kCountRows || fn_ == Fn::kCount) return primitive_type(TypeKind::kBigint);
    return arg_->type();
  }
  Value evaluate(const ReadRow&) const override { return Value::null(); }
  std::unique_ptr<AggregateState> new_state() const override { return std::make_unique<FoldState>(); }
  void add(AggregateState& s, const ReadRow& row) const override {
    auto& st = static_cast<FoldState&>(s);
    if (fn_ == Fn::kCountRows) {
      ++st.count;
      return;
    }
    Value v = arg_->evaluate(row);
    if (!v.is_set()) return;
    ++st.count;
    const CqlType& t = *arg_->type();
    if (fn_ == Fn::kSum || fn_ == Fn::kAvg) st.sum += to_number(t.kind, v.bytes);
    if (fn_ == Fn::kMin || fn_ == Fn::kMax) {
      if (!st.best) st.best = v.bytes;
      int cmp = compare_values(t, v.bytes, *st.best);
      if ((fn_ == Fn::kMin && cmp < 0) || (fn_ == Fn::kMax && cmp > 0)) st.best = v.bytes;
    }
  }
  Value result(const AggregateState& s) const override {
    const auto& st = static_cast<const FoldState&>(s);
    switch (fn_) {
      case Fn::kCountRows:
      case Fn::kCount: return Value::of(encode_int64(st.count));
      case Fn::kMin:
      case Fn::kMax: return st.best ? Value::of(*st.best) : Value::null();
      case Fn::kSum: return Value::of(from_number(type()->kind, st.sum, true));
      case Fn::kAvg: return Value::of(from_number(type()->kind, st.count ? st.sum / st.count : 0, true));
    }
    return Value::null();
  }

 private:
  Fn fn_;
  std::unique_ptr<SelectorNode> arg_;
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

 private:
  std::unique_ptr<SelectorNode> arg_;
  size_t index_;
  TypePtr type_;
};

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

 private:
  std::unique_ptr<SelectorNode> arg_;
  std::string key_;
};

// CAST(arg AS type)
class CastNode : public SelectorNode {
 public:
  CastNode(std::unique_ptr<SelectorNode> arg, TypeKind to) : arg_(std::move(arg)), to_(to) {}
  TypePtr type() const override { return primitive_type(to_); }
  Value evaluate(const ReadRow& row) const override {
    Value v = arg_->evaluate(row);
    if (!v.is_set() || v.bytes.empty()) return v.is_set() ? Value::of("") : Value::null();
    return Value::of(cast_value(arg_->type()->kind, to_, v.bytes));
  }

 private:
  std::unique_ptr<SelectorNode> arg_;
  TypeKind to_;
};

// left op right over the fixed-width numbers, with Java's semantics (integers wrap, floating
// division by zero gives infinities). Decimal and varint arithmetic is not implemented yet.
class ArithmeticNode : public SelectorNode {
 public:
  ArithmeticNode(std::unique_ptr<SelectorNode> left, std::unique_ptr<SelectorNode> right, ast::ArithmeticOp op,
                 TypeKind result)
      : left_(std::move(left)), right_(std::move(right)), op_(op), result_(result) {}
  TypePtr type() const override { return primitive_type(result_); }
  Value evaluate(const ReadRow& row) const override {
    Value a = left_->evaluate(row), b = right_->evaluate(row);
    if (!a.is_set() || !b.is_set() || a.bytes.empty() || b.bytes.empty()) return Value::null();
    TypeKind ka = left_->type()->kind, kb = right_->type()->kind;
    if (result_ == TypeKind::kFloat || result_ == TypeKind::kDouble) {
      long double x = to_number(ka, a.bytes), y = to_number(kb, b.bytes), r = 0;
      switch (op_) {
        case ast::ArithmeticOp::kAdd: r = x + y; break;
        case ast::ArithmeticOp::kSubtract: r = x - y; break;
        case ast::ArithmeticOp::kMultiply: r = x * y; break;
        case ast::ArithmeticOp::kDivide: r = static_cast<double>(x) / static_cast<double>(y); break;
        case ast::ArithmeticOp::kModulo: r = std::fmod(static_cast<double>(x), static_cast<double>(y)); break;
      }
      return Value::of(from_number(result_, r, false));
    }
    int64_t x = static_cast<int64_t>(to_number(ka, a.bytes)), y = static_cast<int64_t>(to_number(kb, b.bytes));
    if ((op_ == ast::ArithmeticOp::kDivide || op_ == ast::ArithmeticOp::kModulo) && y == 0)
      throw InvalidRequest("the operation '" + type_to_cql(*left_->type()) + " " + symbol(op_) + " " +
                           type_to_cql(*right_->type()) + "' failed: / by zero");
    uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
    int64_t r = 0;
    switch (op_) {
      case ast::ArithmeticOp::kAdd: r = static_cast<int64_t>(ux + uy); break;
      case ast::ArithmeticOp::kSubtract: r = static_cast<int64_t>(ux - uy); break;
      case ast::ArithmeticOp::kMultiply: r = static_cast<int64_t>(ux * uy); break;
      case ast::ArithmeticOp::kDivide: r = (x == INT64_MIN && y == -1) ? x : x / y; break;
      case ast::ArithmeticOp::kModulo: r = (y == -1) ? 0 : x % y; break;
    }
    // Narrow as Java does: int arithmetic wraps at 32 bits, then smallint/tinyint narrow further.
    return Value::of(from_number(result_, static_cast<long double>(narrow(r)), true));
  }
  static const char* symbol(ast::ArithmeticOp op) {
    switch (op) {
      case ast::ArithmeticOp::kAdd: return "+";
      case ast::ArithmeticOp::kSubtract: return "-";
      case ast::ArithmeticOp::kMultiply: return "*";
      case ast::ArithmeticOp::kDivide: return "/";
      case ast::ArithmeticOp::kModulo: return "%";
    }
    return "?";
  }

 private:
  int64_t narrow(int64_t r) const {
    switch (result_) {
      case TypeKind::kTinyint: return static_cast<int8_t>(r);
      case TypeKind::kSmallint: return static_cast<int16_t>(r);
      case TypeKind::kInt: return static_cast<int32_t>(r);
      default: return r;
    }
  }
  std::unique_ptr<SelectorNode> left_, right_;
  ast::ArithmeticOp op_;
  TypeKind result_;
};

// minTimeuuid(ts) / maxTimeuuid(ts): the smallest and largest timeuuids of that millisecond.
class TimeuuidBoundNode : public SelectorNode {
 public:
  TimeuuidBoundNode(std::unique_ptr<SelectorNode> arg, bool min) : arg_(std::move(arg)), min_(min) {}
  TypePtr type() const override { return primitive_type(TypeKind::kTimeuuid); }
  Value evaluate(const ReadRow& row) const override {
    Value v = arg_->evaluate(row);
    if (!v.is_set() || v.bytes.size() != 8) return Value::null();
    int64_t millis = decode_int64(v.bytes);
    return Value::of(min_ ? min_timeuuid(millis) : max_timeuuid(millis));
  }

 private:
  std::unique_ptr<SelectorNode> arg_;
  bool min_;
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

int numeric_rank(TypeKind k) {
  switch (k) {
    case TypeKind::kTinyint: return 1;
    case TypeKind::kSmallint: return 2;
    case TypeKind::kInt: return 3;
    case TypeKind::kBigint:
    case TypeKind::kCounter: return 4;
    case TypeKind::kFloat: return 5;
    case TypeKind::kDouble: return 6;
    default: return 0;
  }
}

struct Bound {
  std::unique_ptr<SelectorNode> node;
  std::string name;
};

Bound bind_selector(const ast::Selector& sel, const TableDef& t);

Bound bind_column(const std::string& name, const TableDef& t) {
  int ci = t.column_index(name);
  if (ci < 0) throw InvalidRequest("Undefined column name " + name + " in table " + t.keyspace + "." + t.name);
  return Bound{std::make_unique<ColumnNode>(ci, t.columns[ci].type), name};
}

TypePtr type_after(const std::string& fname, const std::string& prefix, const std::string& suffix) {
  std::string middle = fname.substr(prefix.size(), fname.size() - prefix.size() - suffix.size());
  if (middle == "text") middle = "varchar";
  return primitive_type_by_name(middle);
}

// The type a function expects for a constant argument, when it says so by its name.
TypePtr constant_argument_type(const std::string& fname) {
  if (fname.rfind("blobas", 0) == 0) return primitive_type(TypeKind::kBlob);
  if (fname.size() > 6 && fname.compare(fname.size() - 6, 6, "asblob") == 0) return type_after(fname, "", "asblob");
  if (fname == "mintimeuuid" || fname == "maxtimeuuid") return primitive_type(TypeKind::kTimestamp);
  return nullptr;
}

std::string constant_text(const Literal& l) {
  if (l.kind == Literal::Kind::kString) return "'" + l.text + "'";
  if (l.kind == Literal::Kind::kHex) return "0x" + l.text;
  return l.text;
}

Bound bind_constant_argument(const ast::Selector& child, const std::string& fname) {
  TypePtr type = constant_argument_type(fname);
  auto literal = child.term ? term_to_literal(*child.term) : std::nullopt;
  if (!type || !literal)
    throw InvalidRequest("Cannot infer type for term " + (literal ? constant_text(*literal) : std::string("?")) +
                         " in selection clause (try using a cast to force a type)");
  Value v = literal_to_value(*literal, *type, fname);
  return Bound{std::make_unique<ConstantNode>(v, type), constant_text(*literal)};
}

Bound bind_function(const ast::Selector& sel, const TableDef& t) {
  std::string fname = ascii_lower(sel.function.name);
  std::vector<Bound> args;
  if (fname != "token")
    for (const auto& child : sel.children)
      args.push_back(child.kind == ast::Selector::Kind::kTerm ? bind_constant_argument(child, fname)
                                                              : bind_selector(child, t));
  std::string arg_names;
  for (size_t i = 0; i < sel.children.size(); ++i)
    arg_names += (i ? ", " : "") + (fname == "token" ? sel.children[i].column : args[i].name);
  std::string name = "system." + fname + "(" + arg_names + ")";
  auto one_arg = [&]() -> std::unique_ptr<SelectorNode> {
    if (args.size() != 1) throw InvalidRequest("Invalid number of arguments in call to function system." + fname + ": 1 required but " + std::to_string(args.size()) + " provided");
    return std::move(args[0].node);
  };
  if (fname == "token") return Bound{std::make_unique<TokenNode>(), name};
  using Fn = AggregateNode::Fn;
  if (fname == "count") return Bound{std::make_unique<AggregateNode>(Fn::kCount, one_arg()), name};
  if (fname == "min") return Bound{std::make_unique<AggregateNode>(Fn::kMin, one_arg()), name};
  if (fname == "max") return Bound{std::make_unique<AggregateNode>(Fn::kMax, one_arg()), name};
  if (fname == "sum") return Bound{std::make_unique<AggregateNode>(Fn::kSum, one_arg()), name};
  if (fname == "avg") return Bound{std::make_unique<AggregateNode>(Fn::kAvg, one_arg()), name};
  using Target = TimeConversionNode::Target;
  if (fname == "totimestamp" || fname == "dateof")
    return Bound{std::make_unique<TimeConversionNode>(one_arg(), Target::kTimestamp, fname), name};
  if (fname == "todate") return Bound{std::make_unique<TimeConversionNode>(one_arg(), Target::kDate, fname), name};
  if (fname == "tounixtimestamp" || fname == "unixtimestampof")
    return Bound{std::make_unique<TimeConversionNode>(one_arg(), Target::kUnixMillis, fname), name};
  if (fname == "mintimeuuid" || fname == "maxtimeuuid")
    return Bound{std::make_unique<TimeuuidBoundNode>(one_arg(), fname == "mintimeuuid"), name};
  if (fname.rfind("blobas", 0) == 0) {
    TypePtr type = type_after(fname, "blobas", "");
    if (!type) throw InvalidRequest("Unknown function '" + fname + "'");
    return Bound{std::make_unique<ReinterpretNode>(one_arg(), type, fname), name};
  }
  if (fname.size() > 6 && fname.compare(fname.size() - 6, 6, "asblob") == 0) {
    return Bound{std::make_unique<ReinterpretNode>(one_arg(), primitive_type(TypeKind::kBlob)), name};
  }
  throw InvalidRequest("Unknown function '" + fname + "'");
}

Bound bind_selector(const ast::Selector& sel, const TableDef& t) {
  switch (sel.kind) {
    case ast::Selector::Kind::kColumn: return bind_column(sel.column, t);
    case ast::Selector::Kind::kWritetime:
    case ast::Selector::Kind::kTtl: {
      const ast::Selector& child = sel.children.at(0);
      int ci = t.column_index(child.column);
      if (ci < 0) throw InvalidRequest("Undefined column name " + child.column + " in table " + t.keyspace + "." + t.name);
      const ColumnDef& c = t.columns[ci];
      bool ttl = sel.kind == ast::Selector::Kind::kTtl;
      if (c.is_primary_key())
        throw InvalidRequest(std::string("Cannot use selection function ") + (ttl ? "ttl" : "writetime") + " on PRIMARY KEY part " + c.name);
      if (stored_per_element(*c.type))
        throw InvalidRequest(std::string("Cannot use selection function ") + (ttl ? "ttl" : "writeTime") + " on non-frozen collection " + c.name);
      return Bound{std::make_unique<WritetimeNode>(ci, ttl), std::string(ttl ? "ttl(" : "writetime(") + c.name + ")"};
    }
    case ast::Selector::Kind::kCountRows:
      return Bound{std::make_unique<AggregateNode>(AggregateNode::Fn::kCountRows, nullptr), "count"};
    case ast::Selector::Kind::kFunctionCall: return bind_function(sel, t);
    case ast::Selector::Kind::kArithmetic: {
      const ast::Selector& l = sel.children.at(0);
      const ast::Selector& r = sel.children.at(1);
      bool l_const = l.kind == ast::Selector::Kind::kTerm, r_const = r.kind == ast::Selector::Kind::kTerm;
      if (l_const && r_const) throw InvalidRequest("Arithmetic over two constants in a selection is not supported by cqld yet");
      Bound left = l_const ? Bound{} : bind_selector(l, t);
      Bound right = r_const ? Bound{} : bind_selector(r, t);
      auto constant = [&](const ast::Selector& c, const TypePtr& type) {
        auto literal = c.term ? term_to_literal(*c.term) : std::nullopt;
        if (!literal) throw InvalidRequest("Bind markers in selection arithmetic are not supported by cqld yet");
        Value v = literal_to_value(*literal, *type, "arithmetic operand");
        return Bound{std::make_unique<ConstantNode>(v, type), literal->text};
      };
      if (l_const) left = constant(l, right.node->type());
      if (r_const) right = constant(r, left.node->type());
      TypeKind a = left.node->type()->kind, b = right.node->type()->kind;
      if (numeric_rank(a) == 0 || numeric_rank(b) == 0)
        throw InvalidRequest("Arithmetic on " + type_to_cql(*left.node->type()) + " and " + type_to_cql(*right.node->type()) +
                             " is not supported by cqld yet");
      TypeKind result = numeric_rank(a) >= numeric_rank(b) ? a : b;
      if (result == TypeKind::kCounter) result = TypeKind::kBigint;
      std::string name = left.name + " " + ArithmeticNode::symbol(sel.op) + " " + right.name;
      return Bound{std::make_unique<ArithmeticNode>(std::move(left.node), std::move(right.node), sel.op, result), name};
    }
    case ast::Selector::Kind::kCast: {
      Bound inner = bind_selector(sel.children.at(0), t);
      TypeKind from = inner.node->type()->kind;
      TypeKind to = sel.type.kind;
      std::string to_name = type_to_cql(*primitive_type(to));
      if (!cast_supported(from, to)) throw InvalidRequest(inner.name + " cannot be cast to " + to_name);
      return Bound{std::make_unique<CastNode>(std::move(inner.node), to), "cast(" + inner.name + " as " + to_name + ")"};
    }
    case ast::Selector::Kind::kFieldAccess: {
      Bound inner = bind_selector(sel.children.at(0), t);
      const CqlType& type = *inner.node->type();
      if (type.kind != TypeKind::kUdt)
        throw InvalidRequest("Invalid field selection: " + inner.name + " of type " + type_to_cql(type) + " is not a user type");
      for (size_t i = 0; i < type.field_names.size(); ++i)
        if (type.field_names[i] == sel.column)
          return Bound{std::make_unique<FieldNode>(std::move(inner.node), i, type.params[i]), inner.name + "." + sel.column};
      throw InvalidRequest(type.udt_name + " has no field " + sel.column);
    }
    case ast::Selector::Kind::kElement: {
      Bound inner = bind_selector(sel.children.at(0), t);
      const CqlType& type = *inner.node->type();
      if (type.kind != TypeKind::kMap && type.kind != TypeKind::kSet)
        throw InvalidRequest("Element selection is only allowed on sets and maps, but " + inner.name + " is a " +
                             (type.kind == TypeKind::kList ? "list" : type_to_cql(type)));
      auto literal = sel.term ? term_to_literal(*sel.term) : std::nullopt;
      if (!literal) throw InvalidRequest("Element selection with bind markers is not supported by cqld yet");
      const CqlType& key_type = *type.params[0];
      Value key = literal_to_value(*literal, key_type, inner.name);
      if (!key.is_set()) throw InvalidRequest("Invalid null value for element selection on " + inner.name);
      std::string shown = value_to_cql_literal(key_type, key.bytes);
      return Bound{std::make_unique<ElementNode>(std::move(inner.node), key.bytes), inner.name + "[" + shown + "]"};
    }
    default: throw InvalidRequest("This kind of selector is not supported by cqld yet");
  }
}

}  // namespace

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
  return selection;
}

void Selection::add_row(const ReadRow& row, std::vector<Value>* out) const {
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
  size_t plain = 0;
  for (size_t i = 0; i < selection_.nodes_.size(); ++i) {
    const SelectorNode& node = *selection_.nodes_[i];
    if (node.is_aggregate()) out->push_back(node.result(*states_[i]));
    else out->push_back(seen_row_ ? first_row_[plain++] : Value::null());
  }
}

}  // namespace cqld
