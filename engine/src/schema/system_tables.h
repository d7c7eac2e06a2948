// The system keyspaces cqld serves: system (local, peers, peers_v2), system_schema.* and
// system_virtual_schema.*. They are not stored: each read generates rows from the current
// schema snapshot, with Cassandra 4's table definitions, so drivers build metadata from them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "schema/schema.h"
#include "types/value.h"

namespace cqld {

// Node facts reported in system.local.
struct LocalNodeInfo {
  std::string cluster_name;
  std::string release_version;
  std::string listen_address;   // dotted IPv4 or IPv6 text
  std::string rpc_address;      // the address the client reached
  int rpc_port = 9042;
  Uuid host_id{};
  int64_t token = 0;
};

// One generated row: a value for every column of the table, in TableDef column order.
using VirtualRow = std::vector<Value>;

struct VirtualTable {
  TablePtr def;
  std::function<std::vector<VirtualRow>(const Schema&, const LocalNodeInfo&)> rows;
};

// Whether a keyspace name is one of the system keyspaces (reads only; DDL refused).
bool is_system_keyspace(const std::string& keyspace);
// Looks up a virtual table; nullptr if "keyspace.table" is not one.
const VirtualTable* find_virtual_table(const std::string& keyspace, const std::string& table);
// The schema of the system keyspaces, merged into every snapshot handed to readers so that
// system_schema lists them and the driver's metadata knows their columns.
void add_system_keyspaces(Schema* schema);

}  // namespace cqld
