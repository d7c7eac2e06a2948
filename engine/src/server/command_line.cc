#include "server/command_line.h"

#include <charconv>
#include <cstdlib>
#include <chrono>
#include <functional>
#include <limits>
#include <map>
#include <optional>

namespace cqld {
namespace {

constexpr int kMaxIoThreads = 64;
constexpr int64_t kMaxFrameSizeMb = 2047;  // the frame length is a signed 32-bit number
constexpr uint16_t kMaxPort = 65535;

struct ParseError {
  std::string message;
};

std::optional<int64_t> parse_int(std::string_view text, int64_t min, int64_t max) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

int64_t int_flag(const std::string& flag, const std::string& value, int64_t min, int64_t max) {
  auto v = parse_int(value, min, max);
  if (!v) {
    throw ParseError{flag + " expects an integer between " + std::to_string(min) + " and " +
                     std::to_string(max) + ", got '" + value + "'"};
  }
  return *v;
}

using Setter = std::function<void(CqldConfig&, const std::string& flag, const std::string& value)>;

constexpr int kMaxWorkers = 1024;

// A flag of milliseconds, at least "min", stored in the field "field" selects.
template <class Field>
Setter milliseconds_flag(Field field, int64_t min = 1) {
  return [field, min](CqldConfig& c, const std::string& f, const std::string& v) {
    field(c) = std::chrono::milliseconds(int_flag(f, v, min, std::numeric_limits<int32_t>::max()));
  };
}

// A flag naming a file, stored in the field "field" selects.
template <class Field>
Setter path_flag(Field field) {
  return [field](CqldConfig& c, const std::string& f, const std::string& v) {
    if (v.empty()) throw ParseError{f + " expects a file"};
    field(c) = v;
  };
}

// Authentication and authorization, with Cassandra's class names accepted too
// (cassandra.yaml's authenticator / authorizer).
void add_auth_flags(std::map<std::string, Setter, std::less<>>& flags) {
  flags["--authenticator"] = [](CqldConfig& c, const std::string& f, const std::string& v) {
    if (v == "password" || v == "PasswordAuthenticator" || v == "org.apache.cassandra.auth.PasswordAuthenticator") {
      c.database.auth.authenticate = true;
    } else if (v == "allow-all" || v == "AllowAllAuthenticator" ||
               v == "org.apache.cassandra.auth.AllowAllAuthenticator") {
      c.database.auth.authenticate = false;
    } else {
      throw ParseError{f + " expects password (PasswordAuthenticator) or allow-all (AllowAllAuthenticator), got '" +
                       v + "'"};
    }
  };
  flags["--authorizer"] = [](CqldConfig& c, const std::string& f, const std::string& v) {
    if (v == "cassandra" || v == "CassandraAuthorizer" || v == "org.apache.cassandra.auth.CassandraAuthorizer") {
      c.database.auth.authorize = true;
    } else if (v == "allow-all" || v == "AllowAllAuthorizer" || v == "org.apache.cassandra.auth.AllowAllAuthorizer") {
      c.database.auth.authorize = false;
    } else {
      throw ParseError{f + " expects cassandra (CassandraAuthorizer) or allow-all (AllowAllAuthorizer), got '" + v +
                       "'"};
    }
  };
  flags["--superuser-password"] = [](CqldConfig& c, const std::string& f, const std::string& v) {
    if (v.empty()) throw ParseError{f + " expects a password"};
    c.database.auth.superuser_password = v;
  };
}

const std::map<std::string, Setter, std::less<>>& valued_flags();

const std::map<std::string, Setter, std::less<>>& all_valued_flags() {
  static const std::map<std::string, Setter, std::less<>> flags = [] {
    auto all = valued_flags();
    add_auth_flags(all);
    return all;
  }();
  return flags;
}

const std::map<std::string, Setter, std::less<>>& valued_flags() {
  static const std::map<std::string, Setter, std::less<>> flags = {
      {"--data-dir",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         if (v.empty()) throw ParseError{f + " expects a directory"};
         c.database.data_dir = v;
       }},
      {"--listen", [](CqldConfig& c, const std::string&,
                      const std::string& v) { c.server.listen_address = v; }},
      {"--port",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.server.port = static_cast<uint16_t>(int_flag(f, v, 0, kMaxPort));
       }},
      {"--nodetool-port",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.nodetool_port = v == "none" ? -1 : static_cast<int>(int_flag(f, v, 0, kMaxPort));
       }},
      {"--threads",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.server.io_threads = static_cast<int>(int_flag(f, v, 1, kMaxIoThreads));
       }},
      {"--max-frame-size-mb",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.server.session.max_frame_body = static_cast<size_t>(int_flag(f, v, 1, kMaxFrameSizeMb))
                                           << 20;
       }},
      {"--max-connections",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.server.max_connections = static_cast<size_t>(int_flag(f, v, 1, 1 << 20));
       }},
      {"--max-in-flight",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.server.connection.max_in_flight = static_cast<size_t>(int_flag(f, v, 1, 1 << 20));
       }},
      {"--commitlog-sync",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         if (v != "periodic" && v != "batch") {
           throw ParseError{f + " expects 'periodic' or 'batch', got '" + v + "'"};
         }
         c.database.sync_each_write = v == "batch";
       }},
      {"--commitlog-sync-period-ms",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.database.sync_period_ms =
             static_cast<int>(int_flag(f, v, 1, std::numeric_limits<int32_t>::max()));
       }},
      {"--workers",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.server.workers = static_cast<int>(int_flag(f, v, 1, kMaxWorkers));
       }},
      {"--read-timeout-ms", milliseconds_flag([](CqldConfig& c) -> auto& { return c.database.limits.read_timeout; })},
      {"--range-timeout-ms", milliseconds_flag([](CqldConfig& c) -> auto& { return c.database.limits.range_timeout; })},
      {"--write-timeout-ms", milliseconds_flag([](CqldConfig& c) -> auto& { return c.database.limits.write_timeout; })},
      {"--cas-contention-timeout-ms",
       milliseconds_flag([](CqldConfig& c) -> auto& { return c.database.limits.cas_contention_timeout; })},
      {"--frame-timeout-ms", milliseconds_flag([](CqldConfig& c) -> auto& { return c.server.connection.frame_timeout; })},
      {"--handshake-timeout-ms",
       milliseconds_flag([](CqldConfig& c) -> auto& { return c.server.connection.handshake_timeout; })},
      {"--idle-timeout-ms",
       milliseconds_flag([](CqldConfig& c) -> auto& { return c.server.connection.idle_timeout; }, 0)},
      {"--tls-cert", path_flag([](CqldConfig& c) -> auto& { return c.server.tls.cert_file; })},
      {"--tls-key", path_flag([](CqldConfig& c) -> auto& { return c.server.tls.key_file; })},
      {"--tls-ca", path_flag([](CqldConfig& c) -> auto& { return c.server.tls.ca_file; })},
      {"--tls-mode",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         if (v != "optional" && v != "required") {
           throw ParseError{f + " expects 'optional' or 'required', got '" + v + "'"};
         }
         c.server.tls.mode = v == "optional" ? transport::TlsMode::kOptional : transport::TlsMode::kRequired;
       }},
      {"--tls-require-client-auth",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         using transport::ClientAuth;
         if (v != "true" && v != "false" && v != "optional") {
           throw ParseError{f + " expects 'true', 'false' or 'optional', got '" + v + "'"};
         }
         c.server.tls.client_auth = v == "true" ? ClientAuth::kRequired
                                    : v == "optional" ? ClientAuth::kOptional
                                                      : ClientAuth::kNone;
       }},
      {"--max-in-product",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.database.limits.max_in_product = static_cast<size_t>(int_flag(f, v, 1, std::numeric_limits<int32_t>::max()));
       }},
      {"--max-result-page-mb",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.database.limits.max_result_page_bytes = static_cast<size_t>(int_flag(f, v, 1, kMaxFrameSizeMb)) << 20;
       }},
      {"--statement-cache-mb",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         size_t bytes = static_cast<size_t>(int_flag(f, v, 1, 1 << 16)) << 20;
         c.database.limits.prepared_cache_bytes = bytes;
         c.database.limits.text_cache_bytes = bytes / 2;
       }},
      {"--max-request-mb-in-flight",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         c.server.max_request_bytes_in_flight = static_cast<size_t>(int_flag(f, v, 1, 1 << 20)) << 20;
       }},
      {"--log-level",
       [](CqldConfig& c, const std::string& f, const std::string& v) {
         auto level = log_level_by_name(v);
         if (!level) throw ParseError{f + " expects error, warn, info or debug, got '" + v + "'"};
         c.log_level = *level;
       }},
  };
  return flags;
}

// TLS is on once a certificate is given (required unless --tls-mode optional, as Cassandra's
// client encryption with optional: false); the files themselves are checked at startup.
void finish_tls(transport::TlsOptions& tls, bool mode_given) {
  bool cert = !tls.cert_file.empty();
  if (cert != !tls.key_file.empty()) throw ParseError{"--tls-cert and --tls-key go together"};
  if (!cert) {
    if (mode_given || !tls.ca_file.empty() || tls.client_auth != transport::ClientAuth::kNone) {
      throw ParseError{"TLS options need --tls-cert FILE and --tls-key FILE"};
    }
    return;
  }
  if (tls.client_auth != transport::ClientAuth::kNone && tls.ca_file.empty()) {
    throw ParseError{"--tls-require-client-auth needs --tls-ca FILE, the CA client certificates are verified against"};
  }
  if (!mode_given) tls.mode = transport::TlsMode::kRequired;
}

void finish(CqldConfig& config, bool memory) {
  bool data_dir = !config.database.data_dir.empty();
  if (memory == data_dir) throw ParseError{"exactly one of --memory or --data-dir DIR is required"};
  config.database.in_memory = memory;
  if (config.database.auth.authorize && !config.database.auth.authenticate)
    throw ParseError{"--authorizer cassandra needs --authenticator password (roles must log in to hold permissions)"};
  config.database.listen_address = config.server.listen_address;
  config.database.port = config.server.port;
}

// What follows `cqld nodetool`: the connection options (anywhere, as Cassandra's nodetool takes
// them; credentials are accepted and unused, the port being loopback-only), then the command.
Command parse_nodetool(const std::vector<std::string>& args) {
  NodetoolCommand command;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    bool connection = arg == "-h" || arg == "--host" || arg == "-p" || arg == "--port" || arg == "-u" ||
                      arg == "--username" || arg == "-pw" || arg == "--password" || arg == "-pwf" ||
                      arg == "--password-file";
    if (!connection) {
      command.args.push_back(arg);
      continue;
    }
    if (i + 1 >= args.size()) throw ParseError{"nodetool: " + arg + " requires a value"};
    const std::string& value = args[++i];
    if (arg == "-h" || arg == "--host") command.host = value;
    if (arg == "-p" || arg == "--port") command.port = static_cast<int>(int_flag(arg, value, 1, kMaxPort));
  }
  return command;
}

}  // namespace

Command parse_command_line(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "nodetool") {
    try {
      return parse_nodetool(args);
    } catch (const ParseError& e) {
      return UsageError{e.message};
    }
  }
  CqldConfig config;
  // The initial superuser password may come from the environment, where other users of the
  // machine do not see it (a command line is visible to them).
  if (const char* password = std::getenv(kSuperuserPasswordEnv); password != nullptr && *password != '\0')
    config.database.auth.superuser_password = password;
  bool memory = false;
  try {
    for (size_t i = 0; i < args.size(); ++i) {
      std::string flag = args[i];
      std::optional<std::string> value;
      if (auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
        value = flag.substr(eq + 1);
        flag.resize(eq);
      }
      if (flag == "--help" || flag == "-h") return HelpCommand{};
      if (flag == "--version") return VersionCommand{};
      if (flag == "--memory" && !value) {
        memory = true;
        continue;
      }
      auto it = all_valued_flags().find(flag);
      if (it == all_valued_flags().end()) throw ParseError{"unknown option '" + args[i] + "'"};
      if (!value) {
        if (i + 1 >= args.size()) throw ParseError{flag + " requires a value"};
        value = args[++i];
      }
      it->second(config, flag, *value);
    }
    finish(config, memory);
    finish_tls(config.server.tls, config.server.tls.mode != transport::TlsMode::kOff);
  } catch (const ParseError& e) {
    return UsageError{e.message};
  }
  return RunCommand{std::move(config)};
}

std::string usage_text() {
  return R"(Usage: cqld (--memory | --data-dir DIR) [options]
       cqld nodetool [-h HOST] [-p PORT] COMMAND [ARGS]   (cqld nodetool help lists the commands)

A single-node CQL server speaking the Cassandra native protocol (v3, v4).

Storage (exactly one):
  --memory                     keep everything in memory; nothing is written to disk
  --data-dir DIR               store data in DIR (created if missing)

Options:
  --listen ADDR                address to listen on (default 127.0.0.1)
  --port N                     port to listen on (default 9042; 0 picks a free port)
  --nodetool-port N            nodetool's port, on 127.0.0.1 only (default 7199, or a free
                               port when --port is 0; none: no nodetool port)
  --threads N                  I/O threads (default 2)
  --max-frame-size-mb N        largest accepted request frame body (default 16, as
                               Cassandra's native_transport_max_frame_size); a larger request
                               is answered Invalid and dropped, the connection kept
  --max-connections N          connections beyond this are refused (default 1024)
  --max-in-flight N            unanswered requests per connection before reading pauses
                               (default 128)
  --workers N                  threads that execute requests (default 2 per core, at least 4;
                               at least 64 with --commitlog-sync batch, where a write holds
                               its worker until the log sync that covers it)
  --read-timeout-ms N          a read of named partitions past this answers ReadTimeout
                               (default 5000, Cassandra's read_request_timeout)
  --range-timeout-ms N         a read over a token range (default 10000)
  --write-timeout-ms N         a write past this answers WriteTimeout (default 2000)
  --cas-contention-timeout-ms N  the longest a lightweight transaction waits for its
                               partition's lock (default 1000)
  --frame-timeout-ms N         a connection sending part of a frame and then nothing for this
                               long is closed (default 10000)
  --handshake-timeout-ms N     a connection not ready (STARTUP done) within this is closed
                               (default 10000)
  --idle-timeout-ms N          a ready connection idle this long is closed (default 0: never)
  --tls-cert FILE              serve TLS (1.2, 1.3) with this PEM certificate chain
  --tls-key FILE               the certificate's PEM private key (unencrypted)
  --tls-mode MODE              required (default with --tls-cert): plaintext clients are
                               disconnected; optional: TLS and plaintext on the same port
  --tls-ca FILE                PEM CA certificates client certificates are verified against
  --tls-require-client-auth V  false (default), optional (verified when sent) or true
                               (clients without a certificate from --tls-ca are refused)
  --max-request-mb-in-flight N large request bodies held at once, all connections (default 1024)
  --max-in-product N           the most values IN restrictions may produce (default 65536)
  --max-result-page-mb N       the largest result page (default 256): paged queries end the
                               page early, unpaged ones are refused
  --statement-cache-mb N       memory for prepared statements (default 64; half as much again
                               for unprepared statement texts)
  --commitlog-sync MODE        periodic (default): acknowledge before syncing the log;
                               batch: acknowledge after the log is synced
  --commitlog-sync-period-ms N periodic mode's sync interval (default 10000)
  --log-level LEVEL            error, warn, info (default) or debug

Authentication and authorization (Cassandra's class names are accepted too):
  --authenticator NAME         allow-all (default: anyone connects) or password
                               (PasswordAuthenticator: logins checked against system_auth.roles)
  --authorizer NAME            allow-all (default) or cassandra (CassandraAuthorizer: GRANTed
                               permissions checked on every statement; needs --authenticator)
  --superuser-password P       the password of the default superuser 'cassandra', created on
                               the first start with --authenticator password (default: the
                               environment's CQLD_SUPERUSER_PASSWORD, else cassandra)
  --version                    print the version and exit
  --help                       print this help and exit

Once accepting connections cqld prints `listening on ADDR:PORT` on stdout, then
`nodetool at 127.0.0.1:PORT` when it has a nodetool port.
SIGTERM or SIGINT stops it cleanly.
)";
}

}  // namespace cqld
