#include "exec/statements/schema_access.h"

#include "exec/statements/schema_change.h"
#include "schema/view.h"

namespace cqld {
namespace {

using auth::Permission;
using auth::Resource;

std::string keyspace_of(const auth::Access& access, const std::string& named) {
  return statement_keyspace(named, access.client());
}

void ensure_table(const auth::Access& access, Permission p, const ast::QualifiedName& table) {
  access.ensure_permission(p, Resource::table(keyspace_of(access, table.keyspace), table.name));
}

void ensure_keyspace(const auth::Access& access, Permission p, const std::string& named) {
  access.ensure_permission(p, Resource::keyspace(keyspace_of(access, named)));
}

// Whether a statement's permissions change: an authorizing server and a logged-in user.
bool tracks_permissions(const ExecutionContext& ctx) {
  return ctx.auth != nullptr && ctx.auth->options().authorize && !ctx.client->user.empty();
}

// The table of keyspace "ks" that has index "index", if the schema is known and has one.
const TableDef* indexed_table(const auth::Access& access, const std::string& ks, const std::string& index) {
  if (access.schema() == nullptr) return nullptr;
  const KeyspaceDef* keyspace = access.schema()->find_keyspace(ks);
  if (keyspace == nullptr) return nullptr;
  for (const auto& [name, table] : keyspace->tables)
    for (const IndexDef& i : table->indexes)
      if (i.name == index) return table.get();
  return nullptr;
}

// ALTER on the base table of an existing view; none asked when the view does not exist (the
// statement then fails, or is a no-op with IF EXISTS), as Cassandra's view statements do.
void ensure_view_base_alter(const auth::Access& access, const ast::QualifiedName& view) {
  if (access.schema() == nullptr) return;
  std::string ks = keyspace_of(access, view.keyspace);
  const TableDef* table = access.schema()->find_table(ks, view.name);
  if (table == nullptr || !table->is_view()) return;
  access.ensure_table_permission(Permission::kAlter, ks, table->view->base_table);
}

void grant_all(const ExecutionContext& ctx, const Resource& resource) {
  ctx.auth->grant(resource.applicable(), resource, ctx.client->user);
}

}  // namespace

void check_schema_access(const auth::Access& access, const ast::CreateKeyspaceStatement&) {
  access.ensure_permission(Permission::kCreate, Resource::all_keyspaces());
}
void check_schema_access(const auth::Access& access, const ast::AlterKeyspaceStatement& s) {
  ensure_keyspace(access, Permission::kAlter, s.keyspace);
}
void check_schema_access(const auth::Access& access, const ast::DropKeyspaceStatement& s) {
  ensure_keyspace(access, Permission::kDrop, s.keyspace);
}
void check_schema_access(const auth::Access& access, const ast::CreateTableStatement& s) {
  access.ensure_permission(Permission::kCreate, Resource::all_tables(keyspace_of(access, s.table.keyspace)));
}
void check_schema_access(const auth::Access& access, const ast::AlterTableStatement& s) {
  ensure_table(access, Permission::kAlter, s.table);
}
void check_schema_access(const auth::Access& access, const ast::DropTableStatement& s) {
  ensure_table(access, Permission::kDrop, s.table);
}
void check_schema_access(const auth::Access& access, const ast::TruncateStatement& s) {
  ensure_table(access, Permission::kModify, s.table);
}
void check_schema_access(const auth::Access& access, const ast::CreateIndexStatement& s) {
  ensure_table(access, Permission::kAlter, s.table);
}
// ALTER on the index's table when the index exists (none asked otherwise, as in Cassandra).
void check_schema_access(const auth::Access& access, const ast::DropIndexStatement& s) {
  std::string ks = keyspace_of(access, s.index.keyspace);
  if (const TableDef* table = indexed_table(access, ks, s.index.name))
    access.ensure_table_permission(Permission::kAlter, ks, table->name);
}
// User types: the permission on <all tables in ks>, as Cassandra's type statements ask.
void check_schema_access(const auth::Access& access, const ast::CreateTypeStatement& s) {
  access.ensure_permission(Permission::kCreate, Resource::all_tables(keyspace_of(access, s.type.keyspace)));
}
void check_schema_access(const auth::Access& access, const ast::AlterTypeStatement& s) {
  access.ensure_permission(Permission::kAlter, Resource::all_tables(keyspace_of(access, s.type.keyspace)));
}
void check_schema_access(const auth::Access& access, const ast::DropTypeStatement& s) {
  access.ensure_permission(Permission::kDrop, Resource::all_tables(keyspace_of(access, s.type.keyspace)));
}

// Views: ALTER on the base table, named by CREATE and found through the schema for ALTER and DROP.
void check_schema_access(const auth::Access& access, const ast::CreateMaterializedViewStatement& s) {
  ensure_table(access, Permission::kAlter, s.base_table);
}
void check_schema_access(const auth::Access& access, const ast::AlterMaterializedViewStatement& s) {
  ensure_view_base_alter(access, s.view);
}
void check_schema_access(const auth::Access& access, const ast::DropMaterializedViewStatement& s) {
  ensure_view_base_alter(access, s.view);
}

// Functions and aggregates: CREATE or DROP on the functions of their keyspace (cqld, like a
// default Cassandra 5.0, has user-defined functions disabled, so these statements then fail).
void check_schema_access(const auth::Access& access, const ast::CreateFunctionStatement& s) {
  access.ensure_permission(Permission::kCreate, Resource::keyspace_functions(keyspace_of(access, s.function.keyspace)));
}
void check_schema_access(const auth::Access& access, const ast::DropFunctionStatement& s) {
  access.ensure_permission(Permission::kDrop, Resource::keyspace_functions(keyspace_of(access, s.function.keyspace)));
}
void check_schema_access(const auth::Access& access, const ast::CreateAggregateStatement& s) {
  access.ensure_permission(Permission::kCreate,
                           Resource::keyspace_functions(keyspace_of(access, s.aggregate.keyspace)));
}
void check_schema_access(const auth::Access& access, const ast::DropAggregateStatement& s) {
  access.ensure_permission(Permission::kDrop, Resource::keyspace_functions(keyspace_of(access, s.aggregate.keyspace)));
}

void after_schema_change(const ExecutionContext& ctx, const ast::CreateKeyspaceStatement& s) {
  if (!tracks_permissions(ctx)) return;
  grant_all(ctx, Resource::keyspace(s.keyspace));
  grant_all(ctx, Resource::keyspace_functions(s.keyspace));
}

void after_schema_change(const ExecutionContext& ctx, const ast::DropKeyspaceStatement& s) {
  if (ctx.auth == nullptr || !ctx.auth->options().authorize) return;
  ctx.auth->revoke_all_on(Resource::keyspace(s.keyspace));
}

void after_schema_change(const ExecutionContext& ctx, const ast::CreateTableStatement& s) {
  if (!tracks_permissions(ctx)) return;
  grant_all(ctx, Resource::table(statement_keyspace(s.table.keyspace, *ctx.client), s.table.name));
}

void after_schema_change(const ExecutionContext& ctx, const ast::DropTableStatement& s) {
  if (ctx.auth == nullptr || !ctx.auth->options().authorize) return;
  ctx.auth->revoke_all_on(Resource::table(statement_keyspace(s.table.keyspace, *ctx.client), s.table.name));
}

}  // namespace cqld
