#include "exec/describe.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "cql/lexer.h"
#include "schema/system_tables.h"
#include "schema/view.h"
#include "types/cql_type.h"

namespace cqld {
namespace {

using Kind = ast::DescribeStatement::Kind;

// Cassandra reports DESCRIBE's result columns as belonging to the table "system.describe".
constexpr const char* kResultKeyspace = "system";
constexpr const char* kResultTable = "describe";
// What a default single-node Cassandra 4.1 reports (dynamic_snitch wraps SimpleSnitch), with
// the package prefixes Cassandra trims.
constexpr const char* kPartitioner = "Murmur3Partitioner";
constexpr const char* kSnitch = "DynamicEndpointSnitch";
constexpr std::string_view kLocatorPackage = "org.apache.cassandra.locator.";
constexpr const char* kIndentation = "    ";

// ---- CQL text ----

bool is_plain_identifier(const std::string& name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Cassandra's ColumnIdentifier.maybeQuote: lower-case identifiers that are not reserved words
// stay bare; anything else is double-quoted with inner quotes doubled.
std::string quote_if_needed(const std::string& name) {
  if (is_plain_identifier(name) && !lexer::is_reserved_keyword(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string qualified_name(const std::string& keyspace, const std::string& name) {
  return quote_if_needed(keyspace) + "." + quote_if_needed(name);
}

std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

// {'key': 'value', ...} in key order, as Cassandra's CqlBuilder prints a map.
std::string map_literal(const std::map<std::string, std::string>& map, bool quote_values) {
  std::string out = "{";
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it != map.begin()) out += ", ";
    out +=
        single_quoted(it->first) + ": " + (quote_values ? single_quoted(it->second) : it->second);
  }
  return out + "}";
}

// A double as Java's Double.toString prints it (0.01, 1.0, 1.0E-4, 1.0E7): option values must
// read back exactly as Cassandra shows them.
std::string java_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buf[64];
  auto result =
      std::to_chars(buf, buf + sizeof buf, std::fabs(value), std::chars_format::scientific);
  std::string text(buf, result.ptr);
  size_t e = text.find('e');
  int exponent = std::stoi(text.substr(e + 1));
  std::string digits;
  for (char c : text.substr(0, e))
    if (c != '.') digits.push_back(c);
  std::string out = value < 0 ? "-" : "";
  double magnitude = std::fabs(value);
  if (magnitude < 1e-3 || magnitude >= 1e7) {
    std::string fraction = digits.size() > 1 ? digits.substr(1) : "0";
    return out + digits[0] + "." + fraction + "E" + std::to_string(exponent);
  }
  int point = exponent + 1;
  if (point <= 0) return out + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  size_t whole = static_cast<size_t>(point);
  if (whole >= digits.size()) return out + digits + std::string(whole - digits.size(), '0') + ".0";
  return out + digits.substr(0, whole) + "." + digits.substr(whole);
}

// Cassandra's CqlBuilder: text whose new lines start at the current indentation.
class CqlWriter {
 public:
  CqlWriter& add(std::string_view text) {
    if (at_line_start_) {
      for (int i = 0; i < depth_; ++i) out_ += kIndentation;
      at_line_start_ = false;
    }
    out_ += text;
    return *this;
  }
  CqlWriter& line() {
    out_.push_back('\n');
    at_line_start_ = true;
    return *this;
  }
  CqlWriter& indent() {
    ++depth_;
    return *this;
  }
  CqlWriter& dedent() {
    if (depth_ > 0) --depth_;
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  int depth_ = 0;
  bool at_line_start_ = false;
};

// ---- keyspaces ----

bool is_virtual_keyspace(const std::string& keyspace) {
  return keyspace == "system_virtual_schema" || keyspace == "system_views";
}

std::string replication_literal(const std::map<std::string, std::string>& replication) {
  auto class_it = replication.find("class");
  std::string strategy = class_it == replication.end() ? "" : class_it->second;
  // Built-in strategies print by simple name, others by their full class name.
  if (strategy.starts_with(kLocatorPackage) &&
      strategy.find('.', kLocatorPackage.size()) == std::string::npos)
    strategy.erase(0, kLocatorPackage.size());
  std::string out = "{'class': " + single_quoted(strategy);
  for (const auto& [key, value] : replication) {
    if (key != "class") out += ", " + single_quoted(key) + ": " + single_quoted(value);
  }
  return out + "}";
}

std::string keyspace_cql(const KeyspaceDef& keyspace) {
  std::string name = quote_if_needed(keyspace.name);
  if (is_virtual_keyspace(keyspace.name)) {
    return "/*\nWarning: Keyspace " + name +
           " is a virtual keyspace and cannot be recreated with CQL.\n"
           "Structure, for reference:\nVIRTUAL KEYSPACE " +
           name + ";\n*/";
  }
  return "CREATE KEYSPACE " + name +
         " WITH replication = " + replication_literal(keyspace.replication) +
         "  AND durable_writes = " + (keyspace.durable_writes ? "true" : "false") + ";";
}

// ---- user types ----

std::string type_cql(const UserTypeDef& type) {
  CqlWriter w;
  w.add("CREATE TYPE ").add(qualified_name(type.keyspace, type.name)).add(" (").line().indent();
  for (size_t i = 0; i < type.field_names.size(); ++i) {
    if (i > 0) w.add(",").line();
    w.add(quote_if_needed(type.field_names[i])).add(" ").add(type_to_cql(*type.field_types[i]));
  }
  return w.line().dedent().add(");").take();
}

// ---- tables ----

// The options CREATE TABLE prints, in Cassandra 4.1's order (alphabetical but for memtable).
constexpr std::string_view kTableOptionOrder[] = {"additional_write_policy",
                                                  "bloom_filter_fp_chance",
                                                  "caching",
                                                  "cdc",
                                                  "comment",
                                                  "compaction",
                                                  "compression",
                                                  "memtable",
                                                  "crc_check_chance",
                                                  "default_time_to_live",
                                                  "extensions",
                                                  "gc_grace_seconds",
                                                  "max_index_interval",
                                                  "memtable_flush_period_in_ms",
                                                  "min_index_interval",
                                                  "read_repair",
                                                  "speculative_retry"};

std::string option_literal(std::string_view name, const OptionValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return single_quoted(*s);
  if (const auto* d = std::get_if<double>(&value)) return java_double(*d);
  if (const auto* i = std::get_if<int32_t>(&value)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  // Extension values are blobs already written as 0x... literals.
  return map_literal(std::get<std::map<std::string, std::string>>(value), name != "extensions");
}

// An option's value, falling back to Cassandra's default when the table does not record it.
std::string table_option(const std::map<std::string, OptionValue>& options, std::string_view name) {
  static const std::map<std::string, OptionValue> kDefaults = default_table_options();
  std::string key(name);
  if (auto it = options.find(key); it != options.end()) return option_literal(name, it->second);
  if (auto it = kDefaults.find(key); it != kDefaults.end()) return option_literal(name, it->second);
  if (name == "memtable") return "'default'";
  if (name == "cdc") return "false";  // system_schema reports it null unless set; DESCRIBE prints false
  return "{}";  // extensions
}

// Static columns, then regular ones; within each, single-cell before multi-cell, then by name:
// the order of Cassandra's RegularAndStaticColumns.
std::vector<const ColumnDef*> columns_in_create_order(const TableDef& table) {
  std::vector<const ColumnDef*> out;
  for (size_t i : table.partition_key) out.push_back(&table.columns[i]);
  for (size_t i : table.clustering) out.push_back(&table.columns[i]);
  std::vector<const ColumnDef*> others;
  for (const auto& column : table.columns)
    if (!column.is_primary_key()) others.push_back(&column);
  std::sort(others.begin(), others.end(), [](const ColumnDef* a, const ColumnDef* b) {
    bool a_static = a->kind == ColumnKind::kStatic;
    bool b_static = b->kind == ColumnKind::kStatic;
    if (a_static != b_static) return a_static;
    bool a_multi = a->type->is_multi_cell();
    bool b_multi = b->type->is_multi_cell();
    if (a_multi != b_multi) return b_multi;
    return a->name < b->name;
  });
  out.insert(out.end(), others.begin(), others.end());
  return out;
}

void append_columns(CqlWriter& w, const TableDef& table, bool single_column_key) {
  std::vector<const ColumnDef*> columns = columns_in_create_order(table);
  for (size_t i = 0; i < columns.size(); ++i) {
    const ColumnDef& column = *columns[i];
    w.add(quote_if_needed(column.name)).add(" ").add(type_to_cql(*column.type));
    if (column.kind == ColumnKind::kStatic) w.add(" static");
    if (single_column_key && column.kind == ColumnKind::kPartitionKey) w.add(" PRIMARY KEY");
    if (!single_column_key || i + 1 < columns.size()) w.add(",");
    w.line();
  }
}

std::string column_list(const TableDef& table, const std::vector<size_t>& indexes) {
  std::string out;
  for (size_t i = 0; i < indexes.size(); ++i) {
    if (i > 0) out += ", ";
    out += quote_if_needed(table.columns[indexes[i]].name);
  }
  return out;
}

void append_primary_key(CqlWriter& w, const TableDef& table) {
  std::string partition = column_list(table, table.partition_key);
  if (table.partition_key.size() > 1) partition = "(" + partition + ")";
  w.add("PRIMARY KEY (").add(partition);
  if (!table.clustering.empty()) w.add(", ").add(column_list(table, table.clustering));
  w.add(")").line();
}

void append_table_options(CqlWriter& w, const TableDef& table, bool with_internals,
                          bool is_virtual) {
  if (with_internals) w.add("ID = ").add(uuid_to_string(table.id)).line().add("AND ");
  if (!table.clustering.empty()) {
    w.add("CLUSTERING ORDER BY (");
    for (size_t i = 0; i < table.clustering.size(); ++i) {
      const ColumnDef& column = table.columns[table.clustering[i]];
      if (i > 0) w.add(", ");
      w.add(quote_if_needed(column.name)).add(column.descending ? " DESC" : " ASC");
    }
    w.add(")").line().add("AND ");
  }
  if (is_virtual) {
    w.add("comment = ").add(table_option(table.options, "comment"));
  } else {
    for (size_t i = 0; i < std::size(kTableOptionOrder); ++i) {
      if (i > 0) w.line().add("AND ");
      w.add(kTableOptionOrder[i]).add(" = ").add(table_option(table.options, kTableOptionOrder[i]));
    }
  }
  w.add(";");
}

std::string table_cql(const TableDef& table, bool with_internals) {
  bool is_virtual = is_virtual_keyspace(table.keyspace);
  std::string name = qualified_name(table.keyspace, table.name);
  CqlWriter w;
  if (is_virtual) {
    w.add("/*\nWarning: Table " + name +
          " is a virtual table and cannot be recreated with CQL.\nStructure, for reference:\n");
  }
  w.add(is_virtual ? "VIRTUAL TABLE " : "CREATE TABLE ").add(name).add(" (").line().indent();
  bool single_column_key = table.partition_key.size() == 1 && table.clustering.empty();
  append_columns(w, table, single_column_key);
  if (!single_column_key) append_primary_key(w, table);
  w.dedent().add(") WITH ").indent();
  append_table_options(w, table, with_internals, is_virtual);
  w.dedent();
  if (is_virtual) w.line().add("*/");
  return w.take();
}

// ---- materialized views ----

std::string view_cql(const TableDef& view) {
  const ViewDef& def = *view.view;
  std::string out = "CREATE MATERIALIZED VIEW " + qualified_name(view.keyspace, view.name) + " AS\n    SELECT ";
  if (def.include_all_columns) {
    out += "*";
  } else {
    for (size_t i = 0; i < view.columns.size(); ++i)
      out += (i > 0 ? ", " : "") + quote_if_needed(view.columns[i].name);
  }
  out += "\n    FROM " + qualified_name(view.keyspace, def.base_table) + "\n    WHERE " + def.where_clause + "\n    ";
  CqlWriter w;
  append_primary_key(w, view);
  out += w.take() + " WITH ";
  std::string separator;
  if (!view.clustering.empty()) {
    out += "CLUSTERING ORDER BY (";
    for (size_t i = 0; i < view.clustering.size(); ++i) {
      const ColumnDef& column = view.columns[view.clustering[i]];
      out += (i > 0 ? ", " : "") + quote_if_needed(column.name) + (column.descending ? " DESC" : " ASC");
    }
    out += ")";
    separator = "\n    AND ";
  }
  for (std::string_view option : kTableOptionOrder) {
    if (option == "default_time_to_live") continue;  // views never have their own
    out += separator + std::string(option) + " = " + table_option(view.options, option);
    separator = "\n    AND ";
  }
  return out + ";";
}

// ---- indexes ----

// The indexed expression when the index did not record Cassandra's "target" option.
std::string index_target(const TableDef& table, const IndexDef& index) {
  std::string column = quote_if_needed(index.column);
  const ColumnDef* indexed = table.find_column(index.column);
  switch (index.target) {
    case IndexTarget::kKeys:
      return "keys(" + column + ")";
    case IndexTarget::kEntries:
      return "entries(" + column + ")";
    case IndexTarget::kFull:
      return "full(" + column + ")";
    case IndexTarget::kValues:
      break;
  }
  bool collection = indexed != nullptr && indexed->type->is_collection();
  return collection ? "values(" + column + ")" : column;
}

std::string index_cql(const TableDef& table, const IndexDef& index) {
  std::map<std::string, std::string> options = index.options;
  std::string target = options.count("target") ? options["target"] : index_target(table, index);
  options.erase("target");
  std::string on = quote_if_needed(index.name) + " ON " +
                   qualified_name(table.keyspace, table.name) + " (" + target + ")";
  if (!index.custom) return "CREATE INDEX " + on + ";";
  std::string index_class = options["class_name"];
  options.erase("class_name");
  std::string out = "CREATE CUSTOM INDEX " + on + " USING " + single_quoted(index_class);
  if (!options.empty()) out += " WITH OPTIONS = " + map_literal(options, true);
  return out + ";";
}

// ---- schema elements, in DESCRIBE's order ----

struct Element {
  std::string keyspace;
  std::string type;  // "keyspace", "type", "table", "index", ...
  std::string name;
  std::string create_statement;
};

// Cassandra sorts elements by name ignoring case (String.compareToIgnoreCase), keeping the
// stored order for ties.
bool name_less(const std::string& a, const std::string& b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [&](char x, char y) {
    return static_cast<unsigned char>(lower(x)) < static_cast<unsigned char>(lower(y));
  });
}

template <typename T>
void sort_by_name(std::vector<const T*>* items) {
  std::stable_sort(items->begin(), items->end(),
                   [](const T* a, const T* b) { return name_less(a->name, b->name); });
}

std::vector<const KeyspaceDef*> sorted_keyspaces(const Schema& schema) {
  std::vector<const KeyspaceDef*> out;
  for (const auto& [name, keyspace] : schema.keyspaces) out.push_back(keyspace.get());
  sort_by_name(&out);
  return out;
}

std::vector<const TableDef*> sorted_tables(const KeyspaceDef& keyspace) {
  std::vector<const TableDef*> out;
  for (const auto& [name, table] : keyspace.tables)
    if (!table->is_view()) out.push_back(table.get());  // views are listed with their base table
  sort_by_name(&out);
  return out;
}

std::vector<const IndexDef*> sorted_indexes(const TableDef& table) {
  std::vector<const IndexDef*> out;
  for (const auto& index : table.indexes) out.push_back(&index);
  sort_by_name(&out);
  return out;
}

// Depth first through a type's components, so a type follows every type it uses.
void collect_types(const KeyspaceDef& keyspace, const CqlType& type, std::set<std::string>* seen,
                   std::vector<const UserTypeDef*>* out) {
  for (const auto& param : type.params) collect_types(keyspace, *param, seen, out);
  if (type.kind != TypeKind::kUdt || type.udt_keyspace != keyspace.name) return;
  const UserTypeDef* def = keyspace.find_type(type.udt_name);
  if (def != nullptr && seen->insert(def->name).second) out->push_back(def);
}

// Types in name order, each after the types it depends on (Cassandra's Types.sortedStream).
std::vector<const UserTypeDef*> types_in_dependency_order(const KeyspaceDef& keyspace) {
  std::set<std::string> seen;
  std::vector<const UserTypeDef*> out;
  for (const auto& [name, type] : keyspace.types) {
    for (const auto& field : type->field_types) collect_types(keyspace, *field, &seen, &out);
    if (seen.insert(name).second) out.push_back(type.get());
  }
  return out;
}

Element keyspace_element(const KeyspaceDef& keyspace) {
  return {keyspace.name, "keyspace", keyspace.name, keyspace_cql(keyspace)};
}

Element type_element(const UserTypeDef& type) {
  return {type.keyspace, "type", type.name, type_cql(type)};
}

Element view_element(const TableDef& view) { return {view.keyspace, "materialized_view", view.name, view_cql(view)}; }

Element index_element(const TableDef& table, const IndexDef& index) {
  return {table.keyspace, "index", index.name, index_cql(table, index)};
}

void add_table_elements(const KeyspaceDef& keyspace, const TableDef& table, bool with_internals,
                        std::vector<Element>* out) {
  out->push_back({table.keyspace, "table", table.name, table_cql(table, with_internals)});
  for (const IndexDef* index : sorted_indexes(table)) out->push_back(index_element(table, *index));
  for (const TableDef* view : views_of(keyspace, table.name)) out->push_back(view_element(*view));
}

void add_keyspace_elements(const KeyspaceDef& keyspace, bool only, bool with_internals,
                           std::vector<Element>* out) {
  out->push_back(keyspace_element(keyspace));
  if (only) return;
  for (const UserTypeDef* type : types_in_dependency_order(keyspace))
    out->push_back(type_element(*type));
  for (const TableDef* table : sorted_tables(keyspace))
    add_table_elements(keyspace, *table, with_internals, out);
}

// ---- name resolution ----

const KeyspaceDef& find_keyspace(const Schema& schema, const std::string& name) {
  const KeyspaceDef* keyspace = schema.find_keyspace(name);
  if (keyspace == nullptr) throw InvalidRequest("'" + name + "' not found in keyspaces");
  return *keyspace;
}

// The keyspace of DESCRIBE TABLE/TYPE/INDEX/...: the named one, else the session's.
const KeyspaceDef& element_keyspace(const Schema& schema, const ast::QualifiedName& name,
                                    const std::string& session_keyspace) {
  if (!name.keyspace.empty()) return find_keyspace(schema, name.keyspace);
  if (session_keyspace.empty())
    throw InvalidRequest("No keyspace specified and no current keyspace");
  return find_keyspace(schema, session_keyspace);
}

const TableDef* find_indexed_table(const KeyspaceDef& keyspace, const std::string& index_name) {
  for (const auto& [name, table] : keyspace.tables) {
    for (const auto& index : table->indexes)
      if (index.name == index_name) return table.get();
  }
  return nullptr;
}

const IndexDef* find_index(const TableDef& table, const std::string& index_name) {
  for (const auto& index : table.indexes)
    if (index.name == index_name) return &index;
  return nullptr;
}

std::string not_found(const std::string& what, const std::string& name,
                      const std::string& keyspace) {
  return what + " '" + name + "' not found in '" + keyspace + "'";
}

std::vector<Element> describe_table(const KeyspaceDef& keyspace, const std::string& name,
                                    bool with_internals) {
  const TableDef* table = keyspace.find_table(name);
  if (table == nullptr || table->is_view()) {
    throw InvalidRequest("Table '" + name + "' not found in keyspace '" + keyspace.name + "'");
  }
  std::vector<Element> out;
  add_table_elements(keyspace, *table, with_internals, &out);
  return out;
}

std::vector<Element> describe_index(const KeyspaceDef& keyspace, const std::string& name) {
  const TableDef* table = find_indexed_table(keyspace, name);
  if (table == nullptr)
    throw InvalidRequest(not_found("Table for existing index", name, keyspace.name));
  return {index_element(*table, *find_index(*table, name))};
}

std::vector<Element> describe_view(const KeyspaceDef& keyspace, const std::string& name) {
  const TableDef* view = keyspace.find_table(name);
  if (view == nullptr || !view->is_view()) throw InvalidRequest(not_found("Materialized view", name, keyspace.name));
  return {view_element(*view)};
}

std::vector<Element> describe_type(const KeyspaceDef& keyspace, const std::string& name) {
  const UserTypeDef* type = keyspace.find_type(name);
  if (type == nullptr) throw InvalidRequest(not_found("User defined type", name, keyspace.name));
  return {type_element(*type)};
}

std::vector<Element> describe_keyspace(const Schema& schema, const ast::DescribeStatement& s,
                                       const std::string& session_keyspace) {
  std::string name = !s.name.keyspace.empty() ? s.name.keyspace : s.name.name;
  if (name.empty()) {
    if (session_keyspace.empty())
      throw InvalidRequest("No keyspace specified and no current keyspace");
    name = session_keyspace;
  }
  std::vector<Element> out;
  add_keyspace_elements(find_keyspace(schema, name), s.only, s.with_internals, &out);
  return out;
}

// DESCRIBE [ks.]name: a keyspace, else a table, else an index, else a view (cqlsh's order).
std::vector<Element> describe_generic(const Schema& schema, const ast::DescribeStatement& s,
                                      const std::string& session_keyspace) {
  const std::string& name = s.name.name;
  std::string keyspace_name = s.name.keyspace;
  if (keyspace_name.empty()) {
    if (const KeyspaceDef* keyspace = schema.find_keyspace(name)) {
      std::vector<Element> out;
      add_keyspace_elements(*keyspace, false, s.with_internals, &out);
      return out;
    }
    keyspace_name = session_keyspace.empty() ? name : session_keyspace;
  }
  const KeyspaceDef& keyspace = find_keyspace(schema, keyspace_name);
  if (const TableDef* t = keyspace.find_table(name); t != nullptr && !t->is_view())
    return describe_table(keyspace, name, s.with_internals);
  if (find_indexed_table(keyspace, name) != nullptr) return describe_index(keyspace, name);
  if (keyspace.find_table(name) != nullptr) return describe_view(keyspace, name);
  throw InvalidRequest("'" + name + "' not found in keyspace '" + keyspace_name + "'");
}

// DESCRIBE TABLES/TYPES/FUNCTIONS/AGGREGATES: the session keyspace's elements, or every
// keyspace's when no keyspace is in use.
std::vector<Element> describe_listing(const Schema& schema, Kind kind,
                                      const std::string& session_keyspace) {
  std::vector<const KeyspaceDef*> keyspaces;
  if (session_keyspace.empty()) {
    keyspaces = sorted_keyspaces(schema);
  } else {
    keyspaces.push_back(&find_keyspace(schema, session_keyspace));
  }
  std::vector<Element> out;
  for (const KeyspaceDef* keyspace : keyspaces) {
    if (kind == Kind::kTables) {
      for (const TableDef* table : sorted_tables(*keyspace))
        out.push_back({keyspace->name, "table", table->name, ""});
    } else if (kind == Kind::kTypes) {
      std::vector<const UserTypeDef*> types;
      for (const auto& [name, type] : keyspace->types) types.push_back(type.get());
      sort_by_name(&types);
      for (const UserTypeDef* type : types) out.push_back({keyspace->name, "type", type->name, ""});
    }
    // cqld has no user-defined functions or aggregates: those listings are empty.
  }
  return out;
}

std::vector<Element> describe_schema(const Schema& schema, bool full, bool with_internals) {
  std::vector<Element> out;
  for (const KeyspaceDef* keyspace : sorted_keyspaces(schema)) {
    if (full || !is_system_keyspace(keyspace->name))
      add_keyspace_elements(*keyspace, false, with_internals, &out);
  }
  return out;
}

std::vector<Element> describe_keyspaces(const Schema& schema) {
  std::vector<Element> out;
  for (const KeyspaceDef* keyspace : sorted_keyspaces(schema))
    out.push_back({keyspace->name, "keyspace", keyspace->name, ""});
  return out;
}

// DESCRIBE of a single named element other than a keyspace.
std::vector<Element> describe_element(const Schema& schema, const ast::DescribeStatement& s,
                                      const std::string& session_keyspace) {
  const KeyspaceDef& keyspace = element_keyspace(schema, s.name, session_keyspace);
  const std::string& name = s.name.name;
  switch (s.kind) {
    case Kind::kTable:
      return describe_table(keyspace, name, s.with_internals);
    case Kind::kIndex:
      return describe_index(keyspace, name);
    case Kind::kType:
      return describe_type(keyspace, name);
    case Kind::kFunction:
      throw InvalidRequest(not_found("User defined function", name, keyspace.name));
    case Kind::kAggregate:
      throw InvalidRequest(not_found("User defined aggregate", name, keyspace.name));
    default:
      return describe_view(keyspace, name);
  }
}

// ---- virtual keyspaces ----

// The text cells of a generated row, by column name.
std::string row_text(const TableDef& def, const VirtualRow& row, const std::string& column) {
  int i = def.column_index(column);
  return i < 0 ? std::string() : row[static_cast<size_t>(i)].bytes;
}

// Cassandra describes its virtual keyspaces too, though the schema snapshot (like
// system_schema) holds only real ones: add them as system_virtual_schema lists them.
Schema with_virtual_keyspaces(const Schema& schema) {
  Schema out = schema;
  const VirtualTable* keyspaces = find_virtual_table("system_virtual_schema", "keyspaces");
  const VirtualTable* tables = find_virtual_table("system_virtual_schema", "tables");
  if (keyspaces == nullptr || tables == nullptr) return out;
  std::map<std::string, std::shared_ptr<KeyspaceDef>> added;
  for (const VirtualRow& row : keyspaces->rows(schema, LocalNodeInfo{})) {
    std::string name = row_text(*keyspaces->def, row, "keyspace_name");
    if (out.keyspaces.count(name)) continue;
    auto keyspace = std::make_shared<KeyspaceDef>();
    keyspace->name = name;
    added[name] = keyspace;
  }
  for (const VirtualRow& row : tables->rows(schema, LocalNodeInfo{})) {
    std::string keyspace = row_text(*tables->def, row, "keyspace_name");
    std::string name = row_text(*tables->def, row, "table_name");
    const VirtualTable* table = find_virtual_table(keyspace, name);
    if (added.count(keyspace) && table != nullptr) added[keyspace]->tables[name] = table->def;
  }
  for (auto& [name, keyspace] : added) out.keyspaces[name] = std::move(keyspace);
  return out;
}

// ---- results ----

Value text_value(const std::string& text) {
  return Value::of(text);
}

RowsResult text_result(const std::vector<std::string>& column_names) {
  RowsResult result;
  for (const auto& name : column_names) {
    result.metadata.columns.push_back(
        ColumnSpec{kResultKeyspace, kResultTable, name, primitive_type(TypeKind::kVarchar)});
  }
  return result;
}

RowsResult element_rows(const std::vector<Element>& elements, bool with_statements) {
  RowsResult result = with_statements
                          ? text_result({"keyspace_name", "type", "name", "create_statement"})
                          : text_result({"keyspace_name", "type", "name"});
  for (const Element& e : elements) {
    result.cells.push_back(text_value(quote_if_needed(e.keyspace)));
    result.cells.push_back(text_value(e.type));
    result.cells.push_back(text_value(quote_if_needed(e.name)));
    if (with_statements) result.cells.push_back(text_value(e.create_statement));
  }
  result.row_count = elements.size();
  return result;
}

RowsResult cluster_rows(const std::string& cluster_name) {
  RowsResult result = text_result({"cluster", "partitioner", "snitch"});
  result.cells = {text_value(cluster_name), text_value(kPartitioner), text_value(kSnitch)};
  result.row_count = 1;
  return result;
}

}  // namespace

RowsResult describe(const ast::DescribeStatement& statement, const Schema& snapshot,
                    const std::string& session_keyspace, const std::string& cluster_name) {
  const Schema schema = with_virtual_keyspaces(snapshot);
  switch (statement.kind) {
    case Kind::kCluster:
      return cluster_rows(cluster_name);
    case Kind::kKeyspaces:
      return element_rows(describe_keyspaces(schema), false);
    case Kind::kTables:
    case Kind::kTypes:
    case Kind::kFunctions:
    case Kind::kAggregates:
      return element_rows(describe_listing(schema, statement.kind, session_keyspace), false);
    case Kind::kSchema:
      return element_rows(describe_schema(schema, statement.full, statement.with_internals), true);
    case Kind::kKeyspace:
      return element_rows(describe_keyspace(schema, statement, session_keyspace), true);
    case Kind::kGeneric:
      return element_rows(describe_generic(schema, statement, session_keyspace), true);
    default:
      return element_rows(describe_element(schema, statement, session_keyspace), true);
  }
}

}  // namespace cqld
