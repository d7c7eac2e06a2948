// ORDER BY column ANN OF [...] LIMIT n (Cassandra 5.0's vector search): validated against the
// column's storage-attached index and the rest of the query with Cassandra's messages, and run
// exactly: every row the restrictions select is scored by the index's similarity function and
// the n best are returned, best first (rows of equal score in the order they were read).
// Cassandra's index is approximate (HNSW); on data where its graph finds the true neighbours, as
// on small tables, the two answers are the same.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "exec/restrictions.h"
#include "exec/sai_index.h"
#include "exec/terms.h"
#include "storage/row_reader.h"

namespace cqld {

// Cassandra's guardrail on an ANN query's LIMIT.
constexpr int32_t kMaxAnnLimit = 1000;

struct AnnOrdering {
  int column = -1;  // the vector column
  std::string column_name;
  Similarity similarity = Similarity::kCosine;
  BoundTerm query;  // the vector searched for
};

// Checks what ANN requires of the WHERE clause before restrictions are bound (every restricted
// non-key column has an SAI). "s" has an ANN ordering.
void check_ann_where(const ast::SelectStatement& s, const TableDef& table);

// The ANN ordering of "s", or std::nullopt when it orders otherwise. Throws InvalidRequest for
// what ANN refuses (other orderings, DESC, aggregates, PER PARTITION LIMIT, DISTINCT, IN on the
// partition key, a column without a vector index, a query that is not a vector of its type).
std::optional<AnnOrdering> bind_ann_ordering(const ast::SelectStatement& s, const TableDef& table,
                                             const Restrictions& restrictions, bool aggregate, BindContext& ctx);

// The LIMIT an ANN query runs with: given, and at most kMaxAnnLimit (INT32_MAX means none).
void check_ann_limit(int32_t limit);

// One row chosen by an ANN query, with its score.
struct RankedRow {
  float score = 0;
  ReadRow row;
};

// Keeps the "limit" best-scored rows offered, best first. Among rows of equal score, those
// whose vector was written first are kept (as Cassandra's graph search finds them first), and
// they come out in the order offered (the read order: token, then clustering).
class TopRows {
 public:
  struct Entry {
    RankedRow ranked;
    int64_t written = 0;  // the vector cell's write timestamp
    size_t read_order = 0;
  };

  TopRows(const AnnOrdering& ann, const Bindings& b, size_t limit);
  // Scores "row" (rows without a vector are skipped); throws when the query vector has no score.
  void offer(const ReadRow& row);
  std::vector<RankedRow> take();

 private:
  const AnnOrdering& ann_;
  std::vector<float> query_;
  size_t limit_;
  size_t offered_ = 0;
  std::vector<Entry> rows_;  // a heap: the row to drop first on top
};

}  // namespace cqld
