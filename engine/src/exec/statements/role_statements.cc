// CREATE/ALTER/DROP ROLE (and USER), GRANT/REVOKE of roles, LIST ROLES/USERS: Cassandra's
// CassandraRoleManager with PasswordAuthenticator, its checks in the order Cassandra makes
// them (access first, then the statement's validity) and its messages.
#include <algorithm>

#include "common/errors.h"
#include "exec/auth/password_hash.h"
#include "exec/statements/auth_statement.h"

namespace cqld {
namespace {

using auth::Permission;
using auth::Resource;

auth::AuthService& service(const ExecutionContext& ctx) { return *ctx.auth; }
auth::Access access_of(const ExecutionContext& ctx) { return auth::Access(ctx.auth, *ctx.client); }


CqlError unauthorized(const std::string& message) { return CqlError(ErrorCode::kUnauthorized, message); }

// The salted hash a statement's PASSWORD or HASHED PASSWORD sets, if any.
std::optional<std::string> salted_hash(const ast::RoleOptions& options) {
  if (options.password && options.hashed_password)
    throw SyntaxError("Options 'password' and 'hashed password' are mutually exclusive");
  if (options.hashed_password) {
    if (!auth::is_bcrypt_hash(*options.hashed_password))
      throw InvalidRequest("Invalid hashed password value. Please use jBcrypt.");
    return *options.hashed_password;
  }
  if (options.password) return auth::hash_password(*options.password);
  return std::nullopt;
}

// What cqld's role manager refuses, as CassandraRoleManager does.
void check_supported(const ast::RoleOptions& options) {
  if (options.options) throw InvalidRequest("org.apache.cassandra.auth.CassandraRoleManager doesn't support OPTIONS");
  if (options.datacenters || options.cidr_groups)
    throw InvalidRequest("cqld is a single node: ACCESS TO DATACENTERS and ACCESS FROM CIDRS are not supported");
}

auth::RoleChanges changes_of(const ast::RoleOptions& options) {
  check_supported(options);
  auth::RoleChanges changes;
  changes.salted_hash = salted_hash(options);
  changes.login = options.login;
  changes.superuser = options.superuser;
  return changes;
}

bool user_holds_role(const auth::Access& access, const std::string& role) {
  if (access.user().empty()) return false;
  auto roles = access.service()->roles_of(access.user(), true);
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

void require_role(const auth::AuthService& auth, const std::string& role, const std::string& message) {
  if (!auth.find_role(role)) throw InvalidRequest(message);
}

ColumnSpec column(const char* name, TypePtr type) { return ColumnSpec{"system", "roles", name, std::move(type), {}}; }
Value text(const std::string& s) { return Value::of(s); }
Value boolean(bool b) { return Value::of(std::string(1, b ? '\1' : '\0')); }

RowsResult role_rows(const auth::AuthService& auth, const std::vector<std::string>& names) {
  RowsResult rows;
  TypePtr t = primitive_type(TypeKind::kVarchar);
  TypePtr b = primitive_type(TypeKind::kBoolean);
  rows.metadata.columns = {column("role", t), column("super", b), column("login", b),
                           column("options", map_type(t, t, false)), column("datacenters", t)};
  for (const auto& name : names) {
    std::optional<auth::RoleRecord> role = auth.find_role(name);
    if (!role) continue;
    rows.cells.insert(rows.cells.end(), {text(role->name), boolean(role->superuser), boolean(role->login),
                                         Value::of(serialize_map({})), text("ALL")});
    ++rows.row_count;
  }
  return rows;
}

std::vector<std::string> names_of(const std::vector<auth::RoleRecord>& roles) {
  std::vector<std::string> names;
  for (const auto& role : roles) names.push_back(role.name);
  return names;
}

}  // namespace

ast::CreateRoleStatement as_role_statement(const ast::CreateUserStatement& s) {
  ast::CreateRoleStatement role{s.user, s.if_not_exists, s.options};
  role.options.login = true;
  return role;
}

ast::AlterRoleStatement as_role_statement(const ast::AlterUserStatement& s) { return {s.user, false, s.options}; }

ast::DropRoleStatement as_role_statement(const ast::DropUserStatement& s) { return {s.user, s.if_exists}; }

void check_auth_access(const auth::Access& access, const ast::CreateRoleStatement& s) {
  access.ensure_not_anonymous();
  access.ensure_role_permission(Permission::kCreate, Resource::all_roles());
  if (s.options.superuser.value_or(false) && !access.is_superuser())
    throw unauthorized("Only superusers can create a role with superuser status");
}

Result run_auth_statement(ExecutionContext& ctx, const ast::CreateRoleStatement& s) {
  auth::RoleChanges options = changes_of(s.options);
  if (service(ctx).find_role(s.role)) {
    if (s.if_not_exists) return VoidResult{};
    throw InvalidRequest(s.role + " already exists");
  }
  service(ctx).create_role(s.role, options);
  if (service(ctx).options().authorize && !ctx.client->user.empty()) {
    Resource created = Resource::role(s.role);
    service(ctx).grant(created.applicable(), created, ctx.client->user);
  }
  return VoidResult{};
}

// As Cassandra's AlterRoleStatement: superuser status is a superuser's to change, never one's
// own; a role may change its own password; anything else needs ALTER on the role.
void check_auth_access(const auth::Access& access, const ast::AlterRoleStatement& s) {
  access.ensure_not_anonymous();
  if (s.options.superuser && user_holds_role(access, s.role))
    throw unauthorized("You aren't allowed to alter your own superuser status or that of a role granted to you");
  bool superuser = access.is_superuser();
  if (s.options.superuser && !superuser) throw unauthorized("Only superusers are allowed to alter superuser status");
  if (superuser) return;
  if (access.user() == s.role) {
    if (s.options.login) throw unauthorized("You aren't allowed to alter LOGIN");
    if (s.options.options) throw unauthorized("You aren't allowed to alter OPTIONS");
    return;
  }
  access.ensure_role_permission(Permission::kAlter, Resource::role(s.role));
}

Result run_auth_statement(ExecutionContext& ctx, const ast::AlterRoleStatement& s) {
  auth::RoleChanges changes = changes_of(s.options);
  if (!service(ctx).find_role(s.role)) {
    if (s.if_exists) return VoidResult{};
    throw InvalidRequest("Role " + s.role + " doesn't exist");
  }
  service(ctx).alter_role(s.role, changes);
  return VoidResult{};
}

void check_auth_access(const auth::Access& access, const ast::DropRoleStatement& s) {
  access.ensure_not_anonymous();
  access.ensure_role_permission(Permission::kDrop, Resource::role(s.role));
  if (!access.is_superuser() && access.service()->is_superuser(s.role))
    throw unauthorized("Only superusers can drop a role with superuser status");
}

Result run_auth_statement(ExecutionContext& ctx, const ast::DropRoleStatement& s) {
  if (ctx.client->user == s.role) throw InvalidRequest("Cannot DROP primary role for current login");
  if (!service(ctx).find_role(s.role)) {
    if (s.if_exists) return VoidResult{};
    throw InvalidRequest(s.role + " doesn't exist");
  }
  service(ctx).drop_role(s.role);
  return VoidResult{};
}

void check_auth_access(const auth::Access& access, const ast::GrantRoleStatement& s) {
  access.ensure_not_anonymous();
  access.ensure_role_permission(Permission::kAuthorize, Resource::role(s.role));
}

// As CassandraRoleManager: no role may be granted to a role it already holds, or that holds it.
Result run_auth_statement(ExecutionContext& ctx, const ast::GrantRoleStatement& s) {
  auth::AuthService& auth = service(ctx);
  require_role(auth, s.role, s.role + " doesn't exist");
  require_role(auth, s.grantee, s.grantee + " doesn't exist");
  auto held_by_grantee = auth.roles_of(s.grantee, true);
  if (std::find(held_by_grantee.begin(), held_by_grantee.end(), s.role) != held_by_grantee.end())
    throw InvalidRequest(s.grantee + " is a member of " + s.role);
  auto held_by_role = auth.roles_of(s.role, true);
  if (std::find(held_by_role.begin(), held_by_role.end(), s.grantee) != held_by_role.end())
    throw InvalidRequest(s.role + " is a member of " + s.grantee);
  auth.grant_role(s.role, s.grantee);
  return VoidResult{};
}

void check_auth_access(const auth::Access& access, const ast::RevokeRoleStatement& s) {
  access.ensure_not_anonymous();
  access.ensure_role_permission(Permission::kAuthorize, Resource::role(s.role));
}

Result run_auth_statement(ExecutionContext& ctx, const ast::RevokeRoleStatement& s) {
  auth::AuthService& auth = service(ctx);
  require_role(auth, s.role, s.role + " doesn't exist");
  require_role(auth, s.revokee, s.revokee + " doesn't exist");
  auto direct = auth.roles_of(s.revokee, false);
  if (std::find(direct.begin(), direct.end(), s.role) == direct.end() || s.role == s.revokee)
    throw InvalidRequest(s.revokee + " is not a member of " + s.role);
  auth.revoke_role(s.role, s.revokee);
  return VoidResult{};
}

void check_auth_access(const auth::Access& access, const ast::ListRolesStatement&) { access.ensure_not_anonymous(); }

// Superusers and holders of DESCRIBE on all roles see every role; others only their own.
Result run_auth_statement(ExecutionContext& ctx, const ast::ListRolesStatement& s) {
  auth::Access access = access_of(ctx);
  auth::AuthService& auth = service(ctx);
  bool describe_all = access.is_superuser() || access.has_permission(Permission::kDescribe, Resource::all_roles());
  if (s.role.empty()) {
    if (describe_all) return role_rows(auth, names_of(auth.all_roles()));
    return role_rows(auth, auth.roles_of(ctx.client->user, true));
  }
  if (!auth.find_role(s.role)) throw InvalidRequest(Resource::role(s.role).display() + " doesn't exist");
  if (!describe_all && !user_holds_role(access, s.role))
    throw unauthorized("You are not authorized to view roles granted to " + s.role);
  return role_rows(auth, auth.roles_of(s.role, s.recursive));
}

void check_auth_access(const auth::Access& access, const ast::ListUsersStatement&) { access.ensure_not_anonymous(); }

// The roles that may log in, with superuser status held directly or through a granted role.
Result run_auth_statement(ExecutionContext& ctx, const ast::ListUsersStatement&) {
  auth::Access access = access_of(ctx);
  auth::AuthService& auth = service(ctx);
  bool describe_all = access.is_superuser() || access.has_permission(Permission::kDescribe, Resource::all_roles());
  std::vector<std::string> names = describe_all ? names_of(auth.all_roles()) : auth.roles_of(ctx.client->user, true);
  RowsResult rows;
  TypePtr t = primitive_type(TypeKind::kVarchar);
  rows.metadata.columns = {column("name", t), column("super", primitive_type(TypeKind::kBoolean)),
                           column("datacenters", t)};
  for (const auto& name : names) {
    std::optional<auth::RoleRecord> role = auth.find_role(name);
    if (!role || !role->login) continue;
    rows.cells.insert(rows.cells.end(), {text(name), boolean(auth.is_superuser(name)), text("ALL")});
    ++rows.row_count;
  }
  return rows;
}

}  // namespace cqld
