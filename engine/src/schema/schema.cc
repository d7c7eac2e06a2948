#include "schema/schema.h"

#include <random>
#include <stdexcept>

#include "schema/view.h"
#include "types/comparable.h"

namespace cqld {

InvalidRequest undefined_column(const std::string& column, const std::string& keyspace, const std::string& table) {
  return InvalidRequest("Undefined column name " + maybe_quote(column) + " in table " + keyspace + "." + table);
}

Uuid random_uuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  Uuid u;
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t r = rng();
    for (size_t j = 0; j < 8; ++j) u[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  u[6] = (u[6] & 0x0F) | 0x40;
  u[8] = (u[8] & 0x3F) | 0x80;
  return u;
}

std::string uuid_bytes(const Uuid& u) { return std::string(u.begin(), u.end()); }

std::string uuid_to_string(const Uuid& u) {
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[u[i] >> 4]);
    s.push_back(kHex[u[i] & 0xF]);
  }
  return s;
}

const char* column_kind_name(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kPartitionKey: return "partition_key";
    case ColumnKind::kClustering: return "clustering";
    case ColumnKind::kRegular: return "regular";
    case ColumnKind::kStatic: return "static";
  }
  return "regular";
}

bool TableDef::has_static() const {
  for (const auto& c : columns)
    if (c.kind == ColumnKind::kStatic) return true;
  return false;
}

bool TableDef::keeps_written_clustering() const {
  for (size_t i : clustering)
    if (!comparable_is_exact(*columns[i].type)) return true;
  return false;
}

const ColumnDef* TableDef::find_column(const std::string& column_name) const {
  int i = column_index(column_name);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

int TableDef::column_index(const std::string& column_name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column_name) return static_cast<int>(i);
  return -1;
}

const IndexDef* TableDef::find_index_on(const std::string& column) const {
  for (const auto& index : indexes)
    if (index.column == column) return &index;
  return nullptr;
}

TypePtr UserTypeDef::as_type(bool frozen) const {
  return udt_type(keyspace, name, field_names, field_types, frozen);
}

const TableDef* KeyspaceDef::find_table(const std::string& table_name) const {
  auto it = tables.find(table_name);
  return it == tables.end() ? nullptr : it->second.get();
}

const UserTypeDef* KeyspaceDef::find_type(const std::string& type_name) const {
  auto it = types.find(type_name);
  return it == types.end() ? nullptr : it->second.get();
}

const KeyspaceDef* Schema::find_keyspace(const std::string& name) const {
  auto it = keyspaces.find(name);
  return it == keyspaces.end() ? nullptr : it->second.get();
}

const TableDef* Schema::find_table(const std::string& keyspace, const std::string& table) const {
  const KeyspaceDef* ks = find_keyspace(keyspace);
  return ks == nullptr ? nullptr : ks->find_table(table);
}

std::map<std::string, OptionValue> default_table_options() {
  using Map = std::map<std::string, std::string>;
  return {
      {"additional_write_policy", std::string("99p")},
      {"bloom_filter_fp_chance", 0.01},
      {"caching", Map{{"keys", "ALL"}, {"rows_per_partition", "NONE"}}},
      {"comment", std::string()},
      {"compaction", Map{{"class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"},
                         {"max_threshold", "32"},
                         {"min_threshold", "4"}}},
      {"compression", Map{{"chunk_length_in_kb", "16"},
                          {"class", "org.apache.cassandra.io.compress.LZ4Compressor"}}},
      {"crc_check_chance", 1.0},
      {"dclocal_read_repair_chance", 0.0},
      {"default_time_to_live", int32_t{0}},
      {"gc_grace_seconds", int32_t{864000}},
      {"max_index_interval", int32_t{2048}},
      {"memtable_flush_period_in_ms", int32_t{0}},
      {"min_index_interval", int32_t{128}},
      {"read_repair", std::string("BLOCKING")},
      {"read_repair_chance", 0.0},
      {"speculative_retry", std::string("99p")},
  };
}

}  // namespace cqld

namespace cqld {

std::vector<const TableDef*> views_of(const KeyspaceDef& ks, const std::string& base) {
  std::vector<const TableDef*> views;
  for (const auto& [name, table] : ks.tables)
    if (table->view != nullptr && table->view->base_table == base) views.push_back(table.get());
  return views;
}

}  // namespace cqld
