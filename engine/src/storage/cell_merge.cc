#include "storage/cell_merge.h"

#include <rocksdb/merge_operator.h>

#include <string>

#include "storage/cell.h"

namespace cqld {
namespace {

std::string_view as_view(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

// Versions folded oldest first into the one that survives.
class Reconciliation {
 public:
  // False when the version does not decode.
  bool add(const rocksdb::Slice& version) {
    auto update = decode_cell_view(as_view(version));
    if (!update) return false;
    if (!has_winner_) {
      take(version, *update);
      return true;
    }
    if (winner_.counter || update->counter) return add_counter(version);
    if (cell_wins(*update, winner_)) take(version, *update);
    return true;
  }

  // The survivor: a version given to add(), or a new one (counter sums) in "*merged".
  bool is_new() const { return winner_is_merged_; }
  rocksdb::Slice winner() const { return winner_slice_; }
  std::string take_merged() { return std::move(merged_); }

 private:
  void take(const rocksdb::Slice& version, const CellView& cell) {
    winner_slice_ = version;
    winner_ = cell;
    winner_is_merged_ = false;
    has_winner_ = true;
  }

  bool add_counter(const rocksdb::Slice& version) {
    auto existing = decode_cell(as_view(winner_slice_));
    auto update = decode_cell(as_view(version));
    if (!existing || !update) return false;
    merged_ = encode_cell(reconcile(*existing, *update));
    winner_slice_ = rocksdb::Slice(merged_);
    winner_ = *decode_cell_view(merged_);
    winner_is_merged_ = true;
    return true;
  }

  bool has_winner_ = false;
  bool winner_is_merged_ = false;
  rocksdb::Slice winner_slice_;
  CellView winner_;
  std::string merged_;
};

class LastWriteWinsMerge : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    Reconciliation r;
    if (in.existing_value != nullptr && !r.add(*in.existing_value)) return false;
    for (const auto& operand : in.operand_list)
      if (!r.add(operand)) return false;
    if (r.is_new()) out->new_value = r.take_merged();
    else out->existing_operand = r.winner();
    return true;
  }

  bool PartialMergeMulti(const rocksdb::Slice&, const std::deque<rocksdb::Slice>& operands, std::string* new_value,
                         rocksdb::Logger*) const override {
    Reconciliation r;
    for (const auto& operand : operands)
      if (!r.add(operand)) return false;
    if (r.is_new()) *new_value = r.take_merged();
    else new_value->assign(r.winner().data(), r.winner().size());
    return true;
  }

  bool PartialMerge(const rocksdb::Slice& key, const rocksdb::Slice& left, const rocksdb::Slice& right,
                    std::string* new_value, rocksdb::Logger* logger) const override {
    return PartialMergeMulti(key, {left, right}, new_value, logger);
  }

  const char* Name() const override { return "cqld.LastWriteWins"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> last_write_wins_merge() { return std::make_shared<LastWriteWinsMerge>(); }

}  // namespace cqld
