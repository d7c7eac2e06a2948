#include "common/clock.h"

#include <chrono>

namespace cqld {
namespace {

class SystemClock : public Clock {
 public:
  int64_t now_micros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

int64_t Clock::now_seconds() const {
  int64_t micros = now_micros();
  constexpr int64_t kMicrosPerSecond = 1000000;
  return micros >= 0 ? micros / kMicrosPerSecond : -((-micros + kMicrosPerSecond - 1) / kMicrosPerSecond);
}

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace cqld
