#include "exec/ann_ordering.h"

#include <algorithm>

#include "common/errors.h"

namespace cqld {
namespace {

const ast::OrderingItem* ann_item(const ast::SelectStatement& s) {
  for (const auto& item : s.order_by)
    if (item.ann_of) return &item;
  return nullptr;
}

bool has_sai_on(const TableDef& table, const std::string& column) {
  for (const auto& index : table.indexes)
    if (index.column == column && is_sai(index)) return true;
  return false;
}

bool has_any_index_on(const TableDef& table, const std::string& column) {
  for (const auto& index : table.indexes)
    if (index.column == column) return true;
  return false;
}

bool is_null_literal(const ast::Term& t) {
  return t.kind == ast::Term::Kind::kLiteral && t.literal.kind == Literal::Kind::kNull;
}

// The column ANN orders by: a vector column with a storage-attached index.
const IndexDef& vector_index(const TableDef& table, const ColumnDef& c, const ast::Term& query) {
  if (c.type->kind != TypeKind::kVector && c.type->kind != TypeKind::kList && query.kind == ast::Term::Kind::kList)
    throw InvalidRequest("Unexpected receiver type '" + type_to_cql(*c.type) + "'; only list and vector are expected");
  if (const IndexDef* index = vector_index_for(table, c.name)) return *index;
  // A legacy index cannot order, so the query would be a filtered scan.
  if (has_any_index_on(table, c.name))
    throw InvalidRequest(
        "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If "
        "you want to execute this query despite the performance unpredictability, use ALLOW FILTERING");
  throw InvalidRequest("ANN ordering by vector requires the column to be indexed");
}

}  // namespace

void check_ann_where(const ast::SelectStatement& s, const TableDef& table) {
  for (const auto& rel : s.where) {
    if (rel.kind != ast::Relation::Kind::kSingle || rel.columns.empty()) continue;
    const ColumnDef* c = table.find_column(rel.columns[0]);
    if (c == nullptr || c->is_primary_key()) continue;
    if (!has_sai_on(table, c->name))
      throw InvalidRequest("ANN ordering by vector requires all restricted column(s) to be indexed");
  }
}

std::optional<AnnOrdering> bind_ann_ordering(const ast::SelectStatement& s, const TableDef& table,
                                             const Restrictions& restrictions, bool aggregate, BindContext& ctx) {
  const ast::OrderingItem* item = ann_item(s);
  if (item == nullptr) return std::nullopt;
  if (s.order_by.size() > 1) throw InvalidRequest("ANN ordering does not support any other ordering");
  if (item->descending) throw InvalidRequest("Descending ANN ordering is not supported");
  if (aggregate || !s.group_by.empty()) throw InvalidRequest("Top-K queries can not be run with aggregation");
  if (s.distinct)
    throw InvalidRequest("SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.");
  if (s.per_partition_limit) throw InvalidRequest("Top-K queries do not support per-partition limits");
  if (restrictions.partition_key_restricted)
    for (const auto& values : restrictions.partition_values)
      if (values.size() > 1)
        throw InvalidRequest("Select on indexed columns and with IN clause for the PRIMARY KEY are not supported");
  int ci = table.column_index(item->column);
  if (ci < 0) throw undefined_column(item->column, table.keyspace, table.name);
  const ColumnDef& c = table.columns[static_cast<size_t>(ci)];
  const IndexDef& index = vector_index(table, c, *item->ann_of);
  if (is_null_literal(*item->ann_of)) throw InvalidRequest("Unsupported null value for column " + c.name);
  AnnOrdering ann;
  ann.column = ci;
  ann.column_name = c.name;
  ann.similarity = similarity_of(index);
  ann.query = bind_term(*item->ann_of, c.type, c.name, ctx);
  return ann;
}

void check_ann_limit(int32_t limit) {
  if (limit == INT32_MAX)
    throw InvalidRequest("Top-K queries must have a limit specified and the limit must be less than the query page size");
  if (limit > kMaxAnnLimit)
    throw InvalidRequest("Use of ANN OF in an ORDER BY clause requires a LIMIT that is not greater than " +
                         std::to_string(kMaxAnnLimit) + ". LIMIT was " + std::to_string(limit));
}

namespace {

// Which of several rows of equal score make the cut: Cassandra's graph search reaches the
// vectors indexed first (its entry point) before the later ones, so the earliest written win;
// their output order is the read order. Heap order: the front is the row to drop first.
bool kept_before(const TopRows::Entry& a, const TopRows::Entry& b) {
  if (a.ranked.score != b.ranked.score) return a.ranked.score > b.ranked.score;
  if (a.written != b.written) return a.written < b.written;
  return a.read_order < b.read_order;
}

bool output_before(const TopRows::Entry& a, const TopRows::Entry& b) {
  if (a.ranked.score != b.ranked.score) return a.ranked.score > b.ranked.score;
  return a.read_order < b.read_order;
}

}  // namespace

TopRows::TopRows(const AnnOrdering& ann, const Bindings& b, size_t limit) : ann_(ann), limit_(limit) {
  Value query = ann.query.evaluate(b);
  if (query.is_null()) throw InvalidRequest("Unsupported null value for column " + ann.column_name);
  if (query.is_unset()) throw InvalidRequest("Unsupported unset value for column " + ann.column_name);
  query_ = vector_floats(query.bytes);
  // Cassandra's cosine index cannot score an all-zero vector: the replica fails the read.
  if (!similarity_score(ann.similarity, query_, query_))
    throw CqlError(ErrorCode::kReadFailure, "Operation failed - received 0 responses and 1 failures: UNKNOWN from localhost");
}

void TopRows::offer(const ReadRow& row) {
  if (row.static_only) return;
  const Value& v = row.values[static_cast<size_t>(ann_.column)];
  if (!v.is_set()) return;
  std::optional<float> score = similarity_score(ann_.similarity, vector_floats(v.bytes), query_);
  if (!score) return;  // an all-zero stored vector has no cosine score (Cassandra refuses to write one)
  size_t column = static_cast<size_t>(ann_.column);
  int64_t written = column < row.writetimes.size() ? row.writetimes[column] : 0;
  Entry entry{RankedRow{*score, row}, written, offered_++};
  if (rows_.size() < limit_) {
    rows_.push_back(std::move(entry));
    std::push_heap(rows_.begin(), rows_.end(), kept_before);
  } else if (!rows_.empty() && kept_before(entry, rows_.front())) {
    std::pop_heap(rows_.begin(), rows_.end(), kept_before);
    rows_.back() = std::move(entry);
    std::push_heap(rows_.begin(), rows_.end(), kept_before);
  }
}

std::vector<RankedRow> TopRows::take() {
  std::sort(rows_.begin(), rows_.end(), output_before);
  std::vector<RankedRow> out;
  out.reserve(rows_.size());
  for (auto& entry : rows_) out.push_back(std::move(entry.ranked));
  rows_.clear();
  return out;
}

}  // namespace cqld
