// The cqld process lifecycle: open the database, serve until SIGTERM/SIGINT, stop cleanly.
#pragma once

#include "server/command_line.h"

namespace cqld {

// Exit statuses of the cqld process.
constexpr int kExitOk = 0;
constexpr int kExitRuntimeError = 1;
constexpr int kExitUsageError = 2;

// Runs cqld with "config" until SIGTERM or SIGINT; returns the process exit status. Prints
// `listening on ADDR:PORT` to stdout once accepting, and a one-line error to stderr when the
// database or the listening socket cannot be opened. Must be called from the main thread
// before any other thread is started (it blocks the stop signals for all threads).
int run_cqld(const CqldConfig& config);

}  // namespace cqld
