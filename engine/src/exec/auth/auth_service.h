// Roles, their memberships and their permissions, kept in the system_auth tables of the store
// (roles, role_members, role_permissions, resource_role_permissons_index, with Cassandra's
// definitions) so they survive restarts and read back through SELECT as in Cassandra. Every
// change is a write of CQL through the processor as an internal client, which no access check
// or system-keyspace guard refuses. Nothing is cached: a GRANT or REVOKE applies to the next
// statement on every connection. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exec/auth/resource.h"
#include "exec/query_processor.h"

namespace cqld::auth {

struct AuthOptions {
  bool authenticate = false;  // PasswordAuthenticator: logins checked against system_auth.roles
  bool authorize = false;     // CassandraAuthorizer: every statement checked against permissions
  // The default superuser's password, set when it is created (the first start with
  // authentication); later starts leave the stored role alone.
  std::string superuser_password = "cassandra";
};

// The default superuser a node with authentication creates when it has no role at all.
constexpr const char* kDefaultSuperuser = "cassandra";
// Cassandra refuses a second password change of one role within this window (Overloaded).
constexpr std::chrono::milliseconds kPasswordChangeInterval{5000};

struct RoleRecord {
  std::string name;
  bool superuser = false;
  bool login = false;
  std::vector<std::string> member_of;  // roles granted to it directly, sorted
  std::optional<std::string> salted_hash;
};

// What CREATE or ALTER sets; an empty field is left as it is (CREATE: false / no password).
struct RoleChanges {
  std::optional<std::string> salted_hash;
  std::optional<bool> login;
  std::optional<bool> superuser;
};

struct PermissionGrant {
  std::string role;
  Resource resource;
  PermissionSet permissions;
};

class AuthService {
 public:
  // "processor" runs the internal CQL and must outlive the service.
  AuthService(QueryProcessor& processor, AuthOptions options);

  const AuthOptions& options() const { return options_; }
  // Creates the default superuser when authenticating and no role exists yet.
  void create_default_superuser();

  std::optional<RoleRecord> find_role(const std::string& name) const;
  std::vector<RoleRecord> all_roles() const;  // sorted by name
  void create_role(const std::string& name, const RoleChanges& options);
  // Throws OverloadedError when the role's password changed less than kPasswordChangeInterval ago.
  void alter_role(const std::string& name, const RoleChanges& changes);
  // Removes the role, its memberships both ways, its permissions and those on it.
  void drop_role(const std::string& name);
  void grant_role(const std::string& role, const std::string& grantee);
  void revoke_role(const std::string& role, const std::string& revokee);
  // "name" and the roles granted to it, directly or (recursive) through other roles; sorted.
  std::vector<std::string> roles_of(const std::string& name, bool recursive) const;
  // Whether "name" or a role granted to it is a superuser.
  bool is_superuser(const std::string& name) const;

  // The permissions "user" holds on "resource" itself (not its parents), through all its roles.
  PermissionSet permissions_of(const std::string& user, const Resource& resource) const;
  std::vector<PermissionGrant> grants_of(const std::string& role) const;  // by resource name
  void grant(PermissionSet permissions, const Resource& resource, const std::string& role);
  void revoke(PermissionSet permissions, const Resource& resource, const std::string& role);
  // Removes every permission on a dropped resource (a keyspace also takes its tables').
  void revoke_all_on(const Resource& resource);

  // The role a login names when "password" matches its stored hash and it may log in; nullopt
  // otherwise, with "reason" saying why (Cassandra's messages).
  std::optional<std::string> authenticate(const std::string& user, const std::string& password,
                                          std::string* reason) const;

 private:
  RowsResult run(std::string_view cql, std::vector<Value> values) const;
  void note_password_change(const std::string& role, bool enforce_interval);

  QueryProcessor& processor_;
  AuthOptions options_;
  std::mutex password_changes_mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> password_changes_;  // one per role
};

}  // namespace cqld::auth
