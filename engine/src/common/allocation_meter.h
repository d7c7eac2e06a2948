// Measures the memory a piece of work allocates, so caches can be bounded by what their entries
// really cost (a parsed statement takes 50 to 1000 times its text). operator new is replaced
// program-wide to feed the meter; with no meter running on the thread the cost is one
// thread-local load per allocation.
#pragma once

#include <cstddef>

namespace cqld {

// Counts the bytes requested from operator new on this thread while it is alive (freed ones
// included, so it bounds what the work kept from above). Meters nest: an inner meter's bytes
// count for the outer one too.
// operator new's body: credits the innermost meter, then allocates with malloc.
void* metered_allocate(size_t n);

class AllocationMeter {
 public:
  AllocationMeter();
  ~AllocationMeter();
  AllocationMeter(const AllocationMeter&) = delete;
  AllocationMeter& operator=(const AllocationMeter&) = delete;

  size_t bytes() const { return bytes_; }

 private:
  friend void* metered_allocate(size_t n);
  size_t bytes_ = 0;
  AllocationMeter* outer_;
};

}  // namespace cqld
