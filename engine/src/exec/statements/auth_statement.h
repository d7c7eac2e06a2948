// The statements of roles and permissions: CREATE/ALTER/DROP ROLE and USER, GRANT/REVOKE of
// roles and of permissions, LIST ROLES/USERS/PERMISSIONS. Each kind has its access check
// (check_auth_access) and its execution (run_auth_statement), one overload per kind, in
// role_statements.cc and permission_statements.cc; both go through auth::AuthService.
#pragma once

#include "cql/ast.h"
#include "exec/statements/statement.h"

namespace cqld {

void check_auth_access(const auth::Access& access, const ast::CreateRoleStatement& s);
void check_auth_access(const auth::Access& access, const ast::AlterRoleStatement& s);
void check_auth_access(const auth::Access& access, const ast::DropRoleStatement& s);
void check_auth_access(const auth::Access& access, const ast::GrantRoleStatement& s);
void check_auth_access(const auth::Access& access, const ast::RevokeRoleStatement& s);
void check_auth_access(const auth::Access& access, const ast::ListRolesStatement& s);
void check_auth_access(const auth::Access& access, const ast::ListUsersStatement& s);
void check_auth_access(const auth::Access& access, const ast::GrantPermissionsStatement& s);
void check_auth_access(const auth::Access& access, const ast::RevokePermissionsStatement& s);
void check_auth_access(const auth::Access& access, const ast::ListPermissionsStatement& s);

Result run_auth_statement(ExecutionContext& ctx, const ast::CreateRoleStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::AlterRoleStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::DropRoleStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::GrantRoleStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::RevokeRoleStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::ListRolesStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::ListUsersStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::GrantPermissionsStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::RevokePermissionsStatement& s);
Result run_auth_statement(ExecutionContext& ctx, const ast::ListPermissionsStatement& s);

// CREATE USER, ALTER USER and DROP USER are the role statements under their older names: a user
// is a role that may log in.
ast::CreateRoleStatement as_role_statement(const ast::CreateUserStatement& s);
ast::AlterRoleStatement as_role_statement(const ast::AlterUserStatement& s);
ast::DropRoleStatement as_role_statement(const ast::DropUserStatement& s);

template <class Raw>
class AuthStatement : public CqlStatement {
 public:
  explicit AuthStatement(Raw raw) : raw_(std::move(raw)) {}
  StatementKind kind() const override { return StatementKind::kOther; }
  void check_access(const auth::Access& access) const override { check_auth_access(access, raw_); }
  Result execute(ExecutionContext& ctx) const override { return run_auth_statement(ctx, raw_); }

 private:
  Raw raw_;
};

}  // namespace cqld
