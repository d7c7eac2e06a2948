#include "storage/cell.h"

#include <algorithm>
#include <cstring>

namespace cqld {
namespace {

constexpr uint8_t kTombstoneFlag = 0x01;
constexpr uint8_t kExpiringFlag = 0x02;
constexpr uint8_t kCounterFlag = 0x04;

void put_u64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t get_u64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace

std::string encode_cell(const Cell& cell) {
  std::string out;
  out.reserve(1 + 8 + (cell.ttl > 0 ? 12 : 0) + cell.value.size());
  uint8_t flags = (cell.tombstone ? kTombstoneFlag : 0) | (cell.ttl > 0 ? kExpiringFlag : 0) |
                  (cell.counter ? kCounterFlag : 0);
  out.push_back(static_cast<char>(flags));
  put_u64(&out, static_cast<uint64_t>(cell.timestamp));
  if (cell.ttl > 0) {
    out.push_back(static_cast<char>(static_cast<uint32_t>(cell.ttl) >> 24));
    out.push_back(static_cast<char>(static_cast<uint32_t>(cell.ttl) >> 16));
    out.push_back(static_cast<char>(static_cast<uint32_t>(cell.ttl) >> 8));
    out.push_back(static_cast<char>(static_cast<uint32_t>(cell.ttl)));
    put_u64(&out, static_cast<uint64_t>(cell.expires_at));
  }
  out.append(cell.value);
  return out;
}

std::optional<CellView> decode_cell_view(std::string_view bytes) {
  if (bytes.size() < 9) return std::nullopt;
  CellView cell;
  uint8_t flags = static_cast<uint8_t>(bytes[0]);
  cell.tombstone = flags & kTombstoneFlag;
  cell.counter = flags & kCounterFlag;
  cell.timestamp = static_cast<int64_t>(get_u64(bytes.data() + 1));
  size_t pos = 9;
  if (flags & kExpiringFlag) {
    if (bytes.size() < pos + 12) return std::nullopt;
    uint32_t ttl = 0;
    for (int i = 0; i < 4; ++i) ttl = (ttl << 8) | static_cast<uint8_t>(bytes[pos + i]);
    cell.ttl = static_cast<int32_t>(ttl);
    cell.expires_at = static_cast<int64_t>(get_u64(bytes.data() + pos + 4));
    pos += 12;
  }
  cell.value = bytes.substr(pos);
  return cell;
}

std::optional<Cell> decode_cell(std::string_view bytes) {
  auto view = decode_cell_view(bytes);
  if (!view) return std::nullopt;
  Cell cell;
  cell.timestamp = view->timestamp;
  cell.tombstone = view->tombstone;
  cell.ttl = view->ttl;
  cell.expires_at = view->expires_at;
  cell.value.assign(view->value);
  cell.counter = view->counter;
  return cell;
}

bool cell_wins(const CellView& a, const CellView& b) {
  if (a.timestamp != b.timestamp) return a.timestamp > b.timestamp;
  if (a.tombstone != b.tombstone) return a.tombstone;
  if (a.is_expiring() != b.is_expiring()) return a.is_expiring();
  if (a.expires_at != b.expires_at) return a.expires_at > b.expires_at;
  return a.value >= b.value;
}

namespace {
CellView view_of(const Cell& c) { return CellView{c.timestamp, c.tombstone, c.ttl, c.expires_at, c.value, c.counter}; }
}  // namespace

bool cell_wins(const Cell& a, const Cell& b) { return cell_wins(view_of(a), view_of(b)); }

Cell reconcile(const Cell& existing, const Cell& update) {
  bool existing_counter = existing.counter && !existing.tombstone;
  bool update_counter = update.counter && !update.tombstone;
  if (existing_counter && update_counter && existing.value.size() == 8 && update.value.size() == 8) {
    Cell sum = existing;
    uint64_t a = 0, b = 0;
    for (int i = 0; i < 8; ++i) {
      a = (a << 8) | static_cast<uint8_t>(existing.value[i]);
      b = (b << 8) | static_cast<uint8_t>(update.value[i]);
    }
    uint64_t total = a + b;
    for (int i = 0; i < 8; ++i) sum.value[i] = static_cast<char>(total >> (56 - 8 * i));
    sum.timestamp = std::max(existing.timestamp, update.timestamp);
    return sum;
  }
  if (existing.counter && existing.tombstone) return existing;
  if (update.counter && update.tombstone) return update;
  if ((existing_counter && update.tombstone) || (update_counter && existing.tombstone))
    return existing.tombstone ? existing : update;
  return cell_wins(update, existing) ? update : existing;
}

}  // namespace cqld
