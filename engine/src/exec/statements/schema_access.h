// The access checks of the schema statements, one per kind, with the permission Cassandra's
// statement of that kind asks for; and what a schema change does to permissions: the creator
// of a keyspace or table is granted every permission on it, and dropping one revokes every
// permission on it (and on its tables and functions), as Cassandra does.
#pragma once

#include "cql/ast.h"
#include "exec/auth/access.h"
#include "exec/result.h"
#include "exec/statements/statement.h"

namespace cqld {

void check_schema_access(const auth::Access& access, const ast::CreateKeyspaceStatement& s);
void check_schema_access(const auth::Access& access, const ast::AlterKeyspaceStatement& s);
void check_schema_access(const auth::Access& access, const ast::DropKeyspaceStatement& s);
void check_schema_access(const auth::Access& access, const ast::CreateTableStatement& s);
void check_schema_access(const auth::Access& access, const ast::AlterTableStatement& s);
void check_schema_access(const auth::Access& access, const ast::DropTableStatement& s);
void check_schema_access(const auth::Access& access, const ast::TruncateStatement& s);
void check_schema_access(const auth::Access& access, const ast::CreateIndexStatement& s);
void check_schema_access(const auth::Access& access, const ast::DropIndexStatement& s);
void check_schema_access(const auth::Access& access, const ast::CreateTypeStatement& s);
void check_schema_access(const auth::Access& access, const ast::AlterTypeStatement& s);
void check_schema_access(const auth::Access& access, const ast::DropTypeStatement& s);
void check_schema_access(const auth::Access& access, const ast::CreateMaterializedViewStatement& s);
void check_schema_access(const auth::Access& access, const ast::AlterMaterializedViewStatement& s);
void check_schema_access(const auth::Access& access, const ast::DropMaterializedViewStatement& s);
void check_schema_access(const auth::Access& access, const ast::CreateFunctionStatement& s);
void check_schema_access(const auth::Access& access, const ast::DropFunctionStatement& s);
void check_schema_access(const auth::Access& access, const ast::CreateAggregateStatement& s);
void check_schema_access(const auth::Access& access, const ast::DropAggregateStatement& s);

// After a change that happened (a SchemaChangeResult, not an IF [NOT] EXISTS no-op).
void after_schema_change(const ExecutionContext& ctx, const ast::CreateKeyspaceStatement& s);
void after_schema_change(const ExecutionContext& ctx, const ast::DropKeyspaceStatement& s);
void after_schema_change(const ExecutionContext& ctx, const ast::CreateTableStatement& s);
void after_schema_change(const ExecutionContext& ctx, const ast::DropTableStatement& s);
// The other kinds change no permission.
template <class Raw>
void after_schema_change(const ExecutionContext&, const Raw&) {}

}  // namespace cqld
