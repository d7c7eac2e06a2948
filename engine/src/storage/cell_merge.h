// Internal to storage/: the RocksDB merge operator that reconciles the versions of one cell key
// (every data write is a Merge, so a write never reads before it writes).
#pragma once

#include <memory>

namespace rocksdb {
class MergeOperator;
}  // namespace rocksdb

namespace cqld {

// Keeps the winner by Cassandra's rules (storage/cell.h, reconcile). The winner of plain cells
// is one of the versions, handed back to RocksDB as it is: a read of a key written once, the
// usual case, copies nothing. Counter deltas add up into a new version. A version that does not
// decode fails the merge, which RocksDB reports as corruption to the read or compaction that
// met it; it is never dropped silently.
std::shared_ptr<rocksdb::MergeOperator> last_write_wins_merge();

}  // namespace cqld
