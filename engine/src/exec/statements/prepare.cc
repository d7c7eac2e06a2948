#include "exec/statements/prepare.h"

#include "common/errors.h"
#include "common/overloaded.h"
#include "exec/statements/auth_statement.h"
#include "exec/statements/batch_statement.h"
#include "exec/statements/describe_statement.h"
#include "exec/statements/modification_statement.h"
#include "exec/statements/schema_statement.h"
#include "exec/statements/select_statement.h"
#include "exec/statements/unsupported_statement.h"
#include "exec/statements/use_statement.h"

namespace cqld {
namespace {

template <class Raw>
StatementPtr schema_statement(const Raw& raw, Result (*run)(const DdlContext&, const Raw&)) {
  return std::make_shared<SchemaStatement<Raw>>(raw, run);
}

template <class Raw>
StatementPtr auth_statement(Raw raw) {
  return std::make_shared<AuthStatement<Raw>>(std::move(raw));
}

template <class Raw, class Prepare>
StatementPtr modification(const Raw& s, const ast::RawStatement& raw, const Schema& schema, const ClientState& client,
                          Prepare prepare) {
  TablePtr table = table_for_write(s.table, client, schema);
  BindContext ctx = bind_context_for(*table, raw);
  std::unique_ptr<ModificationStatement> m = prepare(s, table, ctx);
  m->set_markers(finish_markers(ctx, raw));
  return m;
}

}  // namespace

TableRef table_for_read(const ast::QualifiedName& name, const ClientState& client, const Schema& schema) {
  std::string ks = statement_keyspace(name.keyspace, client);
  if (const VirtualTable* vt = find_virtual_table(ks, name.name)) return TableRef{vt->def, vt};
  const KeyspaceDef* keyspace = schema.find_keyspace(ks);
  if (keyspace == nullptr) throw InvalidRequest("keyspace " + ks + " does not exist");
  auto it = keyspace->tables.find(name.name);
  if (it == keyspace->tables.end()) throw InvalidRequest("table " + name.name + " does not exist");
  return TableRef{it->second, nullptr};
}

TablePtr table_for_write(const ast::QualifiedName& name, const ClientState& client, const Schema& schema) {
  TableRef ref = table_for_read(name, client, schema);
  bool own_auth_table = client.internal && ref.table->keyspace == "system_auth";
  if (ref.virtual_table != nullptr || (is_system_keyspace(ref.table->keyspace) && !own_auth_table))
    throw CqlError(ErrorCode::kUnauthorized, ref.table->keyspace + " keyspace is not user-modifiable.");
  if (ref.table->is_view()) throw InvalidRequest("Cannot directly modify a materialized view");
  return ref.table;
}

BindContext bind_context_for(const TableDef& table, const ast::RawStatement& raw) {
  BindContext ctx;
  ctx.marker_names = raw.bind_marker_names;
  ctx.keyspace = table.keyspace;
  ctx.table = table.name;
  ctx.table_def = &table;
  return ctx;
}

std::vector<ColumnSpec> finish_markers(BindContext& ctx, const ast::RawStatement& raw) {
  ctx.markers.resize(static_cast<size_t>(raw.bind_marker_count));
  return ctx.markers;
}

// As Cassandra's VariableSpecifications: the marker bound to each partition key column (the
// last, when several are), or none at all if one column has none.
std::vector<uint16_t> partition_key_indexes(const std::vector<ColumnSpec>& markers, const TableDef& table) {
  std::vector<uint16_t> indexes;
  for (size_t pk : table.partition_key) {
    int found = -1;
    for (size_t i = 0; i < markers.size(); ++i) {
      if (markers[i].receiver == table.columns[pk].name && markers[i].table == table.name) found = static_cast<int>(i);
    }
    if (found < 0) return {};
    indexes.push_back(static_cast<uint16_t>(found));
  }
  return indexes;
}

StatementPtr prepare_statement(const ast::RawStatement& raw, const Schema& schema, const ClientState& client) {
  return std::visit(
      Overloaded{
          [&](const ast::SelectStatement& s) -> StatementPtr { return SelectStatement::prepare(s, raw, schema, client); },
          [&](const ast::InsertStatement& s) {
            return modification(s, raw, schema, client, &ModificationStatement::prepare_insert);
          },
          [&](const ast::UpdateStatement& s) {
            return modification(s, raw, schema, client, &ModificationStatement::prepare_update);
          },
          [&](const ast::DeleteStatement& s) {
            return modification(s, raw, schema, client, &ModificationStatement::prepare_delete);
          },
          [&](const ast::BatchStatement& s) -> StatementPtr { return BatchStatement::prepare(s, raw, schema, client); },
          [&](const ast::UseStatement& s) -> StatementPtr { return std::make_shared<UseStatement>(s.keyspace); },
          [&](const ast::DescribeStatement& s) -> StatementPtr { return std::make_shared<DescribeStatement>(s); },
          [&](const ast::TruncateStatement& s) { return schema_statement(s, &truncate_table); },
          [&](const ast::CreateKeyspaceStatement& s) { return schema_statement(s, &create_keyspace); },
          [&](const ast::AlterKeyspaceStatement& s) { return schema_statement(s, &alter_keyspace); },
          [&](const ast::DropKeyspaceStatement& s) { return schema_statement(s, &drop_keyspace); },
          [&](const ast::CreateTableStatement& s) { return schema_statement(s, &create_table); },
          [&](const ast::AlterTableStatement& s) { return schema_statement(s, &alter_table); },
          [&](const ast::DropTableStatement& s) { return schema_statement(s, &drop_table); },
          [&](const ast::CreateIndexStatement& s) { return schema_statement(s, &create_index); },
          [&](const ast::DropIndexStatement& s) { return schema_statement(s, &drop_index); },
          [&](const ast::CreateTypeStatement& s) { return schema_statement(s, &create_type); },
          [&](const ast::AlterTypeStatement& s) { return schema_statement(s, &alter_type); },
          [&](const ast::DropTypeStatement& s) { return schema_statement(s, &drop_type); },
          [&](const ast::CreateRoleStatement& s) { return auth_statement(s); },
          [&](const ast::AlterRoleStatement& s) { return auth_statement(s); },
          [&](const ast::DropRoleStatement& s) { return auth_statement(s); },
          [&](const ast::CreateUserStatement& s) { return auth_statement(as_role_statement(s)); },
          [&](const ast::AlterUserStatement& s) { return auth_statement(as_role_statement(s)); },
          [&](const ast::DropUserStatement& s) { return auth_statement(as_role_statement(s)); },
          [&](const ast::GrantRoleStatement& s) { return auth_statement(s); },
          [&](const ast::RevokeRoleStatement& s) { return auth_statement(s); },
          [&](const ast::ListRolesStatement& s) { return auth_statement(s); },
          [&](const ast::ListUsersStatement& s) { return auth_statement(s); },
          [&](const ast::GrantPermissionsStatement& s) { return auth_statement(s); },
          [&](const ast::RevokePermissionsStatement& s) { return auth_statement(s); },
          [&](const ast::ListPermissionsStatement& s) { return auth_statement(s); },
          [&](const ast::CreateMaterializedViewStatement& s) -> StatementPtr {
            if (raw.bind_marker_count > 0)
              throw InvalidRequest("Bind variables are not allowed in CREATE MATERIALIZED VIEW statements");
            return schema_statement(s, &create_view);
          },
          [&](const ast::AlterMaterializedViewStatement& s) { return schema_statement(s, &alter_view); },
          [&](const ast::DropMaterializedViewStatement& s) { return schema_statement(s, &drop_view); },
          [&](const ast::CreateFunctionStatement& s) { return schema_statement(s, &create_function); },
          [&](const ast::DropFunctionStatement& s) { return schema_statement(s, &drop_function); },
          [&](const ast::CreateAggregateStatement& s) { return schema_statement(s, &create_aggregate); },
          [&](const ast::DropAggregateStatement& s) { return schema_statement(s, &drop_aggregate); },
          [&](const ast::CreateTriggerStatement& s) -> StatementPtr {
            if (const TableDef* t = schema.find_table(statement_keyspace(s.table.keyspace, client), s.table.name);
                t != nullptr && t->is_view())
              throw InvalidRequest("Cannot CREATE TRIGGER for a materialized view");
            return std::make_shared<UnsupportedStatement>("Triggers are not supported by cqld");
          },
          [&](const auto&) -> StatementPtr {
            return std::make_shared<UnsupportedStatement>(
                "This statement (views, triggers) is not supported by cqld yet");
          },
      },
      raw.statement);
}

}  // namespace cqld
