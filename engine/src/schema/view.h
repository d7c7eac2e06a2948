// A materialized view's definition. The view itself is a TableDef among its keyspace's tables
// (its own columns, key and options, stored like any table); TableDef::view says what it is
// built from. View columns carry the names of the base columns they copy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/schema.h"

namespace cqld {

// A restriction of the view's WHERE clause other than IS NOT NULL. Cassandra allows these
// only on the base table's primary key columns, so they are decided by a base row's key.
struct ViewRestriction {
  enum class Op : uint8_t { kEq, kIn, kLt, kLte, kGt, kGte };
  std::string column;               // a primary key column of the base table
  Op op = Op::kEq;
  std::vector<std::string> values;  // serialized; several for IN
};

struct ViewDef {
  std::string base_table;  // always in the view's keyspace
  Uuid base_id{};
  bool include_all_columns = false;  // SELECT *: columns added to the base are added here
  std::string where_clause;          // as system_schema.views reports it
  std::vector<ViewRestriction> restrictions;
};

// The views built from "base" in "ks", by name.
std::vector<const TableDef*> views_of(const KeyspaceDef& ks, const std::string& base);

}  // namespace cqld
