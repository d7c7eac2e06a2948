// Schema statements: keyspaces, tables, indexes and user types. Each returns the
// Schema_change to report, or Void for a no-op IF [NOT] EXISTS.
#pragma once

#include "cql/ast.h"
#include "exec/query_processor.h"
#include "exec/result.h"
#include "exec/schema_manager.h"
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

// The keyspace a statement acts on: the one it names, else the client's, else an error.
std::string statement_keyspace(const std::string& named, const ClientState& client);

}  // namespace cqld
