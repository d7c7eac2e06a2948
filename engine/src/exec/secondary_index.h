// Which secondary indexes keep entries in the store, and which one a query reads: an index
// (legacy or SAI) on a regular column of a scalar or frozen type, answering equality. Queries
// on other indexes (collection elements, keys and entries, key and static columns, analyzed
// text, SAI ranges) read the table and filter, as cqld did before indexes kept entries.
#pragma once

#include <optional>

#include "schema/schema.h"

namespace cqld {

bool keeps_entries(const TableDef& table, const IndexDef& index);

// The index that answers "column = value" from its entries, if one is built: its position in
// table.indexes.
std::optional<size_t> entry_index_for(const TableDef& table, const ColumnDef& column);

}  // namespace cqld
