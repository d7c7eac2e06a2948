// A stored cell: one column value (or row marker, or deletion) with its write timestamp and
// optional expiry. Every RocksDB value in the data keyspace is one encoded Cell; the merge
// operator reconciles two cells for one key with Cassandra's last-write-wins rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cqld {

struct Cell {
  int64_t timestamp = 0;      // microseconds, the client's or the server's write time
  bool tombstone = false;     // a deletion: shadows data with timestamp <= this one
  int32_t ttl = 0;            // seconds; 0 = no expiry
  int64_t expires_at = 0;     // seconds since the epoch when ttl > 0 (Cassandra's localDeletionTime)
  std::string value;          // serialized value; empty for markers and tombstones
  bool counter = false;       // a counter delta: versions add up instead of replacing

  bool is_expiring() const { return ttl > 0 && !tombstone; }
  // Live at "now_seconds": not a tombstone and not expired.
  bool is_live(int64_t now_seconds) const {
    return !tombstone && (ttl == 0 || expires_at > now_seconds);
  }
};

// A decoded cell whose value stays in the encoded bytes: what the merge operator and readers
// use to compare versions without copying them.
struct CellView {
  int64_t timestamp = 0;
  bool tombstone = false;
  int32_t ttl = 0;
  int64_t expires_at = 0;
  std::string_view value;
  bool counter = false;

  bool is_expiring() const { return ttl > 0 && !tombstone; }
};

std::string encode_cell(const Cell& cell);
// Returns nullopt if the bytes are not a valid encoded cell.
std::optional<Cell> decode_cell(std::string_view bytes);
std::optional<CellView> decode_cell_view(std::string_view bytes);

// Cassandra's reconciliation of two versions of one cell (Cells.reconcile): the higher timestamp
// wins; on a tie a tombstone beats a live cell, an expiring cell beats a non-expiring one, the
// later expiry wins, and finally the greater value wins. Returns true if "a" wins over "b".
bool cell_wins(const Cell& a, const Cell& b);
bool cell_wins(const CellView& a, const CellView& b);

// Reconciles two versions of one cell into the surviving one: counter deltas are summed
// (a counter tombstone is final, as in Cassandra), everything else follows cell_wins().
Cell reconcile(const Cell& existing, const Cell& update);

}  // namespace cqld
