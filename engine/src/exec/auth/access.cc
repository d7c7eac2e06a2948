#include "exec/auth/access.h"

#include "common/errors.h"

namespace cqld::auth {
namespace {

// Keyspaces every logged-in role may read: what drivers and cqlsh query to connect.
bool readable_system_keyspace(const std::string& keyspace) {
  return keyspace == "system" || keyspace == "system_schema" || keyspace == "system_virtual_schema" ||
         keyspace == "system_views";
}

}  // namespace

void Access::ensure_not_anonymous() const {
  if (client_.internal) return;
  if (!authenticating() || client_.user.empty())
    throw CqlError(ErrorCode::kUnauthorized, "You have to be logged in and not anonymous to perform this request");
}

bool Access::is_superuser() const {
  if (client_.internal) return true;
  return authenticating() && !client_.user.empty() && service_->is_superuser(client_.user);
}

bool Access::has_permission(Permission p, const Resource& resource) const {
  if (!authorizing() || client_.internal) return true;
  if (client_.user.empty()) return false;
  if (is_superuser()) return true;
  for (const Resource& r : resource.chain())
    if (service_->permissions_of(client_.user, r).contains(p)) return true;
  return false;
}

void Access::ensure_permission(Permission p, const Resource& resource) const {
  if (has_permission(p, resource)) return;
  throw CqlError(ErrorCode::kUnauthorized, "User " + client_.user + " has no " + std::string(permission_name(p)) +
                                               " permission on " + resource.display() + " or any of its parents");
}

void Access::ensure_table_permission(Permission p, const std::string& keyspace, const std::string& table) const {
  if (!authorizing()) return;
  if (p == Permission::kSelect && readable_system_keyspace(keyspace)) return;
  ensure_permission(p, Resource::table(keyspace, table));
}

void Access::ensure_role_permission(Permission p, const Resource& resource) const {
  if (has_permission(p, resource)) return;
  throw CqlError(ErrorCode::kUnauthorized,
                 "User " + client_.user + " does not have sufficient privileges to perform the requested operation");
}

}  // namespace cqld::auth
