// The TLS context's startup checks. Handshakes over real sockets are tested with the drivers
// (tests/drivers/test_tls.py), which generate their certificates with the openssl CLI.
#include "transport/tls.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cqld::transport {
namespace {

std::string error_of(const TlsOptions& options) {
  try {
    make_tls_context(options);
  } catch (const TlsConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(TlsTest, MissingCertificateIsAClearError) {
  TlsOptions options{TlsMode::kRequired, "/nonexistent/server.pem", "/nonexistent/server.key"};
  EXPECT_EQ(error_of(options), "certificate /nonexistent/server.pem is not a readable file");
}

TEST(TlsTest, AFileThatIsNotPemNamesOpenSslsReason) {
  auto path = std::filesystem::temp_directory_path() / "cqld_tls_test_not_pem.pem";
  std::ofstream(path) << "not a certificate\n";
  TlsOptions options{TlsMode::kRequired, path.string(), path.string()};
  std::string error = error_of(options);
  std::filesystem::remove(path);
  EXPECT_EQ(error.rfind("cannot load certificate " + path.string() + ": ", 0), 0u) << error;
  EXPECT_NE(error.find("no start line"), std::string::npos) << error;
}

TEST(TlsTest, StartsTlsRecordTellsAHandshakeFromAFrame) {
  EXPECT_TRUE(starts_tls_record(0x16));
  for (unsigned char version : {0x03, 0x04, 0x05, 0x41, 0x83}) EXPECT_FALSE(starts_tls_record(version));
}

}  // namespace
}  // namespace cqld::transport
