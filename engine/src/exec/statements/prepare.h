// prepare_statement: a raw statement (cql/ast.h) bound to a schema snapshot and the client's
// keyspace, as one of the statement classes of this folder. Also the helpers those classes
// share while preparing: resolving their table and collecting their bind markers.
#pragma once

#include <string>
#include <vector>

#include "cql/ast.h"
#include "exec/statements/statement.h"
#include "exec/terms.h"
#include "schema/system_tables.h"

namespace cqld {

// Throws CqlError (Invalid, Unauthorized, ...) when the statement cannot be prepared.
StatementPtr prepare_statement(const ast::RawStatement& raw, const Schema& schema, const ClientState& client);

// The table a statement names, stored or virtual.
struct TableRef {
  TablePtr table;
  const VirtualTable* virtual_table = nullptr;
};
TableRef table_for_read(const ast::QualifiedName& name, const ClientState& client, const Schema& schema);
// A table writes may go to: system tables are refused as Cassandra refuses them.
TablePtr table_for_write(const ast::QualifiedName& name, const ClientState& client, const Schema& schema);

// A bind context for a statement on "table", and the markers it collected, one per marker of
// the raw statement.
BindContext bind_context_for(const TableDef& table, const ast::RawStatement& raw);
std::vector<ColumnSpec> finish_markers(BindContext& ctx, const ast::RawStatement& raw);
// For each partition key column in order, the marker that gives it; empty unless all do.
std::vector<uint16_t> partition_key_indexes(const std::vector<ColumnSpec>& markers, const TableDef& table);

}  // namespace cqld
