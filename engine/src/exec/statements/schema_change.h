// What the schema statements (one file each in this folder: create_keyspace.cc, ...,
// drop_type.cc) share: their context, their execute functions, and the helpers for building a
// new schema snapshot and its SCHEMA_CHANGE result. Each runs its change through
// SchemaManager::apply, which persists it (with the data it drops) and tells the listeners.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cql/ast.h"
#include "exec/query_processor.h"
#include "exec/result.h"
#include "exec/schema_manager.h"
#include "schema/schema.h"
#include "storage/store.h"

namespace cqld {

struct DdlContext {
  SchemaManager* schema;
  Store* store;
  const ClientState* client;
};

Result create_keyspace(const DdlContext& ctx, const ast::CreateKeyspaceStatement& s);
Result alter_keyspace(const DdlContext& ctx, const ast::AlterKeyspaceStatement& s);
Result drop_keyspace(const DdlContext& ctx, const ast::DropKeyspaceStatement& s);
Result create_table(const DdlContext& ctx, const ast::CreateTableStatement& s);
Result alter_table(const DdlContext& ctx, const ast::AlterTableStatement& s);
Result drop_table(const DdlContext& ctx, const ast::DropTableStatement& s);
Result truncate_table(const DdlContext& ctx, const ast::TruncateStatement& s);
Result create_index(const DdlContext& ctx, const ast::CreateIndexStatement& s);
Result drop_index(const DdlContext& ctx, const ast::DropIndexStatement& s);
Result create_type(const DdlContext& ctx, const ast::CreateTypeStatement& s);
Result alter_type(const DdlContext& ctx, const ast::AlterTypeStatement& s);
Result drop_type(const DdlContext& ctx, const ast::DropTypeStatement& s);
Result create_view(const DdlContext& ctx, const ast::CreateMaterializedViewStatement& s);
Result alter_view(const DdlContext& ctx, const ast::AlterMaterializedViewStatement& s);
Result drop_view(const DdlContext& ctx, const ast::DropMaterializedViewStatement& s);
// ALTER TABLE of a table with views: what the views allow (base_table_views.cc) and what they follow.
void check_base_alter(const KeyspaceDef& ks, const TableDef& base, const ast::AlterTableStatement& s);
void follow_base_alter(KeyspaceDef& ks, const TableDef& base, const ast::AlterTableStatement& s);
// User-defined functions and aggregates, disabled as in a default Cassandra 5.0.
Result create_function(const DdlContext& ctx, const ast::CreateFunctionStatement& s);
Result drop_function(const DdlContext& ctx, const ast::DropFunctionStatement& s);
Result create_aggregate(const DdlContext& ctx, const ast::CreateAggregateStatement& s);
Result drop_aggregate(const DdlContext& ctx, const ast::DropAggregateStatement& s);

// The keyspace a statement acts on: the one it names, else the client's, else an error.
std::string statement_keyspace(const std::string& named, const ClientState& client);

using Change = SchemaChangeResult::Change;
using Target = SchemaChangeResult::Target;
SchemaChangeResult change(Change c, Target t, const std::string& ks, const std::string& name = "");
// The result of a change: the SCHEMA_CHANGE, or Void for a no-op IF [NOT] EXISTS.
Result to_result(const std::optional<SchemaChangeResult>& r);

// Cassandra's name rules and messages.
void validate_keyspace_name(const std::string& name);
void validate_table_name(const std::string& keyspace, const std::string& name);
// System keyspaces cannot be changed (Unauthorized, as in Cassandra).
void refuse_system(const std::string& keyspace);

// Copy-on-write access to a keyspace or table of the schema being built.
KeyspaceDef& mutable_keyspace(Schema& schema, const std::string& name);
std::shared_ptr<TableDef> mutable_table(KeyspaceDef& ks, const std::string& name);
// SELECT * order: partition key, clustering, static then regular columns, each by name.
void sort_columns(TableDef& t);
// A regular or static column as defined in CREATE TABLE or ALTER TABLE ADD.
ColumnDef make_column(const ast::ColumnDefinition& def, const Schema& schema, const std::string& ks);
// A name as CQL would have to write it (quoted when not a plain lower-case identifier).
std::string quote_if_needed(const std::string& name);

}  // namespace cqld
