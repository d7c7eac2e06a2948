// Cassandra's PasswordAuthenticator: the SASL PLAIN exchange drivers and cqlsh do (one
// AUTH_RESPONSE carrying authzid NUL authcid NUL password), checked against the bcrypt hashes
// of system_auth.roles.
#pragma once

#include "exec/auth/auth_service.h"
#include "transport/authenticator.h"

namespace cqld::transport {

constexpr std::string_view kPasswordAuthenticatorClass = "org.apache.cassandra.auth.PasswordAuthenticator";

class PasswordAuthenticator : public Authenticator {
 public:
  // "roles" must outlive the authenticator.
  explicit PasswordAuthenticator(const auth::AuthService& roles) : roles_(roles) {}
  std::string_view class_name() const override { return kPasswordAuthenticatorClass; }
  std::string authenticate(std::string_view token) const override;

 private:
  const auth::AuthService& roles_;
};

}  // namespace cqld::transport
