// What the function tests share: a type by name and the message an InvalidRequest carries.
#pragma once

#include <functional>
#include <string>

#include "common/errors.h"
#include "types/cql_type.h"

namespace cqld::function_tests {

inline TypePtr T(const char* name) { return primitive_type_by_name(name); }

// The message of the InvalidRequest "f" throws, or "" when it throws none.
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "";
}

}  // namespace cqld::function_tests
