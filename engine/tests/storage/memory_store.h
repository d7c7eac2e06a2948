// The store the storage tests read and write: in memory, gone with the test.
#pragma once

#include <memory>

#include "storage/store.h"

namespace cqld {

inline std::unique_ptr<Store> memory_store() {
  StoreOptions options;
  options.in_memory = true;
  return Store::open(options);
}

}  // namespace cqld
