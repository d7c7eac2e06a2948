// What permissions are granted on, as Cassandra names them: the data hierarchy (all keyspaces,
// a keyspace, all its tables, a table), roles (all roles, a role) and functions (all
// functions, those of a keyspace, one function). A resource's name is what system_auth stores
// ("data/ks/t"); its display form is what messages and LIST PERMISSIONS show ("<table ks.t>").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cqld::auth {

// In Cassandra's declaration order, which LIST PERMISSIONS sorts by.
enum class Permission : uint8_t {
  kCreate,
  kAlter,
  kDrop,
  kSelect,
  kModify,
  kAuthorize,
  kDescribe,
  kExecute,
  kUnmask,
  kSelectMasked,
};
constexpr int kPermissionCount = 10;

// A set of permissions, one bit per Permission.
class PermissionSet {
 public:
  constexpr PermissionSet() = default;
  static PermissionSet of(std::initializer_list<Permission> permissions);
  static PermissionSet all() { return PermissionSet(static_cast<uint16_t>((1u << kPermissionCount) - 1)); }
  bool contains(Permission p) const { return (bits_ >> static_cast<int>(p)) & 1u; }
  void add(Permission p) { bits_ |= static_cast<uint16_t>(1u << static_cast<int>(p)); }
  void add(PermissionSet other) { bits_ |= other.bits_; }
  void remove(PermissionSet other) { bits_ &= static_cast<uint16_t>(~other.bits_); }
  PermissionSet intersect(PermissionSet other) const { return PermissionSet(bits_ & other.bits_); }
  bool empty() const { return bits_ == 0; }
  std::vector<Permission> list() const;  // in declaration order
  // The names system_auth.role_permissions stores, and back (unknown names are ignored).
  std::vector<std::string> names() const;
  static PermissionSet from_names(const std::vector<std::string>& names);

 private:
  constexpr explicit PermissionSet(uint16_t bits) : bits_(bits) {}
  uint16_t bits_ = 0;
};

std::string_view permission_name(Permission p);  // "SELECT"
std::optional<Permission> parse_permission(std::string_view upper_name);

class Resource {
 public:
  enum class Kind : uint8_t {
    kAllKeyspaces,
    kKeyspace,
    kAllTables,  // every table of one keyspace: what CREATE TABLE needs
    kTable,
    kAllRoles,
    kRole,
    kAllFunctions,
    kKeyspaceFunctions,
    kFunction,
  };

  static Resource all_keyspaces() { return Resource(Kind::kAllKeyspaces); }
  static Resource keyspace(std::string ks) { return Resource(Kind::kKeyspace, std::move(ks)); }
  static Resource all_tables(std::string ks) { return Resource(Kind::kAllTables, std::move(ks)); }
  static Resource table(std::string ks, std::string t) { return Resource(Kind::kTable, std::move(ks), std::move(t)); }
  static Resource all_roles() { return Resource(Kind::kAllRoles); }
  static Resource role(std::string r) { return Resource(Kind::kRole, {}, std::move(r)); }
  static Resource all_functions() { return Resource(Kind::kAllFunctions); }
  static Resource keyspace_functions(std::string ks) { return Resource(Kind::kKeyspaceFunctions, std::move(ks)); }
  // "argument_types" as CQL writes them ("int", "frozen<list<text>>").
  static Resource function(std::string ks, std::string name, std::vector<std::string> argument_types);

  Kind kind() const { return kind_; }
  const std::string& keyspace_name() const { return keyspace_; }
  const std::string& object_name() const { return name_; }  // table, role or function
  const std::vector<std::string>& argument_types() const { return argument_types_; }

  // The name system_auth stores: "data", "data/ks", "data/ks/*", "data/ks/t", "roles",
  // "roles/r", "functions", "functions/ks", "functions/ks/f[int^text]".
  std::string name() const;
  static std::optional<Resource> from_name(std::string_view name);
  // "<all keyspaces>", "<keyspace ks>", "<all tables in ks>", "<table ks.t>", "<all roles>",
  // "<role r>", "<all functions>", "<all functions in ks>", "<function ks.f(int)>".
  std::string display() const;
  std::optional<Resource> parent() const;
  // The resource and its parents, the resource first.
  std::vector<Resource> chain() const;
  // What may be granted on it (GRANT ALL grants exactly these).
  PermissionSet applicable() const;
  // "DataResource", "RoleResource", "FunctionResource": Cassandra's class, named in messages.
  std::string_view type_name() const;

  bool operator==(const Resource& other) const = default;

 private:
  explicit Resource(Kind kind, std::string keyspace = {}, std::string name = {})
      : kind_(kind), keyspace_(std::move(keyspace)), name_(std::move(name)) {}

  Kind kind_;
  std::string keyspace_;
  std::string name_;
  std::vector<std::string> argument_types_;
};

}  // namespace cqld::auth
