// The outcome of a storage operation, as a value (storage errors are not exceptions): exec/
// decides what a failed write means for the client.
#pragma once

#include <string>
#include <utility>

namespace cqld {

class Status {
 public:
  enum class Code : uint8_t {
    kOk,
    kIoError,     // the disk or file system failed (full disk, failed sync, unwritable directory)
    kCorruption,  // stored bytes do not decode
    kRefused,     // storage stopped accepting writes after an earlier I/O error
  };

  Status() = default;
  static Status ok() { return Status(); }
  static Status io_error(std::string message) { return Status(Code::kIoError, std::move(message)); }
  static Status corruption(std::string message) { return Status(Code::kCorruption, std::move(message)); }
  static Status refused(std::string message) { return Status(Code::kRefused, std::move(message)); }

  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace cqld
