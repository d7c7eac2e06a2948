#include "transport/password_authenticator.h"

#include "common/errors.h"

namespace cqld::transport {
namespace {

CqlError bad_credentials(const std::string& message) { return CqlError(ErrorCode::kBadCredentials, message); }

}  // namespace

// As Cassandra's PlainTextSaslAuthenticator: the user is between the last two NULs, the
// password after the last; an authorization id before them is ignored.
std::string PasswordAuthenticator::authenticate(std::string_view token) const {
  size_t last = token.rfind('\0');
  if (last == std::string_view::npos) throw bad_credentials("Password must not be null");
  size_t before = last == 0 ? std::string_view::npos : token.rfind('\0', last - 1);
  size_t user_start = before == std::string_view::npos ? 0 : before + 1;
  std::string user(token.substr(user_start, last - user_start));
  std::string password(token.substr(last + 1));
  if (user.empty()) throw bad_credentials("Authentication ID must not be null");
  if (password.empty()) throw bad_credentials("Password must not be null");
  std::string reason;
  std::optional<std::string> role = roles_.authenticate(user, password, &reason);
  if (!role) throw bad_credentials(reason);
  return *role;
}

}  // namespace cqld::transport
