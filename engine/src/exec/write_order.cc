#include "exec/write_order.h"

#include <chrono>
#include <thread>

namespace cqld {
namespace {

size_t this_thread_stripe(size_t stripes) {
  static std::atomic<size_t> next{0};
  thread_local size_t stripe = next.fetch_add(1) % stripes;
  return stripe;
}

}  // namespace

WriteOrder::Operation& WriteOrder::Operation::operator=(Operation&& o) noexcept {
  if (this != &o) {
    end();
    count_ = o.count_;
    o.count_ = nullptr;
  }
  return *this;
}

void WriteOrder::Operation::end() {
  if (count_ != nullptr) count_->fetch_sub(1);
  count_ = nullptr;
}

WriteOrder::Operation WriteOrder::start() {
  Stripe& stripe = stripes_[this_thread_stripe(kStripes)];
  while (true) {
    uint64_t epoch = epoch_.load();
    std::atomic<int64_t>* count = &stripe.count[epoch & 1];
    count->fetch_add(1);
    // A barrier that moved the epoch on before this count was seen may not wait for it: count
    // again in the new epoch.
    if (epoch_.load() == epoch) return Operation(count);
    count->fetch_sub(1);
  }
}

void WriteOrder::await_earlier() {
  std::lock_guard<std::mutex> lock(barrier_mutex_);
  size_t slot = epoch_.fetch_add(1) & 1;
  while (true) {
    int64_t running = 0;
    for (const Stripe& stripe : stripes_) running += stripe.count[slot].load();
    if (running == 0) return;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

}  // namespace cqld
