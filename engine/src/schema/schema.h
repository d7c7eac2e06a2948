// The schema: keyspaces, tables, columns, indexes and user types. A Schema is an immutable
// snapshot; DDL builds a new one (sharing unchanged keyspaces and tables) and swaps it in.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/errors.h"
#include "types/cql_type.h"

namespace cqld {

using Uuid = std::array<uint8_t, 16>;
Uuid random_uuid();                    // version 4
std::string uuid_bytes(const Uuid& u);  // the 16 raw bytes
std::string uuid_to_string(const Uuid& u);

enum class ColumnKind : uint8_t { kPartitionKey, kClustering, kRegular, kStatic };
const char* column_kind_name(ColumnKind kind);  // "partition_key", "clustering", ...

struct ColumnDef {
  std::string name;
  ColumnKind kind = ColumnKind::kRegular;
  int position = -1;        // index within the partition key or clustering; -1 otherwise
  TypePtr type;
  bool descending = false;  // clustering only: CLUSTERING ORDER ... DESC
  uint16_t id = 0;          // storage id, never reused within a table
  bool is_primary_key() const {
    return kind == ColumnKind::kPartitionKey || kind == ColumnKind::kClustering;
  }
};

enum class IndexTarget : uint8_t { kValues, kKeys, kEntries, kFull };

struct IndexDef {
  std::string name;
  std::string column;
  IndexTarget target = IndexTarget::kValues;
  bool custom = false;
  std::map<std::string, std::string> options;  // includes "target" (and "class_name" if custom)
  // Indexes that keep entries in the store (storage/FORMAT.md) have a storage id from the
  // schema's sequence; 0 for the others, which queries answer by reading the table.
  uint32_t storage_id = 0;
  // Its entries are still being built from the table's rows: writes add entries, queries do
  // not read them yet. A store opened with an index still building builds it again.
  bool building = false;
};

struct ViewDef;  // schema/view.h

// A table option value as system_schema reports it.
// A column ALTER TABLE DROP removed (system_schema.dropped_columns): a column added again under
// its name must have its type. Kept until the table is dropped, as Cassandra keeps it.
struct DroppedColumn {
  TypePtr type;
  ColumnKind kind = ColumnKind::kRegular;
  int64_t dropped_time_micros = 0;
};

using OptionValue = std::variant<std::string, double, int32_t, bool, std::map<std::string, std::string>>;

struct TableDef {
  std::string keyspace;
  std::string name;
  Uuid id{};
  uint32_t storage_id = 0;  // key prefix in the store
  std::vector<ColumnDef> columns;  // partition key, clustering, then others by name
  std::vector<size_t> partition_key;  // indexes into columns, by position
  std::vector<size_t> clustering;     // indexes into columns, by position
  std::map<std::string, OptionValue> options;
  std::vector<IndexDef> indexes;
  std::map<std::string, DroppedColumn> dropped_columns;  // by column name
  bool is_counter = false;
  bool compact_storage = false;
  uint16_t next_column_id = 1;
  // Set for a materialized view: what it is built from (schema/view.h). Views live among the
  // keyspace's tables, so reads resolve them like tables.
  std::shared_ptr<const ViewDef> view;
  bool is_view() const { return view != nullptr; }
  bool has_static() const;
  // Whether rows keep their clustering values as written beside the key (storage/FORMAT.md).
  bool keeps_written_clustering() const;

  const ColumnDef* find_column(const std::string& name) const;
  int column_index(const std::string& name) const;  // -1 if absent
  const IndexDef* find_index_on(const std::string& column) const;
};
using TablePtr = std::shared_ptr<const TableDef>;

// Cassandra's error for a column a statement names that the table lacks: "Undefined column
// name x in table ks.t", the name quoted as CQL needs it ("K").
InvalidRequest undefined_column(const std::string& column, const std::string& keyspace, const std::string& table);

struct UserTypeDef {
  std::string keyspace;
  std::string name;
  std::vector<std::string> field_names;
  std::vector<TypePtr> field_types;
  TypePtr as_type(bool frozen) const;
};
using UserTypePtr = std::shared_ptr<const UserTypeDef>;

struct KeyspaceDef {
  std::string name;
  bool durable_writes = true;
  std::map<std::string, std::string> replication;  // "class" fully qualified + options
  std::map<std::string, TablePtr> tables;
  std::map<std::string, UserTypePtr> types;
  std::vector<std::string> type_order;  // creation order, so dependencies come first
  const TableDef* find_table(const std::string& name) const;
  const UserTypeDef* find_type(const std::string& name) const;
};
using KeyspacePtr = std::shared_ptr<const KeyspaceDef>;

struct Schema {
  std::map<std::string, KeyspacePtr> keyspaces;
  Uuid version{};
  uint32_t next_storage_id = 1;
  const KeyspaceDef* find_keyspace(const std::string& name) const;
  const TableDef* find_table(const std::string& keyspace, const std::string& table) const;
};
using SchemaPtr = std::shared_ptr<const Schema>;

// Cassandra 4's defaults for every table option reported in system_schema.tables.
std::map<std::string, OptionValue> default_table_options();

// Persistence: a compact binary form of the user schema (system keyspaces are not stored).
std::string serialize_schema(const Schema& schema);
// Throws std::runtime_error on corrupt input.
Schema deserialize_schema(const std::string& bytes);

}  // namespace cqld

namespace cqld {
// Recomputes TableDef::partition_key and ::clustering from the columns' kinds and positions.
void rebuild_key_indexes(TableDef& table);
}  // namespace cqld
