// The seam for client authentication: with an Authenticator, STARTUP is answered with
// AUTHENTICATE and the connection accepts queries only after a successful AUTH_RESPONSE.
#pragma once

#include <string>
#include <string_view>

namespace cqld::transport {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The Java class name drivers expect in AUTHENTICATE (e.g. PasswordAuthenticator's).
  virtual std::string_view class_name() const = 0;
  // Checks the SASL token of an AUTH_RESPONSE and returns the authenticated user name.
  // Throws CqlError (code 0x0100, bad credentials) when it is refused. Thread-safe.
  virtual std::string authenticate(std::string_view token) const = 0;
};

}  // namespace cqld::transport
