#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/sai_index.h"
#include "exec/secondary_index.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

namespace cqld {

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
  if (t.compact_storage) {
    if (c.is_primary_key())
      throw InvalidRequest("Secondary indexes are not supported on PRIMARY KEY columns in COMPACT STORAGE tables");
    // A dense table's one regular column is its compact value column.
    if (!t.clustering.empty() && c.kind == ColumnKind::kRegular)
      throw InvalidRequest("Secondary indexes are not supported on compact value column of COMPACT STORAGE tables");
  }
  if (c.kind == ColumnKind::kPartitionKey && t.partition_key.size() == 1)
    throw InvalidRequest("Cannot create secondary index on the only partition key column " + c.name);
  if (c.type->kind == TypeKind::kCounter) throw InvalidRequest("Secondary indexes on counter tables aren't supported");
  if (c.type->kind == TypeKind::kDuration) throw InvalidRequest("Secondary indexes are not supported on duration columns");
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

// The index class a USING names: SAI under any of its names, SASI (disabled, as in a default
// Cassandra 5.0), or a class Cassandra cannot load.
void check_index_class(const ast::CreateIndexStatement& s) {
  if (s.using_class.empty() || is_sai_class(s.using_class)) return;
  if (s.using_class == "org.apache.cassandra.index.sasi.SASIIndex" || s.using_class == "SASIIndex")
    throw InvalidRequest("SASI indexes are disabled. Enable in cassandra.yaml to use.");
  throw ConfigurationError("Unable to find custom indexer class '" + s.using_class + "'");
}

// WITH OPTIONS = {...}: the index's options as written (strings), "target" and "class_name" aside.
std::map<std::string, std::string> index_options(const ast::CreateIndexStatement& s) {
  std::map<std::string, std::string> out;
  for (const auto& p : s.properties) {
    if (p.name != "options") continue;
    for (size_t i = 0; i + 1 < p.value.elements.size(); i += 2)
      out[p.value.elements[i].text] = p.value.elements[i + 1].text;
  }
  return out;
}

}  // namespace

Result create_index(const DdlContext& ctx, const ast::CreateIndexStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  check_index_class(s);
  bool sai = is_sai_class(s.using_class);
  if (sai) check_sai_targets(s.targets);
  if (s.targets.size() != 1) throw InvalidRequest("Only one index target is supported");
  std::map<std::string, std::string> options = index_options(s);
  std::string created;  // the name of an index whose entries are to be built
  Result result = to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.find_keyspace(ks_name)) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    const TableDef* existing = schema.find_table(ks_name, s.table.name);
    if (existing == nullptr) throw InvalidRequest("Table '" + s.table.name + "' doesn't exist");
    if (existing->is_view()) throw InvalidRequest("Secondary indexes on materialized views aren't supported");
    const auto& target = s.targets[0];
    const ColumnDef* c = existing->find_column(target.column);
    if (c == nullptr) throw undefined_column(target.column, ks_name, s.table.name);
    IndexTarget kind = index_target(target.kind, *c);
    validate_index_target(*existing, *c, target.kind, kind);
    if (sai) validate_sai(*c, options);
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
    index.custom = s.custom || sai;
    if (sai) index.options = options;
    index.options["target"] = target_option(target.kind, kind, *c);
    if (index.custom) index.options["class_name"] = s.using_class;
    if (keeps_entries(*existing, index)) {
      index.storage_id = schema.next_storage_id++;
      index.building = true;
      created = name;
    }
    KeyspaceDef& ks = mutable_keyspace(schema, ks_name);
    auto t = mutable_table(ks, s.table.name);
    t->indexes.push_back(std::move(index));
    return change(Change::kUpdated, Target::kTable, ks_name, s.table.name);
  }));
  // The index is in the schema, so every write from now on adds its entries; the build adds
  // those of the rows already there. Cassandra answers before its build ends; here the
  // statement returns once the index answers queries from its entries.
  if (!created.empty()) ctx.schema->build_index(ks_name, s.table.name, created);
  return result;
}

}  // namespace cqld
