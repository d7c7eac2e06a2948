// INSERT INTO t JSON '...' [DEFAULT NULL | DEFAULT UNSET]: an INSERT of every column of the
// table, each value taken from the JSON object at execution (the text may be a bind marker).
// A column the object leaves out (or gives null) is null, or left as it is with DEFAULT UNSET.
#include <atomic>

#include "common/errors.h"
#include "exec/statements/modification_statement.h"
#include "functions/json_codec.h"

namespace cqld {
namespace {

// The columns' values of one JSON text, decoded once per execution however many column terms
// ask: the last text decoded on this thread is kept, keyed by the decoder that made it.
class JsonColumns {
 public:
  JsonColumns(TablePtr table, BoundTerm json, bool default_unset)
      : table_(std::move(table)), json_(std::move(json)), default_unset_(default_unset), id_(next_id()) {}

  Value column(const Bindings& b, size_t column) const { return decode(b)[column]; }

 private:
  struct Decoded {
    uint64_t decoder = 0;
    std::string text;
    std::vector<Value> values;
  };

  static uint64_t next_id() {
    static std::atomic<uint64_t> ids{1};
    return ids.fetch_add(1);
  }

  const std::vector<Value>& decode(const Bindings& b) const {
    thread_local Decoded last;
    Value json = json_.evaluate(b);
    if (!json.is_set()) throw InvalidRequest("Got null for INSERT JSON values");
    if (last.decoder == id_ && last.text == json.bytes) return last.values;
    last.decoder = 0;
    last.values = decode_text(json.bytes);
    last.text = json.bytes;
    last.decoder = id_;
    return last.values;
  }

  static JsonValue parse_object(const std::string& text) {
    JsonValue parsed;
    try {
      parsed = parse_json(text);
    } catch (const JsonSyntaxError& e) {
      throw InvalidRequest(std::string("Could not decode JSON string as a map: ") + e.what() + ". (String was: " + text + ")");
    }
    if (parsed.kind == JsonValue::Kind::kNull) throw InvalidRequest("Got null for INSERT JSON values");
    if (parsed.kind != JsonValue::Kind::kObject) {
      size_t start = text.find_first_not_of(" \t\r\n");
      std::string from = parsed.kind == JsonValue::Kind::kArray ? "Array value (token `JsonToken.START_ARRAY`)"
                         : parsed.kind == JsonValue::Kind::kString ? "String value (token `JsonToken.VALUE_STRING`)"
                         : parsed.is_number() ? "Number value"
                                              : "Boolean value";
      throw InvalidRequest(
          "Could not decode JSON string as a map: com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot "
          "deserialize value of type `java.util.LinkedHashMap<java.lang.Object,java.lang.Object>` from " + from +
          "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: " +
          std::to_string(start + 1) + "]. (String was: " + text + ")");
    }
    return parsed;
  }

  std::vector<Value> decode_text(const std::string& text) const {
    const TableDef& t = *table_;
    JsonValue object = parse_object(text);
    // Keys as the columns they name; a name given twice (as "K" and "k") keeps the last value.
    std::vector<const JsonValue*> given(t.columns.size(), nullptr);
    for (const auto& [key, value] : object.members) {
      std::string name = json_key_to_name(key);
      int ci = t.column_index(name);
      if (ci < 0) throw InvalidRequest("JSON values map contains unrecognized column: " + name);
      given[static_cast<size_t>(ci)] = &value;
    }
    std::vector<Value> values;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (given[i] == nullptr || given[i]->is_null()) {
        values.push_back(default_unset_ ? Value::unset() : Value::null());
        continue;
      }
      try {
        values.push_back(value_from_json(*t.columns[i].type, *given[i]));
      } catch (const InvalidRequest& e) {
        throw InvalidRequest("Error decoding JSON value for " + t.columns[i].name + ": " + e.what());
      }
    }
    return values;
  }

  TablePtr table_;
  BoundTerm json_;
  bool default_unset_;
  uint64_t id_;
};

BoundTerm column_term(const std::shared_ptr<const JsonColumns>& columns, size_t column) {
  return BoundTerm::computed([columns, column](const Bindings& b) { return columns->column(b, column); });
}

// The key columns' restrictions, as "k = ?" relations bound to placeholder markers that are then
// replaced by the JSON columns' terms.
Restrictions bind_key(const TableDef& t, const std::shared_ptr<const JsonColumns>& columns, const BindContext& ctx) {
  std::vector<ast::Relation> where;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (!t.columns[i].is_primary_key()) continue;
    ast::Relation rel;
    rel.columns = {t.columns[i].name};
    ast::Term marker;
    marker.kind = ast::Term::Kind::kBindMarker;
    marker.bind_index = static_cast<int>(where.size());
    rel.value = marker;
    where.push_back(std::move(rel));
  }
  BindContext placeholders = ctx;
  placeholders.markers.clear();
  placeholders.marker_names.clear();
  Restrictions r = bind_restrictions(where, t, false, RestrictionUse::kModification, placeholders);
  for (size_t i = 0; i < r.partition_values.size(); ++i) r.partition_values[i] = {column_term(columns, t.partition_key[i])};
  for (size_t i = 0; i < r.clustering.prefix.size(); ++i) r.clustering.prefix[i] = {column_term(columns, t.clustering[i])};
  for (RowFilter& f : r.filters) {
    if (f.column >= 0 && f.values.size() == 1) f.values[0] = column_term(columns, static_cast<size_t>(f.column));
  }
  return r;
}

}  // namespace

std::unique_ptr<ModificationStatement> ModificationStatement::prepare_insert_json(const ast::InsertStatement& s,
                                                                                TablePtr table, BindContext& ctx) {
  const TableDef& t = *table;
  if (t.is_counter) throw InvalidRequest("INSERT statements are not allowed on counter tables, use UPDATE instead");
  std::unique_ptr<ModificationStatement> p(new ModificationStatement());
  p->kind_ = Kind::kInsert;
  p->table_ = table;
  BoundTerm json = bind_term(*s.json, primitive_type(TypeKind::kVarchar), "[json]", ctx);
  auto columns = std::make_shared<const JsonColumns>(table, std::move(json), s.json_default_unset);
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].is_primary_key()) continue;
    Operation op;
    op.type = Operation::Type::kSet;
    op.column = static_cast<int>(i);
    op.value = column_term(columns, i);
    p->operations_.push_back(std::move(op));
  }
  p->where_ = bind_key(t, columns, ctx);
  p->bind_using(s.using_clause, ctx);
  if (s.if_not_exists) {
    p->guard_ = Guard::kIfNotExists;
    if (p->timestamp_) throw InvalidRequest("Cannot provide custom timestamp for conditional updates");
  }
  return p;
}

}  // namespace cqld
