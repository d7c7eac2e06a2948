#include "exec/auth/auth_service.h"

#include <algorithm>
#include <set>

#include "common/errors.h"
#include "common/log.h"
#include "exec/auth/password_hash.h"

namespace cqld::auth {
namespace {

Value text(const std::string& s) { return Value::of(s); }
Value boolean(bool b) { return Value::of(std::string(1, b ? '\1' : '\0')); }
Value text_set(const std::vector<std::string>& elements) { return Value::of(serialize_collection(elements)); }

bool as_bool(const Value& v) { return v.is_set() && !v.bytes.empty() && v.bytes[0] != 0; }
std::vector<std::string> as_set(const Value& v) {
  return v.is_set() ? parse_collection(v.bytes) : std::vector<std::string>{};
}

// The rows of a result, row by row.
std::vector<std::vector<Value>> rows_of(const RowsResult& rows) {
  std::vector<std::vector<Value>> out;
  size_t width = rows.metadata.columns.size();
  for (size_t r = 0; r < rows.row_count; ++r)
    out.emplace_back(rows.cells.begin() + static_cast<long>(r * width),
                     rows.cells.begin() + static_cast<long>((r + 1) * width));
  return out;
}

RoleRecord role_from_row(const std::vector<Value>& row) {
  RoleRecord role;
  role.name = row[0].bytes;
  role.login = as_bool(row[1]);
  role.superuser = as_bool(row[2]);
  role.member_of = as_set(row[3]);
  if (row[4].is_set()) role.salted_hash = row[4].bytes;
  return role;
}

constexpr const char* kSelectRole =
    "SELECT role, can_login, is_superuser, member_of, salted_hash FROM system_auth.roles";

}  // namespace

AuthService::AuthService(QueryProcessor& processor, AuthOptions options)
    : processor_(processor), options_(std::move(options)) {}

RowsResult AuthService::run(std::string_view cql, std::vector<Value> values) const {
  ClientState internal;
  internal.internal = true;
  QueryOptions query;
  query.values = std::move(values);
  Result result = processor_.query(internal, cql, query);
  if (auto* rows = std::get_if<RowsResult>(&result)) return std::move(*rows);
  return {};
}

void AuthService::create_default_superuser() {
  if (!options_.authenticate) return;
  if (run("SELECT role FROM system_auth.roles LIMIT 1", {}).row_count > 0) return;
  run("INSERT INTO system_auth.roles (role, is_superuser, can_login, salted_hash) VALUES (?, true, true, ?)",
      {text(kDefaultSuperuser), text(hash_password(options_.superuser_password))});
  log_message(LogLevel::kInfo, std::string("Created default superuser role '") + kDefaultSuperuser + "'");
}

std::optional<RoleRecord> AuthService::find_role(const std::string& name) const {
  RowsResult rows = run(std::string(kSelectRole) + " WHERE role = ?", {text(name)});
  if (rows.row_count == 0) return std::nullopt;
  return role_from_row(rows_of(rows).front());
}

std::vector<RoleRecord> AuthService::all_roles() const {
  std::vector<RoleRecord> roles;
  for (const auto& row : rows_of(run(kSelectRole, {}))) roles.push_back(role_from_row(row));
  std::sort(roles.begin(), roles.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return roles;
}

void AuthService::create_role(const std::string& name, const RoleChanges& options) {
  run("INSERT INTO system_auth.roles (role, is_superuser, can_login, salted_hash) VALUES (?, ?, ?, ?)",
      {text(name), boolean(options.superuser.value_or(false)), boolean(options.login.value_or(false)),
       options.salted_hash ? text(*options.salted_hash) : Value::null()});
  if (options.salted_hash) note_password_change(name, false);
}

void AuthService::alter_role(const std::string& name, const RoleChanges& changes) {
  if (changes.salted_hash) {
    note_password_change(name, true);
    run("UPDATE system_auth.roles SET salted_hash = ? WHERE role = ?", {text(*changes.salted_hash), text(name)});
  }
  if (changes.login)
    run("UPDATE system_auth.roles SET can_login = ? WHERE role = ?", {boolean(*changes.login), text(name)});
  if (changes.superuser)
    run("UPDATE system_auth.roles SET is_superuser = ? WHERE role = ?", {boolean(*changes.superuser), text(name)});
}

void AuthService::note_password_change(const std::string& role, bool enforce_interval) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(password_changes_mutex_);
  auto it = password_changes_.find(role);
  if (enforce_interval && it != password_changes_.end() && now - it->second < kPasswordChangeInterval)
    throw OverloadedError("Password for role " + role + " can only be changed every " +
                          std::to_string(kPasswordChangeInterval.count()) + "ms.");
  // Entries older than the window say nothing: drop them, so the map holds only recent changes.
  std::erase_if(password_changes_, [&](const auto& entry) { return now - entry.second >= kPasswordChangeInterval; });
  password_changes_[role] = now;
}

void AuthService::drop_role(const std::string& name) {
  std::optional<RoleRecord> role = find_role(name);
  if (!role) return;
  for (const auto& granted : role->member_of)
    run("DELETE FROM system_auth.role_members WHERE role = ? AND member = ?", {text(granted), text(name)});
  for (const auto& row : rows_of(run("SELECT member FROM system_auth.role_members WHERE role = ?", {text(name)})))
    run("UPDATE system_auth.roles SET member_of = member_of - ? WHERE role = ?", {text_set({name}), row[0]});
  run("DELETE FROM system_auth.role_members WHERE role = ?", {text(name)});
  for (const auto& grant : grants_of(name))
    run("DELETE FROM system_auth.resource_role_permissons_index WHERE resource = ? AND role = ?",
        {text(grant.resource.name()), text(name)});
  run("DELETE FROM system_auth.role_permissions WHERE role = ?", {text(name)});
  run("DELETE FROM system_auth.roles WHERE role = ?", {text(name)});
  revoke_all_on(Resource::role(name));
}

void AuthService::grant_role(const std::string& role, const std::string& grantee) {
  run("UPDATE system_auth.roles SET member_of = member_of + ? WHERE role = ?", {text_set({role}), text(grantee)});
  run("INSERT INTO system_auth.role_members (role, member) VALUES (?, ?)", {text(role), text(grantee)});
}

void AuthService::revoke_role(const std::string& role, const std::string& revokee) {
  run("UPDATE system_auth.roles SET member_of = member_of - ? WHERE role = ?", {text_set({role}), text(revokee)});
  run("DELETE FROM system_auth.role_members WHERE role = ? AND member = ?", {text(role), text(revokee)});
}

std::vector<std::string> AuthService::roles_of(const std::string& name, bool recursive) const {
  std::set<std::string> seen{name};
  std::vector<std::string> pending{name};
  while (!pending.empty()) {
    std::string next = pending.back();
    pending.pop_back();
    std::optional<RoleRecord> role = find_role(next);
    if (!role) continue;
    for (const auto& granted : role->member_of) {
      if (seen.insert(granted).second && recursive) pending.push_back(granted);
    }
    if (!recursive) break;
  }
  return {seen.begin(), seen.end()};
}

bool AuthService::is_superuser(const std::string& name) const {
  for (const auto& role : roles_of(name, true)) {
    std::optional<RoleRecord> record = find_role(role);
    if (record && record->superuser) return true;
  }
  return false;
}

PermissionSet AuthService::permissions_of(const std::string& user, const Resource& resource) const {
  PermissionSet held;
  for (const auto& role : roles_of(user, true)) {
    RowsResult rows = run("SELECT permissions FROM system_auth.role_permissions WHERE role = ? AND resource = ?",
                          {text(role), text(resource.name())});
    for (const auto& row : rows_of(rows)) held.add(PermissionSet::from_names(as_set(row[0])));
  }
  return held;
}

std::vector<PermissionGrant> AuthService::grants_of(const std::string& role) const {
  std::vector<PermissionGrant> grants;
  RowsResult rows =
      run("SELECT resource, permissions FROM system_auth.role_permissions WHERE role = ?", {text(role)});
  for (const auto& row : rows_of(rows)) {
    std::optional<Resource> resource = Resource::from_name(row[0].bytes);
    if (!resource) continue;  // not a kind cqld knows: kept, never matched
    grants.push_back({role, *resource, PermissionSet::from_names(as_set(row[1]))});
  }
  return grants;
}

void AuthService::grant(PermissionSet permissions, const Resource& resource, const std::string& role) {
  run("UPDATE system_auth.role_permissions SET permissions = permissions + ? WHERE role = ? AND resource = ?",
      {text_set(permissions.names()), text(role), text(resource.name())});
  run("INSERT INTO system_auth.resource_role_permissons_index (resource, role) VALUES (?, ?)",
      {text(resource.name()), text(role)});
}

void AuthService::revoke(PermissionSet permissions, const Resource& resource, const std::string& role) {
  run("UPDATE system_auth.role_permissions SET permissions = permissions - ? WHERE role = ? AND resource = ?",
      {text_set(permissions.names()), text(role), text(resource.name())});
  RowsResult left = run("SELECT permissions FROM system_auth.role_permissions WHERE role = ? AND resource = ?",
                        {text(role), text(resource.name())});
  bool none_left = left.row_count == 0 || as_set(left.cells[0]).empty();
  if (!none_left) return;
  run("DELETE FROM system_auth.role_permissions WHERE role = ? AND resource = ?", {text(role), text(resource.name())});
  run("DELETE FROM system_auth.resource_role_permissons_index WHERE resource = ? AND role = ?",
      {text(resource.name()), text(role)});
}

void AuthService::revoke_all_on(const Resource& resource) {
  std::vector<std::string> names{resource.name()};
  if (resource.kind() == Resource::Kind::kKeyspace) {
    // The keyspace's tables, its "all tables" and its functions go with it.
    for (const auto& row : rows_of(run("SELECT resource FROM system_auth.resource_role_permissons_index", {}))) {
      const std::string& name = row[0].bytes;
      if (name.starts_with(resource.name() + "/") || name == "functions/" + resource.keyspace_name() ||
          name.starts_with("functions/" + resource.keyspace_name() + "/"))
        names.push_back(name);
    }
  }
  for (const auto& name : names) {
    RowsResult rows = run("SELECT role FROM system_auth.resource_role_permissons_index WHERE resource = ?", {text(name)});
    for (const auto& row : rows_of(rows))
      run("DELETE FROM system_auth.role_permissions WHERE role = ? AND resource = ?", {row[0], text(name)});
    run("DELETE FROM system_auth.resource_role_permissons_index WHERE resource = ?", {text(name)});
  }
}

std::optional<std::string> AuthService::authenticate(const std::string& user, const std::string& password,
                                                     std::string* reason) const {
  std::optional<RoleRecord> role = find_role(user);
  if (!role || !role->salted_hash || !check_password(password, *role->salted_hash)) {
    *reason = "Provided username " + user + " and/or password are incorrect";
    return std::nullopt;
  }
  if (!role->login) {
    *reason = user + " is not permitted to log in";
    return std::nullopt;
  }
  return role->name;
}

}  // namespace cqld::auth
