#include "exec/schema_manager.h"

#include "common/clock.h"
#include "common/log.h"
#include "exec/secondary_index.h"
#include "exec/statements/schema_change.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"

#include <set>

namespace cqld {
namespace {

constexpr const char* kSchemaKey = "schema";

// The stored schema holds user keyspaces only; the system ones are regenerated on load.
Schema without_system_keyspaces(const Schema& schema) {
  Schema copy = schema;
  for (auto it = copy.keyspaces.begin(); it != copy.keyspaces.end();) {
    it = is_system_keyspace(it->first) ? copy.keyspaces.erase(it) : std::next(it);
  }
  return copy;
}

// The storage ids of the tables "before" has and "after" does not: their data goes with them.
std::vector<uint32_t> dropped_tables(const Schema& before, const Schema& after) {
  std::set<uint32_t> kept;
  for (const auto& [name, keyspace] : after.keyspaces)
    for (const auto& [table_name, table] : keyspace->tables) kept.insert(table->storage_id);
  std::vector<uint32_t> dropped;
  for (const auto& [name, keyspace] : before.keyspaces)
    for (const auto& [table_name, table] : keyspace->tables)
      if (!kept.count(table->storage_id)) dropped.push_back(table->storage_id);
  return dropped;
}

// The storage ids of the indexes "before" has and "after" does not: their entries go with them.
std::vector<uint32_t> dropped_indexes(const Schema& before, const Schema& after) {
  std::set<uint32_t> kept;
  for (const auto& [name, keyspace] : after.keyspaces)
    for (const auto& [table_name, table] : keyspace->tables)
      for (const IndexDef& index : table->indexes) kept.insert(index.storage_id);
  std::vector<uint32_t> dropped;
  for (const auto& [name, keyspace] : before.keyspaces)
    for (const auto& [table_name, table] : keyspace->tables)
      for (const IndexDef& index : table->indexes)
        if (index.storage_id != 0 && !kept.count(index.storage_id)) dropped.push_back(index.storage_id);
  return dropped;
}

IndexDef* find_index(TableDef& table, const std::string& name) {
  for (IndexDef& index : table.indexes)
    if (index.name == name) return &index;
  return nullptr;
}

int64_t now_seconds() { return system_clock().now_micros() / 1000000; }

// Builds what open found unbuilt; nothing else runs yet, so no request can race a build.
bool build_unbuilt_indexes(Store* store, Schema* schema) {
  bool changed = false;
  for (auto& [ks_name, keyspace] : schema->keyspaces) {
    auto ks = std::make_shared<KeyspaceDef>(*keyspace);
    bool ks_changed = false;
    for (auto& [table_name, table] : ks->tables) {
      auto t = std::make_shared<TableDef>(*table);
      bool table_changed = false;
      for (IndexDef& index : t->indexes) {
        if (!keeps_entries(*t, index) || (index.storage_id != 0 && !index.building)) continue;
        if (index.storage_id == 0) index.storage_id = schema->next_storage_id++;
        log_message(LogLevel::kInfo, "building the entries of index " + ks_name + "." + index.name);
        check_write(store->drop_index_entries(index.storage_id));
        check_write(store->build_index(*t, index, now_seconds()));
        index.building = false;
        table_changed = true;
      }
      if (!table_changed) continue;
      table = t;
      ks_changed = true;
    }
    if (!ks_changed) continue;
    keyspace = ks;
    changed = true;
  }
  return changed;
}

}  // namespace

SchemaManager::SchemaManager(Store* store) : store_(store) {
  auto schema = std::make_shared<Schema>();
  if (auto stored = store_->get_meta(kSchemaKey)) {
    *schema = deserialize_schema(*stored);
  } else {
    schema->version = random_uuid();
  }
  try {
    if (build_unbuilt_indexes(store_, schema.get()))
      check_write(store_->apply_schema(kSchemaKey, serialize_schema(*schema), {}));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("building secondary index entries: ") + e.what());
  }
  add_system_keyspaces(schema.get());
  current_ = schema;
}

void SchemaManager::build_index(const std::string& keyspace, const std::string& table, const std::string& index) {
  write_order_.await_earlier();
  SchemaPtr schema = current();
  const TableDef* t = schema->find_table(keyspace, table);
  if (t == nullptr) return;
  uint32_t storage_id = 0;
  for (const IndexDef& i : t->indexes)
    if (i.name == index && i.building) storage_id = i.storage_id;
  if (storage_id == 0) return;
  for (const IndexDef& i : t->indexes)
    if (i.storage_id == storage_id) check_write(store_->build_index(*t, i, now_seconds()));
  std::optional<SchemaChangeResult> built = apply([&](Schema& next) -> std::optional<SchemaChangeResult> {
    const TableDef* now = next.find_table(keyspace, table);
    if (now == nullptr) return std::nullopt;
    bool still_there = false;
    for (const IndexDef& i : now->indexes) still_there = still_there || (i.name == index && i.storage_id == storage_id);
    if (!still_there) return std::nullopt;
    find_index(*mutable_table(mutable_keyspace(next, keyspace), table), index)->building = false;
    SchemaChangeResult result;
    result.change = SchemaChangeResult::Change::kUpdated;
    result.target = SchemaChangeResult::Target::kTable;
    result.keyspace = keyspace;
    result.name = table;
    return result;
  });
  // Dropped while it was built: the entries written since DROP INDEX removed the others go too.
  if (!built) check_write(store_->drop_index_entries(storage_id));
}

std::optional<SchemaChangeResult> SchemaManager::apply(const Change& change) {
  std::lock_guard<std::mutex> lock(ddl_mutex_);
  auto next = std::make_shared<Schema>(*current_);
  std::optional<SchemaChangeResult> result = change(*next);
  if (!result) return std::nullopt;
  next->version = random_uuid();
  check_write(store_->apply_schema(kSchemaKey, serialize_schema(without_system_keyspaces(*next)),
                                   dropped_tables(*current_, *next), dropped_indexes(*current_, *next)));
  std::atomic_store(&current_, std::shared_ptr<const Schema>(next));
  if (listener_) listener_(*result);
  return result;
}

void SchemaManager::set_listener(std::function<void(const SchemaChangeResult&)> listener) {
  std::lock_guard<std::mutex> lock(ddl_mutex_);
  listener_ = std::move(listener);
}

}  // namespace cqld
