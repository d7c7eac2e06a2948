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
