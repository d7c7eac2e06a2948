#include "exec/restrictions.h"

#include <algorithm>
#include <climits>

#include "common/errors.h"
#include "exec/sai_index.h"
#include "exec/secondary_index.h"
#include "types/comparable.h"
#include "types/token.h"

namespace cqld {
namespace {

using Op = ast::Operator;

constexpr const char* kAllowFilteringMessage =
    "Cannot execute this query as it might involve data filtering and thus may have unpredictable "
    "performance. If you want to execute this query despite the performance unpredictability, use "
    "ALLOW FILTERING";

// A constant as the user wrote it, for error messages.
std::string literal_text(const Literal& l) {
  return l.kind == Literal::Kind::kString ? "'" + l.text + "'" : l.text;
}

bool is_range(Op op);

// Which index answers this relation, if one does: a legacy index answers EQ and CONTAINS (KEY);
// a storage-attached one also answers ranges on ordered types, and every SAI of a query is
// used (a legacy query uses one index and filters the rest).
enum class IndexUse : uint8_t { kNone, kLegacy, kSai };

IndexUse index_for(const TableDef& table, const ColumnDef& c, const ast::Relation& rel) {
  IndexUse found = IndexUse::kNone;
  for (const auto& index : table.indexes) {
    if (index.column != c.name) continue;
    bool answers = false;
    if (rel.map_key) {
      answers = rel.op == ast::Operator::kEq && index.target == IndexTarget::kEntries;
    } else {
      switch (rel.op) {
        case ast::Operator::kEq:
          answers = index.target == IndexTarget::kFull || (!c.type->is_collection() && index.target == IndexTarget::kValues);
          break;
        case ast::Operator::kContains: answers = index.target == IndexTarget::kValues; break;
        case ast::Operator::kContainsKey: answers = index.target == IndexTarget::kKeys; break;
        default:
          answers = is_range(rel.op) && is_sai(index) && index.target == IndexTarget::kValues &&
                    !c.type->is_collection() && sai_supports_range(*c.type);
          break;
      }
    }
    if (!answers) continue;
    if (is_sai(index)) return IndexUse::kSai;
    found = IndexUse::kLegacy;
  }
  return found;
}

bool has_index_for(const TableDef& table, const ColumnDef& c, const ast::Relation& rel) {
  return index_for(table, c, rel) != IndexUse::kNone;
}

// "column = null" on an indexed column is refused before it reaches the index.
void check_indexed_null(const ast::Relation& rel, const ColumnDef& c) {
  if (rel.op != ast::Operator::kEq || !rel.value || rel.map_key) return;
  if (rel.value->kind == ast::Term::Kind::kLiteral && rel.value->literal.kind == Literal::Kind::kNull)
    throw InvalidRequest("Unsupported null value for column " + c.name);
}


std::string term_text(const ast::Term& t) {
  if (t.kind == ast::Term::Kind::kLiteral) return literal_text(t.literal);
  if (t.kind == ast::Term::Kind::kBindMarker) return "?";
  std::string out = "(";
  for (size_t i = 0; i < t.children.size(); ++i) out += (i ? ", " : "") + term_text(t.children[i]);
  return out + ")";
}

const char* op_text(ast::Operator op) {
  switch (op) {
    case ast::Operator::kEq: return "=";
    case ast::Operator::kLt: return "<";
    case ast::Operator::kLte: return "<=";
    case ast::Operator::kGt: return ">";
    case ast::Operator::kGte: return ">=";
    case ast::Operator::kIn: return "IN";
    default: return "?";
  }
}

// A tuple literal on the right of a multi-column relation: one element per column, and no
// null constant (Cassandra's MultiColumnRelation and its restrictions' messages).
void check_value_tuple(const ast::Term& value, const ast::Relation& rel) {
  if (value.kind != ast::Term::Kind::kTuple) return;
  if (value.children.size() != rel.columns.size())
    throw InvalidRequest("Expected " + std::to_string(rel.columns.size()) + " elements in value tuple, but got " +
                         std::to_string(value.children.size()) + ": " + term_text(value));
  for (size_t i = 0; i < value.children.size(); ++i) {
    const ast::Term& element = value.children[i];
    if (element.kind != ast::Term::Kind::kLiteral || element.literal.kind != Literal::Kind::kNull) continue;
    throw InvalidRequest((is_range(rel.op) ? "Invalid null value in condition for column " : "Invalid null value for column ") +
                         rel.columns[i]);
  }
}

// A tuple literal's elements take their columns as receivers (the columns' names and types in
// messages and marker metadata); a marker for the whole tuple takes the tuple type.
BoundTerm bind_value_tuple(const ast::Term& value, const std::vector<int>& columns, const TypePtr& tuple,
                           const std::string& receiver, const TableDef& table, BindContext& ctx) {
  if (value.kind != ast::Term::Kind::kTuple) return bind_term(value, tuple, receiver, ctx);
  std::vector<BoundTerm> elements;
  for (size_t i = 0; i < columns.size(); ++i) {
    const ColumnDef& c = table.columns[columns[i]];
    elements.push_back(bind_term(value.children[i], c.type, c.name, ctx));
  }
  return BoundTerm::computed([elements](const Bindings& b) {
    std::vector<Value> fields;
    for (const BoundTerm& e : elements) fields.push_back(e.evaluate(b));
    return Value::of(serialize_tuple(fields));
  });
}

// (c1, c2, ...) op tuple: clustering columns in PRIMARY KEY order, compared by value, column by
// column (Cassandra's semantics whatever each column's clustering order).
RowFilter bind_tuple_filter(const ast::Relation& rel, const TableDef& table, BindContext& ctx) {
  RowFilter f;
  f.op = rel.op;
  std::vector<TypePtr> types;
  int expected = -1;
  std::string names;
  for (size_t i = 0; i < rel.columns.size(); ++i) names += (i ? ", " : "") + rel.columns[i];
  for (size_t i = 0; i < rel.columns.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (rel.columns[i] == rel.columns[j])
        throw InvalidRequest("Column \"" + rel.columns[i] + "\" appeared twice in a relation: (" + names + ") " +
                             op_text(rel.op) + " " + (rel.value ? term_text(*rel.value) : std::string("(...)")));
  for (const auto& name : rel.columns) {
    int ci = table.column_index(name);
    if (ci < 0) throw undefined_column(name, table.keyspace, table.name);
    const ColumnDef& c = table.columns[ci];
    if (c.kind != ColumnKind::kClustering)
      throw InvalidRequest("Multi-column relations can only be applied to clustering columns but was applied to: " + name);
    if (expected >= 0 && c.position != expected) {
      std::string rhs = rel.value ? term_text(*rel.value) : "(...)";
      throw InvalidRequest("Clustering columns must appear in the PRIMARY KEY order in multi-column relations: (" + names +
                           ") " + op_text(rel.op) + " " + rhs);
    }
    expected = c.position + 1;
    f.tuple_columns.push_back(ci);
    types.push_back(c.type);
  }
  if (rel.value) check_value_tuple(*rel.value, rel);
  for (const auto& t : rel.in_values) check_value_tuple(t, rel);
  TypePtr tuple = tuple_type(types);
  std::string receiver = "(" + names + ")";
  if (rel.op == Op::kIn) {
    if (rel.value) f.in_marker = bind_term(*rel.value, list_type(tuple, false), "in(" + names + ")", ctx);
    for (const auto& t : rel.in_values) f.values.push_back(bind_value_tuple(t, f.tuple_columns, tuple, receiver, table, ctx));
  } else if (rel.op == Op::kEq || is_range(rel.op)) {
    f.values.push_back(bind_value_tuple(*rel.value, f.tuple_columns, tuple, receiver, table, ctx));
  } else {
    throw InvalidRequest("Unsupported operator in a multi-column relation");
  }
  return f;
}

bool is_range(Op op) { return op == Op::kLt || op == Op::kLte || op == Op::kGt || op == Op::kGte; }

struct ColumnRestriction {
  std::vector<BoundTerm> eq;  // EQ: one value; IN: the list
  std::optional<BoundTerm> in_marker;
  bool is_eq_or_in = false;
  bool is_in = false;
  // A multi-column EQ/IN starting at this column: its width and candidate tuples. The columns
  // after the first are "in_tuple"; those a tuple bound covers are "in_tuple_slice".
  size_t tuple_width = 0;
  std::vector<BoundTerm> tuples;
  std::optional<BoundTerm> tuple_marker;
  bool in_tuple = false, in_tuple_slice = false;
  size_t lower_width = 1, upper_width = 1;
  IndexUse index = IndexUse::kNone;  // the best index on the relations of this column
  bool indexed = false;              // the query reads this column's restriction through it
  std::optional<BoundTerm> lower, upper;
  bool lower_inclusive = true, upper_inclusive = true;
  bool any = false;
};

TypePtr element_type_for(const CqlType& type, Op op) {
  if (op == Op::kContainsKey) return type.params.at(0);
  if (type.kind == TypeKind::kMap) return type.params.at(1);
  return type.params.at(0);
}

RowFilter bind_filter(const ast::Relation& rel, int column, const ColumnDef& c, const TableDef& table, BindContext& ctx) {
  RowFilter f;
  f.column = column;
  f.op = rel.op;
  TypePtr value_type = c.type;
  bool slice = rel.op == Op::kGt || rel.op == Op::kGte || rel.op == Op::kLt || rel.op == Op::kLte;
  // Durations have no order (1mo and 30d compare neither way), so Cassandra refuses ranges on them.
  if (slice && c.type->kind == TypeKind::kDuration && !rel.map_key)
    throw InvalidRequest("Slice restrictions are not supported on duration columns");
  if (rel.op == Op::kContains || rel.op == Op::kContainsKey) {
    if (!c.type->is_collection())
      throw InvalidRequest("Cannot use " + std::string(rel.op == Op::kContains ? "CONTAINS" : "CONTAINS KEY") +
                           " on non-collection column " + c.name);
    if (rel.op == Op::kContainsKey && c.type->kind != TypeKind::kMap)
      throw InvalidRequest("Cannot use CONTAINS KEY on non-map column " + c.name);
    value_type = element_type_for(*c.type, rel.op);
    f.element_type = value_type;
  }
  if (rel.map_key) {
    if (c.type->kind != TypeKind::kMap) throw InvalidRequest("Column " + c.name + " cannot be used as a map");
    if (rel.op != Op::kEq) throw InvalidRequest("Only EQ relations are supported on map entries");
    f.map_key = bind_term(*rel.map_key, c.type->params[0], "key(" + c.name + ")", ctx);
    value_type = c.type->params[1];
  }
  if (rel.op == Op::kIn) {
    f.element_type = value_type;
    if (rel.value) {
      f.in_marker = bind_term(*rel.value, list_type(value_type, false), "in(" + c.name + ")", ctx);
    }
    for (const auto& t : rel.in_values) f.values.push_back(bind_term(t, value_type, c.name, ctx));
  } else if (rel.value) {
    f.values.push_back(bind_term(*rel.value, value_type, c.name, ctx));
  }
  if (rel.op == Op::kEq && !rel.map_key)
    if (const IndexDef* analyzed = analyzed_index_for(table, c.name)) f.analyzer = text_analyzer(*analyzed);
  return f;
}

void note_index(ColumnRestriction& r, IndexUse index) {
  if (index > r.index) r.index = index;
}

// Where the EQ/IN prefix and the slice after it end: restrictions past it are not a slice.
size_t clustering_prefix_end(const std::vector<ColumnRestriction>& ck) {
  size_t k = 0;
  while (k < ck.size() && ck[k].is_eq_or_in) ++k;
  return k < ck.size() && (ck[k].lower || ck[k].upper) ? k + 1 : k;
}

struct KeyIndexUse {
  bool uses_index = false;
  bool needs_filtering = false;
  bool clustering_unindexed = false;
};

// Which key restrictions an index answers. A fully restricted partition key and the clustering
// slice under it are read as keys, not through an index; otherwise an indexed key column is read
// through its index (SAI: every one; legacy: one index per query, the rest filtered) and an
// unindexed clustering restriction is filtered.
KeyIndexUse claim_key_indexes(const std::vector<ColumnRestriction>& pk, std::vector<ColumnRestriction>& ck,
                              bool partition_key_full, bool& legacy_index_used) {
  KeyIndexUse out;
  auto claim = [&](IndexUse index) {
    if (index == IndexUse::kSai) return true;
    if (index != IndexUse::kLegacy || legacy_index_used) return false;
    legacy_index_used = true;
    return true;
  };
  if (!partition_key_full)
    for (const auto& r : pk) {
      if (!r.is_eq_or_in || r.index == IndexUse::kNone) continue;
      if (claim(r.index)) out.uses_index = true;
      else out.needs_filtering = true;
    }
  size_t prefix_end = clustering_prefix_end(ck);
  for (size_t j = 0; j < ck.size(); ++j) {
    if (!ck[j].any || (partition_key_full && j < prefix_end)) continue;
    ck[j].indexed = claim(ck[j].index);
    if (ck[j].indexed) out.uses_index = true;
    else out.clustering_unindexed = true;
  }
  return out;
}

// A second relation on a column merges with the first or is refused, with Cassandra's message
// for the first one's kind (EQ, IN, then slice).
void check_mergeable(const ColumnRestriction& r, Op op, const std::string& name) {
  if (r.is_eq_or_in)
    throw InvalidRequest(name + " cannot be restricted by more than one relation if it includes " +
                         (r.is_in ? "a IN" : "an Equal"));
  if ((r.lower || r.upper) && !is_range(op))
    throw InvalidRequest("Column \"" + name + "\" cannot be restricted by both an equality and an inequality relation");
}

void record_bound(ColumnRestriction& r, Op op, const BoundTerm& value, size_t width, const std::string& name) {
  bool lower = op == Op::kGt || op == Op::kGte;
  if ((lower && r.lower) || (!lower && r.upper))
    throw InvalidRequest("More than one restriction was found for the " + std::string(lower ? "start" : "end") +
                         " bound on " + name);
  (lower ? r.lower : r.upper) = value;
  (lower ? r.lower_inclusive : r.upper_inclusive) = op == Op::kGte || op == Op::kLte;
  (lower ? r.lower_width : r.upper_width) = width;
}

void record(ColumnRestriction& r, const RowFilter& f, const std::string& name) {
  if (r.in_tuple || r.in_tuple_slice)
    throw InvalidRequest("Mixing single column relations and multi column relations on clustering columns is not allowed");
  if (f.op == Op::kEq || f.op == Op::kIn) {
    check_mergeable(r, f.op, name);
    r.is_eq_or_in = true;
    r.is_in = f.op == Op::kIn;
    r.eq = f.values;
    r.in_marker = f.in_marker;
  } else if (is_range(f.op)) {
    check_mergeable(r, f.op, name);
    record_bound(r, f.op, f.values.at(0), 1, name);
  }
  r.any = true;
}

// A multi-column relation restricts its columns together: an EQ or IN gives candidate tuples,
// held by its first column; a range gives a tuple bound on its first column.
void record_tuple(std::vector<ColumnRestriction>& ck, const RowFilter& f, const TableDef& table) {
  std::string names;
  for (size_t i = 0; i < f.tuple_columns.size(); ++i) names += (i ? " ," : "") + table.columns[f.tuple_columns[i]].name;
  size_t first = static_cast<size_t>(table.columns[f.tuple_columns[0]].position);
  size_t width = f.tuple_columns.size();
  for (size_t j = first; j < first + width; ++j) {
    if (ck[j].any && ck[j].tuple_width == 0 && !ck[j].in_tuple && !(ck[j].lower || ck[j].upper) && !ck[j].in_tuple_slice)
      throw InvalidRequest("Mixing single column relations and multi column relations on clustering columns is not allowed");
    if (ck[j].is_eq_or_in || ck[j].in_tuple) {
      bool in = ck[j].is_in || (ck[j].in_tuple && ck[first].is_in);
      throw InvalidRequest(names + " cannot be restricted by more than one relation if it includes " + (in ? "a IN" : "an Equal"));
    }
  }
  ColumnRestriction& r = ck[first];
  if (f.op == Op::kEq || f.op == Op::kIn) {
    if (r.lower || r.upper)
      throw InvalidRequest("Column \"" + names + "\" cannot be restricted by both an equality and an inequality relation");
    for (size_t j = first; j < first + width; ++j) {
      ck[j].is_eq_or_in = true;
      ck[j].any = true;
      ck[j].in_tuple = j != first;
    }
    r.is_in = f.op == Op::kIn;
    r.tuple_width = width;
    r.tuples = f.values;
    r.tuple_marker = f.in_marker;
    return;
  }
  record_bound(r, f.op, f.values.at(0), width, names);
  r.any = true;
  for (size_t j = first + 1; j < first + width; ++j) ck[j].in_tuple_slice = true;
}

void bind_token(const ast::Relation& rel, const TableDef& table, Restrictions& out, BindContext& ctx) {
  std::vector<std::string> expected;
  for (size_t i : table.partition_key) expected.push_back(table.columns[i].name);
  std::vector<std::string> sorted_given = rel.columns, sorted_expected = expected;
  std::sort(sorted_given.begin(), sorted_given.end());
  std::sort(sorted_expected.begin(), sorted_expected.end());
  if (sorted_given != sorted_expected)
    throw InvalidRequest("The token() function must be applied to all partition key components or none of them");
  if (rel.columns != expected) {
    std::string list;
    for (size_t i = 0; i < expected.size(); ++i) list += (i ? ", " : "") + expected[i];
    throw InvalidRequest("The token function arguments must be in the partition key order: " + list);
  }
  BoundTerm t = bind_term(*rel.value, primitive_type(TypeKind::kBigint), "partition key token", ctx);
  switch (rel.op) {
    case Op::kEq: out.token_lower = out.token_upper = t; break;
    case Op::kGt: out.token_lower = t; out.token_lower_inclusive = false; break;
    case Op::kGte: out.token_lower = t; break;
    case Op::kLt: out.token_upper = t; out.token_upper_inclusive = false; break;
    case Op::kLte: out.token_upper = t; break;
    default: throw InvalidRequest("Unsupported operator for token restriction");
  }
  RowFilter f;
  f.column = -1;
  f.op = rel.op;
  f.values.push_back(t);
  out.filters.push_back(std::move(f));
}

std::string join_names(const TableDef& t, const std::vector<size_t>& idx) {
  std::string s;
  for (size_t i = 0; i < idx.size(); ++i) s += (i ? ", " : "") + t.columns[idx[i]].name;
  return s;
}

}  // namespace

Restrictions bind_restrictions(const std::vector<ast::Relation>& where, const TableDef& table,
                               bool allow_filtering, RestrictionUse use, BindContext& ctx, const char* statement) {
  Restrictions out;
  out.for_read = use == RestrictionUse::kSelect;
  std::vector<ColumnRestriction> pk(table.partition_key.size()), ck(table.clustering.size());
  bool needs_filtering = false;
  bool legacy_index_used = false;
  bool clustering_unindexed = false;  // a clustering restriction no index answers
  std::vector<std::string> non_key_columns;
  for (const auto& rel : where) {
    if (rel.kind == ast::Relation::Kind::kToken) {
      if (use != RestrictionUse::kSelect)
        throw InvalidRequest(std::string("The token function cannot be used in WHERE clauses for ") + statement + " statements");
      bind_token(rel, table, out, ctx);
      continue;
    }
    if (rel.kind == ast::Relation::Kind::kMultiColumn) {
      RowFilter f = bind_tuple_filter(rel, table, ctx);
      if (use == RestrictionUse::kModification && is_range(rel.op))
        throw InvalidRequest("Slice restrictions are not supported on the clustering columns in UPDATE statements");
      record_tuple(ck, f, table);
      out.filters.push_back(std::move(f));
      out.has_clustering_restriction = true;
      clustering_unindexed = true;
      continue;
    }
    int ci = table.column_index(rel.columns.at(0));
    if (ci < 0) throw undefined_column(rel.columns[0], table.keyspace, table.name);
    const ColumnDef& c = table.columns[static_cast<size_t>(ci)];
    if (rel.op == Op::kIsNotNull) throw InvalidRequest("Unsupported restriction: " + c.name + " IS NOT NULL");
    if (rel.op == Op::kNeq)
      throw InvalidRequest("Unsupported \"!=\" relation: " + c.name + " != " +
                           (rel.value && rel.value->kind == ast::Term::Kind::kLiteral ? literal_text(rel.value->literal) : "?"));
    if (use == RestrictionUse::kSelect && has_index_for(table, c, rel)) check_indexed_null(rel, c);
    // A non-frozen UDT's fields are separate cells: no relation compares the value as a whole.
    if (stored_per_field(*c.type))
      throw InvalidRequest("Non-frozen UDT column '" + c.name + "' (" + type_to_cql(*c.type) + ") cannot be restricted by any relation");
    RowFilter f = bind_filter(rel, ci, c, table, ctx);
    // The value is bound first: a LIKE value of the wrong type is refused as such.
    if (rel.op == Op::kLike) throw InvalidRequest("LIKE restriction is only supported on properly indexed columns. " + c.name + " LIKE ... is not valid.");
    if (c.kind == ColumnKind::kPartitionKey) {
      if (use == RestrictionUse::kSelect && table.partition_key.size() > 1)
        note_index(pk[static_cast<size_t>(c.position)], index_for(table, c, rel));
      if (!(rel.op == Op::kEq || rel.op == Op::kIn)) {
        if (use != RestrictionUse::kSelect)
          throw InvalidRequest(std::string("Only EQ and IN relation are supported on the partition key (unless you use the "
                                           "token() function) for ") + statement + " statements");
        if (!allow_filtering) throw InvalidRequest(kAllowFilteringMessage);
        needs_filtering = true;
      } else {
        record(pk[static_cast<size_t>(c.position)], f, c.name);
      }
    } else if (c.kind == ColumnKind::kClustering) {
      if (rel.op == Op::kContains || rel.op == Op::kContainsKey) needs_filtering = true;
      else record(ck[static_cast<size_t>(c.position)], f, c.name);
      if (use == RestrictionUse::kSelect) note_index(ck[static_cast<size_t>(c.position)], index_for(table, c, rel));
      if (use == RestrictionUse::kModification && is_range(rel.op))
        throw InvalidRequest("Slice restrictions are not supported on the clustering columns in UPDATE statements");
    } else {
      if (use != RestrictionUse::kSelect) non_key_columns.push_back(c.name);
      if (stored_per_element(*c.type) && (rel.op == Op::kEq || rel.op == Op::kIn || is_range(rel.op)) && !rel.map_key)
        throw InvalidRequest("Collection column '" + c.name + "' (" + type_to_cql(*c.type) + ") cannot be restricted by a '" +
                             (rel.op == Op::kIn ? "IN" : rel.op == Op::kEq ? "=" : "range") + "' relation");
      IndexUse index = index_for(table, c, rel);
      bool indexed = index == IndexUse::kSai || (index == IndexUse::kLegacy && !legacy_index_used);
      if (index == IndexUse::kLegacy) legacy_index_used = legacy_index_used || indexed;
      if (indexed) out.uses_index = true;
      else needs_filtering = true;
      if (indexed && use == RestrictionUse::kSelect && rel.op == Op::kEq && !rel.map_key && !out.index_lookup) {
        if (auto entries = entry_index_for(table, c)) out.index_lookup = IndexLookup{*entries, f.values.at(0)};
      }
    }
    out.filters.push_back(std::move(f));
  }
  if (!non_key_columns.empty()) {
    std::string list;
    for (size_t i = 0; i < non_key_columns.size(); ++i) list += (i ? ", " : "") + non_key_columns[i];
    throw InvalidRequest("Non PRIMARY KEY columns found in where clause: " + list + " ");
  }
  // Partition key: fully restricted by EQ/IN, or a scan.
  size_t restricted = 0;
  for (const auto& r : pk) restricted += r.is_eq_or_in ? 1 : 0;
  if (use == RestrictionUse::kSelect) {
    KeyIndexUse key_use = claim_key_indexes(pk, ck, restricted == pk.size(), legacy_index_used);
    out.uses_index = out.uses_index || key_use.uses_index;
    needs_filtering = needs_filtering || key_use.needs_filtering;
    clustering_unindexed = clustering_unindexed || key_use.clustering_unindexed;
  }
  if (restricted == pk.size()) {
    out.partition_key_restricted = true;
    out.index_lookup.reset();  // reading the named partitions costs less than any index
    for (auto& r : pk) {
      out.partition_values.push_back(r.eq);
      out.partition_in_markers.push_back(r.in_marker);
    }
  } else if (use != RestrictionUse::kSelect) {
    std::vector<size_t> missing;
    for (size_t i = 0; i < pk.size(); ++i)
      if (!pk[i].is_eq_or_in) missing.push_back(table.partition_key[i]);
    throw InvalidRequest("Some partition key parts are missing: " + join_names(table, missing));
  } else if (restricted > 0 && !allow_filtering && !out.uses_index) {
    throw InvalidRequest(kAllowFilteringMessage);
  } else if (restricted > 0 && !out.uses_index) {
    needs_filtering = true;
  }
  if (use == RestrictionUse::kSelect && out.uses_index)
    for (const auto& r : pk)
      if (r.is_in) throw InvalidRequest("Select on indexed columns and with IN clause for the PRIMARY KEY are not supported");
  // Clustering: an EQ/IN prefix, then at most one slice.
  size_t k = 0;
  for (; k < ck.size() && ck[k].is_eq_or_in; ++k) {
    if (ck[k].tuple_width > 0)
      out.clustering.tuple_groups.push_back(TupleCandidates{k, ck[k].tuple_width, ck[k].tuples, ck[k].tuple_marker});
    out.clustering.prefix.push_back(ck[k].eq);
    out.clustering.prefix_in_markers.push_back(ck[k].in_marker);
  }
  size_t slice_end = k;
  if (k < ck.size() && (ck[k].lower || ck[k].upper)) {
    out.clustering.lower = ck[k].lower;
    out.clustering.upper = ck[k].upper;
    out.clustering.lower_inclusive = ck[k].lower_inclusive;
    out.clustering.upper_inclusive = ck[k].upper_inclusive;
    out.clustering.lower_width = ck[k].lower ? ck[k].lower_width : 1;
    out.clustering.upper_width = ck[k].upper ? ck[k].upper_width : 1;
    slice_end = k + std::max(out.clustering.lower_width, out.clustering.upper_width);
  }
  out.has_clustering_restriction = out.has_clustering_restriction || slice_end > 0;
  for (size_t j = slice_end; j < ck.size(); ++j) {
    if (!ck[j].any || ck[j].indexed) continue;  // an index answers a column past the prefix
    if (use == RestrictionUse::kSelect && (allow_filtering || out.uses_index)) {
      needs_filtering = true;
      continue;
    }
    const std::string& name = table.columns[table.clustering[j]].name;
    if (slice_end > k && j > k)
      throw InvalidRequest("Clustering column \"" + name + "\" cannot be restricted (preceding column \"" +
                           table.columns[table.clustering[k]].name + "\" is restricted by a non-EQ relation)");
    throw InvalidRequest("PRIMARY KEY column \"" + name + "\" cannot be restricted as preceding column \"" +
                         table.columns[table.clustering[j - 1 < j ? (j == 0 ? 0 : j - 1) : 0]].name + "\" is not restricted");
  }
  if (use == RestrictionUse::kModification && k < ck.size()) {
    std::vector<size_t> missing;
    for (size_t j = k; j < ck.size(); ++j) missing.push_back(table.clustering[j]);
    throw InvalidRequest("Some clustering keys are missing: " + join_names(table, missing));
  }
  // Without the partition key, an index query still filters the clustering restrictions no
  // index answers.
  if (use == RestrictionUse::kSelect && out.has_clustering_restriction && !out.partition_key_restricted &&
      !allow_filtering && (!out.uses_index || clustering_unindexed))
    needs_filtering = true;
  if (use == RestrictionUse::kSelect && needs_filtering && !allow_filtering)
    throw InvalidRequest(kAllowFilteringMessage);
  return out;
}

namespace {

std::vector<std::string> values_of(const std::vector<BoundTerm>& terms, const std::optional<BoundTerm>& marker,
                                   const Bindings& b, const std::string& column, const CqlType& type) {
  std::vector<std::string> out;
  if (marker) {
    Value list = marker->evaluate(b);
    if (list.is_null()) throw InvalidRequest("Invalid null value for IN restriction on " + column);
    if (list.is_unset()) throw InvalidRequest("Invalid unset value for IN restriction on " + column);
    for (auto& e : parse_collection(list.bytes)) {
      validate_value(type, e);
      out.push_back(std::move(e));
    }
    return out;
  }
  for (const auto& t : terms) {
    Value v = t.evaluate(b);
    if (v.is_null()) throw InvalidRequest("Invalid null value in condition for column " + column);
    if (v.is_unset()) throw InvalidRequest("Invalid unset value for column " + column);
    validate_value(type, v.bytes);
    out.push_back(std::move(v.bytes));
  }
  return out;
}

// Cartesian product of per-group candidates (a group: one column's values, or a multi-column
// restriction's tuples), refused beyond the limit before it is built (Cassandra's
// in_select_cartesian_product guardrail and message).
std::vector<std::vector<std::string>> product(const std::vector<std::vector<std::vector<std::string>>>& columns,
                                              const Bindings& b, const char* what) {
  size_t limit = b.limits != nullptr ? b.limits->max_in_product : ExecLimits{}.max_in_product;
  size_t size = 1;
  bool saturated = false;
  for (const auto& values : columns) {
    if (!values.empty() && size > SIZE_MAX / values.size()) saturated = true;
    size = saturated ? SIZE_MAX : size * values.size();
  }
  if (size > limit) {
    std::string produced = saturated ? "more than " + std::to_string(SIZE_MAX) : std::to_string(size);
    throw InvalidRequest(std::string("Guardrail in_select_cartesian_product violated: Aborting query because the "
                                     "cartesian product of the IN restrictions on ") +
                         what + " produces " + produced + " values, this exceeds fail threshold of " +
                         std::to_string(limit) + ".");
  }
  std::vector<std::vector<std::string>> out{{}};
  for (const auto& values : columns) {
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : out)
      for (const auto& v : values) {
        next.push_back(prefix);
        next.back().insert(next.back().end(), v.begin(), v.end());
      }
    out = std::move(next);
  }
  return out;
}

}  // namespace

namespace {

constexpr size_t kMaxKeyLength = 65535;  // keys are written with an unsigned short length

void check_key_length(size_t length) {
  if (length > kMaxKeyLength)
    throw InvalidRequest("Key length of " + std::to_string(length) + " is longer than maximum of " +
                         std::to_string(kMaxKeyLength));
}

// Each value as a group of one.
std::vector<std::vector<std::string>> singletons(std::vector<std::string> values) {
  std::vector<std::vector<std::string>> out;
  for (auto& v : values) out.push_back({std::move(v)});
  return out;
}

// The candidate tuples of a multi-column EQ/IN, each split into its columns' values, in
// clustering order and without duplicates.
std::vector<std::vector<std::string>> tuple_candidates(const TupleCandidates& g, const TableDef& table,
                                                       const Bindings& b) {
  std::vector<std::string> tuples;
  std::string names;
  for (size_t i = 0; i < g.width; ++i) names += (i ? ", " : "") + table.columns[table.clustering[g.first + i]].name;
  if (g.marker) {
    Value list = g.marker->evaluate(b);
    if (list.is_null()) throw InvalidRequest("Invalid null value for IN restriction on (" + names + ")");
    if (list.is_unset()) throw InvalidRequest("Invalid unset value for IN restriction on (" + names + ")");
    tuples = parse_collection(list.bytes);
  }
  for (const auto& t : g.tuples) {
    Value v = t.evaluate(b);
    if (!v.is_set()) throw InvalidRequest("Invalid null value in condition for columns: [" + names + "]");
    tuples.push_back(std::move(v.bytes));
  }
  std::vector<std::vector<std::string>> out;
  for (const auto& t : tuples) {
    std::vector<std::string> values;
    std::vector<Value> fields = parse_tuple(t);
    for (size_t i = 0; i < g.width; ++i) {
      if (i >= fields.size() || !fields[i].is_set())
        throw InvalidRequest("Invalid null value in condition for columns: [" + names + "]");
      validate_value(*table.columns[table.clustering[g.first + i]].type, fields[i].bytes);
      values.push_back(std::move(fields[i].bytes));
    }
    out.push_back(std::move(values));
  }
  auto compare = [&](const std::vector<std::string>& x, const std::vector<std::string>& y) {
    for (size_t i = 0; i < g.width; ++i) {
      const ColumnDef& c = table.columns[table.clustering[g.first + i]];
      int cmp = compare_values(*c.type, x[i], y[i]);
      if (cmp != 0) return c.descending ? -cmp : cmp;
    }
    return 0;
  };
  std::sort(out.begin(), out.end(), [&](const auto& x, const auto& y) { return compare(x, y) < 0; });
  out.erase(std::unique(out.begin(), out.end(), [&](const auto& x, const auto& y) { return compare(x, y) == 0; }),
            out.end());
  return out;
}

}  // namespace

std::vector<PartitionKey> partition_keys(const Restrictions& r, const TableDef& table, const Bindings& b) {
  std::vector<std::vector<std::vector<std::string>>> columns;
  for (size_t i = 0; i < r.partition_values.size(); ++i) {
    const std::string& name = table.columns[table.partition_key[i]].name;
    const CqlType& type = *table.columns[table.partition_key[i]].type;
    auto values = values_of(r.partition_values[i], r.partition_in_markers[i], b, name, type);
    // IN values are read in the key type's order, without duplicates, as Cassandra does.
    std::sort(values.begin(), values.end(), [&](const std::string& x, const std::string& y) { return compare_values(type, x, y) < 0; });
    values.erase(std::unique(values.begin(), values.end(), [&](const std::string& x, const std::string& y) { return compare_values(type, x, y) == 0; }), values.end());
    for (const auto& v : values)
      if (v.empty() && table.partition_key.size() == 1)
        throw InvalidRequest("Key may not be empty");
    columns.push_back(singletons(std::move(values)));
  }
  std::vector<PartitionKey> keys;
  for (const auto& combo : product(columns, b, "partition key")) {
    std::vector<std::string_view> parts(combo.begin(), combo.end());
    std::string key = serialize_partition_key(parts);
    check_key_length(key.size());
    keys.push_back(PartitionKey{murmur3_token(key), std::move(key)});
  }
  return keys;
}

std::vector<Clustering> clustering_prefixes(const Restrictions& r, const TableDef& table, const Bindings& b) {
  std::vector<std::vector<std::vector<std::string>>> columns;
  for (size_t i = 0; i < r.clustering.prefix.size(); ++i) {
    auto group = std::find_if(r.clustering.tuple_groups.begin(), r.clustering.tuple_groups.end(),
                              [&](const TupleCandidates& g) { return g.first == i; });
    if (group != r.clustering.tuple_groups.end()) {
      columns.push_back(tuple_candidates(*group, table, b));
      i += group->width - 1;
      continue;
    }
    const ColumnDef& c = table.columns[table.clustering[i]];
    auto values = values_of(r.clustering.prefix[i], r.clustering.prefix_in_markers[i], b, c.name, *c.type);
    std::sort(values.begin(), values.end(), [&](const std::string& x, const std::string& y) {
      int cmp = compare_values(*c.type, x, y);
      return c.descending ? cmp > 0 : cmp < 0;
    });
    values.erase(std::unique(values.begin(), values.end()), values.end());
    columns.push_back(singletons(std::move(values)));
  }
  return product(columns, b, "clustering key");
}

std::vector<Clustering> written_clusterings(const Restrictions& r, const TableDef& table, const Bindings& b) {
  std::vector<Clustering> clusterings = clustering_prefixes(r, table, b);
  for (const Clustering& c : clusterings)
    for (const std::string& value : c) check_key_length(value.size());
  return clusterings;
}

namespace {

// A bound's values: one column's, or a tuple bound's, one per column from "first". A null
// single value leaves a read's side unbounded, as Cassandra reads "c > null"; a deletion refuses
// it (Cassandra fails such a range deletion with a timeout).
std::optional<std::vector<std::string>> bound_values(const std::optional<BoundTerm>& t, size_t width, size_t first,
                                                     const TableDef& table, const Bindings& b, bool for_read) {
  if (!t) return std::nullopt;
  Value v = t->evaluate(b);
  const ColumnDef& c = table.columns[table.clustering[first]];
  if (width == 1) {
    if (v.is_null() && !for_read) throw InvalidRequest("Invalid null value in condition for column " + c.name);
    if (v.is_null()) return std::nullopt;
    if (v.is_unset()) throw InvalidRequest("Invalid unset value for column " + c.name);
    return std::vector<std::string>{std::move(v.bytes)};
  }
  std::string names;
  for (size_t i = 0; i < width; ++i) names += (i ? ", " : "") + table.columns[table.clustering[first + i]].name;
  if (!v.is_set()) throw InvalidRequest("Invalid null value in condition for columns: [" + names + "]");
  std::vector<std::string> out;
  std::vector<Value> fields = parse_tuple(v.bytes);
  for (size_t i = 0; i < width; ++i) {
    if (i >= fields.size() || !fields[i].is_set())
      throw InvalidRequest("Invalid null value in condition for columns: [" + names + "]");
    out.push_back(std::move(fields[i].bytes));
  }
  return out;
}

struct TupleBound {
  std::vector<std::string> values;  // from the current column on
  bool inclusive = true;
};

// The rows under "prefix" (columns before "column" fixed) whose values from "column" on lie
// between the tuple bounds, compared lexicographically by value: disjoint single-column slices,
// appended in clustering order. (a, b) > (1, 2) is {a = 1, b > 2} then {a > 1}.
void split_tuple_range(const TableDef& table, const Clustering& prefix, size_t column,
                       const std::optional<TupleBound>& lower, const std::optional<TupleBound>& upper,
                       std::vector<ClusteringSlice>* out) {
  auto tail = [](const TupleBound& t) {
    return TupleBound{std::vector<std::string>(t.values.begin() + 1, t.values.end()), t.inclusive};
  };
  auto under = [&](const std::string& value) {
    Clustering p = prefix;
    p.push_back(value);
    return p;
  };
  const ColumnDef& c = table.columns[table.clustering[column]];
  bool lower_last = lower && lower->values.size() == 1, upper_last = upper && upper->values.size() == 1;
  if (lower && upper && compare_values(*c.type, lower->values[0], upper->values[0]) == 0) {
    const std::string& value = lower->values[0];
    // Both bounds share this column's value: the rows have it, and the deeper bounds decide.
    if (lower_last && upper_last) {
      if (lower->inclusive && upper->inclusive) out->push_back(ClusteringSlice{under(value), {}, {}});
    } else if (lower_last) {
      if (lower->inclusive) split_tuple_range(table, under(value), column + 1, std::nullopt, tail(*upper), out);
    } else if (upper_last) {
      if (upper->inclusive) split_tuple_range(table, under(value), column + 1, tail(*lower), std::nullopt, out);
    } else {
      split_tuple_range(table, under(value), column + 1, tail(*lower), tail(*upper), out);
    }
    return;
  }
  if (lower && upper && compare_values(*c.type, lower->values[0], upper->values[0]) > 0) return;
  std::vector<ClusteringSlice> pieces;  // in value order: the lower edge, the middle, the upper edge
  if (lower && !lower_last) split_tuple_range(table, under(lower->values[0]), column + 1, tail(*lower), std::nullopt, &pieces);
  ClusteringSlice middle{prefix, {}, {}};
  if (lower) middle.lower = ClusteringBound{lower->values[0], lower_last && lower->inclusive};
  if (upper) middle.upper = ClusteringBound{upper->values[0], upper_last && upper->inclusive};
  pieces.push_back(std::move(middle));
  if (upper && !upper_last) split_tuple_range(table, under(upper->values[0]), column + 1, std::nullopt, tail(*upper), &pieces);
  // A DESC column stores its values in reverse: its pieces come in reverse order.
  if (c.descending) std::reverse(pieces.begin(), pieces.end());
  for (auto& piece : pieces) out->push_back(std::move(piece));
}

}  // namespace

std::vector<ClusteringSlice> clustering_slices(const Restrictions& r, const TableDef& table, Clustering prefix,
                                               const Bindings& b) {
  size_t k = prefix.size();
  if (k >= table.clustering.size()) return {ClusteringSlice{std::move(prefix), {}, {}}};
  auto lower = bound_values(r.clustering.lower, r.clustering.lower_width, k, table, b, r.for_read);
  auto upper = bound_values(r.clustering.upper, r.clustering.upper_width, k, table, b, r.for_read);
  std::optional<TupleBound> lo, hi;
  if (lower) lo = TupleBound{std::move(*lower), r.clustering.lower_inclusive};
  if (upper) hi = TupleBound{std::move(*upper), r.clustering.upper_inclusive};
  std::vector<ClusteringSlice> out;
  split_tuple_range(table, prefix, k, lo, hi, &out);
  return out;
}

namespace {

int64_t token_value(const BoundTerm& t, const Bindings& b) {
  Value v = t.evaluate(b);
  if (!v.is_set() || v.bytes.size() != 8) throw InvalidRequest("Invalid null value for partition key token");
  return decode_int64(v.bytes);
}

std::optional<TokenBound> token_bound(const std::optional<BoundTerm>& t, bool inclusive, const Bindings& b) {
  if (!t) return std::nullopt;
  return TokenBound{token_value(*t, b), inclusive};
}

}  // namespace

ReadSelection read_selection(const Restrictions& r, const TableDef& table, const Bindings& b) {
  if (!r.partition_key_restricted) {
    return ReadSelection::token_range(token_bound(r.token_lower, r.token_lower_inclusive, b),
                                      token_bound(r.token_upper, r.token_upper_inclusive, b));
  }
  std::vector<ClusteringSlice> slices;
  if (r.has_clustering_restriction) {
    for (auto& prefix : clustering_prefixes(r, table, b))
      for (auto& slice : clustering_slices(r, table, std::move(prefix), b)) slices.push_back(std::move(slice));
  }
  return ReadSelection::partitions(partition_keys(r, table, b), std::move(slices));
}

namespace {

bool compare_op(Op op, int cmp) {
  switch (op) {
    case Op::kEq: return cmp == 0;
    case Op::kNeq: return cmp != 0;
    case Op::kLt: return cmp < 0;
    case Op::kLte: return cmp <= 0;
    case Op::kGt: return cmp > 0;
    case Op::kGte: return cmp >= 0;
    default: return false;
  }
}

bool collection_contains(const CqlType& type, const std::string& bytes, const std::string& needle, Op op) {
  if (type.kind == TypeKind::kMap) {
    for (const auto& [k, v] : parse_map(bytes)) {
      const std::string& x = op == Op::kContainsKey ? k : v;
      if (compare_values(*type.params[op == Op::kContainsKey ? 0 : 1], x, needle) == 0) return true;
    }
    return false;
  }
  for (const auto& e : parse_collection(bytes))
    if (compare_values(*type.params[0], e, needle) == 0) return true;
  return false;
}

int compare_tuple(const RowFilter& f, const TableDef& table, const ReadRow& row, const std::string& tuple) {
  std::vector<Value> fields = parse_tuple(tuple);
  for (size_t i = 0; i < f.tuple_columns.size() && i < fields.size(); ++i) {
    const ColumnDef& c = table.columns[static_cast<size_t>(f.tuple_columns[i])];
    int cmp = compare_values(*c.type, row.values[static_cast<size_t>(f.tuple_columns[i])].bytes, fields[i].bytes);
    if (cmp != 0) return cmp;
  }
  return 0;
}

bool filter_matches(const RowFilter& f, const TableDef& table, const ReadRow& row, const Bindings& b) {
  if (!f.tuple_columns.empty()) {
    if (row.static_only) return false;
    if (f.op == Op::kIn) {
      std::vector<std::string> candidates;
      if (f.in_marker) candidates = parse_collection(f.in_marker->evaluate(b).bytes);
      for (const auto& t : f.values) candidates.push_back(t.evaluate(b).bytes);
      for (const auto& cand : candidates)
        if (compare_tuple(f, table, row, cand) == 0) return true;
      return false;
    }
    Value v = f.values.at(0).evaluate(b);
    if (!v.is_set()) throw InvalidRequest("Invalid null value in a multi-column relation");
    return compare_op(f.op, compare_tuple(f, table, row, v.bytes));
  }
  if (f.column < 0) {
    int64_t t = token_value(f.values.at(0), b);
    return compare_op(f.op, row.token < t ? -1 : row.token > t ? 1 : 0);
  }
  const ColumnDef& c = table.columns[static_cast<size_t>(f.column)];
  const Value& v = row.values[static_cast<size_t>(f.column)];
  if (v.is_null()) return false;
  std::string actual = v.bytes;
  const CqlType* type = c.type.get();
  if (f.map_key) {
    Value key = f.map_key->evaluate(b);
    bool found = false;
    for (auto& [k, val] : parse_map(v.bytes))
      if (compare_values(*c.type->params[0], k, key.bytes) == 0) {
        actual = val;
        found = true;
      }
    if (!found) return false;
    type = c.type->params[1].get();
  }
  if (f.op == Op::kContains || f.op == Op::kContainsKey) {
    Value needle = f.values.at(0).evaluate(b);
    return collection_contains(*c.type, v.bytes, needle.bytes, f.op);
  }
  if (f.op == Op::kIn) {
    std::vector<std::string> candidates;
    if (f.in_marker) candidates = parse_collection(f.in_marker->evaluate(b).bytes);
    for (const auto& t : f.values) candidates.push_back(t.evaluate(b).bytes);
    for (const auto& cand : candidates)
      if (compare_values(*type, actual, cand) == 0) return true;
    return false;
  }
  Value expected = f.values.at(0).evaluate(b);
  // "c > null" on a clustering column leaves the slice unbounded (clustering_slices).
  if (expected.is_null()) return is_range(f.op) && c.kind == ColumnKind::kClustering;
  if (f.analyzer.analyzes()) return f.analyzer.apply(actual) == f.analyzer.apply(expected.bytes);
  return compare_op(f.op, compare_values(*type, actual, expected.bytes));
}

}  // namespace

bool row_matches(const Restrictions& r, const TableDef& table, const ReadRow& row, const Bindings& b) {
  for (const auto& f : r.filters) {
    if (row.static_only && f.column >= 0 && table.columns[f.column].kind == ColumnKind::kClustering) return false;
    if (!filter_matches(f, table, row, b)) return false;
  }
  return true;
}

}  // namespace cqld
