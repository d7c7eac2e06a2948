// SELECT: prepared once against a table (stored or virtual), executed with paging, within the
// request's deadline and the result page's byte bound.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "exec/ann_ordering.h"
#include "exec/restrictions.h"
#include "exec/result.h"
#include "exec/selection.h"
#include "exec/statements/statement.h"
#include "exec/terms.h"
#include "schema/system_tables.h"

namespace cqld {

class SelectStatement : public CqlStatement {
 public:
  // Binds "s" to its table. Throws CqlError if invalid.
  static std::unique_ptr<SelectStatement> prepare(const ast::SelectStatement& s, const ast::RawStatement& raw,
                                                  const Schema& schema, const ClientState& client);
  StatementKind kind() const override;
  // SELECT on the table, or on its base table for a view, as Cassandra asks (system tables: see
  // auth::Access::ensure_table_permission).
  void check_access(const auth::Access& access) const override;
  Result execute(ExecutionContext& ctx) const override;
  std::vector<ColumnSpec> result_columns() const override { return selection_->columns(); }

 private:
  std::unique_ptr<RowReader> read_through_index(ExecutionContext& ctx, const ReadSelection& selection,
                                                const std::string& resume_after) const;
  SelectStatement() = default;
  void bind(const ast::SelectStatement& s, BindContext& ctx);
  bool next_matching(RowReader& source, const ExecutionContext& ctx, ReadRow* row) const;
  void bind_group_by(const ast::SelectStatement& s, const TableDef& table);
  std::vector<Value> group_key(const ReadRow& row) const;
  RowsResult execute_ann(const ExecutionContext& ctx, RowReader& source, int32_t limit) const;
  RowsResult execute_grouped(const ExecutionContext& ctx, RowReader& source, int32_t limit, int32_t per_partition,
                             const struct PagingState& state) const;

  TablePtr table_;
  const VirtualTable* virtual_table_ = nullptr;
  std::unique_ptr<Selection> selection_;
  // GROUP BY: rows group by partition and by their first group_clustering_ clustering values,
  // the last of them through group_function_ when one is given (floor(ts, 1h)).
  bool grouped_ = false;
  size_t group_clustering_ = 0;
  std::unique_ptr<SelectorNode> group_function_;
  Restrictions restrictions_;
  std::optional<BoundTerm> limit_;
  std::optional<BoundTerm> per_partition_limit_;
  bool reversed_ = false;
  bool ordered_ = false;  // ORDER BY given
  bool distinct_ = false;
  std::optional<AnnOrdering> ann_;  // ORDER BY column ANN OF vector
};

}  // namespace cqld
