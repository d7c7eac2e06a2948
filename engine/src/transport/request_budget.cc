#include "transport/request_budget.h"

namespace cqld::transport {

bool RequestBudget::try_acquire(size_t n) {
  size_t used = used_.load();
  for (;;) {
    if (used != 0 && used + n > limit_) return false;
    if (used_.compare_exchange_weak(used, used + n)) return true;
  }
}

}  // namespace cqld::transport
