// The one error hierarchy of cqld. Every error that ends a request is a CqlError carrying its
// protocol error code; transport/ maps it to an ERROR frame in one place.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace cqld {

enum class ErrorCode : int32_t {
  kServerError = 0x0000,
  kProtocolError = 0x000A,
  kBadCredentials = 0x0100,
  kUnavailable = 0x1000,
  kOverloaded = 0x1001,
  kIsBootstrapping = 0x1002,
  kTruncateError = 0x1003,
  kWriteTimeout = 0x1100,
  kReadTimeout = 0x1200,
  kReadFailure = 0x1300,
  kFunctionFailure = 0x1400,
  kWriteFailure = 0x1500,
  kSyntaxError = 0x2000,
  kUnauthorized = 0x2100,
  kInvalid = 0x2200,
  kConfigError = 0x2300,
  kAlreadyExists = 0x2400,
  kUnprepared = 0x2500,
};

class CqlError : public std::runtime_error {
 public:
  CqlError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

class ProtocolError : public CqlError {
 public:
  explicit ProtocolError(const std::string& m) : CqlError(ErrorCode::kProtocolError, m) {}
};

class SyntaxError : public CqlError {
 public:
  explicit SyntaxError(const std::string& m) : CqlError(ErrorCode::kSyntaxError, m) {}
};

class InvalidRequest : public CqlError {
 public:
  explicit InvalidRequest(const std::string& m) : CqlError(ErrorCode::kInvalid, m) {}
};

class ConfigurationError : public CqlError {
 public:
  explicit ConfigurationError(const std::string& m) : CqlError(ErrorCode::kConfigError, m) {}
};

class ServerError : public CqlError {
 public:
  explicit ServerError(const std::string& m) : CqlError(ErrorCode::kServerError, m) {}
};

class OverloadedError : public CqlError {
 public:
  explicit OverloadedError(const std::string& m) : CqlError(ErrorCode::kOverloaded, m) {}
};

// ReadTimeout and WriteTimeout: the request ran past its deadline. The body carries the
// request's consistency and, for writes, what kind of write timed out ("SIMPLE", "BATCH",
// "CAS", ...). One node answers for all replicas: none of the one required responded.
class RequestTimeout : public CqlError {
 public:
  static RequestTimeout read(uint16_t consistency) {
    return RequestTimeout(ErrorCode::kReadTimeout, "Operation timed out - received only 0 responses.", consistency, "");
  }
  static RequestTimeout write(uint16_t consistency, std::string write_type) {
    return RequestTimeout(ErrorCode::kWriteTimeout, "Operation timed out - received only 0 responses.", consistency,
                          std::move(write_type));
  }
  static RequestTimeout cas(uint16_t consistency) {
    return RequestTimeout(ErrorCode::kWriteTimeout,
                          "CAS operation timed out: received 0 of 1 required responses after 0 contention retries",
                          consistency, "CAS");
  }
  uint16_t consistency;
  std::string write_type;

 private:
  RequestTimeout(ErrorCode code, const std::string& m, uint16_t consistency, std::string write_type)
      : CqlError(code, m), consistency(consistency), write_type(std::move(write_type)) {}
};

// Body: <keyspace><table> ("" table for a keyspace).
class AlreadyExists : public CqlError {
 public:
  AlreadyExists(const std::string& keyspace, const std::string& table, const std::string& m)
      : CqlError(ErrorCode::kAlreadyExists, m), keyspace(keyspace), table(table) {}
  std::string keyspace;
  std::string table;
};

// Body: <short bytes id>.
class Unprepared : public CqlError {
 public:
  Unprepared(const std::string& id, const std::string& m)
      : CqlError(ErrorCode::kUnprepared, m), id(id) {}
  std::string id;
};

}  // namespace cqld
