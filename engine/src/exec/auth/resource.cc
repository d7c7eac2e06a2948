#include "exec/auth/resource.h"

namespace cqld::auth {
namespace {

constexpr std::string_view kPermissionNames[kPermissionCount] = {
    "CREATE", "ALTER", "DROP", "SELECT", "MODIFY", "AUTHORIZE", "DESCRIBE", "EXECUTE", "UNMASK", "SELECT_MASKED"};

using P = Permission;
const PermissionSet kDataRoot = PermissionSet::of(
    {P::kCreate, P::kAlter, P::kDrop, P::kSelect, P::kModify, P::kAuthorize, P::kUnmask, P::kSelectMasked});
const PermissionSet kDataTable =
    PermissionSet::of({P::kAlter, P::kDrop, P::kSelect, P::kModify, P::kAuthorize, P::kUnmask, P::kSelectMasked});
const PermissionSet kRoleRoot = PermissionSet::of({P::kCreate, P::kAlter, P::kDrop, P::kAuthorize, P::kDescribe});
const PermissionSet kRoleOne = PermissionSet::of({P::kAlter, P::kDrop, P::kAuthorize, P::kDescribe});
const PermissionSet kFunctionRoot = PermissionSet::of({P::kCreate, P::kAlter, P::kDrop, P::kAuthorize, P::kExecute});
const PermissionSet kFunctionOne = PermissionSet::of({P::kAlter, P::kDrop, P::kAuthorize, P::kExecute});

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      parts.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

}  // namespace

PermissionSet PermissionSet::of(std::initializer_list<Permission> permissions) {
  PermissionSet set;
  for (Permission p : permissions) set.add(p);
  return set;
}

std::vector<Permission> PermissionSet::list() const {
  std::vector<Permission> out;
  for (int i = 0; i < kPermissionCount; ++i)
    if (contains(static_cast<Permission>(i))) out.push_back(static_cast<Permission>(i));
  return out;
}

std::vector<std::string> PermissionSet::names() const {
  std::vector<std::string> out;
  for (Permission p : list()) out.emplace_back(permission_name(p));
  return out;
}

PermissionSet PermissionSet::from_names(const std::vector<std::string>& names) {
  PermissionSet set;
  for (const auto& name : names)
    if (auto p = parse_permission(name)) set.add(*p);
  return set;
}

std::string_view permission_name(Permission p) { return kPermissionNames[static_cast<int>(p)]; }

std::optional<Permission> parse_permission(std::string_view upper_name) {
  for (int i = 0; i < kPermissionCount; ++i)
    if (kPermissionNames[i] == upper_name) return static_cast<Permission>(i);
  return std::nullopt;
}

Resource Resource::function(std::string ks, std::string name, std::vector<std::string> argument_types) {
  Resource r(Kind::kFunction, std::move(ks), std::move(name));
  r.argument_types_ = std::move(argument_types);
  return r;
}

std::string Resource::name() const {
  switch (kind_) {
    case Kind::kAllKeyspaces: return "data";
    case Kind::kKeyspace: return "data/" + keyspace_;
    case Kind::kAllTables: return "data/" + keyspace_ + "/*";
    case Kind::kTable: return "data/" + keyspace_ + "/" + name_;
    case Kind::kAllRoles: return "roles";
    case Kind::kRole: return "roles/" + name_;
    case Kind::kAllFunctions: return "functions";
    case Kind::kKeyspaceFunctions: return "functions/" + keyspace_;
    case Kind::kFunction: return "functions/" + keyspace_ + "/" + name_ + "[" + join(argument_types_, "^") + "]";
  }
  return {};
}

std::optional<Resource> Resource::from_name(std::string_view name) {
  std::vector<std::string> parts = split(name, '/');
  if (parts.empty()) return std::nullopt;
  if (parts[0] == "data") {
    if (parts.size() == 1) return all_keyspaces();
    if (parts.size() == 2) return keyspace(parts[1]);
    if (parts.size() == 3) return parts[2] == "*" ? all_tables(parts[1]) : table(parts[1], parts[2]);
  } else if (parts[0] == "roles") {
    if (parts.size() == 1) return all_roles();
    if (parts.size() == 2) return role(parts[1]);
  } else if (parts[0] == "functions") {
    if (parts.size() == 1) return all_functions();
    if (parts.size() == 2) return keyspace_functions(parts[1]);
    size_t open = parts[2].find('[');
    if (parts.size() == 3 && open != std::string::npos && parts[2].back() == ']') {
      std::string args = parts[2].substr(open + 1, parts[2].size() - open - 2);
      return function(parts[1], parts[2].substr(0, open), split(args, '^'));
    }
  }
  return std::nullopt;
}

std::string Resource::display() const {
  switch (kind_) {
    case Kind::kAllKeyspaces: return "<all keyspaces>";
    case Kind::kKeyspace: return "<keyspace " + keyspace_ + ">";
    case Kind::kAllTables: return "<all tables in " + keyspace_ + ">";
    case Kind::kTable: return "<table " + keyspace_ + "." + name_ + ">";
    case Kind::kAllRoles: return "<all roles>";
    case Kind::kRole: return "<role " + name_ + ">";
    case Kind::kAllFunctions: return "<all functions>";
    case Kind::kKeyspaceFunctions: return "<all functions in " + keyspace_ + ">";
    case Kind::kFunction: return "<function " + keyspace_ + "." + name_ + "(" + join(argument_types_, ", ") + ")>";
  }
  return {};
}

std::optional<Resource> Resource::parent() const {
  switch (kind_) {
    case Kind::kKeyspace: return all_keyspaces();
    case Kind::kAllTables: return keyspace(keyspace_);
    case Kind::kTable: return keyspace(keyspace_);
    case Kind::kRole: return all_roles();
    case Kind::kKeyspaceFunctions: return all_functions();
    case Kind::kFunction: return keyspace_functions(keyspace_);
    default: return std::nullopt;
  }
}

std::vector<Resource> Resource::chain() const {
  std::vector<Resource> out{*this};
  while (auto up = out.back().parent()) out.push_back(*up);
  return out;
}

PermissionSet Resource::applicable() const {
  switch (kind_) {
    case Kind::kAllKeyspaces:
    case Kind::kKeyspace:
    case Kind::kAllTables: return kDataRoot;
    case Kind::kTable: return kDataTable;
    case Kind::kAllRoles: return kRoleRoot;
    case Kind::kRole: return kRoleOne;
    case Kind::kAllFunctions:
    case Kind::kKeyspaceFunctions: return kFunctionRoot;
    case Kind::kFunction: return kFunctionOne;
  }
  return {};
}

std::string_view Resource::type_name() const {
  switch (kind_) {
    case Kind::kAllRoles:
    case Kind::kRole: return "RoleResource";
    case Kind::kAllFunctions:
    case Kind::kKeyspaceFunctions:
    case Kind::kFunction: return "FunctionResource";
    default: return "DataResource";
  }
}

}  // namespace cqld::auth
