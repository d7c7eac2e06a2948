// The stored form of the schema: a versioned, length-prefixed binary encoding, written whole
// on every DDL (schemas are small) under the meta key "schema".
#include <cstring>
#include <stdexcept>

#include "schema/schema.h"
#include "schema/view.h"

namespace cqld {
namespace {

// Version 2 added materialized views (a view record after each table's indexes).
constexpr uint32_t kFormatVersion = 4;  // 3: dropped columns; 4: index storage ids

class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out_.push_back(static_cast<char>(v >> s));
  }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    u32(static_cast<uint32_t>(bits >> 32));
    u32(static_cast<uint32_t>(bits));
  }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void str_map(const std::map<std::string, std::string>& m) {
    u32(static_cast<uint32_t>(m.size()));
    for (const auto& [k, v] : m) {
      str(k);
      str(v);
    }
  }
  void type(const CqlType& t) {
    u32(static_cast<uint32_t>(t.kind));
    u8(t.frozen ? 1 : 0);
    u32(static_cast<uint32_t>(t.params.size()));
    for (const auto& p : t.params) type(*p);
    str(t.udt_keyspace);
    str(t.udt_name);
    u32(static_cast<uint32_t>(t.field_names.size()));
    for (const auto& f : t.field_names) str(f);
    str(t.custom_class);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  uint8_t u8() {
    need(1);
    return static_cast<uint8_t>(in_[pos_++]);
  }
  uint32_t u32() {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
    return v;
  }
  int32_t i32() { return static_cast<int32_t>(u32()); }
  double f64() {
    uint64_t hi = u32();
    uint64_t bits = (hi << 32) | u32();
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  std::string str() {
    uint32_t n = u32();
    need(n);
    std::string s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::map<std::string, std::string> str_map() {
    std::map<std::string, std::string> m;
    for (uint32_t n = u32(); n > 0; --n) {
      std::string k = str();
      m[k] = str();
    }
    return m;
  }
  TypePtr type() {
    auto t = std::make_shared<CqlType>();
    t->kind = static_cast<TypeKind>(u32());
    t->frozen = u8() != 0;
    for (uint32_t n = u32(); n > 0; --n) t->params.push_back(type());
    t->udt_keyspace = str();
    t->udt_name = str();
    for (uint32_t n = u32(); n > 0; --n) t->field_names.push_back(str());
    t->custom_class = str();
    return t;
  }

 private:
  void need(size_t n) {
    if (pos_ + n > in_.size()) throw std::runtime_error("corrupt schema record");
  }
  const std::string& in_;
  size_t pos_ = 0;
};

enum class OptionTag : uint8_t { kString, kDouble, kInt, kBool, kMap };

void write_option(Writer& w, const OptionValue& v) {
  if (auto* s = std::get_if<std::string>(&v)) {
    w.u8(static_cast<uint8_t>(OptionTag::kString));
    w.str(*s);
  } else if (auto* d = std::get_if<double>(&v)) {
    w.u8(static_cast<uint8_t>(OptionTag::kDouble));
    w.f64(*d);
  } else if (auto* i = std::get_if<int32_t>(&v)) {
    w.u8(static_cast<uint8_t>(OptionTag::kInt));
    w.i32(*i);
  } else if (auto* b = std::get_if<bool>(&v)) {
    w.u8(static_cast<uint8_t>(OptionTag::kBool));
    w.u8(*b ? 1 : 0);
  } else {
    w.u8(static_cast<uint8_t>(OptionTag::kMap));
    w.str_map(std::get<std::map<std::string, std::string>>(v));
  }
}

OptionValue read_option(Reader& r) {
  switch (static_cast<OptionTag>(r.u8())) {
    case OptionTag::kString: return r.str();
    case OptionTag::kDouble: return r.f64();
    case OptionTag::kInt: return r.i32();
    case OptionTag::kBool: return r.u8() != 0;
    case OptionTag::kMap: return r.str_map();
  }
  throw std::runtime_error("corrupt schema record: bad option tag");
}

void write_view(Writer& w, const ViewDef* v) {
  w.u8(v != nullptr ? 1 : 0);
  if (v == nullptr) return;
  w.str(v->base_table);
  w.str(uuid_bytes(v->base_id));
  w.u8(v->include_all_columns ? 1 : 0);
  w.str(v->where_clause);
  w.u32(static_cast<uint32_t>(v->restrictions.size()));
  for (const auto& r : v->restrictions) {
    w.str(r.column);
    w.u8(static_cast<uint8_t>(r.op));
    w.u32(static_cast<uint32_t>(r.values.size()));
    for (const auto& value : r.values) w.str(value);
  }
}

void write_table(Writer& w, const TableDef& t) {
  w.str(t.name);
  w.str(uuid_bytes(t.id));
  w.u32(t.storage_id);
  w.u8(t.is_counter ? 1 : 0);
  w.u8(t.compact_storage ? 1 : 0);
  w.u32(t.next_column_id);
  w.u32(static_cast<uint32_t>(t.columns.size()));
  for (const auto& c : t.columns) {
    w.str(c.name);
    w.u8(static_cast<uint8_t>(c.kind));
    w.i32(c.position);
    w.type(*c.type);
    w.u8(c.descending ? 1 : 0);
    w.u32(c.id);
  }
  w.u32(static_cast<uint32_t>(t.options.size()));
  for (const auto& [name, value] : t.options) {
    w.str(name);
    write_option(w, value);
  }
  w.u32(static_cast<uint32_t>(t.indexes.size()));
  for (const auto& i : t.indexes) {
    w.str(i.name);
    w.str(i.column);
    w.u8(static_cast<uint8_t>(i.target));
    w.u8(i.custom ? 1 : 0);
    w.str_map(i.options);
    w.u32(i.storage_id);
    w.u8(i.building ? 1 : 0);
  }
  write_view(w, t.view.get());
  w.u32(static_cast<uint32_t>(t.dropped_columns.size()));
  for (const auto& [name, dropped] : t.dropped_columns) {
    w.str(name);
    w.type(*dropped.type);
    w.u8(static_cast<uint8_t>(dropped.kind));
    w.str(std::to_string(dropped.dropped_time_micros));
  }
}

void index_key_columns(TableDef& t) {
  t.partition_key.clear();
  t.clustering.clear();
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const ColumnDef& c = t.columns[i];
    if (c.kind == ColumnKind::kPartitionKey) {
      if (t.partition_key.size() <= static_cast<size_t>(c.position)) t.partition_key.resize(c.position + 1);
      t.partition_key[c.position] = i;
    } else if (c.kind == ColumnKind::kClustering) {
      if (t.clustering.size() <= static_cast<size_t>(c.position)) t.clustering.resize(c.position + 1);
      t.clustering[c.position] = i;
    }
  }
}

std::shared_ptr<const ViewDef> read_view(Reader& r) {
  if (r.u8() == 0) return nullptr;
  auto v = std::make_shared<ViewDef>();
  v->base_table = r.str();
  std::string id = r.str();
  if (id.size() != 16) throw std::runtime_error("corrupt schema record: view base id");
  std::memcpy(v->base_id.data(), id.data(), 16);
  v->include_all_columns = r.u8() != 0;
  v->where_clause = r.str();
  for (uint32_t n = r.u32(); n > 0; --n) {
    ViewRestriction restriction;
    restriction.column = r.str();
    restriction.op = static_cast<ViewRestriction::Op>(r.u8());
    for (uint32_t m = r.u32(); m > 0; --m) restriction.values.push_back(r.str());
    v->restrictions.push_back(std::move(restriction));
  }
  return v;
}

TablePtr read_table(Reader& r, const std::string& keyspace, uint32_t version) {
  auto t = std::make_shared<TableDef>();
  t->keyspace = keyspace;
  t->name = r.str();
  std::string id = r.str();
  if (id.size() != 16) throw std::runtime_error("corrupt schema record: table id");
  std::memcpy(t->id.data(), id.data(), 16);
  t->storage_id = r.u32();
  t->is_counter = r.u8() != 0;
  t->compact_storage = r.u8() != 0;
  t->next_column_id = static_cast<uint16_t>(r.u32());
  for (uint32_t n = r.u32(); n > 0; --n) {
    ColumnDef c;
    c.name = r.str();
    c.kind = static_cast<ColumnKind>(r.u8());
    c.position = r.i32();
    c.type = r.type();
    c.descending = r.u8() != 0;
    c.id = static_cast<uint16_t>(r.u32());
    t->columns.push_back(std::move(c));
  }
  for (uint32_t n = r.u32(); n > 0; --n) {
    std::string name = r.str();
    t->options[name] = read_option(r);
  }
  for (uint32_t n = r.u32(); n > 0; --n) {
    IndexDef i;
    i.name = r.str();
    i.column = r.str();
    i.target = static_cast<IndexTarget>(r.u8());
    i.custom = r.u8() != 0;
    i.options = r.str_map();
    if (version >= 4) {
      i.storage_id = r.u32();
      i.building = r.u8() != 0;
    }
    t->indexes.push_back(std::move(i));
  }
  if (version >= 2) t->view = read_view(r);
  if (version >= 3) {
    for (uint32_t n = r.u32(); n > 0; --n) {
      std::string name = r.str();
      DroppedColumn dropped;
      dropped.type = r.type();
      dropped.kind = static_cast<ColumnKind>(r.u8());
      dropped.dropped_time_micros = std::stoll(r.str());
      t->dropped_columns[name] = std::move(dropped);
    }
  }
  index_key_columns(*t);
  return t;
}

}  // namespace

void rebuild_key_indexes(TableDef& table) { index_key_columns(table); }

std::string serialize_schema(const Schema& schema) {
  Writer w;
  w.u32(kFormatVersion);
  w.str(uuid_bytes(schema.version));
  w.u32(schema.next_storage_id);
  w.u32(static_cast<uint32_t>(schema.keyspaces.size()));
  for (const auto& [name, ks] : schema.keyspaces) {
    w.str(name);
    w.u8(ks->durable_writes ? 1 : 0);
    w.str_map(ks->replication);
    w.u32(static_cast<uint32_t>(ks->type_order.size()));
    for (const auto& type_name : ks->type_order) {
      const UserTypeDef& t = *ks->types.at(type_name);
      w.str(t.name);
      w.u32(static_cast<uint32_t>(t.field_names.size()));
      for (size_t i = 0; i < t.field_names.size(); ++i) {
        w.str(t.field_names[i]);
        w.type(*t.field_types[i]);
      }
    }
    w.u32(static_cast<uint32_t>(ks->tables.size()));
    for (const auto& [table_name, table] : ks->tables) write_table(w, *table);
  }
  return w.take();
}

Schema deserialize_schema(const std::string& bytes) {
  Reader r(bytes);
  uint32_t version = r.u32();
  if (version < 1 || version > kFormatVersion) throw std::runtime_error("unsupported schema format version");
  Schema schema;
  std::string schema_version = r.str();
  if (schema_version.size() != 16) throw std::runtime_error("corrupt schema record: version");
  std::memcpy(schema.version.data(), schema_version.data(), 16);
  schema.next_storage_id = r.u32();
  for (uint32_t n = r.u32(); n > 0; --n) {
    auto ks = std::make_shared<KeyspaceDef>();
    ks->name = r.str();
    ks->durable_writes = r.u8() != 0;
    ks->replication = r.str_map();
    for (uint32_t t = r.u32(); t > 0; --t) {
      auto type = std::make_shared<UserTypeDef>();
      type->keyspace = ks->name;
      type->name = r.str();
      for (uint32_t f = r.u32(); f > 0; --f) {
        type->field_names.push_back(r.str());
        type->field_types.push_back(r.type());
      }
      ks->type_order.push_back(type->name);
      ks->types[type->name] = type;
    }
    for (uint32_t t = r.u32(); t > 0; --t) {
      TablePtr table = read_table(r, ks->name, version);
      ks->tables[table->name] = table;
    }
    schema.keyspaces[ks->name] = ks;
  }
  return schema;
}

}  // namespace cqld
