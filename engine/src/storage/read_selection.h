// What a read or a deletion addresses in one table, in values: partitions, clustering slices
// and token ranges. storage/ alone turns these into keys (FORMAT.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cqld {

// A partition: its serialized key (the value itself for one column, the composite form for
// several) and the key's Murmur3 token.
struct PartitionKey {
  int64_t token = 0;
  std::string key;
};

// Serialized clustering values in declared order: all of them for a row, fewer for a prefix.
using Clustering = std::vector<std::string>;

struct ClusteringBound {
  std::string value;
  bool inclusive = true;
};

// The rows whose clustering starts with "prefix" and whose next clustering value lies within
// the bounds, compared by value (a DESC column's order is storage's business).
struct ClusteringSlice {
  Clustering prefix;
  std::optional<ClusteringBound> lower;
  std::optional<ClusteringBound> upper;
};

struct TokenBound {
  int64_t token = 0;
  bool inclusive = true;
};

// Either named partitions (each read through every slice; no slices reads them whole), or
// every partition whose token lies within the bounds.
struct ReadSelection {
  static ReadSelection partitions(std::vector<PartitionKey> keys, std::vector<ClusteringSlice> slices = {}) {
    ReadSelection s;
    s.keys = std::move(keys);
    s.slices = std::move(slices);
    return s;
  }
  static ReadSelection token_range(std::optional<TokenBound> lower, std::optional<TokenBound> upper) {
    ReadSelection s;
    s.whole_ring = true;
    s.token_lower = lower;
    s.token_upper = upper;
    return s;
  }

  bool whole_ring = false;
  std::vector<PartitionKey> keys;
  std::vector<ClusteringSlice> slices;
  std::optional<TokenBound> token_lower;
  std::optional<TokenBound> token_upper;
};

}  // namespace cqld
