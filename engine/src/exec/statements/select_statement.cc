#include "exec/statements/select_statement.h"

#include "exec/statements/prepare.h"

#include <algorithm>
#include <climits>
#include <ctime>

#include "common/errors.h"
#include "cql/parser.h"
#include "exec/ann_ordering.h"
#include "functions/registry.h"
#include "schema/view.h"
#include "types/comparable.h"
#include "types/token.h"

namespace cqld {

// Where a paged query resumes: after the row at "position"; LIMIT and PER PARTITION LIMIT
// counts carry over.
struct PagingState {
  std::string position;
  std::string partition_key;
  int32_t returned = 0;
  int32_t in_partition = 0;
};

namespace {

// The columns a selector reads, functions' arguments included (Cassandra's selection columns).
void selected_columns(const ast::Selector& s, const TableDef& t, std::vector<const ColumnDef*>* out) {
  if (s.kind == ast::Selector::Kind::kColumn) {
    if (const ColumnDef* c = t.find_column(s.column)) out->push_back(c);
    return;
  }
  for (const auto& child : s.children) selected_columns(child, t, out);
}

std::vector<const ColumnDef*> selected_columns(const ast::SelectStatement& s, const TableDef& t) {
  std::vector<const ColumnDef*> out;
  for (const auto& item : s.selectors) selected_columns(item.selector, t, &out);
  return out;
}

// Whether the statement reads static columns and no other non-key column: its rows are the
// partitions' static rows, which clustering restrictions cannot select.
bool selects_only_static_columns(const std::vector<const ColumnDef*>& columns) {
  bool any_static = false;
  for (const ColumnDef* c : columns) {
    if (c->kind == ColumnKind::kStatic) any_static = true;
    else if (c->kind != ColumnKind::kPartitionKey) return false;
  }
  return any_static;
}

bool restricts_clustering(const ast::SelectStatement& s, const TableDef& t) {
  for (const auto& rel : s.where) {
    if (rel.kind == ast::Relation::Kind::kToken) continue;
    for (const auto& name : rel.columns) {
      const ColumnDef* c = t.find_column(name);
      if (c != nullptr && c->kind == ColumnKind::kClustering) return true;
    }
  }
  return false;
}

// ORDER BY naming a column twice keeps its first place and its last direction (Cassandra
// collects the orderings in an insertion-ordered map).
std::vector<ast::OrderingItem> merged_orderings(const std::vector<ast::OrderingItem>& items) {
  std::vector<ast::OrderingItem> out;
  for (const auto& item : items) {
    auto same = std::find_if(out.begin(), out.end(), [&](const ast::OrderingItem& o) { return o.column == item.column; });
    if (same != out.end()) same->descending = item.descending;
    else out.push_back(item);
  }
  return out;
}

// The protocol's cost of a cell in a ROWS body: its [int] length.
constexpr size_t kCellOverhead = 4;

InvalidRequest result_too_large(size_t limit) {
  return InvalidRequest("The result of this query is larger than the " + std::to_string(limit >> 20) +
                        " MiB a page may hold (--max-result-page-mb): page it with a fetch size, or lower its LIMIT");
}

int32_t positive_int(const std::optional<BoundTerm>& term, const Bindings& b, const char* what) {
  if (!term) return INT32_MAX;
  Value v = term->evaluate(b);
  if (v.is_null()) throw InvalidRequest(std::string("Invalid null value of ") + what);
  if (v.is_unset()) return INT32_MAX;
  int32_t n = decode_int32(v.bytes);
  // Cassandra words both limits' message alike.
  if (n <= 0) throw InvalidRequest("LIMIT must be strictly positive");
  return n;
}

// Paging state: [i32 n][position][i32 n][partition key][i32 rows returned][i32 rows in partition].

std::string encode_paging_state(const PagingState& s) {
  std::string out;
  out += encode_int32(static_cast<int32_t>(s.position.size()));
  out += s.position;
  out += encode_int32(static_cast<int32_t>(s.partition_key.size()));
  out += s.partition_key;
  out += encode_int32(s.returned);
  out += encode_int32(s.in_partition);
  return out;
}

PagingState decode_paging_state(const std::string& bytes) {
  auto bad = [] { return ProtocolError("Invalid value for the paging state"); };
  PagingState s;
  std::string_view in = bytes;
  auto take = [&](std::string* out) {
    if (in.size() < 4) throw bad();
    uint32_t n = static_cast<uint32_t>(decode_int32(in.substr(0, 4)));
    if (in.size() < 4 + static_cast<size_t>(n)) throw bad();
    out->assign(in.substr(4, n));
    in.remove_prefix(4 + n);
  };
  take(&s.position);
  take(&s.partition_key);
  if (in.size() != 8) throw bad();
  s.returned = decode_int32(in.substr(0, 4));
  s.in_partition = decode_int32(in.substr(4, 4));
  return s;
}

}  // namespace

std::unique_ptr<SelectStatement> SelectStatement::prepare(const ast::SelectStatement& s, const ast::RawStatement& raw,
                                                          const Schema& schema, const ClientState& client) {
  std::unique_ptr<SelectStatement> p(new SelectStatement());
  TableRef ref = table_for_read(s.table, client, schema);
  p->table_ = ref.table;
  p->virtual_table_ = ref.virtual_table;
  if (!ref.virtual_table) p->dependencies_.push_back(ref.table);
  BindContext ctx = bind_context_for(*ref.table, raw);
  p->bind(s, ctx);
  p->markers_ = finish_markers(ctx, raw);
  if (!ref.virtual_table) p->pk_indexes_ = partition_key_indexes(p->markers_, *ref.table);
  return p;
}

void SelectStatement::bind(const ast::SelectStatement& s, BindContext& ctx) {
  SelectStatement* p = this;
  p->distinct_ = s.distinct;
  const TableDef& t = *table_;
  p->selection_ = Selection::bind(s, t);
  bool ann_ordered = std::any_of(s.order_by.begin(), s.order_by.end(), [](const auto& i) { return i.ann_of.has_value(); });
  if (ann_ordered) check_ann_where(s, t);
  p->restrictions_ = bind_restrictions(s.where, t, s.allow_filtering, RestrictionUse::kSelect, ctx);
  bind_group_by(s, t);
  std::vector<const ColumnDef*> columns = selected_columns(s, t);
  if (!s.selectors.empty() && t.has_static() && selects_only_static_columns(columns) && restricts_clustering(s, t))
    throw InvalidRequest("Cannot restrict clustering columns when selecting only static columns");
  p->ann_ = bind_ann_ordering(s, t, p->restrictions_, p->selection_->is_aggregate(), ctx);
  if (s.distinct) {
    if (s.per_partition_limit) throw InvalidRequest("PER PARTITION LIMIT is not allowed with SELECT DISTINCT queries");
    for (const auto& item : s.selectors) {
      if (item.selector.kind != ast::Selector::Kind::kColumn) continue;
      const ColumnDef* c = t.find_column(item.selector.column);
      if (c != nullptr && c->kind != ColumnKind::kPartitionKey && c->kind != ColumnKind::kStatic)
        throw InvalidRequest("SELECT DISTINCT queries must only request partition key columns and/or static columns (not " +
                             c->name + ")");
    }
    for (const auto& rel : s.where) {
      int ci = rel.columns.empty() ? -1 : t.column_index(rel.columns[0]);
      if (ci >= 0 && (t.columns[ci].kind == ColumnKind::kClustering || t.columns[ci].kind == ColumnKind::kRegular))
        throw InvalidRequest("SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.");
    }
    if (!s.selectors.empty()) {
      std::vector<size_t> missing;
      for (size_t i : t.partition_key)
        if (std::find(columns.begin(), columns.end(), &t.columns[i]) == columns.end()) missing.push_back(i);
      std::string names;
      for (size_t i = 0; i < missing.size(); ++i) names += (i ? ", " : "") + t.columns[missing[i]].name;
      if (!missing.empty())
        throw InvalidRequest("SELECT DISTINCT queries must request all the partition key columns (missing " + names + ")");
    }
  }
  if (s.per_partition_limit && p->selection_->is_aggregate() && !p->grouped_)
    throw InvalidRequest("PER PARTITION LIMIT is not allowed with aggregate queries.");
  if (!s.order_by.empty() && !p->ann_) {
    if (p->restrictions_.uses_index)
      throw InvalidRequest("ORDER BY with 2ndary indexes is not supported, except for ANN queries.");
    if (!p->restrictions_.partition_key_restricted)
      throw InvalidRequest("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
    std::optional<bool> reversed;
    std::vector<ast::OrderingItem> orderings = merged_orderings(s.order_by);
    for (size_t i = 0; i < orderings.size(); ++i) {
      const auto& item = orderings[i];
      int ci = t.column_index(item.column);
      if (ci < 0) throw undefined_column(item.column, t.keyspace, t.name);
      const ColumnDef& c = t.columns[ci];
      if (c.kind != ColumnKind::kClustering)
        throw InvalidRequest("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got " + c.name);
      if (c.position != static_cast<int>(i))
        throw InvalidRequest("Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY");
      bool r = item.descending != c.descending;
      if (reversed && *reversed != r) throw InvalidRequest("Unsupported order by relation");
      reversed = r;
    }
    p->reversed_ = reversed.value_or(false);
    p->ordered_ = true;
  }
  if (s.limit) p->limit_ = bind_term(*s.limit, primitive_type(TypeKind::kInt), "[limit]", ctx);
  if (s.per_partition_limit)
    p->per_partition_limit_ = bind_term(*s.per_partition_limit, primitive_type(TypeKind::kInt), "[per_partition_limit]", ctx);
}

void SelectStatement::check_access(const auth::Access& access) const {
  const std::string& table = table_->is_view() ? table_->view->base_table : table_->name;
  access.ensure_table_permission(auth::Permission::kSelect, table_->keyspace, table);
}

StatementKind SelectStatement::kind() const {
  return restrictions_.partition_key_restricted ? StatementKind::kRead : StatementKind::kRangeRead;
}

// The rows an index's entries name for the query's value, or nullptr when no index answers it.
// A null or unset value has no entries: the table read answers it, as for any unindexed query.
std::unique_ptr<RowReader> SelectStatement::read_through_index(ExecutionContext& ctx, const ReadSelection& selection,
                                                               const std::string& resume_after) const {
  const auto& lookup = restrictions_.index_lookup;
  if (!lookup) return nullptr;
  Value value = lookup->value.evaluate(ctx.bindings);
  if (!value.is_set()) return nullptr;
  return ctx.store->read_indexed_rows(*table_, table_->indexes[lookup->index], value.bytes, selection.token_lower,
                                      selection.token_upper, resume_after, ctx.bindings.now_micros / 1000000);
}

Result SelectStatement::execute(ExecutionContext& ctx) const {
  const TableDef& t = *table_;
  const Bindings& b = ctx.bindings;
  int32_t limit = positive_int(limit_, b, "limit");
  int32_t per_partition = positive_int(per_partition_limit_, b, "per partition limit");
  if (distinct_) per_partition = 1;
  // A grouped query pages by groups; a plain aggregate has one row and never pages.
  bool aggregate = selection_->is_aggregate() && !grouped_;
  int32_t page_size = ctx.options->page_size > 0 && !aggregate ? ctx.options->page_size : INT32_MAX;
  PagingState state;
  if (ctx.options->paging_state && !aggregate) state = decode_paging_state(*ctx.options->paging_state);
  if (ordered_ && ctx.options->page_size > 0 && restrictions_.partition_key_restricted &&
      partition_keys(restrictions_, t, b).size() > 1)
    throw InvalidRequest(
        "Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must either remove the "
        "ORDER BY or the IN and sort client side, or disable paging for this query");
  ReadSelection selection = read_selection(restrictions_, t, b);
  ReadOrder order;
  order.reversed = reversed_;
  order.include_static_only = t.has_static() && !restrictions_.has_clustering_restriction;
  std::unique_ptr<RowReader> source;
  if (virtual_table_ != nullptr) {
    source = read_materialized_rows(t, virtual_table_->rows(*ctx.schema->current(), ctx.node_as_seen()), selection,
                                    order, state.position);
  } else {
    source = read_through_index(ctx, selection, state.position);
    if (source == nullptr) source = ctx.store->read_rows(t, selection, order, state.position, b.now_micros / 1000000);
  }

  if (grouped_) return execute_grouped(ctx, *source, limit, per_partition, state);
  if (ann_) return execute_ann(ctx, *source, limit);

  RowsResult result;
  result.metadata.columns = selection_->columns();
  PagingState next = state;
  std::optional<Selection::Aggregation> aggregation;
  if (aggregate) aggregation.emplace(*selection_);
  bool more = false;
  size_t result_bytes = 0;
  ReadRow row;
  // An aggregate's LIMIT applies to its one output row, not to the rows it reads.
  while (aggregation || next.returned < limit) {
    if (!next_matching(*source, ctx, &row)) break;
    if (row.partition_key != next.partition_key) {
      next.partition_key = row.partition_key;
      next.in_partition = 0;
    }
    if (next.in_partition >= per_partition) continue;
    if (aggregation) {
      aggregation->add(row);
      ++next.in_partition;
      continue;
    }
    ++next.in_partition;
    size_t first_cell = result.cells.size();
    selection_->add_row(row, &result.cells);
    for (size_t i = first_cell; i < result.cells.size(); ++i) result_bytes += kCellOverhead + result.cells[i].bytes.size();
    ++result.row_count;
    ++next.returned;
    next.position = row.position;
    // Like Cassandra, a full page promises more (the next page may turn out empty).
    if (static_cast<int32_t>(result.row_count) >= page_size) {
      more = next.returned < limit;
      break;
    }
    if (result_bytes >= ctx.limits->max_result_page_bytes) {
      if (ctx.options->page_size <= 0) throw result_too_large(ctx.limits->max_result_page_bytes);
      more = next.returned < limit;  // a page ends early at the byte bound, with a paging state
      break;
    }
  }
  if (aggregation) {
    aggregation->finish(&result.cells);
    result.row_count = 1;
  } else if (more) {
    result.metadata.paging_state = encode_paging_state(next);
  }
  return result;
}

namespace {

// Whether "where" holds an equality on "column" (alone or in a multi-column relation): GROUP BY
// may skip such a key column, its value being the same in every row.
bool restricted_by_eq(const std::vector<ast::Relation>& where, const std::string& column) {
  for (const auto& rel : where) {
    if (rel.op != ast::Operator::kEq || rel.kind == ast::Relation::Kind::kToken || rel.map_key) continue;
    if (std::find(rel.columns.begin(), rel.columns.end(), column) != rel.columns.end()) return true;
  }
  return false;
}

// The column names a GROUP BY function reads, in order of appearance, each once.
void collect_columns(const ast::Selector& sel, std::vector<std::string>* out) {
  if (sel.kind == ast::Selector::Kind::kColumn) {
    if (std::find(out->begin(), out->end(), sel.column) == out->end()) out->push_back(sel.column);
    return;
  }
  for (const auto& child : sel.children) collect_columns(child, out);
}

// A GROUP BY item as a selector: a column of the table by its name, else the text of a
// function call (the parser keeps GROUP BY items as text).
ast::Selector group_by_item(const std::string& written, const TableDef& t) {
  ast::Selector item;
  if (t.find_column(written) != nullptr || written.find('(') == std::string::npos) {
    item.column = written;
    return item;
  }
  std::unique_ptr<ast::RawStatement> raw = parse_statement("SELECT " + written + " FROM t");
  if (raw->bind_marker_count > 0) throw InvalidRequest("Bind markers in GROUP BY are not supported by cqld yet");
  return std::get<ast::SelectStatement>(raw->statement).selectors.at(0).selector;
}

}  // namespace

// GROUP BY, by Cassandra's rules: key columns in declared order, where a column restricted by
// equality may be left out; the whole partition key or none of it; a function (not an
// aggregate) over one clustering column, last only.
void SelectStatement::bind_group_by(const ast::SelectStatement& s, const TableDef& t) {
  if (s.group_by.empty()) return;
  std::vector<size_t> key_order(t.partition_key);
  key_order.insert(key_order.end(), t.clustering.begin(), t.clustering.end());
  const std::string kOrder = "Group by currently only support groups of columns following their declared order in the PRIMARY KEY";
  size_t next_key = 0;
  for (const std::string& written : s.group_by) {
    const ColumnDef* def = nullptr;
    ast::Selector item = group_by_item(written, t);
    if (item.kind == ast::Selector::Kind::kFunctionCall) {
      std::unique_ptr<SelectorNode> node = bind_selector_node(item, t);
      if (node->is_aggregate())
        throw InvalidRequest("Aggregate functions are not supported within the GROUP BY clause, got: system." +
                             native_function_name(item.function.keyspace, item.function.name));
      std::vector<std::string> columns;
      collect_columns(item, &columns);
      if (columns.empty()) throw InvalidRequest("GROUP BY functions must have one clustering column name as parameter");
      if (columns.size() > 1) {
        std::string names;
        for (const auto& c : columns) names += (names.empty() ? "" : ",") + maybe_quote(c);
        throw InvalidRequest("GROUP BY functions accept only one clustering column as parameter, got: " + names);
      }
      def = t.find_column(columns[0]);
      if (def->kind != ColumnKind::kClustering)
        throw InvalidRequest("Group by functions are only supported on clustering columns, got " + def->name);
      group_function_ = std::move(node);
    } else if (item.kind == ast::Selector::Kind::kColumn) {
      def = t.find_column(item.column);
      if (def == nullptr) throw undefined_column(item.column, t.keyspace, t.name);
      if (!def->is_primary_key())
        throw InvalidRequest("Group by is currently only supported on the columns of the PRIMARY KEY, got " + def->name);
      if (group_function_) throw InvalidRequest("Functions are only supported on the last element of the GROUP BY clause");
    } else {
      throw InvalidRequest("Only column names and functions are supported within the GROUP BY clause");
    }
    while (true) {
      if (next_key >= key_order.size()) throw InvalidRequest(kOrder);
      const ColumnDef& key = t.columns[key_order[next_key++]];
      if (key.kind == ColumnKind::kClustering) ++group_clustering_;
      if (&key == def) break;
      if (!restricted_by_eq(s.where, key.name)) throw InvalidRequest(kOrder);
    }
  }
  if (next_key < t.partition_key.size()) throw InvalidRequest("Group by is not supported on only a part of the partition key");
  if (group_clustering_ > 0 && s.distinct)
    throw InvalidRequest("Grouping on clustering columns is not allowed for SELECT DISTINCT queries");
  grouped_ = true;
}

// The values that tell a row's group: its clustering prefix, the last through the function.
// (The partition is compared apart, by its serialized key.)
std::vector<Value> SelectStatement::group_key(const ReadRow& row) const {
  std::vector<Value> key;
  for (size_t i = 0; i < group_clustering_; ++i) {
    bool last = i + 1 == group_clustering_;
    key.push_back(last && group_function_ ? group_function_->evaluate(row)
                                          : row.values[static_cast<size_t>(table_->clustering[i])]);
  }
  return key;
}

// One output row per group of consecutive rows sharing a partition and group key. Pages, LIMIT
// and PER PARTITION LIMIT count groups; a page ends after a whole group, so the paging state is
// its last row.
RowsResult SelectStatement::execute_grouped(const ExecutionContext& ctx, RowReader& source, int32_t limit,
                                           int32_t per_partition, const PagingState& state) const {
  int32_t page_size = ctx.options->page_size > 0 ? ctx.options->page_size : INT32_MAX;
  RowsResult result;
  result.metadata.columns = selection_->columns();
  PagingState next = state;
  std::optional<Selection::Aggregation> group;
  std::vector<Value> current_key;
  std::string group_last_position, group_partition;
  bool more = false;
  auto close_group = [&] {
    group->finish(&result.cells);
    ++result.row_count;
    ++next.returned;
    ++next.in_partition;
    next.position = group_last_position;
    group.reset();
  };
  ReadRow row;
  while (next_matching(source, ctx, &row)) {
    std::vector<Value> key = group_key(row);
    bool new_partition = row.partition_key != (group ? group_partition : next.partition_key);
    if (group && (new_partition || key != current_key)) {
      close_group();
      if (next.returned >= limit) break;
      if (static_cast<int32_t>(result.row_count) >= page_size) {
        more = true;
        break;
      }
    }
    if (new_partition) {
      next.partition_key = row.partition_key;
      next.in_partition = 0;
    }
    if (next.in_partition >= per_partition) continue;
    if (!group) {
      group.emplace(*selection_);
      current_key = std::move(key);
      group_partition = row.partition_key;
    }
    group->add(row);
    group_last_position = row.position;
  }
  if (group && next.returned < limit) {
    close_group();
    // A full last page promises more, as for ungrouped pages.
    if (static_cast<int32_t>(result.row_count) >= page_size) more = true;
  }
  if (more && next.returned < limit) result.metadata.paging_state = encode_paging_state(next);
  return result;
}

// ORDER BY ... ANN OF: every selected row is scored and the best "limit" are returned, in one
// page (Cassandra answers a top-k query whole, whatever the page size).
RowsResult SelectStatement::execute_ann(const ExecutionContext& ctx, RowReader& source, int32_t limit) const {
  check_ann_limit(limit);
  TopRows top(*ann_, ctx.bindings, static_cast<size_t>(limit));
  ReadRow row;
  while (next_matching(source, ctx, &row)) top.offer(row);
  RowsResult result;
  result.metadata.columns = selection_->columns();
  size_t result_bytes = 0;
  for (const RankedRow& ranked : top.take()) {
    size_t first_cell = result.cells.size();
    selection_->add_row(ranked.row, &result.cells);
    for (size_t i = first_cell; i < result.cells.size(); ++i) result_bytes += kCellOverhead + result.cells[i].bytes.size();
    // A top-k answer is one page, so it is held to the page's byte bound whole.
    if (result_bytes >= ctx.limits->max_result_page_bytes) throw result_too_large(ctx.limits->max_result_page_bytes);
    ++result.row_count;
  }
  return result;
}

// Every row read counts against the deadline, matching or not: a scan that filters out most
// rows is as long as one that returns them.
bool SelectStatement::next_matching(RowReader& source, const ExecutionContext& ctx, ReadRow* row) const {
  while (source.next(row)) {
    if (ctx.deadline.expired()) throw RequestTimeout::read(static_cast<uint16_t>(ctx.options->consistency));
    if (row_matches(restrictions_, *table_, *row, ctx.bindings)) return true;
  }
  if (!source.status().is_ok()) throw ServerError(source.status().message());
  return false;
}

}  // namespace cqld
