// The wall clock, as an interface: the server reads the time through it (write timestamps, TTL
// expiry, now()), so tests can run on a clock they control.
#pragma once

#include <atomic>
#include <cstdint>

namespace cqld {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch.
  virtual int64_t now_micros() const = 0;
  // Whole seconds since the epoch (floor), the unit of TTL expiry.
  int64_t now_seconds() const;
};

// The system's real-time clock; lives for the whole process.
const Clock& system_clock();

// A clock that stands still until told to move. Thread-safe.
class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t micros) : micros_(micros) {}
  int64_t now_micros() const override { return micros_.load(); }
  void set_micros(int64_t micros) { micros_.store(micros); }
  void advance_seconds(int64_t seconds) { micros_.fetch_add(seconds * 1000000); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace cqld
