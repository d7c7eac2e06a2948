// What a statement's check_access asks about its client: whether it is logged in, a
// superuser, and holds a permission on a resource or one of its parents, with Cassandra's
// Unauthorized messages. Built per request by the processor; with no AuthService (or one that
// neither authenticates nor authorizes) every check passes.
#pragma once

#include <string>

#include "exec/auth/auth_service.h"
#include "exec/auth/resource.h"
#include "exec/query_processor.h"
#include "schema/schema.h"

namespace cqld::auth {

class Access {
 public:
  // "service" (may be null), "client" and "schema" (may be null) must outlive the Access. The
  // schema is the one current when the request runs: some checks name a table found through it
  // (an index's or a view's base table), as Cassandra's do at execution.
  Access(const AuthService* service, const ClientState& client, const Schema* schema = nullptr)
      : service_(service), client_(client), schema_(schema) {}

  const AuthService* service() const { return service_; }
  const ClientState& client() const { return client_; }
  const Schema* schema() const { return schema_; }
  bool authenticating() const { return service_ != nullptr && service_->options().authenticate; }
  bool authorizing() const { return service_ != nullptr && service_->options().authorize; }
  const std::string& user() const { return client_.user; }

  // Unauthorized "You have to be logged in and not anonymous to perform this request".
  void ensure_not_anonymous() const;
  bool is_superuser() const;
  // Whether the user holds "p" on "resource" or a parent (superusers hold everything).
  bool has_permission(Permission p, const Resource& resource) const;
  // Unauthorized "User u has no P permission on <resource> or any of its parents".
  void ensure_permission(Permission p, const Resource& resource) const;
  // A table's permission, with Cassandra's exceptions for system tables: the schema tables
  // (system_schema, system_virtual_schema) and cqld's generated system ones are readable by
  // every logged-in role; system_auth's need permissions like any table.
  void ensure_table_permission(Permission p, const std::string& keyspace, const std::string& table) const;
  // For role statements: Unauthorized "User u does not have sufficient privileges to perform
  // the requested operation" unless the user holds "p" on "resource" or a parent.
  void ensure_role_permission(Permission p, const Resource& resource) const;

 private:
  const AuthService* service_;
  const ClientState& client_;
  const Schema* schema_;
};

}  // namespace cqld::auth
