#include "common/allocation_meter.h"

#include <cstdlib>
#include <new>

namespace cqld {
namespace {

thread_local AllocationMeter* current_meter = nullptr;

}  // namespace

AllocationMeter::AllocationMeter() : outer_(current_meter) { current_meter = this; }

AllocationMeter::~AllocationMeter() {
  current_meter = outer_;
  if (outer_ != nullptr) outer_->bytes_ += bytes_;
}

// Only the innermost meter is credited here; it passes its total outwards when it ends.
void* metered_allocate(size_t n) {
  if (AllocationMeter* meter = current_meter) meter->bytes_ += n;
  return std::malloc(n == 0 ? 1 : n);
}

}  // namespace cqld

namespace {

void* allocate(std::size_t n) { return cqld::metered_allocate(n); }

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
