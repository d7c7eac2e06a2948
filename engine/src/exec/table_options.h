// WITH properties of CREATE/ALTER TABLE: validation and conversion to stored option values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "schema/schema.h"

namespace cqld {

// Applies each property to "options" (which starts as the defaults or the current options).
// Throws SyntaxError for unknown properties and ConfigurationError/InvalidRequest for bad values.
void apply_table_properties(const std::vector<ast::Property>& properties,
                            std::map<std::string, OptionValue>* options);

// Keyspace replication from CREATE/ALTER KEYSPACE properties; "class" fully qualified.
struct KeyspaceProperties {
  std::map<std::string, std::string> replication;
  bool has_replication = false;
  bool durable_writes = true;
  bool has_durable_writes = false;
};
KeyspaceProperties parse_keyspace_properties(const std::vector<ast::Property>& properties,
                                             const std::string& keyspace);

}  // namespace cqld
