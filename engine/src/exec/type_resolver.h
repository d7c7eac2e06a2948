// Turns types as written (ast::RawType) into schema types, resolving user types by name.
#pragma once

#include <string>

#include "cql/ast.h"
#include "schema/schema.h"

namespace cqld {

// Throws InvalidRequest for unknown user types or malformed nesting (e.g. a non-frozen
// collection inside a collection, counters inside collections).
TypePtr resolve_type(const ast::RawType& raw, const Schema& schema, const std::string& keyspace);

// Whether "type" (recursively) mentions the user type keyspace.name.
bool type_references_udt(const CqlType& type, const std::string& keyspace, const std::string& name);

}  // namespace cqld
