// CQL text -> raw statement tree (ast.h). The parser knows the grammar only, never the schema.
// Every function here throws SyntaxError (cql/errors.h) with Cassandra's message style
// ("line 1:9 mismatched input 'FRM' expecting K_FROM (SELECT * [FRM]...)") on bad input.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "cql/ast.h"
#include "types/literal.h"

namespace cqld {

// Parses one statement; a trailing ';' is allowed.
std::unique_ptr<ast::RawStatement> parse_statement(std::string_view text);

// Parses a type name such as "int", "frozen<map<text, list<int>>>", "ks.address" or
// "'org.apache.cassandra.db.marshal.BytesType'".
ast::RawType parse_type(std::string_view text);

// Splits a script into statements at top-level ';' (outside strings, comments, quoted names
// and BEGIN BATCH ... APPLY BATCH). Pieces are trimmed, exclude the ';', and empty pieces
// are dropped. Does not validate the statements; throws SyntaxError only for text that does
// not tokenize (an unterminated string, a stray character).
std::vector<std::string_view> split_statements(std::string_view script);

// The constant a term denotes when it contains no bind marker, function call, type hint or
// arithmetic; collections, tuples and UDT literals become nested Literals.
std::optional<Literal> term_to_literal(const ast::Term& term);

}  // namespace cqld
