// How a write that storage could not make reaches the client: as Cassandra's coordinator
// answers a replica's failed write, a WriteFailure (the write did not happen).
#pragma once

#include "common/errors.h"
#include "storage/status.h"

namespace cqld {

inline void check_write(const Status& status) {
  if (status.is_ok()) return;
  throw CqlError(ErrorCode::kWriteFailure, "Operation failed - the write could not be stored: " + status.message());
}

}  // namespace cqld
