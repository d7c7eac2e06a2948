// CREATE/DROP FUNCTION and AGGREGATE as a default Cassandra 5.0 answers them: user-defined
// functions are disabled there (user_defined_functions_enabled: false), so no user function
// ever exists. CREATE FUNCTION is refused with Cassandra's message; DROP finds nothing to drop;
// CREATE AGGREGATE fails looking up its state function, which can only be a user function
// (native functions are never state functions). Cassandra checks the system keyspaces first,
// with the wording of its function statements (InvalidRequest, not the Unauthorized of tables).
#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/type_resolver.h"
#include "schema/system_tables.h"

namespace cqld {
namespace {

void refuse_system_functions(const std::string& keyspace) {
  if (is_system_keyspace(keyspace)) throw InvalidRequest("System keyspace '" + keyspace + "' is not user-modifiable");
}

// "(int, frozen<pair>)", the argument list of Cassandra's messages.
std::string signature(const std::vector<TypePtr>& types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) out += (i ? ", " : "") + type_to_cql(*types[i]);
  return out + ")";
}

std::vector<TypePtr> resolve_types(const std::vector<ast::RawType>& raw, const Schema& schema, const std::string& ks) {
  std::vector<TypePtr> types;
  for (const auto& t : raw) types.push_back(resolve_type(t, schema, ks));
  return types;
}

// DROP FUNCTION and DROP AGGREGATE: with no user functions there is never anything to drop.
Result drop_missing(const DdlContext& ctx, const std::string& what, const ast::QualifiedName& name, bool if_exists,
                    const std::optional<std::vector<ast::RawType>>& argument_types) {
  std::string ks_name = statement_keyspace(name.keyspace, *ctx.client);
  refuse_system_functions(ks_name);
  if (if_exists) return VoidResult{};
  std::string described = ks_name + "." + name.name;
  if (argument_types) described += signature(resolve_types(*argument_types, *ctx.schema->current(), ks_name));
  throw InvalidRequest(what + " '" + described + "' doesn't exist");
}

}  // namespace

Result create_function(const DdlContext& ctx, const ast::CreateFunctionStatement& s) {
  refuse_system_functions(statement_keyspace(s.function.keyspace, *ctx.client));
  throw InvalidRequest(
      "User-defined functions are disabled in cassandra.yaml - set user_defined_functions_enabled=true to enable");
}

Result drop_function(const DdlContext& ctx, const ast::DropFunctionStatement& s) {
  return drop_missing(ctx, "Function", s.function, s.if_exists, s.argument_types);
}

Result create_aggregate(const DdlContext& ctx, const ast::CreateAggregateStatement& s) {
  std::string ks_name = statement_keyspace(s.aggregate.keyspace, *ctx.client);
  refuse_system_functions(ks_name);
  SchemaPtr schema = ctx.schema->current();
  // The state function takes the state, then the aggregate's arguments.
  std::vector<TypePtr> state_arguments{resolve_type(s.state_type, *schema, ks_name)};
  for (auto& t : resolve_types(s.argument_types, *schema, ks_name)) state_arguments.push_back(std::move(t));
  throw InvalidRequest("State function " + ks_name + "." + s.state_function + signature(state_arguments) +
                       " doesn't exist");
}

Result drop_aggregate(const DdlContext& ctx, const ast::DropAggregateStatement& s) {
  return drop_missing(ctx, "Aggregate", s.aggregate, s.if_exists, s.argument_types);
}

}  // namespace cqld
