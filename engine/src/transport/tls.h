// Client encryption, as Cassandra's client_encryption_options: a server certificate and key
// (PEM), optionally a CA whose certificates clients must present, and a mode saying whether
// plaintext clients are still served on the same port. TLS 1.2 and 1.3 only, through OpenSSL.
#pragma once

#include <asio/ssl/context.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cqld::transport {

enum class TlsMode {
  kOff,       // plaintext only (no certificate configured)
  kOptional,  // TLS or plaintext on one port, told apart by the client's first byte
  kRequired,  // TLS only: a client that does not start a TLS handshake is disconnected
};

enum class ClientAuth { kNone, kOptional, kRequired };

struct TlsOptions {
  TlsMode mode = TlsMode::kOff;
  std::string cert_file;  // PEM certificate chain, the server's certificate first
  std::string key_file;   // PEM private key (unencrypted)
  std::string ca_file;    // PEM CA certificates that client certificates are verified against
  // Cassandra's require_client_auth: false (no certificate asked for), optional (asked for and
  // verified against ca_file when sent) or true (a client without a valid one is refused).
  ClientAuth client_auth = ClientAuth::kNone;
};

// A TLS configuration that cannot be used: cqld refuses to start.
struct TlsConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The server context for "options" (mode other than kOff). Throws TlsConfigError naming
// the file and OpenSSL's reason when a file cannot be read, a key does not match its
// certificate, or client certificates are asked for without a CA.
std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& options);

// Whether a connection's first byte opens a TLS record: a handshake record (content type 22).
// A native protocol frame starts with its version byte (1 to 5, with 0x80 on responses).
constexpr bool starts_tls_record(unsigned char first_byte) { return first_byte == 0x16; }

std::string_view tls_mode_name(TlsMode mode);

}  // namespace cqld::transport
