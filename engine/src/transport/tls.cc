#include "transport/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <filesystem>
#include <stdexcept>

namespace cqld::transport {
namespace {

// OpenSSL's reason for a failure, for the startup error ("no start line (PEM routines)"): asio
// has taken it off OpenSSL's queue into "ec".
std::string openssl_reason(const asio::error_code& ec) {
  ERR_clear_error();
  return ec.message();
}

void require_readable(const std::string& what, const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw TlsConfigError(what + " " + path + " is not a readable file");
  }
}

template <class Load>
void load(const std::string& what, const std::string& path, Load load_file) {
  require_readable(what, path);
  asio::error_code ec;
  load_file(ec);
  if (ec) throw TlsConfigError("cannot load " + what + " " + path + ": " + openssl_reason(ec));
}

}  // namespace

std::string_view tls_mode_name(TlsMode mode) {
  switch (mode) {
    case TlsMode::kOff: return "off";
    case TlsMode::kOptional: return "optional";
    case TlsMode::kRequired: return "required";
  }
  return "off";
}

std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& options) {
  if (options.cert_file.empty() || options.key_file.empty()) {
    throw TlsConfigError("TLS needs both --tls-cert and --tls-key");
  }
  if (options.client_auth != ClientAuth::kNone && options.ca_file.empty()) {
    throw TlsConfigError("client certificates (--tls-require-client-auth) need --tls-ca, the CA they are verified against");
  }
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  // TLS 1.2 and 1.3 only, as Cassandra 5.0's default accepted_protocols.
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression |
                       asio::ssl::context::single_dh_use);
  load("certificate", options.cert_file,
       [&](asio::error_code& ec) { context->use_certificate_chain_file(options.cert_file, ec); });
  std::string mismatch = "private key " + options.key_file + " does not match certificate " + options.cert_file;
  load("private key", options.key_file, [&](asio::error_code& ec) {
    context->use_private_key_file(options.key_file, asio::ssl::context::pem, ec);
    // asio has taken the error off OpenSSL's queue into "ec".
    if (ec && ec.category() == asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
      throw TlsConfigError(mismatch);
    }
  });
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    throw TlsConfigError(mismatch);
  }
  if (!options.ca_file.empty()) {
    load("CA certificates", options.ca_file,
         [&](asio::error_code& ec) { context->load_verify_file(options.ca_file, ec); });
  }
  if (options.client_auth != ClientAuth::kNone) {
    auto mode = asio::ssl::verify_peer;
    if (options.client_auth == ClientAuth::kRequired) mode |= asio::ssl::verify_fail_if_no_peer_cert;
    context->set_verify_mode(mode);
  }
  return context;
}

}  // namespace cqld::transport
