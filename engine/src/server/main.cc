// The cqld executable: parses the command line and runs the server (see server/lifecycle.h).
#include <cstdio>
#include <string>
#include <vector>

#include "admin/nodetool_channel.h"
#include "server/command_line.h"
#include "server/lifecycle.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  cqld::Command command = cqld::parse_command_line(args);
  if (std::holds_alternative<cqld::HelpCommand>(command)) {
    std::fputs(cqld::usage_text().c_str(), stdout);
    return cqld::kExitOk;
  }
  if (std::holds_alternative<cqld::VersionCommand>(command)) {
    std::printf("%s\n", std::string(cqld::kCqldVersion).c_str());
    return cqld::kExitOk;
  }
  if (const auto* nodetool = std::get_if<cqld::NodetoolCommand>(&command)) {
    return cqld::admin::run_nodetool_client(nodetool->host, nodetool->port, nodetool->args);
  }
  if (const auto* error = std::get_if<cqld::UsageError>(&command)) {
    std::fprintf(stderr, "cqld: %s (see cqld --help)\n", error->message.c_str());
    return cqld::kExitUsageError;
  }
  return cqld::run_cqld(std::get<cqld::RunCommand>(command).config);
}
