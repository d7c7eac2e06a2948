#include "functions/operations.h"

#include <climits>
#include <cmath>
#include <limits>
#include <vector>

#include "common/errors.h"
#include "functions/big_decimal.h"
#include "functions/numbers.h"
#include "types/duration.h"
#include "types/temporal.h"

namespace cqld {
namespace {

constexpr char kOperators[] = {'+', '-', '*', '/', '%'};
constexpr TypeKind kNumericKinds[] = {TypeKind::kTinyint, TypeKind::kSmallint, TypeKind::kInt,
                                      TypeKind::kBigint,  TypeKind::kFloat,    TypeKind::kDouble,
                                      TypeKind::kDecimal, TypeKind::kVarint,   TypeKind::kCounter};
constexpr int kUnbounded = INT_MAX;

// OperationFcts.size: the bytes a value takes (counters as bigint), unbounded for varint and
// decimal.
int width(TypeKind k) {
  switch (k) {
    case TypeKind::kTinyint: return 1;
    case TypeKind::kSmallint: return 2;
    case TypeKind::kInt:
    case TypeKind::kFloat: return 4;
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kDouble: return 8;
    default: return kUnbounded;
  }
}

bool floating(TypeKind k) { return k == TypeKind::kFloat || k == TypeKind::kDouble || k == TypeKind::kDecimal; }

// The wider of the two, floating if either is.
TypeKind result_kind(TypeKind a, TypeKind b) {
  int w = std::max(width(a), width(b));
  if (floating(a) || floating(b)) return w == 4 ? TypeKind::kFloat : w == 8 ? TypeKind::kDouble : TypeKind::kDecimal;
  switch (w) {
    case 1: return TypeKind::kTinyint;
    case 2: return TypeKind::kSmallint;
    case 4: return TypeKind::kInt;
    case 8: return TypeKind::kBigint;
    default: return TypeKind::kVarint;
  }
}

std::vector<Operation> declare_operations() {
  std::vector<Operation> all;
  auto add = [&all](char symbol, TypeKind l, TypeKind r, TypeKind result) {
    all.push_back(Operation{symbol, primitive_type(l), primitive_type(r), primitive_type(result)});
  };
  for (TypeKind l : kNumericKinds)
    for (TypeKind r : kNumericKinds)
      for (char symbol : kOperators) add(symbol, l, r, result_kind(l, r));
  for (char symbol : {'+', '-'}) {
    add(symbol, TypeKind::kTimestamp, TypeKind::kDuration, TypeKind::kTimestamp);
    add(symbol, TypeKind::kDate, TypeKind::kDuration, TypeKind::kDate);
  }
  add('+', TypeKind::kVarchar, TypeKind::kVarchar, TypeKind::kVarchar);
  add('+', TypeKind::kAscii, TypeKind::kAscii, TypeKind::kAscii);
  add('+', TypeKind::kAscii, TypeKind::kVarchar, TypeKind::kVarchar);
  add('+', TypeKind::kVarchar, TypeKind::kAscii, TypeKind::kVarchar);
  return all;
}

const std::vector<Operation>& operations() {
  static const std::vector<Operation> all = declare_operations();
  return all;
}

const std::vector<Operation>& negations() {
  static const std::vector<Operation> all = [] {
    std::vector<Operation> out;
    for (TypeKind k : kNumericKinds) out.push_back(Operation{'-', primitive_type(k), nullptr, primitive_type(k)});
    return out;
  }();
  return all;
}

enum class Fit : uint8_t { kNone, kWeak, kExact };

Fit typed_fit(const CqlType& receiver, const CqlType& type) {
  if (types_equal(receiver, type)) return Fit::kExact;
  return is_value_compatible(receiver, type) ? Fit::kWeak : Fit::kNone;
}

bool is_ascii(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Constants.Literal.testAssignment: exact for the constant's preferred type, weak for the
// types its text can be read as.
Fit constant_fit(const Literal& literal, TypeKind r) {
  auto one_of = [r](std::initializer_list<TypeKind> kinds) {
    for (TypeKind k : kinds)
      if (k == r) return Fit::kWeak;
    return Fit::kNone;
  };
  using K = TypeKind;
  switch (literal.kind) {
    case Literal::Kind::kString:
      if (r == (is_ascii(literal.text) ? K::kAscii : K::kVarchar)) return Fit::kExact;
      return one_of({K::kAscii, K::kVarchar, K::kInet, K::kDate, K::kTime, K::kTimestamp});
    case Literal::Kind::kInteger:
      if (r == preferred_literal_type(literal)->kind) return Fit::kExact;
      return one_of({K::kBigint, K::kCounter, K::kDate, K::kDecimal, K::kDouble, K::kDuration, K::kFloat, K::kInt,
                     K::kSmallint, K::kTime, K::kTimestamp, K::kTinyint, K::kVarint});
    case Literal::Kind::kFloat:
      if (r == K::kDouble) return Fit::kExact;
      return one_of({K::kDecimal, K::kFloat});
    case Literal::Kind::kBoolean: return r == K::kBoolean ? Fit::kExact : Fit::kNone;
    case Literal::Kind::kUuid: return r == K::kUuid ? Fit::kExact : one_of({K::kTimeuuid});
    case Literal::Kind::kHex: return r == K::kBlob ? Fit::kExact : Fit::kNone;
    case Literal::Kind::kDuration: return r == K::kDuration ? Fit::kExact : Fit::kNone;
    case Literal::Kind::kNull: return r == K::kCounter ? Fit::kNone : Fit::kWeak;
    default: return Fit::kNone;
  }
}

Fit operand_fit(const Operand& operand, const TypePtr& receiver) {
  switch (operand.kind) {
    case Operand::Kind::kTyped: return typed_fit(*receiver, *operand.type);
    case Operand::Kind::kConstant: return constant_fit(operand.literal, receiver->kind);
    case Operand::Kind::kNull: return receiver->kind == TypeKind::kCounter ? Fit::kNone : Fit::kWeak;
    case Operand::Kind::kMarker: return Fit::kWeak;
    case Operand::Kind::kNested: {
      TypePtr returns = operand.nested(receiver);
      if (!returns) return Fit::kWeak;  // its own error surfaces when it is bound
      return typed_fit(*receiver, *returns);
    }
  }
  return Fit::kNone;
}

bool returns_into(const Operation& o, const TypePtr& receiver) {
  return !receiver || typed_fit(*receiver, *o.result) != Fit::kNone;
}

Fit both(Fit a, Fit b) {
  if (a == Fit::kNone || b == Fit::kNone) return Fit::kNone;
  return a == Fit::kExact && b == Fit::kExact ? Fit::kExact : Fit::kWeak;
}

[[noreturn]] void fail(const Operation& o, const std::string& why) {
  throw CqlError(ErrorCode::kFunctionFailure, "the operation '" + o.signature() + "' failed: " + why);
}

// ---- evaluation ----

int64_t long_value(TypeKind k, const std::string& b) { return static_cast<int64_t>(to_number(k, b)); }

// Java's int arithmetic on operands narrowed to the result's width, the result narrowed again
// (byte and short arithmetic happens in int, as Java promotes them).
int64_t integer_operation(const Operation& o, int64_t x, int64_t y) {
  TypeKind k = o.result->kind;
  auto narrow = [k](int64_t v) -> int64_t {
    switch (k) {
      case TypeKind::kTinyint: return static_cast<int8_t>(v);
      case TypeKind::kSmallint: return static_cast<int16_t>(v);
      case TypeKind::kInt: return static_cast<int32_t>(v);
      default: return v;
    }
  };
  x = narrow(x);
  y = narrow(y);
  if ((o.symbol == '/' || o.symbol == '%') && y == 0) fail(o, "/ by zero");
  uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  switch (o.symbol) {
    case '+': return narrow(static_cast<int64_t>(ux + uy));
    case '-': return narrow(static_cast<int64_t>(ux - uy));
    case '*': return narrow(static_cast<int64_t>(ux * uy));
    case '/': return narrow(x == INT64_MIN && y == -1 ? x : x / y);
    default: return y == -1 ? 0 : x % y;
  }
}

template <typename F>
F floating_operation(char symbol, F x, F y) {
  switch (symbol) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return x / y;
    default: return std::fmod(x, y);
  }
}

std::string as_varint(TypeKind k, const std::string& b) {
  return k == TypeKind::kVarint ? b : varint_of_int64(long_value(k, b));
}

std::string as_decimal(TypeKind k, const std::string& b) {
  if (k == TypeKind::kDecimal) return b;
  if (k == TypeKind::kVarint) return decimal_of_varint(b);
  return decimal_of_double(static_cast<double>(to_number(k, b)));  // DecimalType.toBigDecimal
}

std::string numeric_operation(const Operation& o, const std::string& a, const std::string& b) {
  TypeKind ka = o.left->kind, kb = o.right->kind;
  try {
    switch (o.result->kind) {
      case TypeKind::kFloat:
        return from_number(TypeKind::kFloat, floating_operation<float>(o.symbol, static_cast<float>(to_number(ka, a)),
                                                                       static_cast<float>(to_number(kb, b))));
      case TypeKind::kDouble:
        return from_number(TypeKind::kDouble, floating_operation<double>(o.symbol, static_cast<double>(to_number(ka, a)),
                                                                         static_cast<double>(to_number(kb, b))));
      case TypeKind::kVarint: return varint_operate(o.symbol, as_varint(ka, a), as_varint(kb, b));
      case TypeKind::kDecimal: return decimal_operate(o.symbol, as_decimal(ka, a), as_decimal(kb, b));
      default:
        return from_number(o.result->kind,
                           static_cast<long double>(integer_operation(o, long_value(ka, a), long_value(kb, b))));
    }
  } catch (const ArithmeticError& e) {
    fail(o, e.message);
  }
}

constexpr int64_t kMillisPerDay = 86400000;
constexpr int64_t kNanosPerMilli = 1000000;
constexpr int64_t kEpochDay = int64_t{1} << 31;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// Duration.addTo: months on the calendar (the day clamped to the month's end), then days and
// milliseconds, in UTC.
int64_t add_to_millis(int64_t millis, int64_t months, int64_t days, int64_t nanos) {
  if (months != 0) {
    int64_t day = floor_div(millis, kMillisPerDay), time_of_day = millis - day * kMillisPerDay;
    int64_t year;
    unsigned month, dom;
    civil_from_days(day, &year, &month, &dom);
    int64_t index = year * 12 + (month - 1) + months;
    int64_t new_year = floor_div(index, 12);
    unsigned new_month = static_cast<unsigned>(index - new_year * 12) + 1;
    int64_t next = new_month == 12 ? days_from_civil(new_year + 1, 1, 1) : days_from_civil(new_year, new_month + 1, 1);
    int64_t first = days_from_civil(new_year, new_month, 1);
    unsigned last_day = static_cast<unsigned>(next - first);
    millis = days_from_civil(new_year, new_month, std::min(dom, last_day)) * kMillisPerDay + time_of_day;
  }
  return millis + days * kMillisPerDay + nanos / kNanosPerMilli;
}

std::string temporal_operation(const Operation& o, const std::string& temporal, const std::string& duration_bytes) {
  std::optional<Duration> d = deserialize_duration(duration_bytes);
  if (!d) fail(o, "Invalid duration");
  int64_t sign = o.symbol == '-' ? -1 : 1;
  if (o.left->kind == TypeKind::kTimestamp) {
    if (d->nanoseconds % kNanosPerMilli != 0)
      fail(o, "The duration must have a millisecond precision. Was: " + duration_to_string(*d));
    int64_t millis = decode_int64(temporal);
    return encode_int64(add_to_millis(millis, sign * d->months, sign * d->days, sign * d->nanoseconds));
  }
  if (d->nanoseconds != 0) fail(o, "The duration must have a day precision. Was: " + duration_to_string(*d));
  int64_t days = static_cast<int64_t>(static_cast<uint32_t>(decode_int32(temporal))) - kEpochDay;
  int64_t millis = add_to_millis(days * kMillisPerDay, sign * d->months, sign * d->days, 0);
  return encode_int32(static_cast<int32_t>(static_cast<uint32_t>(floor_div(millis, kMillisPerDay) + kEpochDay)));
}

bool is_string_kind(TypeKind k) { return k == TypeKind::kVarchar || k == TypeKind::kAscii; }

}  // namespace

bool constant_assignable(const Literal& literal, const CqlType& type) {
  if (literal.kind == Literal::Kind::kList || literal.kind == Literal::Kind::kSet || literal.kind == Literal::Kind::kMap ||
      literal.kind == Literal::Kind::kTuple || literal.kind == Literal::Kind::kUdt)
    return true;  // checked element by element when converted
  if (!type.params.empty()) return literal.kind == Literal::Kind::kNull;
  return constant_fit(literal, type.kind) != Fit::kNone;
}

std::string Operation::signature() const {
  if (!right) return std::string(1, symbol) + type_to_cql(*left);
  return type_to_cql(*left) + " " + symbol + " " + type_to_cql(*right);
}

const Operation& resolve_operation(char symbol, const Operand& left, const Operand& right, const TypePtr& receiver) {
  std::vector<const Operation*> compatible;
  for (const Operation& o : operations()) {
    if (o.symbol != symbol || !returns_into(o, receiver)) continue;
    Fit fit = both(operand_fit(left, o.left), operand_fit(right, o.right));
    if (fit == Fit::kExact) return o;
    if (fit == Fit::kWeak) compatible.push_back(&o);
  }
  std::string args = left.text + " and " + right.text;
  if (compatible.empty())
    throw InvalidRequest(std::string("the '") + symbol + "' operation is not supported between " + args);
  if (compatible.size() == 1) return *compatible.front();
  bool markers = left.kind == Operand::Kind::kMarker || right.kind == Operand::Kind::kMarker;
  if (receiver && !markers) {
    for (const Operation* o : compatible)
      if (types_equal(*receiver, *o->left) && types_equal(*receiver, *o->right)) return *o;
  }
  throw InvalidRequest(std::string("Ambiguous '") + symbol + "' operation with args " + args +
                       ": use type hint to disambiguate, example '(int) ?'");
}

const Operation& resolve_negation(const Operand& operand, const TypePtr& receiver) {
  std::vector<const Operation*> compatible;
  for (const Operation& o : negations()) {
    if (!returns_into(o, receiver)) continue;
    Fit fit = operand_fit(operand, o.left);
    if (fit == Fit::kExact) return o;
    if (fit == Fit::kWeak) compatible.push_back(&o);
  }
  if (compatible.size() == 1) return *compatible.front();
  if (compatible.size() > 1) throw InvalidRequest("Ambiguous negation: use type casts to disambiguate");
  std::string known;
  for (const Operation& o : negations()) {
    known += (known.empty() ? "" : ", ") + std::string("system._negate : (") + type_to_cql(*o.left) + ") -> " +
             type_to_cql(*o.result);
  }
  throw InvalidRequest("Invalid call to function system._negate, none of its type signatures match (known type signatures: " +
                       known + ")");
}

Value apply_operation(const Operation& o, const Value& left, const Value& right) {
  if (!left.is_set() || !right.is_set()) return Value::null();
  if (is_string_kind(o.result->kind)) return Value::of(left.bytes + right.bytes);
  if (left.bytes.empty() || right.bytes.empty()) return Value::null();
  if (o.right->kind == TypeKind::kDuration) return Value::of(temporal_operation(o, left.bytes, right.bytes));
  return Value::of(numeric_operation(o, left.bytes, right.bytes));
}

Value apply_negation(const Operation& o, const Value& operand) {
  if (!operand.is_set() || operand.bytes.empty()) return Value::null();
  TypeKind k = o.left->kind;
  try {
    switch (k) {
      case TypeKind::kFloat: return Value::of(from_number(k, -static_cast<float>(to_number(k, operand.bytes))));
      case TypeKind::kDouble: return Value::of(from_number(k, -static_cast<double>(to_number(k, operand.bytes))));
      case TypeKind::kVarint: return Value::of(varint_negate(operand.bytes));
      case TypeKind::kDecimal: return Value::of(decimal_negate(operand.bytes));
      default: {
        uint64_t v = static_cast<uint64_t>(long_value(k, operand.bytes));
        return Value::of(from_number(k, static_cast<long double>(static_cast<int64_t>(0 - v))));
      }
    }
  } catch (const ArithmeticError& e) {
    fail(o, e.message);
  }
}

}  // namespace cqld
