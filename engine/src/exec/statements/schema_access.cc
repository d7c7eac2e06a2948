#include "exec/statements/schema_access.h"

#include "exec/statements/schema_change.h"

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
// The index's table is only known against the schema; ALTER on the keyspace covers every one.
void check_schema_access(const auth::Access& access, const ast::DropIndexStatement& s) {
  ensure_keyspace(access, Permission::kAlter, s.index.keyspace);
}
void check_schema_access(const auth::Access& access, const ast::CreateTypeStatement& s) {
  ensure_keyspace(access, Permission::kCreate, s.type.keyspace);
}
void check_schema_access(const auth::Access& access, const ast::AlterTypeStatement& s) {
  ensure_keyspace(access, Permission::kAlter, s.type.keyspace);
}
void check_schema_access(const auth::Access& access, const ast::DropTypeStatement& s) {
  ensure_keyspace(access, Permission::kDrop, s.type.keyspace);
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
