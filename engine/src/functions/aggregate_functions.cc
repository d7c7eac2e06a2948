// Aggregates (Cassandra's AggregateFcts): count of any value, min and max of any type by its
// order, sum and avg of the fixed-width numbers in their own type (Java's wrapping for integers).
// Sum and avg of varint and decimal are exact, as BigInteger and BigDecimal add; avg of varint
// truncates and avg of decimal rounds HALF_EVEN at the sum's scale, as Cassandra's do.
#include <optional>

#include "types/bignum.h"

#include "functions/numbers.h"
#include "functions/registry.h"

namespace cqld {
namespace {

struct Fold : AggregateState {
  explicit Fold(TypePtr type) : type(std::move(type)) {}
  TypePtr type;
  int64_t count = 0;
  long double sum = 0;
  std::optional<std::string> best;       // min and max
  std::optional<std::string> exact_sum;  // sum and avg of varint and decimal, serialized
};

NativeFunction::Aggregate fold(std::function<void(Fold&, const Value&)> add, std::function<Value(const Fold&)> finish) {
  NativeFunction::Aggregate a;
  a.start = [](const std::vector<TypePtr>& types) {
    return std::make_unique<Fold>(types.empty() ? nullptr : types[0]);
  };
  a.add = [add](AggregateState& s, const std::vector<Value>& args) {
    if (!args[0].is_set()) return;
    add(static_cast<Fold&>(s), args[0]);
  };
  a.finish = [finish](const AggregateState& s) { return finish(static_cast<const Fold&>(s)); };
  return a;
}

NativeFunction aggregate(std::string name, std::vector<TypePtr> arguments, TypePtr returns, NativeFunction::Aggregate a) {
  NativeFunction f;
  f.name = std::move(name);
  f.arguments = std::move(arguments);
  f.returns = std::move(returns);
  f.aggregate = std::move(a);
  return f;
}

NativeFunction best_of(const char* name, int sign) {
  return aggregate(name, {nullptr}, nullptr,
                   fold(
                       [sign](Fold& f, const Value& v) {
                         if (!f.best || compare_values(*f.type, v.bytes, *f.best) * sign > 0) f.best = v.bytes;
                       },
                       [](const Fold& f) { return f.best ? Value::of(*f.best) : Value::null(); }));
}

// sum and avg of varint or decimal; "zero" is the type's 0, the answer for no rows.
void add_exact_sum_and_avg(FunctionRegistry& r, TypeKind kind, std::string (*add)(std::string_view, std::string_view),
                           std::string (*divide)(std::string_view, int64_t), const std::string& zero) {
  TypePtr type = primitive_type(kind);
  auto accumulate = [add, zero](Fold& f, const Value& v) {
    ++f.count;
    f.exact_sum = add(f.exact_sum ? *f.exact_sum : zero, v.bytes);
  };
  r.add(aggregate("sum", {type}, type, fold(accumulate, [zero](const Fold& f) {
                    return Value::of(f.exact_sum ? *f.exact_sum : zero);
                  })));
  r.add(aggregate("avg", {type}, type, fold(accumulate, [divide, zero](const Fold& f) {
                    return Value::of(f.exact_sum ? divide(*f.exact_sum, f.count) : zero);
                  })));
}

}  // namespace

const NativeFunction& count_rows_function() {
  static const NativeFunction f = [] {
    NativeFunction::Aggregate a;
    a.start = [](const std::vector<TypePtr>&) { return std::make_unique<Fold>(nullptr); };
    a.add = [](AggregateState& s, const std::vector<Value>&) { ++static_cast<Fold&>(s).count; };
    a.finish = [](const AggregateState& s) { return Value::of(encode_int64(static_cast<const Fold&>(s).count)); };
    return aggregate("countrows", {}, primitive_type(TypeKind::kBigint), a);
  }();
  return f;
}

void add_aggregate_functions(FunctionRegistry& r) {
  r.add(aggregate("count", {nullptr}, primitive_type(TypeKind::kBigint),
                  fold([](Fold& f, const Value&) { ++f.count; },
                       [](const Fold& f) { return Value::of(encode_int64(f.count)); })));
  r.add(best_of("min", -1));
  r.add(best_of("max", 1));
  for (TypeKind kind : {TypeKind::kTinyint, TypeKind::kSmallint, TypeKind::kInt, TypeKind::kBigint, TypeKind::kCounter,
                        TypeKind::kFloat, TypeKind::kDouble}) {
    TypePtr type = primitive_type(kind);
    auto add = [kind](Fold& f, const Value& v) {
      ++f.count;
      f.sum += to_number(kind, v.bytes);
    };
    r.add(aggregate("sum", {type}, type,
                    fold(add, [kind](const Fold& f) { return Value::of(from_number(kind, f.sum)); })));
    r.add(aggregate("avg", {type}, type, fold(add, [kind](const Fold& f) {
                      return Value::of(from_number(kind, f.count ? f.sum / f.count : 0));
                    })));
  }
  add_exact_sum_and_avg(r, TypeKind::kVarint, &varint_add, &varint_divide, std::string(1, '\0'));
  add_exact_sum_and_avg(r, TypeKind::kDecimal, &decimal_add, &decimal_divide, std::string(5, '\0'));
}

}  // namespace cqld
