// SELECT: prepared once against a table (stored or virtual), executed with paging.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cql/ast.h"
#include "exec/restrictions.h"
#include "exec/selection.h"
#include "exec/result.h"
#include "exec/terms.h"
#include "schema/system_tables.h"
#include "storage/store.h"

namespace cqld {

struct SelectContext {
  Store* store;
  const Schema* schema;
  const LocalNodeInfo* node;
  const QueryOptions* options;
  Bindings bindings;
};

class PreparedSelect {
 public:
  // Binds "s" to the table; marker metadata goes to "ctx". Throws CqlError if invalid.
  static std::unique_ptr<PreparedSelect> prepare(const ast::SelectStatement& s, TablePtr table,
                                                 const VirtualTable* virtual_table, BindContext& ctx);
  RowsResult execute(const SelectContext& ctx) const;
  const std::vector<ColumnSpec>& result_columns() const { return selection_->columns(); }

 private:
  PreparedSelect() = default;
  bool next_matching(RowReader& source, const SelectContext& ctx, ReadRow* row) const;
  static std::vector<int> bind_group_by(const std::vector<std::string>& names, const TableDef& table);
  RowsResult execute_grouped(const SelectContext& ctx, RowReader& source, int32_t limit,
                             const struct PagingState& state) const;

  TablePtr table_;
  const VirtualTable* virtual_table_ = nullptr;
  std::unique_ptr<Selection> selection_;
  std::vector<int> group_columns_;  // GROUP BY columns (a primary key prefix), in order
  Restrictions restrictions_;
  std::optional<BoundTerm> limit_;
  std::optional<BoundTerm> per_partition_limit_;
  bool reversed_ = false;
  bool ordered_ = false;  // ORDER BY given
  bool distinct_ = false;
};

}  // namespace cqld
