// Server-side DESCRIBE, as cqlsh 6 sends it to Cassandra 4+ servers: the statement is answered
// from a schema snapshot with the CREATE statements Cassandra 4.1 would print.
#pragma once

#include <string>

#include "cql/ast.h"
#include "exec/result.h"
#include "schema/schema.h"

namespace cqld {

// Answers DESCRIBE statements from the schema snapshot as Cassandra 4.x does: rows of
// (keyspace_name text, type text, name text, create_statement text), or for DESCRIBE CLUSTER
// (cluster text, partitioner text, snitch text). "session_keyspace" is the client's keyspace (may
// be empty). Throws InvalidRequest, with Cassandra's messages, for unknown names and a missing
// keyspace.
RowsResult describe(const ast::DescribeStatement& statement, const Schema& schema,
                    const std::string& session_keyspace, const std::string& cluster_name);

// A double as Java's Double.toString prints it (0.01, 1.0, 6.71E-5): DESCRIBE output and the
// option messages that quote values (table_options.cc) must read as Cassandra's.
std::string java_double(double value);

}  // namespace cqld
