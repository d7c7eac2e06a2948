// The cqld command line: `cqld (--memory | --data-dir DIR) [--listen ADDR] [--port N] ...`.
// Parsing is separate from acting on it so the contract (flags, defaults, errors) is testable.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "exec/database.h"
#include "common/log.h"
#include "transport/server.h"

namespace cqld {

constexpr std::string_view kCqldVersion = "cqld 0.1.0 (CQL 3.4.5, native protocol v3/v4)";

struct CqldConfig {
  DatabaseOptions database;
  transport::ServerOptions server;
  LogLevel log_level = LogLevel::kInfo;
};

// What the command line asks for: run with a config, print help or version, or a usage error
// (a one-line message for stderr).
struct RunCommand {
  CqldConfig config;
};
struct HelpCommand {};
struct VersionCommand {};
struct UsageError {
  std::string message;
};
using Command = std::variant<RunCommand, HelpCommand, VersionCommand, UsageError>;

// Parses the arguments after the program name. Accepts "--flag value" and "--flag=value".
Command parse_command_line(const std::vector<std::string>& args);

// The --help text.
std::string usage_text();

}  // namespace cqld
