// A barrier between requests and schema changes that must see every write of the schema they
// replaced: an index build reads the table once its new schema is current, and must not miss a
// row that a request still holding the old schema (which knew no index) writes a moment later.
// Every request holds an Operation while it resolves its statement and runs it; await_earlier()
// returns once every operation started before the call has ended. Cheap on the request path:
// an operation touches one counter of its thread's stripe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace cqld {

class WriteOrder {
 public:
  class Operation {
   public:
    Operation() = default;
    Operation(Operation&& o) noexcept : count_(o.count_) { o.count_ = nullptr; }
    Operation& operator=(Operation&& o) noexcept;
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;
    ~Operation() { end(); }
    // Ends the operation early (a schema change, which waits on others and must not wait on itself).
    void end();

   private:
    friend class WriteOrder;
    explicit Operation(std::atomic<int64_t>* count) : count_(count) {}
    std::atomic<int64_t>* count_ = nullptr;
  };

  Operation start();
  // Waits until every operation started before this call has ended. Must not be called while
  // holding an Operation.
  void await_earlier();

 private:
  static constexpr size_t kStripes = 16;
  // Operations count in the slot of the epoch they started in; a barrier moves the epoch on and
  // waits for the old slot to empty. Barriers run one at a time, so a slot is reused only after
  // the barrier that emptied it is done.
  struct alignas(64) Stripe {
    std::atomic<int64_t> count[2] = {0, 0};
  };
  Stripe stripes_[kStripes];
  std::atomic<uint64_t> epoch_{0};
  std::mutex barrier_mutex_;
};

}  // namespace cqld
