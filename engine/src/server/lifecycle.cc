#include "server/lifecycle.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "common/log.h"

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

std::unique_ptr<QueryProcessor> open(const DatabaseOptions& options) {
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

}  // namespace

int run_cqld(const CqldConfig& config) {
  set_log_level(config.log_level);
  sigset_t stop_signals = block_stop_signals();
  auto server = std::make_unique<transport::Server>(config.server);
  asio::ip::tcp::endpoint endpoint;
  try {
    endpoint = server->listen();
  } catch (const std::exception& e) {
    report("cannot listen on " + config.server.listen_address + ":" +
           std::to_string(config.server.port) + ": " + e.what());
    return kExitRuntimeError;
  }
  std::unique_ptr<QueryProcessor> processor;
  try {
    DatabaseOptions database = config.database;
    database.port = endpoint.port();
    processor = open(database);
  } catch (const std::exception& e) {
    report(e.what());
    return kExitRuntimeError;
  }
  server->serve(*processor);
  std::printf("listening on %s:%u\n", endpoint.address().to_string().c_str(),
              static_cast<unsigned>(endpoint.port()));
  std::fflush(stdout);
  log_message(
      LogLevel::kInfo,
      std::string("serving ") +
          (config.database.in_memory ? "in memory" : "data in " + config.database.data_dir));
  int sig = wait_for_stop_signal(stop_signals);
  log_message(LogLevel::kInfo,
              std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  server->stop();
  server.reset();
  processor.reset();
  log_message(LogLevel::kInfo, "stopped");
  return kExitOk;
}

}  // namespace cqld
