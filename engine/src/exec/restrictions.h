// WHERE clauses bound to a table: which partitions and clustering slices to read, and which
// row filters remain. Validation follows Cassandra's rules and messages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "storage/read_selection.h"
#include "storage/row_reader.h"
#include "exec/sai_index.h"
#include "exec/terms.h"
#include "schema/schema.h"

namespace cqld {

// One restriction checked against each row read.
struct RowFilter {
  int column = -1;              // table column index; -1 for a token or multi-column restriction
  std::vector<int> tuple_columns;  // (c1, c2, ...) op (v1, v2, ...): clustering columns in order
  ast::Operator op = ast::Operator::kEq;
  std::vector<BoundTerm> values;  // one, or the IN list
  std::optional<BoundTerm> in_marker;  // IN ? (a serialized list)
  std::optional<BoundTerm> map_key;    // m[key] = value
  TypePtr element_type;                // CONTAINS / CONTAINS KEY / IN ? element type
  TextAnalyzer analyzer;               // EQ on a column whose SAI analyzes text
};

// A multi-column EQ or IN on the prefix, (c1, c2) IN ((1, 2), (3, 4)): candidate tuples for
// "width" columns from "first", each evaluating to a serialized tuple (or a marker's list of them).
struct TupleCandidates {
  size_t first = 0, width = 0;
  std::vector<BoundTerm> tuples;
  std::optional<BoundTerm> marker;
};

struct ClusteringRestriction {
  // Equality (or IN) on a prefix of clustering columns, then an optional range on the next.
  std::vector<std::vector<BoundTerm>> prefix;   // per column: one value (EQ) or several (IN); empty in a tuple group
  std::vector<std::optional<BoundTerm>> prefix_in_markers;
  std::vector<TupleCandidates> tuple_groups;    // prefix columns a multi-column EQ/IN restricts together
  std::optional<BoundTerm> lower, upper;        // on column prefix.size() (and the next ones for a tuple bound)
  bool lower_inclusive = true, upper_inclusive = true;
  size_t lower_width = 1, upper_width = 1;      // > 1: the bound is a tuple, (c1, c2) > (1, 2)
};

// An equality a query reads through an index's entries (secondary_index.h) rather than by
// reading the table; its filter stays among the filters, to recheck each row found.
struct IndexLookup {
  size_t index = 0;  // position in TableDef::indexes
  BoundTerm value;
};

struct Restrictions {
  // Each partition key column: EQ or IN values; empty when the key is not fully restricted.
  std::vector<std::vector<BoundTerm>> partition_values;
  std::vector<std::optional<BoundTerm>> partition_in_markers;
  bool partition_key_restricted = false;
  std::optional<BoundTerm> token_lower, token_upper;
  bool token_lower_inclusive = true, token_upper_inclusive = true;
  ClusteringRestriction clustering;
  bool has_clustering_restriction = false;
  std::vector<RowFilter> filters;  // everything, rechecked on each row
  bool uses_index = false;
  std::optional<IndexLookup> index_lookup;  // when the partition key is not restricted
  bool for_read = false;  // a SELECT's: a null slice bound leaves the slice open (a write refuses it)
};

enum class RestrictionUse { kSelect, kModification, kDeletion };

// Binds and validates "where" for "table". For modifications the full primary key must be
// given (a prefix of the clustering columns for deletions).
// "statement" (UPDATE or DELETE) names a modification in messages.
Restrictions bind_restrictions(const std::vector<ast::Relation>& where, const TableDef& table,
                               bool allow_filtering, RestrictionUse use, BindContext& ctx,
                               const char* statement = "UPDATE");

// The serialized partition keys selected: the cartesian product of the EQ/IN values, each column's
// values in its type's order (the order Cassandra reads IN partitions in).
// The partition keys restricted (IN products included); a key is at most 65535 bytes serialized
// and not empty (reads and writes alike, as Cassandra's validateKey).
std::vector<PartitionKey> partition_keys(const Restrictions& r, const TableDef& table, const Bindings& b);

// Clustering value tuples for EQ/IN prefixes (cartesian product, in clustering order).
std::vector<Clustering> clustering_prefixes(const Restrictions& r, const TableDef& table, const Bindings& b);
// The same for a write: each value, as Cassandra stores it, at most 65535 bytes.
std::vector<Clustering> written_clusterings(const Restrictions& r, const TableDef& table, const Bindings& b);

// The slices below one EQ/IN prefix: the range restriction on the next clustering column, or a
// tuple range, (c1, c2) > (1, 2), split into disjoint single-column slices in clustering order.
std::vector<ClusteringSlice> clustering_slices(const Restrictions& r, const TableDef& table, Clustering prefix,
                                               const Bindings& b);

// What the restrictions select: the partitions and slices, or a token range.
ReadSelection read_selection(const Restrictions& r, const TableDef& table, const Bindings& b);

// Whether a row read satisfies every filter.
bool row_matches(const Restrictions& r, const TableDef& table, const ReadRow& row, const Bindings& b);

}  // namespace cqld
