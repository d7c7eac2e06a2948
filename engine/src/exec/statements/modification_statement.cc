#include "exec/statements/modification_statement.h"

#include "exec/statements/prepare.h"

#include <algorithm>
#include <climits>
#include <set>

#include "common/errors.h"
#include "exec/sai_index.h"
#include "exec/write_failure.h"
#include "types/literal.h"
#include "types/comparable.h"
#include "types/literal.h"

namespace cqld {
namespace {

// A term as Cassandra's messages print it back: constants as written, markers as ?.
std::string operand_text(const ast::Term& t) {
  if (t.kind == ast::Term::Kind::kLiteral) return literal_source_text(t.literal);
  if (t.kind == ast::Term::Kind::kBindMarker) return t.bind_name.empty() ? "?" : ":" + t.bind_name;
  return "?";
}

constexpr int32_t kMaxTtlSeconds = 630720000;  // 20 years, Cassandra's limit
constexpr int64_t kMaxExpirationSeconds = 2147483646;  // 2038-01-19T03:14:06Z

const ColumnDef& column_named(const TableDef& t, const std::string& name, int* index) {
  *index = t.column_index(name);
  if (*index < 0) throw undefined_column(name, t.keyspace, t.name);
  return t.columns[static_cast<size_t>(*index)];
}

Cell tombstone(int64_t ts) {
  Cell c;
  c.timestamp = ts;
  c.tombstone = true;
  return c;
}

// A condition on a regular column needs the row: the statement then applies to a row, not
// only to the partition's static columns (Cassandra's appliesOnlyToStaticColumns).
bool conditions_on_regular_columns(const TableDef& t, const std::vector<ast::Condition>& conditions) {
  for (const auto& c : conditions) {
    const ColumnDef* column = t.find_column(c.column);
    if (column != nullptr && column->kind == ColumnKind::kRegular) return true;
  }
  return false;
}

// The position of "field" in the UDT column "c", or Cassandra's error.
uint16_t field_position(const ColumnDef& c, const std::string& field) {
  const auto& names = c.type->field_names;
  auto it = std::find(names.begin(), names.end(), field);
  if (it == names.end()) throw InvalidRequest("UDT column " + c.name + " does not have a field named " + field);
  return static_cast<uint16_t>(it - names.begin());
}

std::string term_source_text(const ast::Term& t) {
  if (t.kind == ast::Term::Kind::kLiteral) return literal_source_text(t.literal);
  if (t.kind == ast::Term::Kind::kBindMarker) return "?";
  return "...";
}

}  // namespace

void ModificationStatement::bind_using(const ast::UsingClause& u, BindContext& ctx) {
  if (u.ttl) ttl_ = bind_term(*u.ttl, primitive_type(TypeKind::kInt), "[ttl]", ctx);
  if (u.timestamp) timestamp_ = bind_term(*u.timestamp, primitive_type(TypeKind::kBigint), "[timestamp]", ctx);
}

std::unique_ptr<ModificationStatement> ModificationStatement::prepare_insert(const ast::InsertStatement& s,
                                                                           TablePtr table, BindContext& ctx) {
  if (s.json) return prepare_insert_json(s, std::move(table), ctx);
  std::unique_ptr<ModificationStatement> p(new ModificationStatement());
  p->kind_ = Kind::kInsert;
  p->table_ = table;
  const TableDef& t = *table;
  if (s.columns.size() != s.values.size()) throw InvalidRequest("Unmatched column names/values");
  std::vector<ast::Relation> where;
  std::set<std::string> seen;
  // Marker order is the order of appearance, so bind values left to right.
  for (size_t i = 0; i < s.columns.size(); ++i) {
    int ci;
    const ColumnDef& c = column_named(t, s.columns[i], &ci);
    if (!seen.insert(c.name).second) throw InvalidRequest("The column names contains duplicates");
    if (t.is_counter) throw InvalidRequest("INSERT statements are not allowed on counter tables, use UPDATE instead");
    if (c.is_primary_key()) {
      ast::Relation rel;
      rel.columns = {c.name};
      rel.value = s.values[i];
      where.push_back(std::move(rel));
      continue;
    }
    Operation op;
    op.type = Operation::Type::kSet;
    op.column = ci;
    op.value = bind_term(s.values[i], c.type, c.name, ctx);
    p->operations_.push_back(std::move(op));
  }
  // An INSERT that names no clustering value and only static columns writes the static row.
  bool names_clustering = false, all_static = !p->operations_.empty();
  for (const auto& name : s.columns) {
    const ColumnDef* c = t.find_column(name);
    names_clustering = names_clustering || c->kind == ColumnKind::kClustering;
    all_static = all_static && (c->kind == ColumnKind::kStatic || c->kind == ColumnKind::kPartitionKey);
  }
  p->static_only_ = all_static && !names_clustering && !t.clustering.empty();
  p->where_ = bind_restrictions(where, t, false, p->static_only_ ? RestrictionUse::kDeletion : RestrictionUse::kModification, ctx);
  p->bind_using(s.using_clause, ctx);
  if (s.if_not_exists) {
    p->guard_ = Guard::kIfNotExists;
    if (p->timestamp_) throw InvalidRequest("Cannot provide custom timestamp for conditional updates");
  }
  return p;
}

std::unique_ptr<ModificationStatement> ModificationStatement::prepare_update(const ast::UpdateStatement& s,
                                                                           TablePtr table, BindContext& ctx) {
  std::unique_ptr<ModificationStatement> p(new ModificationStatement());
  p->kind_ = Kind::kUpdate;
  p->table_ = table;
  const TableDef& t = *table;
  p->bind_using(s.using_clause, ctx);
  bool all_static = !s.assignments.empty();
  std::set<std::string> set_whole;
  for (const auto& a : s.assignments) {
    int ci;
    const ColumnDef& c = column_named(t, a.column, &ci);
    if (a.kind == ast::Assignment::Kind::kSet && !set_whole.insert(c.name).second)
      throw SyntaxError("Multiple incompatible setting of column " + c.name);
    if (c.is_primary_key()) throw InvalidRequest("PRIMARY KEY part " + c.name + " found in SET part");
    all_static = all_static && c.kind == ColumnKind::kStatic;
    Operation op;
    op.column = ci;
    bool multi = stored_per_element(*c.type);
    if (c.type->kind == TypeKind::kCounter) {
      if (a.kind == ast::Assignment::Kind::kPrepend)
        throw InvalidRequest("Invalid operation (" + c.name + " = " + operand_text(a.value) + " - " + c.name +
                             ") for non list column " + c.name);
      if (a.kind != ast::Assignment::Kind::kAdd && a.kind != ast::Assignment::Kind::kSubtract)
        throw InvalidRequest("Cannot set the value of counter column " + c.name +
                             " (counters can only be incremented/decremented, not set)");
      op.type = a.kind == ast::Assignment::Kind::kAdd ? Operation::Type::kCounterAdd : Operation::Type::kCounterSubtract;
      // An operator's result must suit the counter itself, which none does (as in Cassandra).
      bool operation = a.value.kind == ast::Term::Kind::kArithmetic || a.value.kind == ast::Term::Kind::kNegate;
      op.value = bind_term(a.value, operation ? c.type : primitive_type(TypeKind::kBigint), c.name, ctx);
      p->operations_.push_back(std::move(op));
      continue;
    }
    switch (a.kind) {
      case ast::Assignment::Kind::kSet:
        op.type = Operation::Type::kSet;
        op.value = bind_term(a.value, c.type, c.name, ctx);
        break;
      case ast::Assignment::Kind::kAdd:
      case ast::Assignment::Kind::kPrepend:
      case ast::Assignment::Kind::kSubtract: {
        if (!multi)
          throw InvalidRequest("Invalid operation (" + c.name + " = " + c.name + (a.kind == ast::Assignment::Kind::kSubtract ? " - " : " + ") +
                               operand_text(a.value) + ") for non counter column " + c.name);
        bool subtract = a.kind == ast::Assignment::Kind::kSubtract;
        if (a.kind == ast::Assignment::Kind::kPrepend && c.type->kind != TypeKind::kList)
          throw InvalidRequest("Invalid operation for non list column " + c.name);
        op.type = subtract ? Operation::Type::kRemove
                           : a.kind == ast::Assignment::Kind::kPrepend ? Operation::Type::kPrepend : Operation::Type::kAppend;
        TypePtr value_type = c.type;
        if (subtract && c.type->kind == TypeKind::kMap) value_type = set_type(c.type->params[0], false);
        if (subtract && c.type->kind == TypeKind::kList) op.type = Operation::Type::kListRemove;
        op.value = bind_term(a.value, value_type, c.name, ctx);
        break;
      }
      case ast::Assignment::Kind::kSetElement:
        if (c.type->kind == TypeKind::kList && multi) {
          op.type = Operation::Type::kListSetIndex;
          op.key = bind_term(*a.key, primitive_type(TypeKind::kInt), "idx(" + c.name + ")", ctx);
          op.value = bind_term(a.value, c.type->params[0], "value(" + c.name + ")", ctx);
          break;
        }
        if (c.type->kind != TypeKind::kMap || !multi)
          throw InvalidRequest("Invalid operation (" + c.name + "[?] = ?) for non collection column " + c.name);
        op.type = Operation::Type::kSetElement;
        op.key = bind_term(*a.key, c.type->params[0], "key(" + c.name + ")", ctx);
        op.value = bind_term(a.value, c.type->params[1], "value(" + c.name + ")", ctx);
        break;
      case ast::Assignment::Kind::kSetField: {
        std::string shown = c.name + "." + a.field + " = " + term_source_text(a.value);
        if (c.type->kind != TypeKind::kUdt)
          throw InvalidRequest("Invalid operation (" + shown + ") for non-UDT column " + c.name);
        if (c.type->frozen) throw InvalidRequest("Invalid operation (" + shown + ") for frozen UDT column " + c.name);
        op.type = Operation::Type::kSetField;
        op.field = field_position(c, a.field);
        op.value = bind_term(a.value, c.type->params[op.field], c.name + "." + a.field, ctx);
        break;
      }
    }
    p->operations_.push_back(std::move(op));
  }
  all_static = all_static && !conditions_on_regular_columns(t, s.conditions);
  p->static_only_ = all_static;
  p->where_ = bind_restrictions(s.where, t, false, all_static ? RestrictionUse::kDeletion : RestrictionUse::kModification, ctx,
                                "UPDATE");
  if (all_static && p->where_.has_clustering_restriction)
    throw InvalidRequest("Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns");
  p->bind_conditions(s.if_exists, s.conditions, ctx);
  if (t.is_counter && p->ttl_) throw InvalidRequest("Cannot provide custom TTL for counter updates");
  if (t.is_counter && p->timestamp_) throw InvalidRequest("Cannot provide custom timestamp for counter updates");
  if (t.is_counter && p->is_conditional()) throw InvalidRequest("Conditions on counters are not supported");
  return p;
}

std::unique_ptr<ModificationStatement> ModificationStatement::prepare_delete(const ast::DeleteStatement& s,
                                                                           TablePtr table, BindContext& ctx) {
  std::unique_ptr<ModificationStatement> p(new ModificationStatement());
  p->kind_ = Kind::kDelete;
  p->table_ = table;
  const TableDef& t = *table;
  if (s.using_clause.ttl) throw InvalidRequest("Cannot specify a TTL on DELETE");
  p->bind_using(s.using_clause, ctx);
  bool all_static = !s.deletions.empty();
  for (const auto& d : s.deletions) {
    int ci;
    const ColumnDef& c = column_named(t, d.column, &ci);
    if (c.is_primary_key()) throw InvalidRequest("Invalid identifier " + c.name + " for deletion (should not be a PRIMARY KEY part)");
    all_static = all_static && c.kind == ColumnKind::kStatic;
    Operation op;
    op.column = ci;
    op.type = Operation::Type::kDeleteColumn;
    if (d.key) {
      if (c.type->kind == TypeKind::kList && stored_per_element(*c.type)) {
        op.type = Operation::Type::kListDeleteIndex;
        op.key = bind_term(*d.key, primitive_type(TypeKind::kInt), "idx(" + c.name + ")", ctx);
      } else if ((c.type->kind == TypeKind::kMap || c.type->kind == TypeKind::kSet) && stored_per_element(*c.type)) {
        op.type = Operation::Type::kDeleteElement;
        op.key = bind_term(*d.key, c.type->params[0], "key(" + c.name + ")", ctx);
      } else if (c.type->is_collection()) {
        throw InvalidRequest("Invalid deletion operation for frozen collection column " + c.name);
      } else {
        throw InvalidRequest("Invalid deletion operation for non collection column " + c.name);
      }
    }
    if (!d.field.empty()) {
      if (c.type->kind != TypeKind::kUdt) throw InvalidRequest("Invalid field deletion operation for non-UDT column " + c.name);
      if (c.type->frozen) throw InvalidRequest("Frozen UDT column " + c.name + " does not support field deletions");
      op.type = Operation::Type::kDeleteField;
      op.field = field_position(c, d.field);
    }
    p->operations_.push_back(std::move(op));
  }
  all_static = all_static && !conditions_on_regular_columns(t, s.conditions);
  p->static_only_ = all_static;
  p->where_ = bind_restrictions(s.where, t, false, RestrictionUse::kDeletion, ctx, "DELETE");
  bool full_row = p->where_.clustering.prefix.size() == t.clustering.size();
  // Column deletions address rows: a clustering prefix or range would be a range deletion.
  if (!s.deletions.empty() && !all_static && !full_row)
    throw InvalidRequest("Range deletions are not supported for specific columns");
  if (all_static && p->where_.has_clustering_restriction)
    throw InvalidRequest("Invalid restrictions on clustering columns since the DELETE statement modifies only static columns");
  if (t.is_counter && p->timestamp_) throw InvalidRequest("Cannot provide custom timestamp for counter updates");
  if (t.is_counter && (s.if_exists || !s.conditions.empty()))
    throw InvalidRequest("Conditional updates are not supported on counter tables");
  p->bind_conditions(s.if_exists, s.conditions, ctx);
  if (p->is_conditional() && !full_row && !all_static)
    throw InvalidRequest("DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns");
  return p;
}

Cell ModificationStatement::live_cell(const WriteContext& ctx, int64_t ts, int32_t ttl, std::string value) {
  Cell c;
  c.timestamp = ts;
  c.ttl = ttl;
  if (ttl > 0) c.expires_at = ctx.bindings.now_micros / 1000000 + ttl;
  c.value = std::move(value);
  return c;
}

void ModificationStatement::write_row(const WriteContext& ctx, int64_t ts, int32_t ttl, const PartitionKey& pk,
                                     const Clustering& row, Mutation* out) const {
  const TableDef& t = *table_;
  const Bindings& b = ctx.bindings;
  if (kind_ == Kind::kInsert && !static_only_) out->write_row_marker(t, pk, row, live_cell(ctx, ts, ttl, {}));
  for (const auto& op : operations_) {
    const ColumnDef& c = t.columns[static_cast<size_t>(op.column)];
    const CqlType& type = *c.type;
    if (op.type == Operation::Type::kDeleteField) {
      out->write_field(t, pk, row, c, op.field, tombstone(ts));
      continue;
    }
    if (op.type == Operation::Type::kDeleteColumn) {
      if (stored_per_element(type) || stored_per_field(type)) {
        out->delete_collection(t, pk, row, c, ts);
        continue;
      }
      Cell dead = tombstone(ts);
      dead.counter = type.kind == TypeKind::kCounter;
      out->write_cell(t, pk, row, c, dead);
      continue;
    }
    if (op.type == Operation::Type::kCounterAdd || op.type == Operation::Type::kCounterSubtract) {
      Value delta = op.value.evaluate(b);
      if (delta.is_unset()) continue;
      if (delta.is_null()) throw InvalidRequest("Invalid null value for counter increment");
      int64_t d = decode_int64(delta.bytes);
      if (op.type == Operation::Type::kCounterSubtract) d = -d;
      Cell cell = live_cell(ctx, ts, 0, encode_int64(d));
      cell.counter = true;
      out->write_cell(t, pk, row, c, cell);
      continue;
    }
    if (op.type == Operation::Type::kDeleteElement) {
      Value key = op.key->evaluate(b);
      if (key.is_null()) throw InvalidRequest("Invalid null value for " + c.name + " element");
      out->write_element(t, pk, row, c, key.bytes, tombstone(ts));
      continue;
    }
    if (op.type == Operation::Type::kListSetIndex || op.type == Operation::Type::kListDeleteIndex ||
        op.type == Operation::Type::kListRemove) {
      write_list_update(ctx, op, pk, row, ts, ttl, out);
      continue;
    }
    Value v = op.value.evaluate(b);
    if (v.is_unset()) continue;
    if (op.type == Operation::Type::kSetElement) {
      Value key = op.key->evaluate(b);
      if (!key.is_set()) throw InvalidRequest("Invalid null value for map key");
      out->write_element(t, pk, row, c, key.bytes, v.is_null() ? tombstone(ts) : live_cell(ctx, ts, ttl, v.bytes));
      continue;
    }
    if (op.type == Operation::Type::kSetField) {
      if (v.is_set()) validate_value(*type.params[op.field], v.bytes);
      out->write_field(t, pk, row, c, op.field, v.is_null() ? tombstone(ts) : live_cell(ctx, ts, ttl, v.bytes));
      continue;
    }
    if (stored_per_field(type)) {
      // A whole value replaces every field: the older ones go, and null fields get no cell.
      out->delete_collection(t, pk, row, c, ts - 1);
      if (v.is_null()) continue;
      validate_value(type, v.bytes);
      std::vector<Value> fields = parse_tuple(v.bytes);
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i].is_set())
          out->write_field(t, pk, row, c, static_cast<uint16_t>(i), live_cell(ctx, ts, ttl, fields[i].bytes));
      continue;
    }
    if (!stored_per_element(type)) {
      if (v.is_set()) validate_value(type, v.bytes);
      if (v.is_set() && type.kind == TypeKind::kVector) check_indexable_vector(t, c, v.bytes);
      out->write_cell(t, pk, row, c, v.is_null() ? tombstone(ts) : live_cell(ctx, ts, ttl, v.bytes));
      continue;
    }
    // Non-frozen collections: one cell per element; an overwrite deletes what was there just before.
    if (op.type == Operation::Type::kSet) {
      out->delete_collection(t, pk, row, c, ts - 1);
      if (v.is_null()) continue;
    }
    if (v.is_null()) {
      if (op.type == Operation::Type::kRemove || op.type == Operation::Type::kAppend) continue;
      throw InvalidRequest("Invalid null value for " + c.name);
    }
    validate_value(type.kind == TypeKind::kMap && op.type == Operation::Type::kRemove ? *set_type(type.params[0], false) : type, v.bytes);
    if (type.kind == TypeKind::kMap && op.type != Operation::Type::kRemove) {
      for (const auto& [k, val] : parse_map(v.bytes)) out->write_element(t, pk, row, c, k, live_cell(ctx, ts, ttl, val));
    } else if (type.kind == TypeKind::kList) {
      bool prepend = op.type == Operation::Type::kPrepend;
      auto elements = parse_collection(v.bytes);
      if (prepend) std::reverse(elements.begin(), elements.end());  // newest-first keys keep their order
      for (const auto& e : elements) out->append_list_element(t, pk, row, c, prepend, live_cell(ctx, ts, ttl, e));
    } else {
      for (const auto& e : parse_collection(v.bytes))
        out->write_element(t, pk, row, c, e, op.type == Operation::Type::kRemove ? tombstone(ts) : live_cell(ctx, ts, ttl, {}));
    }
  }
}

void ModificationStatement::write_deletion(int64_t ts, const PartitionKey& pk, const Bindings& b, Mutation* out) const {
  const TableDef& t = *table_;
  if (!where_.has_clustering_restriction) {
    out->delete_partition(t, pk, ts);
    return;
  }
  bool full_row = where_.clustering.prefix.size() == t.clustering.size();
  for (auto& prefix : written_clusterings(where_, t, b)) {
    if (full_row) out->delete_row(t, pk, prefix, ts);
    else
      for (const auto& slice : clustering_slices(where_, t, std::move(prefix), b)) out->delete_rows(t, pk, slice, ts);
  }
}

// List updates by index or by value read the list's live elements first (as Cassandra does):
// the elements say which cells to overwrite or delete.
void ModificationStatement::write_list_update(const WriteContext& ctx, const Operation& op, const PartitionKey& pk,
                                             const Clustering& row, int64_t ts, int32_t ttl, Mutation* out) const {
  const ColumnDef& c = table_->columns[static_cast<size_t>(op.column)];
  if (ctx.store == nullptr) throw InvalidRequest("List updates by index or value need a read, which this path cannot do");
  std::vector<ListElement> elements = ctx.store->read_list(*table_, pk, row, c, ctx.bindings.now_micros / 1000000);
  const Bindings& b = ctx.bindings;
  if (op.type == Operation::Type::kListRemove) {
    Value v = op.value.evaluate(b);
    if (!v.is_set()) return;
    auto removed = parse_collection(v.bytes);
    for (const auto& element : elements)
      for (const auto& r : removed)
        if (compare_values(*c.type->params[0], element.value, r) == 0) out->write_list_element(element, tombstone(ts));
    return;
  }
  Value index = op.key->evaluate(b);
  if (!index.is_set()) throw InvalidRequest("Invalid null value for list index");
  int32_t i = decode_int32(index.bytes);
  if (op.type == Operation::Type::kListDeleteIndex && elements.empty())
    throw InvalidRequest("Attempted to delete an element from a list which is null");
  if (i < 0 || static_cast<size_t>(i) >= elements.size())
    throw InvalidRequest("List index " + std::to_string(i) + " out of bound, list has size " + std::to_string(elements.size()));
  const ListElement& element = elements[static_cast<size_t>(i)];
  if (op.type == Operation::Type::kListDeleteIndex) {
    out->write_list_element(element, tombstone(ts));
    return;
  }
  Value v = op.value.evaluate(b);
  if (v.is_unset()) return;
  if (v.is_set()) validate_value(*c.type->params[0], v.bytes);
  out->write_list_element(element, v.is_null() ? tombstone(ts) : live_cell(ctx, ts, ttl, v.bytes));
}

int64_t ModificationStatement::write_timestamp(const WriteContext& ctx) const {
  int64_t ts = ctx.default_timestamp.value_or(ctx.bindings.now_micros);
  if (timestamp_) {
    Value v = timestamp_->evaluate(ctx.bindings);
    if (v.is_null()) throw InvalidRequest("Invalid null value of timestamp");
    if (v.is_set()) ts = decode_int64(v.bytes);
  }
  return ts;
}

void ModificationStatement::add_touched(const WriteContext& ctx, std::vector<TouchedPartition>* out) const {
  for (auto& pk : partition_keys(where_, *table_, ctx.bindings)) out->push_back(TouchedPartition{table_, std::move(pk)});
}

void ModificationStatement::add_mutations(const WriteContext& ctx, Mutation* out) const {
  const TableDef& t = *table_;
  const Bindings& b = ctx.bindings;
  int64_t ts = write_timestamp(ctx);
  int32_t ttl = 0;
  if (auto it = t.options.find("default_time_to_live"); it != t.options.end()) ttl = std::get<int32_t>(it->second);
  if (ttl_) {
    Value v = ttl_->evaluate(b);
    if (v.is_null()) throw InvalidRequest("Invalid null value of TTL");
    if (v.is_set()) ttl = decode_int32(v.bytes);
    if (ttl < 0) throw InvalidRequest("A TTL must be greater or equal to 0, but was " + std::to_string(ttl));
    if (ttl > kMaxTtlSeconds)
      throw InvalidRequest("ttl is too large. requested (" + std::to_string(ttl) + ") maximum (" + std::to_string(kMaxTtlSeconds) + ")");
  }
  // Cassandra keeps expiry times in 32 bits, so it refuses TTLs that end after 2038-01-19.
  if (ttl > 0 && b.now_micros / 1000000 + ttl > kMaxExpirationSeconds)
    throw InvalidRequest("Request on table " + t.keyspace + "." + t.name + " with ttl of " + std::to_string(ttl) +
                         " seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00. In order to avoid "
                         "this use a lower TTL, change the expiration date overflow policy or upgrade to a version where this "
                         "limitation is fixed. See CASSANDRA-14092 and CASSANDRA-14227 for more details.");
  for (const auto& pk : partition_keys(where_, t, b)) {
    if (kind_ == Kind::kDelete && operations_.empty()) {
      write_deletion(ts, pk, b, out);
      continue;
    }
    if (static_only_) {
      write_row(ctx, ts, ttl, pk, {}, out);
      continue;
    }
    // Empty values are valid clustering values in Cassandra, for every type.
    for (const auto& clustering : written_clusterings(where_, t, b)) write_row(ctx, ts, ttl, pk, clustering, out);
  }
}

void ModificationStatement::bind_conditions(bool if_exists, const std::vector<ast::Condition>& conditions,
                                           BindContext& ctx) {
  const TableDef& t = *table_;
  if (if_exists) guard_ = Guard::kIfExists;
  if (!conditions.empty()) guard_ = Guard::kConditions;
  if (guard_ == Guard::kNone) return;
  if (timestamp_) throw InvalidRequest("Cannot provide custom timestamp for conditional updates");
  const char* what = kind_ == Kind::kDelete ? "deletions" : "updates";
  for (size_t i = 0; i < where_.partition_values.size(); ++i)
    if (where_.partition_values[i].size() != 1 || where_.partition_in_markers[i])
      throw InvalidRequest(std::string("IN on the partition key is not supported with conditional ") + what);
  bool clustering_in = false;
  for (size_t i = 0; i < where_.clustering.prefix.size(); ++i)
    clustering_in = clustering_in || where_.clustering.prefix[i].size() > 1 || where_.clustering.prefix_in_markers[i];
  for (const auto& group : where_.clustering.tuple_groups) clustering_in = clustering_in || group.marker || group.tuples.size() > 1;
  if (clustering_in)
    throw InvalidRequest(std::string("IN on the clustering key columns is not supported with conditional ") + what);
  for (const auto& cond : conditions) conditions_.push_back(ColumnCondition::bind(t, cond, ctx));
}

std::vector<int> ModificationStatement::condition_columns() const {
  std::vector<int> shown;
  for (bool statics : {false, true})
    for (const auto& c : conditions_) {
      bool is_static = table_->columns[static_cast<size_t>(c.column())].kind == ColumnKind::kStatic;
      if (is_static == statics && std::find(shown.begin(), shown.end(), c.column()) == shown.end())
        shown.push_back(c.column());
    }
  return shown;
}

std::optional<Clustering> ModificationStatement::guarded_row(const Bindings& b) const {
  if (static_only_) return std::nullopt;
  return written_clusterings(where_, *table_, b).at(0);
}

bool ModificationStatement::writes_static() const {
  for (const auto& op : operations_)
    if (table_->columns[static_cast<size_t>(op.column)].kind == ColumnKind::kStatic) return true;
  return false;
}

int64_t ModificationStatement::conditional_token(const Bindings& b) const {
  auto keys = partition_keys(where_, *table_, b);
  return keys.empty() ? 0 : keys[0].token;
}

// Conditions see the partition's static columns even where the row does not exist yet, as in
// Cassandra ("IF st = 5" on a new row of a partition whose st is 5 applies): the partition's
// first row (or its static-only row) gives them, every other column null.
std::optional<ReadRow> ModificationStatement::static_values(const TableDef& t, const PartitionKey& key, Store* store,
                                                            const Bindings& b) {
  ReadOrder order;
  order.include_static_only = true;
  auto reader = store->read_rows(t, ReadSelection::partitions({key}, {}), order, "", b.now_micros / 1000000);
  ReadRow row;
  bool found = reader->next(&row);
  if (!reader->status().is_ok()) throw ServerError(reader->status().message());
  if (!found) return std::nullopt;
  bool any_static = false;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].kind == ColumnKind::kStatic) any_static = any_static || !row.values[i].is_null();
    else if (t.columns[i].kind != ColumnKind::kPartitionKey) row.values[i] = Value::null();
  }
  if (!any_static) return std::nullopt;
  return row;
}

std::vector<TouchedPartition> ModificationStatement::touched(const WriteContext& ctx) const {
  std::vector<TouchedPartition> out;
  add_touched(ctx, &out);
  return out;
}

RowsResult ModificationStatement::execute_conditional(const WriteContext& ctx, Store* store, ViewWrite view) const {
  const TableDef& t = *table_;
  const Bindings& b = ctx.bindings;
  auto keys = partition_keys(where_, t, b);
  std::vector<ClusteringSlice> slices;
  if (!static_only_ && !t.clustering.empty())
    for (auto& prefix : written_clusterings(where_, t, b)) slices.push_back(ClusteringSlice{std::move(prefix), {}, {}});
  ReadOrder order;
  order.include_static_only = static_only_ || t.clustering.empty();
  auto reader = store->read_rows(t, ReadSelection::partitions({keys.at(0)}, std::move(slices)), order, "",
                                 b.now_micros / 1000000);
  std::optional<ReadRow> current;
  ReadRow row;
  if (reader->next(&row)) current = std::move(row);
  if (!reader->status().is_ok()) throw ServerError(reader->status().message());
  if (!current && guard_ == Guard::kConditions && t.has_static()) current = static_values(t, keys.at(0), store, b);
  bool applied = true;
  if (guard_ == Guard::kIfNotExists) applied = !current.has_value();
  else if (guard_ == Guard::kIfExists) applied = current.has_value();
  else
    for (const auto& c : conditions_)
      applied = applied && c.holds(current ? current->values[static_cast<size_t>(c.column())] : Value::null(), b);
  RowsResult result;
  result.metadata.columns.push_back(ColumnSpec{t.keyspace, t.name, "[applied]", primitive_type(TypeKind::kBoolean)});
  result.cells.push_back(Value::of(std::string(1, applied ? '\1' : '\0')));
  result.row_count = 1;
  if (applied) {
    Mutation mutation;
    WriteContext write = ctx;
    write.default_timestamp = b.now_micros;
    add_mutations(write, &mutation);
    check_write(apply_with_views(view, mutation, touched(write)));
    return result;
  }
  if (guard_ == Guard::kIfNotExists && current) {
    // Cassandra reads the static columns only for a statement that writes one.
    bool show_statics = static_only_ || writes_static();
    for (size_t i = 0; i < t.columns.size(); ++i) {
      result.metadata.columns.push_back(ColumnSpec{t.keyspace, t.name, t.columns[i].name, t.columns[i].type});
      bool hidden = t.columns[i].kind == ColumnKind::kStatic && !show_statics;
      result.cells.push_back(hidden ? Value::null() : current->values[i]);
    }
  } else if (guard_ == Guard::kConditions && current) {
    for (int ci : condition_columns()) {
      const ColumnDef& c = t.columns[static_cast<size_t>(ci)];
      result.metadata.columns.push_back(ColumnSpec{t.keyspace, t.name, c.name, c.type});
      result.cells.push_back(current->values[static_cast<size_t>(ci)]);
    }
  }
  return result;
}

}  // namespace cqld

namespace cqld {

void ModificationStatement::set_markers(std::vector<ColumnSpec> markers) {
  markers_ = std::move(markers);
  pk_indexes_ = partition_key_indexes(markers_, *table_);
  dependencies_ = {table_};
}

Result ModificationStatement::execute(ExecutionContext& ctx) const {
  if (!is_conditional()) return execute_unconditional(ctx);
  // The partition's lock is waited for until the deadline, and no longer than Cassandra waits
  // on contention (cas_contention_timeout).
  auto consistency = static_cast<uint16_t>(ctx.options->serial_consistency);
  auto until = std::min(ctx.deadline.at, std::chrono::steady_clock::now() + ctx.limits->cas_contention_timeout);
  std::unique_lock<std::timed_mutex> lock(ctx.locks->lock_for(conditional_token(ctx.bindings)), std::defer_lock);
  if (!lock.try_lock_until(until)) throw RequestTimeout::cas(consistency);
  WriteContext write{ctx.bindings, std::nullopt, ctx.store};
  ViewWrite view = view_write_for(ctx, ctx.bindings.now_micros);
  view.held_token = conditional_token(ctx.bindings);
  return execute_conditional(write, ctx.store, std::move(view));
}

Result ModificationStatement::execute_unconditional(ExecutionContext& ctx) const {
  Mutation mutation;
  WriteContext write{ctx.bindings, ctx.options->default_timestamp, ctx.store};
  add_mutations(write, &mutation);
  if (ctx.deadline.expired()) throw RequestTimeout::write(static_cast<uint16_t>(ctx.options->consistency), write_type());
  check_write(apply_with_views(view_write_for(ctx, write_timestamp(write)), mutation, touched(write)));
  return VoidResult{};
}

}  // namespace cqld
