#include "exec/json_terms.h"

#include "common/errors.h"
#include "functions/json_codec.h"

namespace cqld {

BoundTerm bind_from_json(const ast::Term& call, const TypePtr& receiver_type, BindContext& ctx) {
  if (call.children.size() != 1) throw InvalidRequest("Invalid number of arguments for function system.fromjson(text)");
  BoundTerm text = bind_term(call.children[0], primitive_type(TypeKind::kVarchar), "arg0(system.fromjson)", ctx);
  return BoundTerm::computed([text, receiver_type](const Bindings& b) {
    Value json = text.evaluate(b);
    if (json.is_unset()) throw InvalidRequest("Invalid unset value for argument in call to function fromjson");
    if (!json.is_set()) return Value::null();
    JsonValue parsed;
    try {
      parsed = parse_json(json.bytes);
    } catch (const JsonSyntaxError& e) {
      throw CqlError(ErrorCode::kFunctionFailure, "execution of 'system.fromjson[text]' failed: Could not decode JSON string '" +
                                                      json.bytes + "': " + e.what());
    }
    try {
      return value_from_json(*receiver_type, parsed);
    } catch (const InvalidRequest& e) {
      throw CqlError(ErrorCode::kFunctionFailure, std::string("org.apache.cassandra.serializers.MarshalException: ") + e.what());
    }
  });
}

BoundTerm bind_to_json(const ast::Term& call, const TypePtr& argument_type, const TypePtr& receiver_type,
                       const std::string& receiver, BindContext& ctx) {
  if (call.children.size() != 1) throw InvalidRequest("Invalid number of arguments for function system.tojson(any)");
  if (!argument_type) throw InvalidRequest("Cannot infer the type of argument 1 of tojson");
  TypePtr text = primitive_type(TypeKind::kVarchar);
  if (!is_value_compatible(*receiver_type, *text) && !types_equal(*receiver_type, *text)) {
    throw InvalidRequest("Type error: cannot assign result of function system.tojson (type text) to " + receiver +
                         " (type " + type_to_cql(*receiver_type) + ")");
  }
  BoundTerm argument = bind_term(call.children[0], argument_type, "arg0(system.tojson)", ctx);
  return BoundTerm::computed([argument, argument_type](const Bindings& b) {
    return Value::of(value_to_json(*argument_type, argument.evaluate(b)));
  });
}

}  // namespace cqld
