// The cqld command line: `cqld (--memory | --data-dir DIR) [--listen ADDR] [--port N] ...`.
// Parsing is separate from acting on it so the contract (flags, defaults, errors) is testable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "exec/database.h"
#include "common/log.h"
#include "transport/server.h"

namespace cqld {

// The environment variable that may hold the default superuser's initial password.
constexpr const char* kSuperuserPasswordEnv = "CQLD_SUPERUSER_PASSWORD";

constexpr std::string_view kCqldVersion = "cqld 0.1.0 (CQL 3.4.5, native protocol v3/v4)";

struct CqldConfig {
  DatabaseOptions database;
  transport::ServerOptions server;
  LogLevel log_level = LogLevel::kInfo;
  // The nodetool port on 127.0.0.1 (admin/nodetool_channel.h): unset, 7199, or a free port when
  // --port is 0 (so servers started for tests never contend for 7199); -1: none.
  std::optional<int> nodetool_port;
};

// What the command line asks for: run with a config, print help or version, or a usage error
// (a one-line message for stderr).
struct RunCommand {
  CqldConfig config;
};
struct HelpCommand {};
struct VersionCommand {};
// `cqld nodetool [-h HOST] [-p PORT] COMMAND ARGS...`: a client of a running cqld's nodetool port.
struct NodetoolCommand {
  std::string host = "127.0.0.1";
  int port = 7199;
  std::vector<std::string> args;
};
struct UsageError {
  std::string message;
};
using Command = std::variant<RunCommand, HelpCommand, VersionCommand, NodetoolCommand, UsageError>;

// Parses the arguments after the program name. Accepts "--flag value" and "--flag=value".
Command parse_command_line(const std::vector<std::string>& args);

// The --help text.
std::string usage_text();

}  // namespace cqld
