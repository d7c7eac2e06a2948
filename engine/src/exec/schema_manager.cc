#include "exec/schema_manager.h"

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

}  // namespace

SchemaManager::SchemaManager(Store* store) : store_(store) {
  auto schema = std::make_shared<Schema>();
  if (auto stored = store_->get_meta(kSchemaKey)) {
    *schema = deserialize_schema(*stored);
  } else {
    schema->version = random_uuid();
  }
  add_system_keyspaces(schema.get());
  current_ = schema;
}

std::optional<SchemaChangeResult> SchemaManager::apply(const Change& change) {
  std::lock_guard<std::mutex> lock(ddl_mutex_);
  auto next = std::make_shared<Schema>(*current_);
  std::optional<SchemaChangeResult> result = change(*next);
  if (!result) return std::nullopt;
  next->version = random_uuid();
  check_write(store_->apply_schema(kSchemaKey, serialize_schema(without_system_keyspaces(*next)),
                                   dropped_tables(*current_, *next)));
  std::atomic_store(&current_, std::shared_ptr<const Schema>(next));
  if (listener_) listener_(*result);
  return result;
}

void SchemaManager::set_listener(std::function<void(const SchemaChangeResult&)> listener) {
  std::lock_guard<std::mutex> lock(ddl_mutex_);
  listener_ = std::move(listener);
}

}  // namespace cqld
