#include "exec/auth/password_hash.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace cqld::auth {
namespace {

constexpr size_t kSaltEntropy = 16;  // bcrypt's salt is 128 bits
constexpr size_t kBcryptLength = 60;

}  // namespace

std::string hash_password(std::string_view password) {
  unsigned char entropy[kSaltEntropy];
  if (RAND_bytes(entropy, sizeof entropy) != 1) throw std::runtime_error("no randomness for a password salt");
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2a$", kBcryptLogRounds, reinterpret_cast<const char*>(entropy), sizeof entropy, setting,
                       sizeof setting) == nullptr)
    throw std::runtime_error("this system's crypt library has no bcrypt");
  // crypt_data is large (about 32 KiB): on the heap, not on a coroutine's stack.
  auto data = std::make_unique<crypt_data>();
  std::string phrase(password);
  const char* hashed = crypt_rn(phrase.c_str(), setting, data.get(), sizeof *data);
  OPENSSL_cleanse(phrase.data(), phrase.size());
  if (hashed == nullptr || hashed[0] == '*') throw std::runtime_error("bcrypt failed to hash a password");
  return hashed;
}

bool check_password(std::string_view password, const std::string& salted_hash) {
  if (!is_bcrypt_hash(salted_hash)) return false;
  auto data = std::make_unique<crypt_data>();
  std::string phrase(password);
  const char* hashed = crypt_rn(phrase.c_str(), salted_hash.c_str(), data.get(), sizeof *data);
  OPENSSL_cleanse(phrase.data(), phrase.size());
  if (hashed == nullptr || std::strlen(hashed) != salted_hash.size()) return false;
  return CRYPTO_memcmp(hashed, salted_hash.data(), salted_hash.size()) == 0;
}

bool is_bcrypt_hash(std::string_view value) {
  if (value.size() != kBcryptLength) return false;
  if (!(value.starts_with("$2a$") || value.starts_with("$2b$") || value.starts_with("$2y$"))) return false;
  if (value[4] < '0' || value[4] > '3' || value[5] < '0' || value[5] > '9' || value[6] != '$') return false;
  for (char c : value.substr(7)) {
    bool b64 = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
    if (!b64) return false;
  }
  return true;
}

}  // namespace cqld::auth
