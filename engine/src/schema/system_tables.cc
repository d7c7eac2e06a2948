#include "schema/system_tables.h"

#include "schema/view.h"

#include <arpa/inet.h>

#include <cstring>
#include <map>

#include "types/token.h"

namespace cqld {
namespace {

struct ColumnSpecText {
  const char* name;
  TypePtr type;
  ColumnKind kind;
  int position;
};

TypePtr text() { return primitive_type(TypeKind::kVarchar); }
TypePtr frozen_text_map() { return map_type(text(), text(), true); }
TypePtr frozen_text_list() { return list_type(text(), true); }

ColumnSpecText pk(const char* name, TypePtr type, int position = 0) {
  return {name, std::move(type), ColumnKind::kPartitionKey, position};
}
ColumnSpecText ck(const char* name, TypePtr type, int position) {
  return {name, std::move(type), ColumnKind::kClustering, position};
}
ColumnSpecText col(const char* name, TypePtr type) {
  return {name, std::move(type), ColumnKind::kRegular, -1};
}

// The options Cassandra gives its system tables (SystemKeyspace and SchemaKeyspace build them
// with a description as comment, gc_grace_seconds of 0 or 7 days, and hourly memtable flushes).
void set_system_table_options(TableDef& t) {
  static const std::map<std::string, std::string> kComments{
      {"system.local", "information about the local node"},
      {"system.peers", "information about known peers in the cluster"},
      {"system.peers_v2", "information about known peers in the cluster"},
      {"system_schema.keyspaces", "keyspace definitions"},
      {"system_schema.tables", "table definitions"},
      {"system_schema.columns", "column definitions"},
      {"system_schema.dropped_columns", "dropped column registry"},
      {"system_schema.triggers", "trigger definitions"},
      {"system_schema.views", "view definitions"},
      {"system_schema.types", "user defined type definitions"},
      {"system_schema.functions", "user defined function definitions"},
      {"system_schema.aggregates", "user defined aggregate definitions"},
      {"system_schema.indexes", "secondary index definitions"}};
  if (auto it = kComments.find(t.keyspace + "." + t.name); it != kComments.end()) t.options["comment"] = it->second;
  if (t.keyspace == "system" || t.keyspace == "system_schema") {
    t.options["gc_grace_seconds"] = int32_t{t.keyspace == "system" ? 0 : 604800};
    t.options["memtable_flush_period_in_ms"] = int32_t{3600000};
  }
}

// Builds a system table definition. Columns are ordered as in user tables: partition key,
// clustering, then the rest by name (Cassandra's order for SELECT *).
TablePtr make_table(const std::string& keyspace, const std::string& name,
                    std::vector<ColumnSpecText> specs) {
  auto t = std::make_shared<TableDef>();
  t->keyspace = keyspace;
  t->name = name;
  // Deterministic ids so that they are stable across restarts.
  std::string seed = keyspace + "." + name;
  for (size_t i = 0; i < 16; ++i) t->id[i] = static_cast<uint8_t>(seed[i % seed.size()] * (i + 1));
  t->id[6] = (t->id[6] & 0x0F) | 0x30;
  t->id[8] = (t->id[8] & 0x3F) | 0x80;
  std::stable_sort(specs.begin(), specs.end(), [](const auto& a, const auto& b) {
    auto rank = [](const ColumnSpecText& s) { return s.kind == ColumnKind::kRegular ? 2 : s.kind == ColumnKind::kClustering ? 1 : 0; };
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) < 2) return a.position < b.position;
    return std::strcmp(a.name, b.name) < 0;
  });
  uint16_t id = 1;
  for (auto& s : specs) {
    ColumnDef c;
    c.name = s.name;
    c.kind = s.kind;
    c.position = s.position;
    c.type = s.type;
    c.id = id++;
    t->columns.push_back(std::move(c));
  }
  t->next_column_id = id;
  t->options = default_table_options();
  set_system_table_options(*t);
  rebuild_key_indexes(*t);
  return t;
}

// ---- value encoders for generated rows ----
Value v_text(const std::string& s) { return Value::of(s); }
Value v_int(int32_t i) { return Value::of(encode_int32(i)); }
Value v_bool(bool b) { return Value::of(std::string(1, b ? '\1' : '\0')); }
Value v_double(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  return Value::of(encode_int64(static_cast<int64_t>(bits)));
}
Value v_uuid(const Uuid& u) { return Value::of(uuid_bytes(u)); }
Value v_inet(const std::string& address) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, address.c_str(), buf) == 1) return Value::of(std::string(reinterpret_cast<char*>(buf), 4));
  if (inet_pton(AF_INET6, address.c_str(), buf) == 1) return Value::of(std::string(reinterpret_cast<char*>(buf), 16));
  return Value::null();
}
Value v_text_map(const std::map<std::string, std::string>& m) {
  std::vector<std::pair<std::string, std::string>> entries(m.begin(), m.end());
  return Value::of(serialize_map(entries));
}
Value v_text_list(const std::vector<std::string>& items) { return Value::of(serialize_collection(items)); }

Value option_value(const OptionValue& v) {
  if (auto* s = std::get_if<std::string>(&v)) return v_text(*s);
  if (auto* d = std::get_if<double>(&v)) return v_double(*d);
  if (auto* i = std::get_if<int32_t>(&v)) return v_int(*i);
  if (auto* b = std::get_if<bool>(&v)) return v_bool(*b);
  return v_text_map(std::get<std::map<std::string, std::string>>(v));
}

// Fills a row by column name, leaving unnamed columns null.
class RowBuilder {
 public:
  explicit RowBuilder(const TableDef& def) : def_(def), row_(def.columns.size()) {}
  RowBuilder& set(const std::string& column, Value v) {
    int i = def_.column_index(column);
    if (i >= 0) row_[static_cast<size_t>(i)] = std::move(v);
    return *this;
  }
  VirtualRow take() { return std::move(row_); }

 private:
  const TableDef& def_;
  VirtualRow row_;
};

std::vector<ColumnSpecText> table_option_columns() {
  auto d = primitive_type(TypeKind::kDouble);
  auto i = primitive_type(TypeKind::kInt);
  auto b = primitive_type(TypeKind::kBoolean);
  return {col("additional_write_policy", text()), col("allow_auto_snapshot", b), col("bloom_filter_fp_chance", d),
          col("caching", frozen_text_map()), col("cdc", primitive_type(TypeKind::kBoolean)),
          col("comment", text()), col("compaction", frozen_text_map()),
          col("compression", frozen_text_map()), col("crc_check_chance", d),
          col("dclocal_read_repair_chance", d), col("default_time_to_live", i),
          col("extensions", map_type(text(), primitive_type(TypeKind::kBlob), true)),
          col("gc_grace_seconds", i), col("id", primitive_type(TypeKind::kUuid)),
          col("incremental_backups", b), col("max_index_interval", i), col("memtable", text()),
          col("memtable_flush_period_in_ms", i),
          col("min_index_interval", i), col("read_repair", text()), col("read_repair_chance", d),
          col("speculative_retry", text())};
}

// ---- generators ----
std::vector<VirtualRow> local_rows(const TableDef& def, const Schema& schema, const LocalNodeInfo& node) {
  RowBuilder r(def);
  r.set("key", v_text("local"))
      .set("bootstrapped", v_text("COMPLETED"))
      .set("broadcast_address", v_inet(node.listen_address))
      .set("broadcast_port", v_int(7000))
      .set("cluster_name", v_text(node.cluster_name))
      .set("cql_version", v_text("3.4.5"))
      .set("data_center", v_text("datacenter1"))
      .set("gossip_generation", v_int(1))
      .set("host_id", v_uuid(node.host_id))
      .set("listen_address", v_inet(node.listen_address))
      .set("listen_port", v_int(7000))
      .set("native_protocol_version", v_text("5"))
      .set("partitioner", v_text("org.apache.cassandra.dht.Murmur3Partitioner"))
      .set("rack", v_text("rack1"))
      .set("release_version", v_text(node.release_version))
      .set("rpc_address", v_inet(node.rpc_address))
      .set("rpc_port", v_int(node.rpc_port))
      .set("schema_version", v_uuid(schema.version))
      .set("tokens", Value::of(serialize_collection({std::to_string(node.token)})));
  std::vector<VirtualRow> rows;
  rows.push_back(r.take());
  return rows;
}

std::vector<VirtualRow> keyspace_rows(const TableDef& def, const Schema& schema) {
  std::vector<VirtualRow> rows;
  for (const auto& [name, ks] : schema.keyspaces) {
    RowBuilder r(def);
    r.set("keyspace_name", v_text(name)).set("durable_writes", v_bool(ks->durable_writes))
        .set("replication", v_text_map(ks->replication));
    rows.push_back(r.take());
  }
  return rows;
}

std::vector<VirtualRow> table_rows(const TableDef& def, const Schema& schema) {
  std::vector<VirtualRow> rows;
  for (const auto& [ks_name, ks] : schema.keyspaces) {
    for (const auto& [name, table] : ks->tables) {
      if (table->is_view()) continue;  // system_schema.views lists them
      RowBuilder r(def);
      r.set("keyspace_name", v_text(ks_name)).set("table_name", v_text(name));
      for (const auto& [option, value] : table->options) r.set(option, option_value(value));
      r.set("extensions", Value::of(serialize_map({})));
      r.set("id", v_uuid(table->id));
      std::vector<std::string> flags{"compound"};
      if (table->is_counter) flags.insert(flags.begin(), "counter");
      r.set("flags", Value::of(serialize_collection(flags)));
      rows.push_back(r.take());
    }
  }
  return rows;
}

std::vector<VirtualRow> view_rows(const TableDef& def, const Schema& schema) {
  std::vector<VirtualRow> rows;
  for (const auto& [ks_name, ks] : schema.keyspaces) {
    for (const auto& [name, table] : ks->tables) {
      if (!table->is_view()) continue;
      const ViewDef& view = *table->view;
      RowBuilder r(def);
      r.set("keyspace_name", v_text(ks_name)).set("view_name", v_text(name));
      for (const auto& [option, value] : table->options) r.set(option, option_value(value));
      r.set("extensions", Value::of(serialize_map({})));
      r.set("id", v_uuid(table->id)).set("base_table_id", v_uuid(view.base_id))
          .set("base_table_name", v_text(view.base_table))
          .set("include_all_columns", v_bool(view.include_all_columns))
          .set("where_clause", v_text(view.where_clause));
      rows.push_back(r.take());
    }
  }
  return rows;
}

VirtualRow column_row(const TableDef& def, const TableDef& table, const ColumnDef& c) {
  RowBuilder r(def);
  const char* order = "none";
  if (c.kind == ColumnKind::kClustering) order = c.descending ? "desc" : "asc";
  r.set("keyspace_name", v_text(table.keyspace)).set("table_name", v_text(table.name))
      .set("column_name", v_text(c.name)).set("clustering_order", v_text(order))
      .set("column_name_bytes", Value::of(c.name)).set("kind", v_text(column_kind_name(c.kind)))
      .set("position", v_int(c.position)).set("type", v_text(type_to_cql(*c.type)));
  return r.take();
}

std::vector<VirtualRow> column_rows(const TableDef& def, const Schema& schema) {
  std::vector<VirtualRow> rows;
  for (const auto& [ks_name, ks] : schema.keyspaces)
    for (const auto& [name, table] : ks->tables)
      for (const auto& c : table->columns) rows.push_back(column_row(def, *table, c));
  return rows;
}

std::vector<VirtualRow> dropped_column_rows(const TableDef& def, const Schema& schema) {
  std::vector<VirtualRow> rows;
  for (const auto& [ks_name, ks] : schema.keyspaces)
    for (const auto& [name, table] : ks->tables)
      for (const auto& [column, dropped] : table->dropped_columns) {
        RowBuilder r(def);
        r.set("keyspace_name", v_text(ks_name)).set("table_name", v_text(name)).set("column_name", v_text(column))
            .set("dropped_time", Value::of(encode_int64(dropped.dropped_time_micros / 1000)))
            .set("kind", v_text(column_kind_name(dropped.kind)))
            .set("type", v_text(type_to_cql(*dropped.type)));
        rows.push_back(r.take());
      }
  return rows;
}

std::vector<VirtualRow> index_rows(const TableDef& def, const Schema& schema) {
  std::vector<VirtualRow> rows;
  for (const auto& [ks_name, ks] : schema.keyspaces)
    for (const auto& [name, table] : ks->tables)
      for (const auto& index : table->indexes) {
        RowBuilder r(def);
        r.set("keyspace_name", v_text(ks_name)).set("table_name", v_text(name))
            .set("index_name", v_text(index.name))
            .set("kind", v_text(index.custom ? "CUSTOM" : "COMPOSITES"))
            .set("options", v_text_map(index.options));
        rows.push_back(r.take());
      }
  return rows;
}

std::vector<VirtualRow> type_rows(const TableDef& def, const Schema& schema) {
  std::vector<VirtualRow> rows;
  for (const auto& [ks_name, ks] : schema.keyspaces)
    for (const auto& [name, type] : ks->types) {
      std::vector<std::string> field_types;
      for (const auto& t : type->field_types) field_types.push_back(type_to_cql(*t));
      RowBuilder r(def);
      r.set("keyspace_name", v_text(ks_name)).set("type_name", v_text(name))
          .set("field_names", v_text_list(type->field_names))
          .set("field_types", v_text_list(field_types));
      rows.push_back(r.take());
    }
  return rows;
}

const std::vector<std::string>& virtual_keyspace_names() {
  static const std::vector<std::string> kNames{"system_virtual_schema"};
  return kNames;
}

std::vector<VirtualTable>& registry();

std::vector<VirtualRow> virtual_keyspace_rows(const TableDef& def) {
  std::vector<VirtualRow> rows;
  for (const auto& name : virtual_keyspace_names()) rows.push_back(RowBuilder(def).set("keyspace_name", v_text(name)).take());
  return rows;
}

std::vector<VirtualRow> virtual_table_rows(const TableDef& def) {
  std::vector<VirtualRow> rows;
  for (const auto& vt : registry()) {
    if (vt.def->keyspace != "system_virtual_schema") continue;
    rows.push_back(RowBuilder(def).set("keyspace_name", v_text(vt.def->keyspace))
                       .set("table_name", v_text(vt.def->name)).set("comment", v_text("")).take());
  }
  return rows;
}

std::vector<VirtualRow> virtual_column_rows(const TableDef& def) {
  std::vector<VirtualRow> rows;
  for (const auto& vt : registry()) {
    if (vt.def->keyspace != "system_virtual_schema") continue;
    for (const auto& c : vt.def->columns) rows.push_back(column_row(def, *vt.def, c));
  }
  return rows;
}

using Generator = std::function<std::vector<VirtualRow>(const TableDef&, const Schema&, const LocalNodeInfo&)>;

VirtualTable make_virtual(TablePtr def, Generator gen) {
  VirtualTable vt;
  vt.def = def;
  vt.rows = [def, gen](const Schema& s, const LocalNodeInfo& n) { return gen(*def, s, n); };
  return vt;
}

std::vector<VirtualTable> build_registry() {
  auto uuid = primitive_type(TypeKind::kUuid);
  auto inet = primitive_type(TypeKind::kInet);
  auto i32 = primitive_type(TypeKind::kInt);
  auto boolean = primitive_type(TypeKind::kBoolean);
  auto tokens = set_type(text(), false);
  auto none = [](const TableDef&, const Schema&, const LocalNodeInfo&) { return std::vector<VirtualRow>{}; };
  std::vector<VirtualTable> r;
  r.push_back(make_virtual(
      make_table("system", "local",
                 {pk("key", text()), col("bootstrapped", text()), col("broadcast_address", inet),
                  col("broadcast_port", i32), col("cluster_name", text()), col("cql_version", text()),
                  col("data_center", text()), col("gossip_generation", i32), col("host_id", uuid),
                  col("listen_address", inet), col("listen_port", i32),
                  col("native_protocol_version", text()), col("partitioner", text()),
                  col("rack", text()), col("release_version", text()), col("rpc_address", inet),
                  col("rpc_port", i32), col("schema_version", uuid), col("tokens", tokens),
                  col("truncated_at", map_type(uuid, primitive_type(TypeKind::kBlob), false))}),
      local_rows));
  r.push_back(make_virtual(
      make_table("system", "peers",
                 {pk("peer", inet), col("data_center", text()), col("host_id", uuid),
                  col("preferred_ip", inet), col("rack", text()), col("release_version", text()),
                  col("rpc_address", inet), col("schema_version", uuid), col("tokens", tokens)}),
      none));
  r.push_back(make_virtual(
      make_table("system", "peers_v2",
                 {pk("peer", inet), ck("peer_port", i32, 0), col("data_center", text()),
                  col("host_id", uuid), col("native_address", inet), col("native_port", i32),
                  col("preferred_ip", inet), col("preferred_port", i32), col("rack", text()),
                  col("release_version", text()), col("schema_version", uuid), col("tokens", tokens)}),
      none));
  r.push_back(make_virtual(
      make_table("system_schema", "keyspaces",
                 {pk("keyspace_name", text()), col("durable_writes", boolean),
                  col("replication", frozen_text_map())}),
      [](const TableDef& d, const Schema& s, const LocalNodeInfo&) { return keyspace_rows(d, s); }));
  auto table_cols = table_option_columns();
  table_cols.insert(table_cols.begin(), {pk("keyspace_name", text()), ck("table_name", text(), 0),
                                         col("flags", set_type(text(), true))});
  r.push_back(make_virtual(make_table("system_schema", "tables", table_cols),
                           [](const TableDef& d, const Schema& s, const LocalNodeInfo&) { return table_rows(d, s); }));
  std::vector<ColumnSpecText> column_cols{
      pk("keyspace_name", text()), ck("table_name", text(), 0), ck("column_name", text(), 1),
      col("clustering_order", text()), col("column_name_bytes", primitive_type(TypeKind::kBlob)),
      col("kind", text()), col("position", i32), col("type", text())};
  r.push_back(make_virtual(make_table("system_schema", "columns", column_cols),
                           [](const TableDef& d, const Schema& s, const LocalNodeInfo&) { return column_rows(d, s); }));
  r.push_back(make_virtual(
      make_table("system_schema", "dropped_columns",
                 {pk("keyspace_name", text()), ck("table_name", text(), 0), ck("column_name", text(), 1),
                  col("dropped_time", primitive_type(TypeKind::kTimestamp)), col("kind", text()),
                  col("type", text())}),
      [](const TableDef& d, const Schema& s, const LocalNodeInfo&) { return dropped_column_rows(d, s); }));
  r.push_back(make_virtual(
      make_table("system_schema", "triggers",
                 {pk("keyspace_name", text()), ck("table_name", text(), 0), ck("trigger_name", text(), 1),
                  col("options", frozen_text_map())}),
      none));
  auto view_cols = table_option_columns();
  view_cols.insert(view_cols.begin(),
                   {pk("keyspace_name", text()), ck("view_name", text(), 0), col("base_table_id", uuid),
                    col("base_table_name", text()), col("include_all_columns", boolean),
                    col("where_clause", text())});
  r.push_back(make_virtual(make_table("system_schema", "views", view_cols),
                           [](const TableDef& d, const Schema& s, const LocalNodeInfo&) { return view_rows(d, s); }));
  r.push_back(make_virtual(
      make_table("system_schema", "types",
                 {pk("keyspace_name", text()), ck("type_name", text(), 0),
                  col("field_names", frozen_text_list()), col("field_types", frozen_text_list())}),
      [](const TableDef& d, const Schema& s, const LocalNodeInfo&) { return type_rows(d, s); }));
  r.push_back(make_virtual(
      make_table("system_schema", "functions",
                 {pk("keyspace_name", text()), ck("function_name", text(), 0),
                  ck("argument_types", frozen_text_list(), 1), col("argument_names", frozen_text_list()),
                  col("body", text()), col("called_on_null_input", boolean), col("language", text()),
                  col("return_type", text())}),
      none));
  r.push_back(make_virtual(
      make_table("system_schema", "aggregates",
                 {pk("keyspace_name", text()), ck("aggregate_name", text(), 0),
                  ck("argument_types", frozen_text_list(), 1), col("final_func", text()),
                  col("initcond", text()), col("return_type", text()), col("state_func", text()),
                  col("state_type", text())}),
      none));
  r.push_back(make_virtual(
      make_table("system_schema", "indexes",
                 {pk("keyspace_name", text()), ck("table_name", text(), 0), ck("index_name", text(), 1),
                  col("kind", text()), col("options", frozen_text_map())}),
      [](const TableDef& d, const Schema& s, const LocalNodeInfo&) { return index_rows(d, s); }));
  r.push_back(make_virtual(make_table("system_virtual_schema", "keyspaces", {pk("keyspace_name", text())}),
                           [](const TableDef& d, const Schema&, const LocalNodeInfo&) { return virtual_keyspace_rows(d); }));
  r.push_back(make_virtual(
      make_table("system_virtual_schema", "tables",
                 {pk("keyspace_name", text()), ck("table_name", text(), 0), col("comment", text())}),
      [](const TableDef& d, const Schema&, const LocalNodeInfo&) { return virtual_table_rows(d); }));
  r.push_back(make_virtual(make_table("system_virtual_schema", "columns", column_cols),
                           [](const TableDef& d, const Schema&, const LocalNodeInfo&) { return virtual_column_rows(d); }));
  return r;
}

std::vector<VirtualTable>& registry() {
  static std::vector<VirtualTable> tables = build_registry();
  return tables;
}

// system_auth's tables are stored, not generated: they hold the roles and permissions
// (exec/auth/auth_service.h). Their ids are Cassandra's, and their storage ids are reserved
// at the top of the range, which user tables (numbered from 1) never reach.
constexpr uint32_t kFirstAuthStorageId = 0xFFFF0001;

// "5bc52802-de25-35ed-aeab-188eecebb090" as 16 bytes.
Uuid parse_uuid_text(std::string_view text) {
  Uuid id{};
  size_t n = 0;
  for (size_t i = 0; i + 1 < text.size() && n < id.size(); ++i) {
    if (text[i] == '-') continue;
    auto nibble = [](char c) { return static_cast<uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
    id[n++] = static_cast<uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1]));
    ++i;
  }
  return id;
}

TablePtr auth_table(const char* name, const char* id, const char* comment, uint32_t storage_id,
                    std::vector<ColumnSpecText> specs) {
  auto t = std::const_pointer_cast<TableDef>(make_table("system_auth", name, std::move(specs)));
  t->id = parse_uuid_text(id);
  t->storage_id = storage_id;
  t->options["comment"] = std::string(comment);
  t->options["gc_grace_seconds"] = int32_t{7776000};
  return t;
}

std::vector<TablePtr> build_auth_tables() {
  uint32_t next = kFirstAuthStorageId;
  return {
      auth_table("roles", "5bc52802-de25-35ed-aeab-188eecebb090", "role definitions", next++,
                 {pk("role", text()), col("can_login", primitive_type(TypeKind::kBoolean)),
                  col("is_superuser", primitive_type(TypeKind::kBoolean)), col("member_of", set_type(text(), false)),
                  col("salted_hash", text())}),
      auth_table("role_members", "0ecdaa87-f8fb-3e60-88d1-74fb36fe5c0d", "role memberships lookup table", next++,
                 {pk("role", text()), ck("member", text(), 0)}),
      auth_table("role_permissions", "3afbe79f-2194-31a7-add7-f5ab90d8ec9c", "permissions granted to db roles",
                 next++, {pk("role", text()), ck("resource", text(), 0), col("permissions", set_type(text(), false))}),
      auth_table("resource_role_permissons_index", "5f2fbdad-91f1-3946-bd25-d5da3a5c35ec",
                 "index of db roles with permissions granted on a resource", next++,
                 {pk("resource", text()), ck("role", text(), 0)}),
      auth_table("network_permissions", "d46780c2-2f1c-3db9-b4c1-b8d9fbc0cc23", "user network permissions", next++,
                 {pk("role", text()), col("dcs", set_type(text(), true))}),
  };
}

const std::vector<TablePtr>& auth_tables() {
  static const std::vector<TablePtr> tables = build_auth_tables();
  return tables;
}

}  // namespace

bool is_system_keyspace(const std::string& keyspace) {
  return keyspace == "system" || keyspace == "system_schema" || keyspace == "system_auth" ||
         keyspace == "system_distributed" || keyspace == "system_traces" ||
         keyspace == "system_virtual_schema" || keyspace == "system_views";
}

const VirtualTable* find_virtual_table(const std::string& keyspace, const std::string& table) {
  for (const auto& vt : registry())
    if (vt.def->keyspace == keyspace && vt.def->name == table) return &vt;
  return nullptr;
}

void add_system_keyspaces(Schema* schema) {
  auto local = std::map<std::string, std::string>{{"class", "org.apache.cassandra.locator.LocalStrategy"}};
  auto simple = [](const char* rf) {
    return std::map<std::string, std::string>{{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                                              {"replication_factor", rf}};
  };
  std::map<std::string, std::map<std::string, std::string>> keyspaces{
      {"system", local}, {"system_schema", local}, {"system_auth", simple("1")},
      {"system_distributed", simple("3")}, {"system_traces", simple("2")}};
  for (const auto& [name, replication] : keyspaces) {
    auto ks = std::make_shared<KeyspaceDef>();
    ks->name = name;
    ks->replication = replication;
    for (const auto& vt : registry())
      if (vt.def->keyspace == name) ks->tables[vt.def->name] = vt.def;
    if (name == "system_auth")
      for (const auto& table : auth_tables()) ks->tables[table->name] = table;
    schema->keyspaces[name] = ks;
  }
}

}  // namespace cqld
