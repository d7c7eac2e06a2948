#include "exec/ddl.h"

#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/write_failure.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "schema/system_tables.h"

namespace cqld {
namespace {

constexpr size_t kMaxNameLength = 48;

using Change = SchemaChangeResult::Change;
using Target = SchemaChangeResult::Target;

SchemaChangeResult change(Change c, Target t, const std::string& ks, const std::string& name = "") {
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

void validate_keyspace_name(const std::string& name) {
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!ok)
    throw InvalidRequest("Keyspace name must not be empty and must contain alphanumeric or underscore characters only (got \"" +
                         name + "\")");
  if (name.size() > kMaxNameLength)
    throw InvalidRequest("Keyspace name must not be more than 48 characters long (got \"" + name + "\")");
}

void validate_name(const std::string& name, const char* what) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
            });
  if (!ok)
    throw InvalidRequest(std::string(what) +
                         " name must not be empty, more than 48 characters long, or contain "
                         "non-alphanumeric-underscore characters (got \"" + name + "\")");
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

}  // namespace

std::string statement_keyspace(const std::string& named, const ClientState& client) {
  if (!named.empty()) return named;
  if (client.keyspace.empty())
    throw InvalidRequest(
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  return client.keyspace;
}

Result create_keyspace(const DdlContext& ctx, const ast::CreateKeyspaceStatement& s) {
  validate_keyspace_name(s.keyspace);
  refuse_system(s.keyspace);
  KeyspaceProperties props = parse_keyspace_properties(s.properties, s.keyspace);
  if (!props.has_replication) throw InvalidRequest("Missing mandatory option 'replication'");
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (schema.keyspaces.count(s.keyspace)) {
      if (s.if_not_exists) return std::nullopt;
      throw AlreadyExists(s.keyspace, "", "Cannot add existing keyspace \"" + s.keyspace + "\"");
    }
    auto ks = std::make_shared<KeyspaceDef>();
    ks->name = s.keyspace;
    ks->replication = props.replication;
    ks->durable_writes = props.durable_writes;
    schema.keyspaces[s.keyspace] = ks;
    return change(Change::kCreated, Target::kKeyspace, s.keyspace);
  }));
}

Result alter_keyspace(const DdlContext& ctx, const ast::AlterKeyspaceStatement& s) {
  refuse_system(s.keyspace);
  KeyspaceProperties props = parse_keyspace_properties(s.properties, s.keyspace);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.keyspaces.count(s.keyspace)) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + s.keyspace + "' doesn't exist");
    }
    KeyspaceDef& ks = mutable_keyspace(schema, s.keyspace);
    if (props.has_replication) ks.replication = props.replication;
    if (props.has_durable_writes) ks.durable_writes = props.durable_writes;
    return change(Change::kUpdated, Target::kKeyspace, s.keyspace);
  }));
}

Result drop_keyspace(const DdlContext& ctx, const ast::DropKeyspaceStatement& s) {
  refuse_system(s.keyspace);
  auto r = ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    auto it = schema.keyspaces.find(s.keyspace);
    if (it == schema.keyspaces.end()) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + s.keyspace + "' doesn't exist");
    }
    schema.keyspaces.erase(it);
    return change(Change::kDropped, Target::kKeyspace, s.keyspace);
  });
  return to_result(r);
}

namespace {

ColumnDef make_column(const ast::ColumnDefinition& def, const Schema& schema, const std::string& ks) {
  ColumnDef c;
  c.name = def.name;
  c.type = resolve_type(def.type, schema, ks);
  c.kind = def.is_static ? ColumnKind::kStatic : ColumnKind::kRegular;
  return c;
}

void assign_primary_key(const ast::CreateTableStatement& s, TableDef& t) {
  std::vector<std::string> partition = s.partition_key;
  std::vector<std::string> clustering = s.clustering_columns;
  for (const auto& def : s.columns) {
    if (!def.primary_key) continue;
    if (!partition.empty())
      throw InvalidRequest("Multiple PRIMARY KEY specified for table '" + t.name + "' (exactly one required)");
    partition.push_back(def.name);
  }
  if (partition.empty()) throw InvalidRequest("No PRIMARY KEY specifed for table '" + t.name + "' (exactly one required)");
  auto mark = [&](const std::string& name, ColumnKind kind, int position) {
    int i = t.column_index(name);
    if (i < 0) throw InvalidRequest("Unknown definition " + name + " referenced in PRIMARY KEY");
    ColumnDef& c = t.columns[static_cast<size_t>(i)];
    if (c.kind == ColumnKind::kPartitionKey || c.kind == ColumnKind::kClustering)
      throw InvalidRequest("Duplicate column " + name + " in PRIMARY KEY");
    if (c.kind == ColumnKind::kStatic) throw InvalidRequest("Static column '" + name + "' cannot be part of the PRIMARY KEY");
    if (c.type->is_multi_cell() && c.type->kind == TypeKind::kUdt)
      throw InvalidRequest("Invalid non-frozen user-defined type \"" + c.type->udt_keyspace + "." + c.type->udt_name +
                           "\" for PRIMARY KEY column '" + name + "'");
    if (c.type->is_multi_cell())
      throw InvalidRequest("Invalid non-frozen collection type " + type_to_cql(*c.type) + " for PRIMARY KEY column '" + name + "'");
    if (c.type->kind == TypeKind::kCounter)
      throw InvalidRequest("counter type is not supported for PRIMARY KEY column '" + name + "'");
    if (c.type->kind == TypeKind::kDuration)
      throw InvalidRequest("duration type is not supported for PRIMARY KEY column '" + name + "'");
    c.kind = kind;
    c.position = position;
  };
  for (size_t i = 0; i < partition.size(); ++i) mark(partition[i], ColumnKind::kPartitionKey, static_cast<int>(i));
  for (size_t i = 0; i < clustering.size(); ++i) mark(clustering[i], ColumnKind::kClustering, static_cast<int>(i));
}

void apply_clustering_order(const ast::CreateTableStatement& s, TableDef& t) {
  if (s.clustering_order.empty()) return;
  for (size_t i = 0; i < s.clustering_order.size(); ++i) {
    const auto& item = s.clustering_order[i];
    int ci = t.column_index(item.column);
    if (ci < 0 || t.columns[ci].kind != ColumnKind::kClustering)
      throw InvalidRequest("Only clustering key columns can be defined in CLUSTERING ORDER directive: [" +
                           item.column + "] are not clustering columns");
    if (i >= s.clustering_columns.size() || s.clustering_columns[i] != item.column)
      throw InvalidRequest("The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns (" +
                           item.column + " must appear as " + (i < s.clustering_columns.size() ? s.clustering_columns[i] : std::string("?")) + ")");
    t.columns[ci].descending = item.descending;
  }
}

void validate_table_columns(const TableDef& t) {
  bool has_counter = false, has_non_counter = false;
  for (const auto& c : t.columns) {
    if (c.is_primary_key()) continue;
    (c.type->kind == TypeKind::kCounter ? has_counter : has_non_counter) = true;
    if (c.kind == ColumnKind::kStatic && t.clustering.empty())
      throw InvalidRequest("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
  }
  if (has_counter && has_non_counter)
    throw InvalidRequest("Cannot mix counter and non counter columns in the same table");
}

}  // namespace

Result create_table(const DdlContext& ctx, const ast::CreateTableStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  validate_name(s.table.name, "Table");
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.keyspaces.count(ks_name)) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing->tables.count(s.table.name)) {
      if (s.if_not_exists) return std::nullopt;
      throw AlreadyExists(ks_name, s.table.name, "Cannot add already existing table \"" + s.table.name + "\" to keyspace \"" + ks_name + "\"");
    }
    auto t = std::make_shared<TableDef>();
    t->keyspace = ks_name;
    t->name = s.table.name;
    t->id = random_uuid();
    t->storage_id = schema.next_storage_id++;
    std::set<std::string> seen;
    for (const auto& def : s.columns) {
      if (!seen.insert(def.name).second)
        throw InvalidRequest("Duplicate column '" + def.name + "' declaration for table '" + ks_name + "." + t->name + "'");
      ColumnDef c = make_column(def, schema, ks_name);
      c.id = t->next_column_id++;
      t->columns.push_back(std::move(c));
    }
    assign_primary_key(s, *t);
    sort_columns(*t);
    apply_clustering_order(s, *t);
    validate_table_columns(*t);
    for (const auto& c : t->columns)
      if (c.type->kind == TypeKind::kCounter) t->is_counter = true;
    t->compact_storage = s.compact_storage;
    t->options = default_table_options();
    apply_table_properties(s.properties, &t->options);
    if (t->is_counter && std::get<int32_t>(t->options["default_time_to_live"]) > 0)
      throw InvalidRequest("Cannot set default_time_to_live on a table with counters");
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.tables[t->name] = t;
    return change(Change::kCreated, Target::kTable, ks_name, t->name);
  }));
}

namespace {

void alter_add(const Schema& schema, TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& def : s.add) {
    const ColumnDef* existing = t.find_column(def.name);
    if (existing != nullptr) {
      if (s.if_column_exists) continue;
      throw InvalidRequest("Column with name '" + def.name + "' already exists");
    }
    ColumnDef c = make_column(def, schema, t.keyspace);
    if (c.kind == ColumnKind::kStatic && t.clustering.empty())
      throw InvalidRequest("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
    if ((c.type->kind == TypeKind::kCounter) != t.is_counter)
      throw InvalidRequest(t.is_counter ? "Cannot add a non counter column (" + def.name + ") in a counter table"
                                        : "Cannot add a counter column (" + def.name + ") in a non counter table");
    c.id = t.next_column_id++;
    t.columns.push_back(std::move(c));
    *changed = true;
  }
  sort_columns(t);
}

void alter_drop(TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& name : s.drop) {
    int i = t.column_index(name);
    if (i < 0) {
      if (s.if_column_exists) continue;
      throw InvalidRequest("Column " + name + " was not found in table '" + t.keyspace + "." + t.name + "'");
    }
    if (t.columns[i].is_primary_key()) throw InvalidRequest("Cannot drop PRIMARY KEY column " + name);
    for (const auto& index : t.indexes)
      if (index.column == name)
        throw InvalidRequest("Cannot drop column " + name + " because it has dependent secondary indexes (" + index.name + ")");
    t.columns.erase(t.columns.begin() + i);
    *changed = true;
  }
  rebuild_key_indexes(t);
}

void alter_rename(TableDef& t, const ast::AlterTableStatement& s, bool* changed) {
  for (const auto& [from, to] : s.renames) {
    int i = t.column_index(from);
    if (i < 0) {
      if (s.if_column_exists) continue;
      throw InvalidRequest("Column " + from + " was not found in table " + t.keyspace + "." + t.name);
    }
    if (!t.columns[i].is_primary_key())
      throw InvalidRequest("Cannot rename non PRIMARY KEY column " + from);
    if (t.find_column(to) != nullptr)
      throw InvalidRequest("Cannot rename column " + from + " to " + to + " in table '" + t.name + "'; another column with that name already exists");
    if (t.find_index_on(from) != nullptr)
      throw InvalidRequest("Cannot rename column " + from + " because it has dependent secondary indexes");
    t.columns[i].name = to;
    *changed = true;
  }
}

}  // namespace

Result alter_table(const DdlContext& ctx, const ast::AlterTableStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.find_keyspace(ks_name)) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    if (!schema.find_table(ks_name, s.table.name)) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Table '" + ks_name + "." + s.table.name + "' doesn't exist");
    }
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    auto t = mutable_table(ks, s.table.name);
    bool changed = false;
    switch (s.action) {
      case ast::AlterTableStatement::Action::kAdd: alter_add(schema, *t, s, &changed); break;
      case ast::AlterTableStatement::Action::kDrop: alter_drop(*t, s, &changed); break;
      case ast::AlterTableStatement::Action::kRename: alter_rename(*t, s, &changed); break;
      case ast::AlterTableStatement::Action::kWith:
        apply_table_properties(s.properties, &t->options);
        changed = true;
        break;
      case ast::AlterTableStatement::Action::kAlterColumnType:
        throw InvalidRequest("Altering column types is no longer supported");
      case ast::AlterTableStatement::Action::kAlterColumnMask:
        throw InvalidRequest("Dynamic data masking is not supported by cqld");
      case ast::AlterTableStatement::Action::kDropCompactStorage:
        if (!t->compact_storage) throw InvalidRequest("Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE");
        t->compact_storage = false;
        changed = true;
        break;
    }
    if (!changed) return std::nullopt;
    return change(Change::kUpdated, Target::kTable, ks_name, s.table.name);
  }));
}

Result drop_table(const DdlContext& ctx, const ast::DropTableStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  auto r = ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.find_keyspace(ks_name)) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    }
    const TableDef* t = schema.find_table(ks_name, s.table.name);
    if (t == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Table '" + ks_name + "." + s.table.name + "' doesn't exist");
    }
    mutable_keyspace(schema, ks_name).tables.erase(s.table.name);
    return change(Change::kDropped, Target::kTable, ks_name, s.table.name);
  });
  return to_result(r);
}

Result truncate_table(const DdlContext& ctx, const ast::TruncateStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  SchemaPtr schema = ctx.schema->current();
  if (is_system_keyspace(ks_name)) refuse_system(ks_name);
  if (!schema->find_keyspace(ks_name)) throw InvalidRequest("keyspace " + ks_name + " does not exist");
  const TableDef* t = schema->find_table(ks_name, s.table.name);
  if (t == nullptr) throw InvalidRequest("table " + s.table.name + " does not exist");
  check_write(ctx.store->truncate(t->storage_id));
  return VoidResult{};
}

namespace {

IndexTarget index_target(ast::IndexTarget::Kind kind, const ColumnDef& c) {
  switch (kind) {
    case ast::IndexTarget::Kind::kKeys: return IndexTarget::kKeys;
    case ast::IndexTarget::Kind::kEntries: return IndexTarget::kEntries;
    case ast::IndexTarget::Kind::kFull: return IndexTarget::kFull;
    case ast::IndexTarget::Kind::kValues: return IndexTarget::kValues;
    case ast::IndexTarget::Kind::kSimple:
      return c.type->is_collection() && c.type->frozen ? IndexTarget::kFull : IndexTarget::kValues;
  }
  return IndexTarget::kValues;
}

std::string target_option(ast::IndexTarget::Kind kind, IndexTarget target, const ColumnDef& c) {
  std::string name = quote_if_needed(c.name);
  if (kind == ast::IndexTarget::Kind::kSimple && !c.type->is_collection()) return name;
  switch (target) {
    case IndexTarget::kKeys: return "keys(" + name + ")";
    case IndexTarget::kEntries: return "entries(" + name + ")";
    case IndexTarget::kFull: return "full(" + name + ")";
    case IndexTarget::kValues: return "values(" + name + ")";
  }
  return name;
}

bool index_name_taken(const KeyspaceDef& ks, const std::string& name) {
  for (const auto& [tn, t] : ks.tables)
    for (const auto& i : t->indexes)
      if (i.name == name) return true;
  return false;
}

void validate_index_target(const TableDef& t, const ColumnDef& c, ast::IndexTarget::Kind kind, IndexTarget target) {
  if (c.kind == ColumnKind::kPartitionKey && t.partition_key.size() == 1)
    throw InvalidRequest("Cannot create secondary index on the only partition key column " + c.name);
  if (c.type->kind == TypeKind::kCounter) throw InvalidRequest("Secondary indexes on counter tables aren't supported");
  if (c.type->is_collection() && c.type->frozen && kind != ast::IndexTarget::Kind::kFull)
    throw InvalidRequest("Cannot create " + std::string(kind == ast::IndexTarget::Kind::kKeys ? "keys" : kind == ast::IndexTarget::Kind::kEntries ? "entries" : "values") +
                         "() index on frozen column " + c.name +
                         ". Frozen collections are immutable and must be fully indexed by using the 'full(" + c.name + ")' modifier");
  bool collection = c.type->is_collection();
  if (c.type->is_multi_cell() && kind == ast::IndexTarget::Kind::kFull)
    throw InvalidRequest("full() indexes can only be created on frozen collections");
  if (!c.type->is_multi_cell() && collection && kind != ast::IndexTarget::Kind::kFull && kind != ast::IndexTarget::Kind::kSimple)
    throw InvalidRequest("Frozen collections only support full() indexes");
  if ((target == IndexTarget::kKeys || target == IndexTarget::kEntries) && c.type->kind != TypeKind::kMap)
    throw InvalidRequest(std::string("Cannot create index on ") + (target == IndexTarget::kKeys ? "keys" : "entries") +
                         " of column " + c.name + " with non-map type");
  if (!collection && kind != ast::IndexTarget::Kind::kSimple && kind != ast::IndexTarget::Kind::kValues)
    throw InvalidRequest("Cannot create index on a non-collection column " + c.name);
}

}  // namespace

Result create_index(const DdlContext& ctx, const ast::CreateIndexStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  if (s.targets.size() != 1) throw InvalidRequest("Only one index target is supported");
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.find_keyspace(ks_name)) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    const TableDef* existing = schema.find_table(ks_name, s.table.name);
    if (existing == nullptr) throw InvalidRequest("Table '" + ks_name + "." + s.table.name + "' doesn't exist");
    const auto& target = s.targets[0];
    const ColumnDef* c = existing->find_column(target.column);
    if (c == nullptr) throw InvalidRequest("Undefined column name " + target.column + " in table " + ks_name + "." + s.table.name);
    IndexTarget kind = index_target(target.kind, *c);
    validate_index_target(*existing, *c, target.kind, kind);
    const KeyspaceDef& ks_def = *schema.find_keyspace(ks_name);
    std::string name = s.name;
    if (name.empty()) {
      // Cassandra's default names: <table>_<column>_idx, then _1, _2, ... when taken.
      std::string base = s.table.name + "_" + c->name + "_idx";
      name = base;
      for (int n = 1; index_name_taken(ks_def, name); ++n) name = base + "_" + std::to_string(n);
    }
    if (index_name_taken(ks_def, name)) {
      if (s.if_not_exists) return std::nullopt;
      throw InvalidRequest("Index '" + name + "' already exists");
    }
    for (const auto& i : existing->indexes) {
      if (i.column == c->name && i.target == kind) {
        if (s.if_not_exists) return std::nullopt;
        throw InvalidRequest("Index " + name + " is a duplicate of existing index " + i.name);
      }
    }
    IndexDef index;
    index.name = name;
    index.column = c->name;
    index.target = kind;
    index.custom = s.custom;
    index.options["target"] = target_option(target.kind, kind, *c);
    if (s.custom) index.options["class_name"] = s.using_class;
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    auto t = mutable_table(ks, s.table.name);
    t->indexes.push_back(std::move(index));
    return change(Change::kUpdated, Target::kTable, ks_name, s.table.name);
  }));
}

Result drop_index(const DdlContext& ctx, const ast::DropIndexStatement& s) {
  std::string ks_name = statement_keyspace(s.index.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    }
    for (const auto& [tn, t] : existing->tables) {
      for (size_t i = 0; i < t->indexes.size(); ++i) {
        if (t->indexes[i].name != s.index.name) continue;
        std::string table_name = tn;
        KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
        auto copy = mutable_table(ks, table_name);
        copy->indexes.erase(copy->indexes.begin() + static_cast<long>(i));
        return change(Change::kUpdated, Target::kTable, ks_name, table_name);
      }
    }
    if (s.if_exists) return std::nullopt;
    throw InvalidRequest("Index '" + ks_name + "." + s.index.name + "' doesn't exist'");
  }));
}

Result create_type(const DdlContext& ctx, const ast::CreateTypeStatement& s) {
  std::string ks_name = statement_keyspace(s.type.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    if (existing->find_type(s.type.name) != nullptr) {
      if (s.if_not_exists) return std::nullopt;
      throw InvalidRequest("A user type with name '" + s.type.name + "' already exists");
    }
    auto type = std::make_shared<UserTypeDef>();
    type->keyspace = ks_name;
    type->name = s.type.name;
    std::set<std::string> seen;
    for (const auto& [field, raw] : s.fields) {
      if (!seen.insert(field).second) throw InvalidRequest("Duplicate field name " + field + " in type " + s.type.name);
      TypePtr t = resolve_type(raw, schema, ks_name);
      if (t->is_multi_cell()) t = frozen_type(t);
      if (t->kind == TypeKind::kCounter) throw InvalidRequest("A user type cannot contain counters");
      type->field_names.push_back(field);
      type->field_types.push_back(t);
    }
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.types[type->name] = type;
    ks.type_order.push_back(type->name);
    return change(Change::kCreated, Target::kType, ks_name, type->name);
  }));
}

namespace {

// Replaces every use of the user type ks.name inside "type" by its new definition.
TypePtr replace_udt(const TypePtr& type, const UserTypeDef& updated) {
  if (type->kind == TypeKind::kUdt && type->udt_keyspace == updated.keyspace && type->udt_name == updated.name)
    return updated.as_type(type->frozen);
  if (type->params.empty()) return type;
  auto copy = std::make_shared<CqlType>(*type);
  for (auto& p : copy->params) p = replace_udt(p, updated);
  return copy;
}

void propagate_type_change(KeyspaceDef& ks, const UserTypeDef& updated) {
  for (auto& [tn, t] : ks.tables) {
    bool uses = false;
    for (const auto& c : t->columns) uses = uses || type_references_udt(*c.type, ks.name, updated.name);
    if (!uses) continue;
    auto copy = std::make_shared<TableDef>(*t);
    for (auto& c : copy->columns) c.type = replace_udt(c.type, updated);
    t = copy;
  }
  for (auto& [name, other] : ks.types) {
    if (name == updated.name) continue;
    bool uses = false;
    for (const auto& f : other->field_types) uses = uses || type_references_udt(*f, ks.name, updated.name);
    if (!uses) continue;
    auto copy = std::make_shared<UserTypeDef>(*other);
    for (auto& f : copy->field_types) f = replace_udt(f, updated);
    other = copy;
  }
}

}  // namespace

Result alter_type(const DdlContext& ctx, const ast::AlterTypeStatement& s) {
  std::string ks_name = statement_keyspace(s.type.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    const UserTypeDef* old = existing->find_type(s.type.name);
    if (old == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("No user type named '" + s.type.name + "' exists.");
    }
    auto updated = std::make_shared<UserTypeDef>(*old);
    auto field_index = [&](const std::string& f) {
      auto it = std::find(updated->field_names.begin(), updated->field_names.end(), f);
      return it == updated->field_names.end() ? -1 : static_cast<int>(it - updated->field_names.begin());
    };
    if (s.action == ast::AlterTypeStatement::Action::kAdd) {
      if (field_index(s.field) >= 0) {
        if (s.if_field_exists) return std::nullopt;
        throw InvalidRequest("Cannot add field " + s.field + " to type " + ks_name + "." + s.type.name +
                             ": a field with name " + s.field + " already exists");
      }
      TypePtr t = resolve_type(s.field_type, schema, ks_name);
      if (t->is_multi_cell()) t = frozen_type(t);
      updated->field_names.push_back(s.field);
      updated->field_types.push_back(t);
    } else if (s.action == ast::AlterTypeStatement::Action::kRename) {
      for (const auto& [from, to] : s.renames) {
        int i = field_index(from);
        if (i < 0) {
          if (s.if_field_exists) continue;
          throw InvalidRequest("Unkown field " + from + " in user type " + ks_name + "." + s.type.name);
        }
        updated->field_names[static_cast<size_t>(i)] = to;
      }
    } else {
      throw InvalidRequest("Altering field types is no longer supported");
    }
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.types[updated->name] = updated;
    propagate_type_change(ks, *updated);
    return change(Change::kUpdated, Target::kType, ks_name, updated->name);
  }));
}

Result drop_type(const DdlContext& ctx, const ast::DropTypeStatement& s) {
  std::string ks_name = statement_keyspace(s.type.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* existing = schema.find_keyspace(ks_name);
    if (existing == nullptr || existing->find_type(s.type.name) == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Type '" + ks_name + "." + s.type.name + "' doesn't exist");
    }
    std::vector<std::string> using_types, using_tables;
    for (const auto& [tn, other] : existing->types)
      for (const auto& f : other->field_types)
        if (type_references_udt(*f, ks_name, s.type.name)) {
          using_types.push_back(tn);
          break;
        }
    for (const auto& [tn, t] : existing->tables)
      for (const auto& c : t->columns)
        if (type_references_udt(*c.type, ks_name, s.type.name)) {
          using_tables.push_back(tn);
          break;
        }
    auto join = [](const std::vector<std::string>& names) {
      std::string out;
      for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
      return out;
    };
    std::string prefix = "Cannot drop user type '" + ks_name + "." + s.type.name + "' as it is still used by ";
    if (!using_types.empty()) throw InvalidRequest(prefix + "user types " + join(using_types));
    if (!using_tables.empty()) throw InvalidRequest(prefix + "tables " + join(using_tables));
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    ks.types.erase(s.type.name);
    ks.type_order.erase(std::find(ks.type_order.begin(), ks.type_order.end(), s.type.name));
    return change(Change::kDropped, Target::kType, ks_name, s.type.name);
  }));
}

}  // namespace cqld
