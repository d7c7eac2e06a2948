// Small big-endian readers shared by the types module's codecs (internal to src/types).
#pragma once

#include <cstdint>
#include <string_view>

namespace cqld::wire {

inline uint8_t byte_at(std::string_view b, size_t i) {
  return static_cast<uint8_t>(b[i]);
}

// Reads the first "n" bytes of "b" (n <= 8) as a big-endian unsigned number.
inline uint64_t read_be(std::string_view b, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | byte_at(b, i);
  return v;
}

// Reads "n" bytes as a sign-extended big-endian number.
inline int64_t read_signed_be(std::string_view b, size_t n) {
  uint64_t v = read_be(b, n);
  if (n < 8 && n > 0 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);
  return static_cast<int64_t>(v);
}

}  // namespace cqld::wire
