// Salted bcrypt password hashes, as Cassandra's PasswordAuthenticator stores them in
// system_auth.roles.salted_hash ("$2a$10$" + 22 characters of salt + 31 of hash), through
// libxcrypt's crypt_rn and crypt_gensalt_rn. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cqld::auth {

// The log2 of bcrypt's rounds cqld hashes new passwords with (Cassandra's default).
constexpr int kBcryptLogRounds = 10;

// A new salted hash of "password". Throws std::runtime_error when the system has no bcrypt.
std::string hash_password(std::string_view password);
// Whether "password" matches "salted_hash" (false for a hash that is not bcrypt).
bool check_password(std::string_view password, const std::string& salted_hash);
// Whether a HASHED PASSWORD value looks like a bcrypt hash Cassandra accepts ($2a$, $2b$, $2y$).
bool is_bcrypt_hash(std::string_view value);

}  // namespace cqld::auth
