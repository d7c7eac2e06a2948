// GRANT/REVOKE of permissions and LIST PERMISSIONS: Cassandra's CassandraAuthorizer, with its
// resources (auth/resource.h), its checks and its messages.
#include <algorithm>
#include <tuple>

#include "common/errors.h"
#include "exec/statements/auth_statement.h"
#include "exec/statements/schema_change.h"

namespace cqld {
namespace {

using auth::Permission;
using auth::PermissionSet;
using auth::Resource;

CqlError unauthorized(const std::string& message) { return CqlError(ErrorCode::kUnauthorized, message); }

// The resource a statement names, with the client's keyspace for an unqualified table.
Resource resource_of(const ast::Resource& r, const ClientState& client) {
  using K = ast::Resource::Kind;
  switch (r.kind) {
    case K::kAllKeyspaces: return Resource::all_keyspaces();
    case K::kKeyspace: return Resource::keyspace(r.name.keyspace.empty() ? r.name.name : r.name.keyspace);
    case K::kTable: return Resource::table(statement_keyspace(r.name.keyspace, client), r.name.name);
    case K::kAllRoles: return Resource::all_roles();
    case K::kRole: return Resource::role(r.name.name);
    case K::kAllFunctions:
      return r.name.keyspace.empty() ? Resource::all_functions() : Resource::keyspace_functions(r.name.keyspace);
    case K::kFunction:
      if (r.name.keyspace.empty() || is_system_keyspace(r.name.keyspace))
        throw InvalidRequest("Altering permissions on builtin functions is not supported");
      return Resource::function(r.name.keyspace, r.name.name, {});
    case K::kAllMbeans:
    case K::kMbean: break;
  }
  throw InvalidRequest("cqld has no MBeans: permissions on them are not supported");
}

// The permissions a GRANT or REVOKE names that apply to the resource (ALL: every one that does).
PermissionSet requested(const std::vector<std::string>& names, const Resource& resource) {
  if (names.empty()) return resource.applicable();
  PermissionSet wanted = PermissionSet::from_names(names);
  PermissionSet applicable = wanted.intersect(resource.applicable());
  if (applicable.empty())
    throw SyntaxError("Resource type " + std::string(resource.type_name()) +
                      " does not support any of the requested permissions");
  return applicable;
}

// GRANT and REVOKE need AUTHORIZE on the resource and each permission they hand on.
void check_authorize(const auth::Access& access, const std::vector<std::string>& names, const ast::Resource& raw) {
  access.ensure_not_anonymous();
  Resource resource = resource_of(raw, access.client());
  PermissionSet permissions = requested(names, resource);
  access.ensure_permission(Permission::kAuthorize, resource);
  for (Permission p : permissions.list()) access.ensure_permission(p, resource);
}

bool exists(const Resource& r, const Schema& schema, const auth::AuthService& auth) {
  switch (r.kind()) {
    case Resource::Kind::kKeyspace:
    case Resource::Kind::kAllTables:
    case Resource::Kind::kKeyspaceFunctions: return schema.find_keyspace(r.keyspace_name()) != nullptr;
    case Resource::Kind::kTable: return schema.find_table(r.keyspace_name(), r.object_name()) != nullptr;
    case Resource::Kind::kRole: return auth.find_role(r.object_name()).has_value();
    case Resource::Kind::kFunction: return false;  // cqld has no user-defined functions
    default: return true;
  }
}

// What GRANT and REVOKE check once allowed: the resource and the role exist.
Resource validated(const ExecutionContext& ctx, const ast::Resource& raw, const std::string& role) {
  Resource resource = resource_of(raw, *ctx.client);
  if (!exists(resource, *ctx.schema->current(), *ctx.auth))
    throw InvalidRequest("Resource " + resource.display() + " doesn't exist");
  if (!ctx.auth->find_role(role)) throw InvalidRequest("Role " + role + " doesn't exist");
  return resource;
}

struct PermissionRow {
  std::string role;
  std::string resource_name;
  std::string resource_display;
  Permission permission;
  bool operator<(const PermissionRow& o) const {
    return std::tie(role, resource_name, permission) < std::tie(o.role, o.resource_name, o.permission);
  }
};

RowsResult permission_rows(std::vector<PermissionRow> listed) {
  std::sort(listed.begin(), listed.end());
  RowsResult rows;
  TypePtr t = primitive_type(TypeKind::kVarchar);
  for (const char* name : {"role", "username", "resource", "permission"})
    rows.metadata.columns.push_back(ColumnSpec{"system_auth", "permissions", name, t, {}});
  for (const auto& row : listed) {
    rows.cells.insert(rows.cells.end(), {Value::of(row.role), Value::of(row.role), Value::of(row.resource_display),
                                         Value::of(std::string(auth::permission_name(row.permission)))});
    ++rows.row_count;
  }
  return rows;
}

}  // namespace

void check_auth_access(const auth::Access& access, const ast::GrantPermissionsStatement& s) {
  check_authorize(access, s.permissions, s.resource);
}

Result run_auth_statement(ExecutionContext& ctx, const ast::GrantPermissionsStatement& s) {
  Resource resource = validated(ctx, s.resource, s.grantee);
  ctx.auth->grant(requested(s.permissions, resource), resource, s.grantee);
  return VoidResult{};
}

void check_auth_access(const auth::Access& access, const ast::RevokePermissionsStatement& s) {
  check_authorize(access, s.permissions, s.resource);
}

Result run_auth_statement(ExecutionContext& ctx, const ast::RevokePermissionsStatement& s) {
  Resource resource = validated(ctx, s.resource, s.revokee);
  ctx.auth->revoke(requested(s.permissions, resource), resource, s.revokee);
  return VoidResult{};
}

// A role may list its own permissions (and those of the roles it holds); another's need
// DESCRIBE on that role, everyone's DESCRIBE on all roles.
void check_auth_access(const auth::Access& access, const ast::ListPermissionsStatement& s) {
  access.ensure_not_anonymous();
  if (access.is_superuser() || !access.authorizing()) return;
  if (s.role.empty()) {
    if (!access.has_permission(Permission::kDescribe, Resource::all_roles()))
      throw unauthorized("You are not authorized to view everyone's permissions");
    return;
  }
  auto held = access.service()->roles_of(access.user(), true);
  if (std::find(held.begin(), held.end(), s.role) != held.end()) return;
  if (!access.has_permission(Permission::kDescribe, Resource::role(s.role)))
    throw unauthorized("You are not authorized to view " + s.role + "'s permissions");
}

Result run_auth_statement(ExecutionContext& ctx, const ast::ListPermissionsStatement& s) {
  auth::AuthService& auth = *ctx.auth;
  if (!auth.options().authorize) throw InvalidRequest("LIST PERMISSIONS operation is not supported by AllowAllAuthorizer");
  std::vector<std::string> roles;
  if (s.role.empty()) {
    for (const auto& role : auth.all_roles()) roles.push_back(role.name);
  } else {
    if (!auth.find_role(s.role)) throw InvalidRequest(Resource::role(s.role).display() + " doesn't exist");
    // NORECURSIVE limits the resources, not the roles: a role's permissions include those of
    // the roles granted to it, as in Cassandra.
    roles = auth.roles_of(s.role, true);
  }
  std::vector<Resource> on;
  if (s.resource) {
    Resource resource = resource_of(*s.resource, *ctx.client);
    if (!exists(resource, *ctx.schema->current(), auth))
      throw InvalidRequest(resource.display() + " doesn't exist");
    on = s.recursive ? resource.chain() : std::vector<Resource>{resource};
  }
  PermissionSet wanted = s.permissions.empty() ? PermissionSet::all() : PermissionSet::from_names(s.permissions);
  std::vector<PermissionRow> listed;
  for (const auto& role : roles) {
    for (const auto& grant : auth.grants_of(role)) {
      if (!on.empty() && std::find(on.begin(), on.end(), grant.resource) == on.end()) continue;
      for (Permission p : grant.permissions.intersect(wanted).list())
        listed.push_back({role, grant.resource.name(), grant.resource.display(), p});
    }
  }
  return permission_rows(std::move(listed));
}

}  // namespace cqld
