#include "exec/terms.h"

#include "common/errors.h"
#include "common/text.h"
#include "exec/json_terms.h"
#include "functions/operations.h"
#include "functions/registry.h"
#include "types/literal.h"
#include "types/token.h"

namespace cqld {

BoundTerm BoundTerm::constant(Value v) {
  BoundTerm t;
  t.kind_ = Kind::kConstant;
  t.constant_ = std::move(v);
  return t;
}

BoundTerm BoundTerm::marker(int index) {
  BoundTerm t;
  t.kind_ = Kind::kMarker;
  t.marker_ = index;
  return t;
}

BoundTerm BoundTerm::computed(std::function<Value(const Bindings&)> fn) {
  BoundTerm t;
  t.kind_ = Kind::kComputed;
  t.fn_ = std::move(fn);
  return t;
}

Value BoundTerm::evaluate(const Bindings& b) const {
  switch (kind_) {
    case Kind::kConstant: return constant_;
    case Kind::kMarker:
      if (b.values == nullptr || static_cast<size_t>(marker_) >= b.values->size())
        throw InvalidRequest("There were " + std::to_string(b.values ? b.values->size() : 0) +
                             " markers(?) in CQL but " + std::to_string(marker_ + 1) + " bound variables");
      return (*b.values)[static_cast<size_t>(marker_)];
    case Kind::kComputed: return fn_(b);
  }
  return Value::null();
}

void BindContext::declare(int index, const std::string& name, TypePtr type) {
  if (markers.size() <= static_cast<size_t>(index)) markers.resize(static_cast<size_t>(index) + 1);
  std::string reported = name;
  if (static_cast<size_t>(index) < marker_names.size() && !marker_names[index].empty())
    reported = marker_names[index];
  markers[static_cast<size_t>(index)] = ColumnSpec{keyspace, table, reported, std::move(type), name};
}

namespace {

// Cassandra's names for the receivers of a function's arguments and a literal's elements.
std::string argument_receiver(size_t i, const std::string& function) {
  return "arg" + std::to_string(i) + "(system." + function + ")";
}

std::string element_receiver(const CqlType& type, size_t i, const std::string& receiver) {
  if (type.kind == TypeKind::kMap) return (i % 2 == 0 ? "key(" : "value(") + receiver + ")";
  if (type.kind == TypeKind::kTuple) return receiver + "[" + std::to_string(i) + "]";
  if (type.kind == TypeKind::kUdt && i < type.field_names.size()) return receiver + "." + type.field_names[i];
  return "value(" + receiver + ")";
}

bool all_constant(const ast::Term& t) {
  if (t.kind == ast::Term::Kind::kLiteral) return true;
  if (t.kind == ast::Term::Kind::kBindMarker || t.kind == ast::Term::Kind::kFunctionCall ||
      t.kind == ast::Term::Kind::kArithmetic || t.kind == ast::Term::Kind::kNegate || t.kind == ast::Term::Kind::kTypeHint)
    return false;
  for (const auto& c : t.children)
    if (!all_constant(c)) return false;
  return true;
}

Literal to_literal(const ast::Term& t) {
  if (t.kind == ast::Term::Kind::kLiteral) return t.literal;
  Literal l;
  switch (t.kind) {
    case ast::Term::Kind::kList: l.kind = Literal::Kind::kList; break;
    case ast::Term::Kind::kSet: l.kind = Literal::Kind::kSet; break;
    case ast::Term::Kind::kMap: l.kind = Literal::Kind::kMap; break;
    case ast::Term::Kind::kTuple: l.kind = Literal::Kind::kTuple; break;
    case ast::Term::Kind::kUdt: l.kind = Literal::Kind::kUdt; break;
    default: break;
  }
  l.field_names = t.field_names;
  for (const auto& c : t.children) l.elements.push_back(to_literal(c));
  return l;
}

// The type a term has before it meets its receiver: a function call's result, when the call
// resolves on its own; nothing for constants and markers.
TypePtr call_type(const ast::Term& term) {
  if (term.kind != ast::Term::Kind::kFunctionCall) return nullptr;
  if (!term.function.keyspace.empty() && term.function.keyspace != "system") return nullptr;
  const std::string& name = term.function.name;
  if (name == "token") return primitive_type(TypeKind::kBigint);
  if (name == "tojson") return primitive_type(TypeKind::kVarchar);
  const std::vector<NativeFunction>* overloads = native_functions().overloads(name);
  if (overloads == nullptr) return nullptr;
  std::vector<TypePtr> types(term.children.size());
  for (size_t i = 0; i < term.children.size(); ++i) types[i] = call_type(term.children[i]);
  try {
    return native_functions().resolve(name, types, name).return_type(types);
  } catch (const InvalidRequest&) {
    return nullptr;
  }
}

std::string term_text(const ast::Term& t);

BoundTerm bind_function(const ast::Term& term, const TypePtr& type, const std::string& receiver, BindContext& ctx) {
  std::string name = native_function_name(term.function.keyspace, term.function.name);
  if (name == "token") {
    // token(k1, k2, ...) as a value: the Murmur3 token of the partition key those values form.
    const TableDef* t = ctx.table_def;
    if (t == nullptr || term.children.size() != t->partition_key.size())
      throw InvalidRequest("Invalid number of arguments in call to function token: " +
                           std::to_string(t ? t->partition_key.size() : 0) + " required but " +
                           std::to_string(term.children.size()) + " provided");
    std::vector<BoundTerm> parts;
    std::vector<TypePtr> types;
    for (size_t i = 0; i < term.children.size(); ++i) {
      const ColumnDef& c = t->columns[t->partition_key[i]];
      parts.push_back(bind_term(term.children[i], c.type, argument_receiver(i, "token"), ctx));
      types.push_back(c.type);
    }
    return BoundTerm::computed([parts, types](const Bindings& b) {
      std::vector<std::string> values;
      for (size_t i = 0; i < parts.size(); ++i) {
        Value v = parts[i].evaluate(b);
        if (!v.is_set()) throw InvalidRequest("Invalid null value for partition key part in token()");
        validate_value(*types[i], v.bytes);
        values.push_back(std::move(v.bytes));
      }
      std::vector<std::string_view> views(values.begin(), values.end());
      return Value::of(encode_int64(murmur3_token(serialize_partition_key(views))));
    });
  }
  if (name == "fromjson") return bind_from_json(term, type, ctx);
  if (name == "tojson") {
    const ast::Term* arg = term.children.empty() ? nullptr : &term.children[0];
    TypePtr arg_type = !arg ? nullptr
                       : arg->kind == ast::Term::Kind::kLiteral ? preferred_literal_type(arg->literal)
                                                                : call_type(*arg);
    return bind_to_json(term, arg_type, type, receiver, ctx);
  }
  const std::vector<NativeFunction>* overloads = native_functions().overloads(name);
  if (overloads == nullptr) throw InvalidRequest("Unknown function " + term.function.name + " called");
  // Arguments that are calls themselves have the type their function returns; constants and
  // markers take the type of the overload chosen.
  FunctionRegistry::CallArguments call;
  for (const ast::Term& child : term.children) {
    call.types.push_back(call_type(child));
    call.preferred.push_back(child.kind == ast::Term::Kind::kLiteral ? preferred_literal_type(child.literal) : nullptr);
  }
  const NativeFunction* resolved = &native_functions().resolve(name, call, name);
  std::shared_ptr<const NativeFunction> specialized;
  if (resolved->specialize) {
    std::vector<std::string> texts;
    for (const ast::Term& child : term.children) texts.push_back(term_text(child));
    specialized = resolved->specialize(call.types, call.preferred, texts);
    resolved = specialized.get();
  }
  const NativeFunction& function = *resolved;
  const std::vector<TypePtr>& types = call.types;
  if (function.is_aggregate()) throw InvalidRequest("Aggregate function " + name + " cannot be used here");
  std::vector<BoundTerm> args;
  for (size_t i = 0; i < term.children.size(); ++i) {
    TypePtr arg_type = function.arguments[i] ? function.arguments[i] : types[i];
    if (!arg_type) throw InvalidRequest("Cannot infer the type of argument " + std::to_string(i + 1) + " of " + name);
    args.push_back(bind_term(term.children[i], arg_type, argument_receiver(i, name), ctx));
  }
  TypePtr returns = function.return_type(types);
  if (returns && !types_equal(*type, *returns) && !is_value_compatible(*type, *returns))
    throw InvalidRequest("Type error: cannot assign result of function system." + name + " (type " + type_to_cql(*returns) +
                         ") to " + receiver + " (type " + type_to_cql(*type) + ")");
  return BoundTerm::computed([args, &function, specialized](const Bindings& b) {
    std::vector<Value> values;
    values.reserve(args.size());
    for (const auto& arg : args) {
      values.push_back(arg.evaluate(b));
      if (values.back().is_unset())
        throw InvalidRequest("Invalid unset value for argument in call to function " + function.name);
    }
    return function.call(values, FunctionContext{b.now_micros});
  });
}

}  // namespace

char operator_symbol(ast::ArithmeticOp op) {
  switch (op) {
    case ast::ArithmeticOp::kAdd: return '+';
    case ast::ArithmeticOp::kSubtract: return '-';
    case ast::ArithmeticOp::kMultiply: return '*';
    case ast::ArithmeticOp::kDivide: return '/';
    case ast::ArithmeticOp::kModulo: return '%';
  }
  return '?';
}

namespace {

// Cassandra's names of the operator functions, which name their arguments' receivers.
const char* operation_function(const ast::Term& term) {
  if (term.kind == ast::Term::Kind::kNegate) return "_negate";
  switch (term.op) {
    case ast::ArithmeticOp::kAdd: return "_add";
    case ast::ArithmeticOp::kSubtract: return "_substract";
    case ast::ArithmeticOp::kMultiply: return "_multiply";
    case ast::ArithmeticOp::kDivide: return "_divide";
    case ast::ArithmeticOp::kModulo: return "_modulo";
  }
  return "_add";
}

std::string term_text(const ast::Term& t) {
  switch (t.kind) {
    case ast::Term::Kind::kLiteral:
      if (t.literal.kind == Literal::Kind::kNull) return "NULL";
      if (t.literal.kind == Literal::Kind::kString) return "'" + t.literal.text + "'";
      if (t.literal.kind == Literal::Kind::kHex) return "0x" + t.literal.text;
      return t.literal.text;
    case ast::Term::Kind::kBindMarker: return t.bind_name.empty() ? "?" : ":" + t.bind_name;
    case ast::Term::Kind::kArithmetic:
      return term_text(t.children[0]) + " " + operator_symbol(t.op) + " " + term_text(t.children[1]);
    case ast::Term::Kind::kNegate: return "-" + term_text(t.children[0]);
    case ast::Term::Kind::kFunctionCall: return t.function.name + "(...)";
    default: return literal_source_text(to_literal(t));
  }
}

const Operation& resolve_term_operation(const ast::Term& term, const TypePtr& receiver);

// What the resolver knows of a term before its receiver is chosen.
Operand term_operand(const ast::Term& t) {
  Operand o;
  o.text = term_text(t);
  switch (t.kind) {
    case ast::Term::Kind::kLiteral:
      o.kind = t.literal.kind == Literal::Kind::kNull ? Operand::Kind::kNull : Operand::Kind::kConstant;
      o.literal = t.literal;
      return o;
    case ast::Term::Kind::kBindMarker: o.kind = Operand::Kind::kMarker; return o;
    case ast::Term::Kind::kTypeHint: {
      TypePtr hinted = primitive_type(t.type.kind);
      bool native = t.type.kind < TypeKind::kList && t.type.kind != TypeKind::kCustom;
      if (native) {
        o.type = hinted;
        return o;
      }
      o.kind = Operand::Kind::kMarker;
      return o;
    }
    case ast::Term::Kind::kFunctionCall:
      o.type = call_type(t);
      if (!o.type) o.kind = Operand::Kind::kMarker;
      return o;
    case ast::Term::Kind::kArithmetic:
    case ast::Term::Kind::kNegate:
      o.kind = Operand::Kind::kNested;
      o.nested = [&t](const TypePtr& receiver) -> TypePtr {
        try {
          return resolve_term_operation(t, receiver).result;
        } catch (const InvalidRequest&) {
          return nullptr;
        }
      };
      return o;
    default:
      o.kind = Operand::Kind::kConstant;
      o.literal = to_literal(t);
      return o;
  }
}

const Operation& resolve_term_operation(const ast::Term& term, const TypePtr& receiver) {
  if (term.kind == ast::Term::Kind::kNegate) return resolve_negation(term_operand(term.children.at(0)), receiver);
  return resolve_operation(operator_symbol(term.op), term_operand(term.children.at(0)), term_operand(term.children.at(1)),
                           receiver);
}

// An operator in a term: resolved against its receiver's type (Cassandra's FunctionResolver
// keeps the overloads whose result the receiver accepts), its operands bound to the overload's
// argument types.
BoundTerm bind_operation(const ast::Term& term, const TypePtr& type, BindContext& ctx) {
  const Operation& operation = resolve_term_operation(term, type);
  std::string function = operation_function(term);
  std::vector<BoundTerm> operands;
  operands.push_back(bind_term(term.children.at(0), operation.left, argument_receiver(0, function), ctx));
  if (operation.right) operands.push_back(bind_term(term.children.at(1), operation.right, argument_receiver(1, function), ctx));
  return BoundTerm::computed([operands, &operation, function](const Bindings& b) {
    std::vector<Value> values;
    for (const auto& operand : operands) {
      values.push_back(operand.evaluate(b));
      if (values.back().is_unset())
        throw InvalidRequest("Invalid unset value for argument in call to function " + function);
    }
    if (!operation.right) return apply_negation(operation, values[0]);
    return apply_operation(operation, values[0], values[1]);
  });
}

BoundTerm bind_collection(const ast::Term& term, const TypePtr& type, const std::string& receiver, BindContext& ctx) {
  std::vector<BoundTerm> children;
  bool is_map = term.kind == ast::Term::Kind::kMap;
  for (size_t i = 0; i < term.children.size(); ++i) {
    TypePtr child_type;
    if (type->kind == TypeKind::kMap) child_type = type->params.at(i % 2);
    else if (type->kind == TypeKind::kTuple || type->kind == TypeKind::kUdt) child_type = type->params.at(i);
    else if (!type->params.empty()) child_type = type->params[0];
    else throw InvalidRequest("Invalid collection literal for " + receiver + " of type " + type_to_cql(*type));
    children.push_back(bind_term(term.children[i], child_type, element_receiver(*type, i, receiver), ctx));
  }
  bool tuple_like = type->kind == TypeKind::kTuple || type->kind == TypeKind::kUdt;
  return BoundTerm::computed([children, is_map, tuple_like](const Bindings& b) {
    if (tuple_like) {
      std::vector<Value> fields;
      for (const auto& c : children) fields.push_back(c.evaluate(b));
      return Value::of(serialize_tuple(fields));
    }
    if (is_map) {
      std::vector<std::pair<std::string, std::string>> entries;
      for (size_t i = 0; i + 1 < children.size(); i += 2)
        entries.emplace_back(children[i].evaluate(b).bytes, children[i + 1].evaluate(b).bytes);
      return Value::of(serialize_map(entries));
    }
    std::vector<std::string> elements;
    for (const auto& c : children) elements.push_back(c.evaluate(b).bytes);
    return Value::of(serialize_collection(elements));
  });
}

}  // namespace

BoundTerm bind_term(const ast::Term& term, const TypePtr& type, const std::string& receiver, BindContext& ctx) {
  switch (term.kind) {
    case ast::Term::Kind::kBindMarker:
      ctx.declare(term.bind_index, receiver, type);
      return BoundTerm::marker(term.bind_index);
    case ast::Term::Kind::kFunctionCall:
      return bind_function(term, type, receiver, ctx);
    case ast::Term::Kind::kTypeHint:
      return bind_term(term.children.at(0), type, receiver, ctx);
    case ast::Term::Kind::kArithmetic:
    case ast::Term::Kind::kNegate:
      return bind_operation(term, type, ctx);
    default:
      break;
  }
  if (all_constant(term)) return BoundTerm::constant(literal_to_value(to_literal(term), *type, receiver));
  return bind_collection(term, type, receiver, ctx);
}

}  // namespace cqld
