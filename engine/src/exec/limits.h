// The executor's bounds, beside the transport's (transport/README.md lists both): how long a
// request may run, how much one request may make cqld hold, and how much the caches keep.
#pragma once

#include <chrono>
#include <cstddef>

namespace cqld {

struct ExecLimits {
  // Cassandra's read_request_timeout, range_request_timeout, write_request_timeout and
  // cas_contention_timeout, counted from the request's arrival: past them the client gets
  // ReadTimeout or WriteTimeout.
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds range_timeout{10000};
  std::chrono::milliseconds write_timeout{2000};
  std::chrono::milliseconds cas_contention_timeout{1000};
  // The most values the cartesian product of IN restrictions may produce, for the partition key
  // and for the clustering columns, each (Cassandra's in_select_cartesian_product guardrail).
  size_t max_in_product = 65536;
  // A result page stops growing here: a paged query ends the page early (with a paging state),
  // an unpaged one is refused. Keeps every response within the protocol's int32 frame length.
  size_t max_result_page_bytes = size_t{256} << 20;
  // The caches of prepared statements (by id) and of statements from unprepared texts (QUERY,
  // as cqlengine sends them), by the memory their entries were measured to take.
  size_t text_cache_bytes = size_t{32} << 20;
  size_t prepared_cache_bytes = size_t{64} << 20;
};

}  // namespace cqld
