#include "types/token.h"

#include <bit>
#include <limits>
#include <stdexcept>

namespace cqld {
namespace {

constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;

uint64_t block(std::string_view key, size_t offset) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | static_cast<uint8_t>(key[offset + static_cast<size_t>(i)]);
  return v;
}

// Cassandra reads tail bytes as Java (signed) bytes before shifting, so a byte >= 0x80
// sets every higher bit of the lane. Reproducing that is what makes the tokens match.
uint64_t signed_byte(std::string_view key, size_t i) {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(key[i])));
}

uint64_t fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

uint64_t mix_k1(uint64_t k1) {
  return std::rotl(k1 * kC1, 31) * kC2;
}
uint64_t mix_k2(uint64_t k2) {
  return std::rotl(k2 * kC2, 33) * kC1;
}

}  // namespace

std::string serialize_partition_key(const std::vector<std::string_view>& components) {
  if (components.size() == 1) return std::string(components[0]);
  std::string out;
  for (std::string_view c : components) {
    out.push_back(static_cast<char>(c.size() >> 8));
    out.push_back(static_cast<char>(c.size()));
    out.append(c);
    out.push_back('\0');
  }
  return out;
}

std::vector<std::string> split_partition_key(std::string_view serialized, size_t component_count) {
  if (component_count == 1) return {std::string(serialized)};
  std::vector<std::string> out;
  while (out.size() < component_count) {
    if (serialized.size() < 2) throw std::runtime_error("truncated composite partition key");
    size_t n = (static_cast<size_t>(static_cast<uint8_t>(serialized[0])) << 8) |
               static_cast<uint8_t>(serialized[1]);
    if (serialized.size() < n + 3) throw std::runtime_error("truncated composite partition key");
    out.emplace_back(serialized.substr(2, n));
    serialized.remove_prefix(n + 3);
  }
  return out;
}

int64_t murmur3_token(std::string_view key) {
  const size_t length = key.size();
  const size_t nblocks = length / 16;
  uint64_t h1 = 0, h2 = 0;
  for (size_t i = 0; i < nblocks; ++i) {
    h1 ^= mix_k1(block(key, i * 16));
    h1 = std::rotl(h1, 27) + h2;
    h1 = h1 * 5 + 0x52dce729;
    h2 ^= mix_k2(block(key, i * 16 + 8));
    h2 = std::rotl(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  const size_t tail = nblocks * 16;
  const size_t rest = length & 15;
  uint64_t k1 = 0, k2 = 0;
  for (size_t i = rest; i > 8; --i) k2 ^= signed_byte(key, tail + i - 1) << (8 * (i - 9));
  if (rest > 8) h2 ^= mix_k2(k2);
  for (size_t i = std::min<size_t>(rest, 8); i > 0; --i)
    k1 ^= signed_byte(key, tail + i - 1) << (8 * (i - 1));
  if (rest > 0) h1 ^= mix_k1(k1);
  h1 ^= length;
  h2 ^= length;
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  int64_t token = static_cast<int64_t>(h1);
  return token == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : token;
}

}  // namespace cqld
