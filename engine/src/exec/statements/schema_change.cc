#include "exec/statements/schema_change.h"

#include <algorithm>

#include "common/errors.h"
#include "exec/column_mask.h"
#include "exec/type_resolver.h"
#include "schema/system_tables.h"

namespace cqld {

constexpr size_t kMaxKeyspaceNameLength = 48;
// A table's directory is its name, a dash and 32 hex digits, within a file system's 255 bytes.
constexpr size_t kMaxTableNameLength = 222;

using Change = SchemaChangeResult::Change;
using Target = SchemaChangeResult::Target;

SchemaChangeResult change(Change c, Target t, const std::string& ks, const std::string& name) {
  SchemaChangeResult r;
  r.change = c;
  r.target = t;
  r.keyspace = ks;
  r.name = name;
  return r;
}

Result to_result(const std::optional<SchemaChangeResult>& r) {
  if (r) return *r;
  return VoidResult{};
}

bool is_identifier_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

void validate_keyspace_name(const std::string& name) {
  if (!is_identifier_name(name))
    throw InvalidRequest("Keyspace name must not be empty and must contain alphanumeric or underscore characters only (got \"" +
                         name + "\")");
  if (name.size() > kMaxKeyspaceNameLength)
    throw InvalidRequest("Keyspace name must not be more than 48 characters long (got " + std::to_string(name.size()) +
                         " characters for \"" + name + "\")");
}

// Cassandra 5.0's TableMetadata.validate: a ConfigurationException prefixed with the table.
void validate_table_name(const std::string& keyspace, const std::string& name) {
  std::string prefix = keyspace + "." + name + ": ";
  if (!is_identifier_name(name))
    throw ConfigurationError(prefix + "Table name must not be empty or not contain non-alphanumeric-underscore characters (got \"" +
                             name + "\")");
  if (name.size() > kMaxTableNameLength)
    throw ConfigurationError(prefix + "Table name must not be more than 222 characters long (got " +
                             std::to_string(name.size()) + " characters for \"" + name + "\")");
}

void refuse_system(const std::string& keyspace) {
  if (is_system_keyspace(keyspace))
    throw CqlError(ErrorCode::kUnauthorized, keyspace + " keyspace is not user-modifiable.");
}

KeyspaceDef& mutable_keyspace(Schema& schema, const std::string& name) {
  auto it = schema.keyspaces.find(name);
  if (it == schema.keyspaces.end()) throw InvalidRequest("Keyspace '" + name + "' doesn't exist");
  auto copy = std::make_shared<KeyspaceDef>(*it->second);
  it->second = copy;
  return *copy;
}

std::shared_ptr<TableDef> mutable_table(KeyspaceDef& ks, const std::string& name) {
  auto it = ks.tables.find(name);
  if (it == ks.tables.end()) return nullptr;
  auto copy = std::make_shared<TableDef>(*it->second);
  it->second = copy;
  return copy;
}

// SELECT * order: partition key, clustering, static then regular columns, each by name.
void sort_columns(TableDef& t) {
  auto rank = [](const ColumnDef& c) {
    switch (c.kind) {
      case ColumnKind::kPartitionKey: return 0;
      case ColumnKind::kClustering: return 1;
      case ColumnKind::kStatic: return 2;
      case ColumnKind::kRegular: return 3;
    }
    return 3;
  };
  std::stable_sort(t.columns.begin(), t.columns.end(), [&](const ColumnDef& a, const ColumnDef& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) < 2) return a.position < b.position;
    return a.name < b.name;
  });
  rebuild_key_indexes(t);
}

std::string quote_if_needed(const std::string& name) {
  bool plain = !name.empty() && std::islower(static_cast<unsigned char>(name[0])) &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
               });
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

ColumnDef make_column(const ast::ColumnDefinition& def, const Schema& schema, const std::string& ks) {
  ColumnDef c;
  c.name = def.name;
  c.type = resolve_type(def.type, schema, ks);
  c.kind = def.is_static ? ColumnKind::kStatic : ColumnKind::kRegular;
  if (def.mask) check_column_mask(*def.mask, def.name, c.type);
  return c;
}

std::string statement_keyspace(const std::string& named, const ClientState& client) {
  if (!named.empty()) return named;
  if (client.keyspace.empty())
    throw InvalidRequest(
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  return client.keyspace;
}

}  // namespace cqld
