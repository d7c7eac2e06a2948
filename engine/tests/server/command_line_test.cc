#include "server/command_line.h"

#include <gtest/gtest.h>

namespace cqld {
namespace {

CqldConfig run_config(const std::vector<std::string>& args) {
  Command command = parse_command_line(args);
  const auto* run = std::get_if<RunCommand>(&command);
  if (run == nullptr) {
    const auto* error = std::get_if<UsageError>(&command);
    ADD_FAILURE() << "not a run command" << (error ? ": " + error->message : "");
    return {};
  }
  return run->config;
}

std::string usage_error(const std::vector<std::string>& args) {
  Command command = parse_command_line(args);
  const auto* error = std::get_if<UsageError>(&command);
  return error ? error->message : "";
}

TEST(CommandLineTest, MemoryWithDefaults) {
  CqldConfig c = run_config({"--memory"});
  EXPECT_TRUE(c.database.in_memory);
  EXPECT_EQ(c.server.listen_address, "127.0.0.1");
  EXPECT_EQ(c.server.port, 9042);
  EXPECT_EQ(c.server.io_threads, 2);
  EXPECT_EQ(c.server.session.max_frame_body, size_t{16} << 20);
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_FALSE(c.database.sync_each_write);
}

TEST(CommandLineTest, DataDirAndEveryOption) {
  CqldConfig c = run_config({"--data-dir", "/tmp/x", "--listen", "0.0.0.0", "--port=0", "--threads",
                             "4", "--max-frame-size-mb", "300", "--max-connections=10",
                             "--max-in-flight", "32", "--log-level", "debug", "--commitlog-sync",
                             "batch", "--commitlog-sync-period-ms", "50"});
  EXPECT_FALSE(c.database.in_memory);
  EXPECT_EQ(c.database.data_dir, "/tmp/x");
  EXPECT_EQ(c.server.listen_address, "0.0.0.0");
  EXPECT_EQ(c.database.listen_address, "0.0.0.0");
  EXPECT_EQ(c.server.port, 0);
  EXPECT_EQ(c.server.io_threads, 4);
  EXPECT_EQ(c.server.session.max_frame_body, size_t{300} << 20);
  EXPECT_EQ(c.server.max_connections, 10u);
  EXPECT_EQ(c.server.connection.max_in_flight, 32u);
  EXPECT_EQ(c.log_level, LogLevel::kDebug);
  EXPECT_TRUE(c.database.sync_each_write);
  EXPECT_EQ(c.database.sync_period_ms, 50);
}

TEST(CommandLineTest, ExactlyOneStorageMode) {
  EXPECT_EQ(usage_error({}), "exactly one of --memory or --data-dir DIR is required");
  EXPECT_EQ(usage_error({"--memory", "--data-dir", "d"}),
            "exactly one of --memory or --data-dir DIR is required");
}

TEST(CommandLineTest, UsageErrors) {
  EXPECT_EQ(usage_error({"--memory", "--bogus"}), "unknown option '--bogus'");
  EXPECT_EQ(usage_error({"--memory", "--port"}), "--port requires a value");
  EXPECT_EQ(usage_error({"--memory", "--port", "70000"}),
            "--port expects an integer between 0 and 65535, got '70000'");
  EXPECT_EQ(usage_error({"--memory", "--port", "12ab"}),
            "--port expects an integer between 0 and 65535, got '12ab'");
  EXPECT_EQ(usage_error({"--memory", "--threads", "0"}),
            "--threads expects an integer between 1 and 64, got '0'");
  EXPECT_EQ(usage_error({"--memory", "--log-level", "loud"}),
            "--log-level expects error, warn, info or debug, got 'loud'");
  EXPECT_EQ(usage_error({"--data-dir", ""}), "--data-dir expects a directory");
  EXPECT_EQ(usage_error({"--memory", "--commitlog-sync", "never"}),
            "--commitlog-sync expects 'periodic' or 'batch', got 'never'");
}

TEST(CommandLineTest, HelpAndVersionWinOverEverythingBeforeThem) {
  EXPECT_TRUE(std::holds_alternative<HelpCommand>(parse_command_line({"--help"})));
  EXPECT_TRUE(std::holds_alternative<HelpCommand>(parse_command_line({"--memory", "-h"})));
  EXPECT_TRUE(std::holds_alternative<VersionCommand>(parse_command_line({"--version"})));
  EXPECT_NE(usage_text().find("--data-dir DIR"), std::string::npos);
}

TEST(CommandLineTest, AuthenticationFlagsTakeCassandrasNamesToo) {
  CqldConfig open = run_config({"--memory"});
  EXPECT_FALSE(open.database.auth.authenticate);
  EXPECT_FALSE(open.database.auth.authorize);
  CqldConfig short_names = run_config({"--memory", "--authenticator", "password", "--authorizer", "cassandra"});
  EXPECT_TRUE(short_names.database.auth.authenticate && short_names.database.auth.authorize);
  CqldConfig java_names = run_config({"--memory", "--authenticator=org.apache.cassandra.auth.PasswordAuthenticator",
                                      "--authorizer", "CassandraAuthorizer", "--superuser-password", "pw"});
  EXPECT_TRUE(java_names.database.auth.authenticate && java_names.database.auth.authorize);
  EXPECT_EQ(java_names.database.auth.superuser_password, "pw");
  EXPECT_NE(usage_error({"--memory", "--authenticator", "kerberos"}), "");
  EXPECT_EQ(usage_error({"--memory", "--authorizer", "cassandra"}),
            "--authorizer cassandra needs --authenticator password (roles must log in to hold permissions)");
}

TEST(CommandLineTest, TlsIsRequiredOnceACertificateIsGiven) {
  CqldConfig c = run_config({"--memory", "--tls-cert", "s.pem", "--tls-key=s.key"});
  EXPECT_EQ(c.server.tls.mode, transport::TlsMode::kRequired);
  EXPECT_EQ(c.server.tls.cert_file, "s.pem");
  EXPECT_EQ(c.server.tls.key_file, "s.key");
  EXPECT_EQ(c.server.tls.client_auth, transport::ClientAuth::kNone);
  EXPECT_EQ(run_config({"--memory"}).server.tls.mode, transport::TlsMode::kOff);
}

TEST(CommandLineTest, TlsOptionalModeAndClientCertificates) {
  CqldConfig c = run_config({"--memory", "--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-mode", "optional",
                             "--tls-ca", "ca.pem", "--tls-require-client-auth", "true"});
  EXPECT_EQ(c.server.tls.mode, transport::TlsMode::kOptional);
  EXPECT_EQ(c.server.tls.ca_file, "ca.pem");
  EXPECT_EQ(c.server.tls.client_auth, transport::ClientAuth::kRequired);
  c = run_config({"--memory", "--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-ca", "ca.pem",
                  "--tls-require-client-auth", "optional"});
  EXPECT_EQ(c.server.tls.client_auth, transport::ClientAuth::kOptional);
}

TEST(CommandLineTest, IncompleteTlsOptionsAreUsageErrors) {
  EXPECT_EQ(usage_error({"--memory", "--tls-cert", "s.pem"}), "--tls-cert and --tls-key go together");
  EXPECT_EQ(usage_error({"--memory", "--tls-mode", "optional"}), "TLS options need --tls-cert FILE and --tls-key FILE");
  EXPECT_EQ(usage_error({"--memory", "--tls-mode", "always"}), "--tls-mode expects 'optional' or 'required', got 'always'");
  EXPECT_EQ(usage_error({"--memory", "--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-require-client-auth", "true"}),
            "--tls-require-client-auth needs --tls-ca FILE, the CA client certificates are verified against");
  EXPECT_EQ(usage_error({"--memory", "--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-require-client-auth", "yes"}),
            "--tls-require-client-auth expects 'true', 'false' or 'optional', got 'yes'");
}

}  // namespace
}  // namespace cqld
