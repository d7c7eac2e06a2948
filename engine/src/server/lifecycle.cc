#include "server/lifecycle.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "admin/nodetool_channel.h"
#include "common/log.h"
#include "transport/password_authenticator.h"

namespace cqld {
namespace {

// Blocks the stop signals in this thread and every thread it starts, so that only
// wait_for_stop_signal() receives them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return set;
}

int wait_for_stop_signal(const sigset_t& set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

void report(const std::string& message) {
  std::fprintf(stderr, "cqld: %s\n", message.c_str());
}

std::unique_ptr<Database> open(const DatabaseOptions& options) {
  if (!options.in_memory) {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) {
      throw std::runtime_error("cannot create data directory " + options.data_dir + ": " +
                               ec.message());
    }
  }
  return open_database(options);
}

// Binds the nodetool port (admin/nodetool_channel.h). Null when there is none: --nodetool-port none,
// or the default 7199 taken by another server (a warning; an explicit port taken is an error).
std::unique_ptr<admin::NodetoolServer> bind_nodetool(const CqldConfig& config, Database& database,
                                                     admin::NodeControls controls, int* bound, bool* failed) {
  int port = config.nodetool_port.value_or(config.server.port == 0 ? 0 : admin::kDefaultNodetoolPort);
  if (port < 0) return nullptr;
  auto nodetool = std::make_unique<admin::NodetoolServer>(database, std::move(controls));
  try {
    *bound = nodetool->listen(port);
  } catch (const std::system_error& e) {
    if (config.nodetool_port) {
      report("cannot listen for nodetool on " + std::string(e.what()));
      *failed = true;
    } else {
      log_message(LogLevel::kWarn, "nodetool's port " + std::string(e.what()) +
                                       ": this server has none (pass --nodetool-port N to choose one)");
    }
    return nullptr;
  }
  return nodetool;
}

// Anything but loopback without authentication is open to whoever reaches the port.
void warn_if_open(const CqldConfig& config, const asio::ip::tcp::endpoint& endpoint) {
  if (config.database.auth.authenticate || endpoint.address().is_loopback()) return;
  log_message(LogLevel::kWarn, "listening on " + endpoint.address().to_string() +
                                   ", beyond loopback, without authentication: anyone who reaches this port can "
                                   "read and change every keyspace (start with --authenticator password)");
}

}  // namespace

int run_cqld(const CqldConfig& config) {
  set_log_level(config.log_level);
  sigset_t stop_signals = block_stop_signals();
  transport::ServerOptions server_options = config.server;
  server_options.writes_wait_for_sync = config.database.sync_each_write;
  auto server = std::make_unique<transport::Server>(server_options);
  asio::ip::tcp::endpoint endpoint;
  try {
    endpoint = server->listen();
  } catch (const transport::TlsConfigError& e) {
    report(std::string("TLS: ") + e.what());
    return kExitRuntimeError;
  } catch (const std::exception& e) {
    report("cannot listen on " + config.server.listen_address + ":" +
           std::to_string(config.server.port) + ": " + e.what());
    return kExitRuntimeError;
  }
  std::unique_ptr<Database> processor;
  try {
    DatabaseOptions database = config.database;
    database.port = endpoint.port();
    processor = open(database);
  } catch (const std::exception& e) {
    report(e.what());
    return kExitRuntimeError;
  }
  // Bound before the CQL port is announced, so a start that fails for its sake never looks
  // like a start that worked.
  std::atomic<bool> serving{true};
  admin::NodeControls controls{[&server, &serving] {
                                 serving = false;
                                 server->stop();
                               },
                               [&serving] { return serving.load(); }};
  bool nodetool_failed = false;
  int nodetool_port = 0;
  auto nodetool = bind_nodetool(config, *processor, controls, &nodetool_port, &nodetool_failed);
  if (nodetool_failed) return kExitRuntimeError;
  std::unique_ptr<transport::PasswordAuthenticator> authenticator;
  if (config.database.auth.authenticate) {
    authenticator = std::make_unique<transport::PasswordAuthenticator>(*processor->auth());
    server->set_authenticator(authenticator.get());
  }
  warn_if_open(config, endpoint);
  server->serve(*processor);
  std::printf("listening on %s:%u\n", endpoint.address().to_string().c_str(),
              static_cast<unsigned>(endpoint.port()));
  if (config.server.tls.mode != transport::TlsMode::kOff) {
    log_message(LogLevel::kInfo, "client encryption " + std::string(transport::tls_mode_name(config.server.tls.mode)) +
                                     " (TLS 1.2 and 1.3)");
  }
  if (nodetool) {
    nodetool->start();
    std::printf("nodetool at 127.0.0.1:%d\n", nodetool_port);
  }
  std::fflush(stdout);
  log_message(
      LogLevel::kInfo,
      std::string("serving ") +
          (config.database.in_memory ? "in memory" : "data in " + config.database.data_dir));
  int sig = wait_for_stop_signal(stop_signals);
  log_message(LogLevel::kInfo,
              std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  if (nodetool) nodetool->stop();
  server->stop();
  server.reset();
  processor.reset();
  log_message(LogLevel::kInfo, "stopped");
  return kExitOk;
}

}  // namespace cqld
