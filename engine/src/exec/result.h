// What a request produces, independent of the wire: transport/ encodes these as RESULT bodies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "types/cql_type.h"
#include "types/value.h"

namespace cqld {

struct ColumnSpec {
  std::string keyspace;
  std::string table;
  std::string name;
  TypePtr type;
  // Bind markers only, not sent: what the value is bound to, as Cassandra names receivers: a
  // column's name when the marker is that column's value ("k = ?", "k = :key"), else
  // "arg0(system.f)", "partition key token", "value(m)", "in(k)", "[limit]" and the like. A
  // marker whose receiver is a partition key column is that column's routing index.
  std::string receiver;
};

struct ResultMetadata {
  std::vector<ColumnSpec> columns;
  std::optional<std::string> paging_state;  // set when more pages follow (flag 0x0002)
};

struct VoidResult {};

struct RowsResult {
  ResultMetadata metadata;
  // Row-major cells: rows() == cells.size() / metadata.columns.size().
  std::vector<Value> cells;
  size_t row_count = 0;
};

struct SetKeyspaceResult {
  std::string keyspace;
};

struct PreparedResult {
  std::string id;                       // 16-byte MD5
  std::vector<ColumnSpec> bind_markers; // the variables' metadata
  std::vector<uint16_t> pk_indexes;     // bind marker index of each partition key column
  ResultMetadata result_metadata;       // empty columns for non-SELECT statements
};

struct SchemaChangeResult {
  enum class Change : uint8_t { kCreated, kUpdated, kDropped };
  enum class Target : uint8_t { kKeyspace, kTable, kType, kFunction, kAggregate };
  Change change = Change::kCreated;
  Target target = Target::kKeyspace;
  std::string keyspace;
  std::string name;                     // table/type/function name; empty for keyspaces
  std::vector<std::string> argument_types;  // functions and aggregates only
};

using Result =
    std::variant<VoidResult, RowsResult, SetKeyspaceResult, PreparedResult, SchemaChangeResult>;

}  // namespace cqld
