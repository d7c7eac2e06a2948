// Reading rows back: storage decodes keys into partition key and clustering values, applies
// partition, range and row tombstones, TTL expiry and row-marker liveness, and assembles
// non-frozen collections from their element cells. Readers come from Store::read_rows (stored
// tables) and read_materialized_rows (rows held in memory, such as the system tables).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "schema/schema.h"
#include "storage/read_selection.h"
#include "storage/status.h"
#include "types/value.h"

namespace cqld {

// Non-frozen collections are stored one cell per element; everything else (including
// non-frozen user types, whose fields are written whole) is a single cell.
inline bool stored_per_element(const CqlType& type) { return type.is_collection() && !type.frozen; }
// Non-frozen UDTs keep one cell per field (FORMAT.md); values written before that are one cell.
inline bool stored_per_field(const CqlType& type) { return type.kind == TypeKind::kUdt && !type.frozen; }

struct ReadRow {
  int64_t token = 0;
  std::string partition_key;  // serialized
  bool static_only = false;   // the partition's static row (no live clustering row)
  std::vector<Value> values;  // one per table column, TableDef order
  std::vector<int64_t> writetimes;  // per column; INT64_MIN when none
  std::vector<int32_t> ttls;        // per column; 0 when none
  // Where the row is, as an opaque position: a read resumes after it (paging).
  std::string position;
};

struct ReadOrder {
  bool reversed = false;
  // Produce a partition's static row when it has no live clustering row.
  bool include_static_only = false;
};

class RowReader {
 public:
  virtual ~RowReader() = default;
  // The next live row, or false at the end or on an error (see status()).
  virtual bool next(ReadRow* row) = 0;
  // Not ok when reading stopped on corrupt data or an I/O error.
  virtual Status status() const { return Status::ok(); }
};

// Rows held in memory (one value per column, in TableDef order), selected, positioned and
// ordered exactly as stored rows of the same table would be.
std::unique_ptr<RowReader> read_materialized_rows(const TableDef& table, std::vector<std::vector<Value>> rows,
                                                  const ReadSelection& selection, ReadOrder order,
                                                  const std::string& resume_after_position);

}  // namespace cqld
