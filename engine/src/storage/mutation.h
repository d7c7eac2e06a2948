// Writes to one or more partitions, collected here and applied atomically by Store::apply.
// Callers say what to write in CQL's terms (a row marker, a column's cell, a collection
// element, a deletion); the keys those go under and the bytes of the cells are storage's
// (FORMAT.md). Writes never read: every cell is merged by last-write-wins in the store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "schema/schema.h"
#include "storage/cell.h"
#include "storage/read_selection.h"

namespace rocksdb {
class WriteBatch;
}

namespace cqld {

// An element of a stored list, as read before an update by index or by value (Store::read_list).
struct ListElement {
  std::string key;    // where the element's cell is stored
  std::string value;  // its serialized value
};

class Mutation {
 public:
  Mutation();
  ~Mutation();
  Mutation(Mutation&&) noexcept;
  Mutation& operator=(Mutation&&) noexcept;

  void delete_partition(const TableDef& table, const PartitionKey& partition, int64_t timestamp);
  // A range tombstone over the rows a slice selects.
  void delete_rows(const TableDef& table, const PartitionKey& partition, const ClusteringSlice& slice,
                   int64_t timestamp);
  void delete_row(const TableDef& table, const PartitionKey& partition, const Clustering& row, int64_t timestamp);
  // The row's liveness, which INSERT writes and UPDATE does not.
  void write_row_marker(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                        const Cell& marker);

  // The cells of a column. "row" names the row (all its clustering values); it is ignored for
  // static columns. A live cell of a column with indexes that keep entries (IndexDef::storage_id)
  // also writes the row's entry under its value in each, with the cell's time and TTL.
  void write_cell(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                  const ColumnDef& column, const Cell& cell);
  // Non-frozen collections: a deletion of every element older than "timestamp", one element
  // (a set's element or a map's key, serialized), or a new list element ordered by "timestamp"
  // (before every element when "prepend").
  void delete_collection(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                         const ColumnDef& column, int64_t timestamp);
  void write_element(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                     const ColumnDef& column, std::string_view element, const Cell& cell);
  void append_list_element(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                           const ColumnDef& column, bool prepend, const Cell& cell);
  // Non-frozen UDTs: one cell per field, keyed by the field's position (delete_collection
  // removes them all, as it does a collection's elements).
  void write_field(const TableDef& table, const PartitionKey& partition, const Clustering& row,
                   const ColumnDef& column, uint16_t field, const Cell& cell);
  // Overwrites (or, with a tombstone, deletes) a list element read by Store::read_list.
  void write_list_element(const ListElement& element, const Cell& cell);
  // The entry of the row at "row_position" (ReadRow::position) under "value" in "index", with the
  // time and TTL of "cell" (whose value is not stored): what write_cell writes, for index builds;
  // with a tombstone, the deletion of a stale entry.
  void write_index_entry(const IndexDef& index, const ColumnDef& column, std::string_view row_position,
                         std::string_view value, const Cell& cell);

  bool empty() const;
  // The bytes the mutation will write (a bound on its memory).
  size_t byte_size() const;

 private:
  friend class Store;
  void merge(const std::string& key, const Cell& cell);
  void note_row(const TableDef& table, const std::string& row_key, const Clustering& row, int64_t timestamp);
  void write_index_entries(const TableDef& table, const ColumnDef& column, const std::string& row_key, const Cell& cell);

  std::unique_ptr<rocksdb::WriteBatch> batch_;
  std::string last_noted_row_;  // rows keep their written clustering once per mutation
};

}  // namespace cqld
