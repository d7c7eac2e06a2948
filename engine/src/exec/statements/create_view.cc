// CREATE MATERIALIZED VIEW: Cassandra's checks of the definition, in Cassandra's order (so the
// first error a definition has is the one Cassandra reports), then the view's table, then its
// rows built from what the base table already holds.
#include <algorithm>
#include <set>

#include "common/errors.h"
#include "cql/parser.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/view_updates.h"
#include "exec/write_failure.h"
#include "schema/view.h"
#include "types/literal.h"

namespace cqld {
namespace {

using Raw = ast::CreateMaterializedViewStatement;

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The base columns the view copies, in base order; statics are refused.
std::vector<std::string> selected_columns(const Raw& s, const TableDef& base) {
  std::vector<std::string> names;
  if (s.select_all) {
    for (const auto& c : base.columns) {
      if (c.kind == ColumnKind::kStatic)
        throw InvalidRequest("Cannot include static column '" + c.name + "' in materialized view '" + s.view.name + "'");
      names.push_back(c.name);
    }
    return names;
  }
  for (const auto& item : s.selectors) {
    if (!item.alias.empty()) throw InvalidRequest("Cannot use aliases when defining a materialized view");
    if (item.selector.kind != ast::Selector::Kind::kColumn)
      throw InvalidRequest("Can only select columns by name when defining a materialized view");
    const ColumnDef* c = base.find_column(item.selector.column);
    if (c == nullptr) throw undefined_column(item.selector.column, base.keyspace, base.name);
    if (c->kind == ColumnKind::kStatic)
      throw InvalidRequest("Cannot include static column '" + c->name + "' in materialized view '" + s.view.name + "'");
    if (std::find(names.begin(), names.end(), c->name) == names.end()) names.push_back(c->name);
  }
  return names;
}

void check_primary_key(const Raw& s, const TableDef& base, const std::vector<std::string>& selected) {
  if (s.partition_key.empty())
    throw InvalidRequest("Must provide at least one partition key column for materialized view '" + s.view.name + "'");
  std::vector<std::string> key = s.partition_key;
  key.insert(key.end(), s.clustering_columns.begin(), s.clustering_columns.end());
  std::set<std::string> seen;
  for (const auto& name : key) {
    const ColumnDef* c = base.find_column(name);
    if (c == nullptr || std::find(selected.begin(), selected.end(), name) == selected.end())
      throw InvalidRequest("Unknown column '" + name + "' referenced in PRIMARY KEY for materialized view '" + s.view.name + "'");
    if (!seen.insert(name).second)
      throw InvalidRequest("Duplicate column '" + name + "' in PRIMARY KEY clause for materialized view '" + s.view.name + "'");
    if (c->type->is_multi_cell())
      throw InvalidRequest(std::string("Invalid non-frozen ") +
                           (c->type->kind == TypeKind::kUdt ? "user-defined type '" : "collection type '") +
                           marshal_class(*c->type) + "' for PRIMARY KEY column '" + name + "'");
    if (c->type->kind == TypeKind::kDuration)
      throw InvalidRequest("Invalid type '" + marshal_class(*c->type) + "' for PRIMARY KEY column '" + name + "'");
  }
  if (!s.clustering_order.empty()) {
    std::vector<std::string> ordered;
    for (const auto& item : s.clustering_order) ordered.push_back(item.column);
    if (ordered != s.clustering_columns)
      throw InvalidRequest("Clustering key columns must exactly match columns in CLUSTERING ORDER BY directive");
  }
  std::vector<std::string> missing;
  for (const auto& c : base.columns)
    if (c.is_primary_key() && !seen.count(c.name)) missing.push_back(c.name);
  if (!missing.empty())
    throw InvalidRequest("Cannot create materialized view '" + s.view.name + "' without primary key columns " +
                         joined(missing) + " from base table '" + base.name + "'");
  std::vector<std::string> regular;
  for (const auto& name : key)
    if (!base.find_column(name)->is_primary_key()) regular.push_back(name);
  if (regular.size() > 1)
    throw InvalidRequest("Cannot include more than one non-primary key column in materialized view primary key (got " +
                         joined(regular) + ")");
}

ViewRestriction::Op restriction_op(ast::Operator op) {
  switch (op) {
    case ast::Operator::kEq: return ViewRestriction::Op::kEq;
    case ast::Operator::kIn: return ViewRestriction::Op::kIn;
    case ast::Operator::kLt: return ViewRestriction::Op::kLt;
    case ast::Operator::kLte: return ViewRestriction::Op::kLte;
    case ast::Operator::kGt: return ViewRestriction::Op::kGt;
    case ast::Operator::kGte: return ViewRestriction::Op::kGte;
    default: throw InvalidRequest("Unsupported restriction in a materialized view's WHERE clause");
  }
}

const char* operator_text(ast::Operator op) {
  switch (op) {
    case ast::Operator::kEq: return "=";
    case ast::Operator::kIn: return "IN";
    case ast::Operator::kLt: return "<";
    case ast::Operator::kLte: return "<=";
    case ast::Operator::kGt: return ">";
    case ast::Operator::kGte: return ">=";
    default: return "?";
  }
}

Literal constant(const ast::Term& term) {
  std::optional<Literal> literal = term_to_literal(term);
  if (!literal) throw InvalidRequest("Only constants can be used in a materialized view's WHERE clause");
  return *literal;
}

// One relation of the WHERE clause: checked, rendered as system_schema.views shows it, and
// (unless IS NOT NULL) kept as a restriction on the base row's key.
std::string add_relation(const ast::Relation& r, const TableDef& base, ViewDef* view, std::set<std::string>* restricted) {
  if (r.kind == ast::Relation::Kind::kToken) throw InvalidRequest("Cannot use token relation when defining a materialized view");
  if (r.kind != ast::Relation::Kind::kSingle || r.map_key)
    throw InvalidRequest("Only single-column relations can define a materialized view");
  const std::string& name = r.columns.at(0);
  const ColumnDef* c = base.find_column(name);
  if (c == nullptr) throw undefined_column(name, base.keyspace, base.name);
  restricted->insert(name);
  std::string text = quote_if_needed(name) + " ";
  if (r.op == ast::Operator::kIsNotNull) return text + "IS NOT NULL";
  if (!c->is_primary_key())
    throw InvalidRequest("Non-primary key columns can only be restricted with 'IS NOT NULL' (got: " + name +
                         " restricted illegally)");
  ViewRestriction restriction{name, restriction_op(r.op), {}};
  text += std::string(operator_text(r.op)) + " ";
  std::vector<Literal> literals;
  if (r.value) literals.push_back(constant(*r.value));
  for (const auto& term : r.in_values) literals.push_back(constant(term));
  std::string values;
  for (const auto& literal : literals) {
    restriction.values.push_back(literal_to_value(literal, *c->type, name).bytes);
    values += (values.empty() ? "" : ", ") + literal_source_text(literal);
  }
  text += r.op == ast::Operator::kIn ? "(" + values + ")" : values;
  view->restrictions.push_back(std::move(restriction));
  return text;
}

std::shared_ptr<ViewDef> view_definition(const Raw& s, const TableDef& base) {
  auto view = std::make_shared<ViewDef>();
  view->base_table = base.name;
  view->base_id = base.id;
  view->include_all_columns = s.select_all;
  std::set<std::string> restricted;
  for (const auto& r : s.where) {
    std::string text = add_relation(r, base, view.get(), &restricted);
    view->where_clause += (view->where_clause.empty() ? "" : " AND ") + text;
  }
  std::vector<std::string> unrestricted;
  for (const auto& name : s.partition_key)
    if (!restricted.count(name)) unrestricted.push_back(name);
  for (const auto& name : s.clustering_columns)
    if (!restricted.count(name)) unrestricted.push_back(name);
  if (!unrestricted.empty())
    throw InvalidRequest("Primary key columns " + joined(unrestricted) + " must be restricted with 'IS NOT NULL' or otherwise");
  return view;
}

std::shared_ptr<TableDef> view_table(const Raw& s, const TableDef& base, const std::vector<std::string>& selected,
                                     Schema& schema) {
  auto t = std::make_shared<TableDef>();
  t->keyspace = base.keyspace;
  t->name = s.view.name;
  t->id = random_uuid();
  t->storage_id = schema.next_storage_id++;
  for (const auto& name : selected) {
    ColumnDef c = *base.find_column(name);
    c.kind = ColumnKind::kRegular;
    c.position = -1;
    c.descending = false;
    c.id = t->next_column_id++;
    t->columns.push_back(std::move(c));
  }
  auto mark = [&](const std::vector<std::string>& names, ColumnKind kind) {
    for (size_t i = 0; i < names.size(); ++i) {
      ColumnDef& c = t->columns[static_cast<size_t>(t->column_index(names[i]))];
      c.kind = kind;
      c.position = static_cast<int>(i);
    }
  };
  mark(s.partition_key, ColumnKind::kPartitionKey);
  mark(s.clustering_columns, ColumnKind::kClustering);
  // Without CLUSTERING ORDER BY, a column keeps the order it has in the base table.
  for (const auto& name : s.clustering_columns)
    t->columns[static_cast<size_t>(t->column_index(name))].descending = base.find_column(name)->descending;
  for (const auto& item : s.clustering_order)
    t->columns[static_cast<size_t>(t->column_index(item.column))].descending = item.descending;
  sort_columns(*t);
  return t;
}

void apply_view_options(const Raw& s, TableDef* t) {
  for (const auto& p : s.properties)
    if (p.name == "default_time_to_live")
      throw InvalidRequest("Cannot set default_time_to_live for a materialized view. Data in a materialized view always "
                           "expire at the same time than the corresponding data in the parent table.");
  t->options = default_table_options();
  apply_table_properties(s.properties, &t->options);
}

}  // namespace

Result create_view(const DdlContext& ctx, const ast::CreateMaterializedViewStatement& s) {
  std::string ks_name = statement_keyspace(s.view.keyspace, *ctx.client);
  std::string base_ks = s.base_table.keyspace.empty() ? ks_name : s.base_table.keyspace;
  if (base_ks != ks_name) throw InvalidRequest("Cannot create a materialized view on a table in a different keyspace");
  refuse_system(ks_name);
  std::string base_name;
  auto r = ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const KeyspaceDef* ks = schema.find_keyspace(ks_name);
    if (ks == nullptr) throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    const TableDef* base = ks->find_table(s.base_table.name);
    if (base == nullptr || base->is_view())
      throw InvalidRequest("Base table '" + s.base_table.name + "' doesn't exist");
    if (const TableDef* existing = ks->find_table(s.view.name)) {
      if (!existing->is_view())
        throw InvalidRequest("Cannot create materialized view '" + s.view.name + "' - a table with the same name already exists");
      if (s.if_not_exists) return std::nullopt;
      throw AlreadyExists(ks_name, s.view.name,
                          "Cannot add already existing table \"" + s.view.name + "\" to keyspace \"" + ks_name + "\"");
    }
    if (base->is_counter) throw InvalidRequest("Materialized views are not supported on counter tables");
    std::vector<std::string> selected = selected_columns(s, *base);
    check_primary_key(s, *base, selected);
    auto view = view_definition(s, *base);
    validate_table_name(ks_name, s.view.name);
    auto t = view_table(s, *base, selected, schema);
    t->view = view;
    apply_view_options(s, t.get());
    base_name = base->name;
    mutable_keyspace(schema, ks_name).tables[t->name] = t;
    return change(Change::kCreated, Target::kTable, ks_name, s.view.name);
  });
  if (r) {
    SchemaPtr now = ctx.schema->current();
    const TableDef* base = now->find_table(ks_name, base_name);
    const TableDef* view = now->find_table(ks_name, s.view.name);
    if (base != nullptr && view != nullptr)
      check_write(build_view(ctx.store, *base, *view, std::chrono::duration_cast<std::chrono::microseconds>(
                                                              std::chrono::system_clock::now().time_since_epoch())
                                                              .count()));
  }
  return to_result(r);
}

}  // namespace cqld
