// A small process-wide logger: one line per message on stderr, "<UTC time> <LEVEL> <text>".
// Thread-safe; messages below the configured level are dropped before formatting.
#pragma once

#include <optional>
#include <string_view>

namespace cqld {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
// Parses "error", "warn", "info" or "debug" (case-insensitive).
std::optional<LogLevel> log_level_by_name(std::string_view name);

void log_message(LogLevel level, std::string_view text);

}  // namespace cqld
