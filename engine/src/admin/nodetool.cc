#include "admin/nodetool.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <algorithm>


namespace cqld::admin {
namespace {

// Cassandra's two kinds of failure: a command line nodetool refuses (exit 1, on standard
// output) and an operation the node refused (exit 2, on standard error).
struct UsageFailure {
  std::string message;
};
struct OperationFailure {
  std::string message;
};

// A command's arguments: its positional ones, its switches (-H) and its options with a value
// (-t TAG). Anything else is refused as Cassandra's nodetool refuses it.
struct Arguments {
  std::vector<std::string> positional;
  std::set<std::string> switches;
  std::map<std::string, std::string> options;
  bool has(const std::string& name) const { return switches.count(name) != 0; }
  std::optional<std::string> option(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
  }
};

// The flags a command accepts: each spelling maps to its canonical name.
struct FlagSpec {
  std::map<std::string, std::string> switches;
  std::map<std::string, std::string> options;
};

Arguments parse_arguments(const std::vector<std::string>& args, const FlagSpec& spec) {
  Arguments parsed;
  std::vector<std::string> unexpected;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positional || arg.empty() || arg[0] != '-') {
      parsed.positional.push_back(arg);
    } else if (arg == "--") {
      only_positional = true;
    } else if (auto s = spec.switches.find(arg); s != spec.switches.end()) {
      parsed.switches.insert(s->second);
    } else if (auto o = spec.options.find(arg); o != spec.options.end()) {
      if (i + 1 == args.size()) throw UsageFailure{"Required values for option '" + o->second + "' not provided"};
      parsed.options[o->second] = args[++i];
    } else {
      unexpected.push_back(arg);
    }
  }
  if (!unexpected.empty()) {
    std::string list;
    for (const auto& u : unexpected) list += (list.empty() ? "" : ", ") + u;
    throw UsageFailure{"Found unexpected parameters: [" + list + "]"};
  }
  return parsed;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string pad(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

// Java's Double.toString for the values nodetool prints (latencies in ms): the shortest form
// that reads back, always with a fraction.
std::string java_double(double value) {
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

double mean_ms(uint64_t micros, uint64_t count) {
  return count == 0 ? std::nan("") : static_cast<double>(micros) / static_cast<double>(count) / 1000.0;
}

struct Context {
  NodeOperations& node;
  const NodeControls& controls;
  SchemaPtr schema;
  NodetoolReply reply;
  void print(const std::string& line) { reply.out += line + "\n"; }
};

const KeyspaceDef& existing_keyspace(const Context& ctx, const std::string& name, const std::string& missing) {
  const KeyspaceDef* keyspace = ctx.schema->find_keyspace(name);
  if (!keyspace) throw UsageFailure{missing};
  return *keyspace;
}

// flush and compact: [keyspace [table ...]]; every table of every keyspace when none is named.
std::vector<const TableDef*> named_tables(const Context& ctx, const Arguments& args) {
  std::vector<const TableDef*> tables;
  if (args.positional.empty()) return tables;
  const std::string& name = args.positional[0];
  const KeyspaceDef& keyspace = existing_keyspace(ctx, name, "Keyspace [" + name + "] does not exist.");
  if (args.positional.size() == 1) {
    for (const auto& [table_name, table] : keyspace.tables) tables.push_back(table.get());
    return tables;
  }
  for (size_t i = 1; i < args.positional.size(); ++i) {
    const TableDef* table = keyspace.find_table(args.positional[i]);
    if (!table) throw OperationFailure{"Unknown keyspace/cf pair (" + name + "." + args.positional[i] + ")"};
    tables.push_back(table);
  }
  return tables;
}

void check(const Status& status) {
  if (!status.is_ok()) throw OperationFailure{status.message()};
}

void flush_command(Context& ctx, const std::vector<std::string>& argv) {
  named_tables(ctx, parse_arguments(argv, {}));
  check(ctx.node.flush());  // one store: a flush writes every table's memtable out
}

void compact_command(Context& ctx, const std::vector<std::string>& argv) {
  Arguments args = parse_arguments(argv, {{{"-s", "split-output"}, {"--split-output", "split-output"}}, {}});
  std::vector<const TableDef*> tables = named_tables(ctx, args);
  if (!args.positional.empty() && tables.empty()) return;  // a keyspace without tables
  check(ctx.node.compact(tables));
}

std::string ownership_header() { return "Owns (effective)"; }

void status_command(Context& ctx, const std::vector<std::string>& argv) {
  Arguments args = parse_arguments(argv, {{{"-r", "resolve-ip"}, {"--resolve-ip", "resolve-ip"}}, {}});
  if (args.positional.size() > 1) throw UsageFailure{"Found unexpected parameters: [" + args.positional[1] + "]"};
  if (!args.positional.empty() && !ctx.schema->find_keyspace(args.positional[0])) {
    ctx.print("");
    ctx.print("Error: The keyspace " + args.positional[0] + ", does not exist");
    ctx.reply.exit_code = 1;
    return;
  }
  NodeState state = ctx.node.node_state();
  bool up = ctx.controls.transport_active();
  std::vector<std::vector<std::string>> rows = {
      {"--", "Address", "Load", ownership_header(), "Host ID", "Token", "Rack"},
      {up ? "UN" : "DN", state.node.listen_address, human_size(static_cast<double>(state.load_bytes)), "100.0%",
       uuid_to_string(state.node.host_id), std::to_string(state.node.token), "rack1"},
  };
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  ctx.print("Datacenter: datacenter1");
  ctx.print("=======================");
  ctx.print("Status=Up/Down");
  ctx.print("|/ State=Normal/Leaving/Joining/Moving");
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += pad(row[i], widths[i]) + (i + 1 < row.size() ? "  " : "");
    ctx.print(line);
  }
  ctx.print("");
}

std::string info_line(const std::string& label, const std::string& value) { return pad(label, 23) + ": " + value; }

void info_command(Context& ctx, const std::vector<std::string>& argv) {
  parse_arguments(argv, {{{"-T", "tokens"}, {"--tokens", "tokens"}}, {}});
  NodeState state = ctx.node.node_state();
  std::string load = human_size(static_cast<double>(state.load_bytes));
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string active = ctx.controls.transport_active() ? "true" : "false";
  ctx.print(info_line("ID", uuid_to_string(state.node.host_id)));
  ctx.print(info_line("Gossip active", active));
  ctx.print(info_line("Native Transport active", active));
  ctx.print(info_line("Load", load));
  ctx.print(info_line("Uncompressed load", load));
  ctx.print(info_line("Generation No", std::to_string(state.started_at_seconds)));
  ctx.print(info_line("Uptime (seconds)", std::to_string(std::max<int64_t>(0, now - state.started_at_seconds))));
  ctx.print(info_line("Data Center", "datacenter1"));
  ctx.print(info_line("Rack", "rack1"));
  ctx.print(info_line("Token", std::to_string(state.node.token)));
  ctx.print(info_line("Bootstrap state", "COMPLETED"));
  ctx.print(info_line("Bootstrap failed", "false"));
  ctx.print(info_line("Decommissioning", "false"));
  ctx.print(info_line("Decommission failed", "false"));
}

// "SimpleStrategy {replication_factor=1}", as describecluster lists a keyspace.
std::string replication_text(const KeyspaceDef& keyspace) {
  std::string strategy;
  std::vector<std::string> options;
  for (const auto& [key, value] : keyspace.replication) {
    if (key == "class") {
      strategy = value.substr(value.rfind('.') + 1);
    } else {
      options.push_back(key + "=" + value);
    }
  }
  return strategy + " {" + join(options, ", ") + "}";
}

void describecluster_command(Context& ctx, const std::vector<std::string>& argv) {
  parse_arguments(argv, {});
  NodeState state = ctx.node.node_state();
  const std::string& address = state.node.listen_address;
  ctx.print("Cluster Information:");
  ctx.print("\tName: " + state.node.cluster_name);
  ctx.print("\tSnitch: org.apache.cassandra.locator.SimpleSnitch");
  ctx.print("\tDynamicEndPointSnitch: enabled");
  ctx.print("\tPartitioner: org.apache.cassandra.dht.Murmur3Partitioner");
  ctx.print("\tSchema versions:");
  ctx.print("\t\t" + uuid_to_string(state.schema_version) + ": [" + address + "]");
  ctx.print("");
  ctx.print("Stats for all nodes:");
  ctx.print("\tLive: 1");
  ctx.print("\tJoining: 0");
  ctx.print("\tMoving: 0");
  ctx.print("\tLeaving: 0");
  ctx.print("\tUnreachable: 0");
  ctx.print("");
  ctx.print("Data Centers: ");
  ctx.print("\tdatacenter1 #Nodes: 1 #Down: 0");
  ctx.print("");
  ctx.print("Database versions:");
  ctx.print("\t" + state.node.release_version + ": [" + address + ":7000]");
  ctx.print("");
  ctx.print("Keyspaces:");
  for (const auto& [name, keyspace] : ctx.schema->keyspaces) {
    ctx.print("\t" + name + " -> Replication class: " + replication_text(*keyspace));
  }
}

void version_command(Context& ctx, const std::vector<std::string>& argv) {
  parse_arguments(argv, {});
  ctx.print("ReleaseVersion: " + ctx.node.node_state().node.release_version);
}

// tablestats [-H] [keyspace | keyspace.table ...]: the tables named, grouped by keyspace.
std::map<std::string, std::vector<const TableDef*>> tables_for_stats(const Context& ctx, const Arguments& args) {
  std::map<std::string, std::vector<const TableDef*>> chosen;
  std::map<std::string, std::vector<std::string>> unknown;
  for (const auto& [name, keyspace] : ctx.schema->keyspaces) {
    if (!args.positional.empty()) continue;
    for (const auto& [table_name, table] : keyspace->tables) chosen[name].push_back(table.get());
  }
  for (const std::string& target : args.positional) {
    size_t dot = target.find('.');
    std::string keyspace_name = target.substr(0, dot);
    const KeyspaceDef& keyspace = existing_keyspace(ctx, keyspace_name, "Unknown keyspace: " + keyspace_name);
    auto& tables = chosen[keyspace_name];
    auto add = [&tables](const TableDef* table) {
      if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
    };
    if (dot == std::string::npos) {
      for (const auto& [table_name, table] : keyspace.tables) add(table.get());
    } else if (const TableDef* table = keyspace.find_table(target.substr(dot + 1))) {
      add(table);
    } else {
      unknown[keyspace_name].push_back(target.substr(dot + 1));
    }
  }
  for (const auto& [keyspace, tables] : unknown) {
    throw UsageFailure{"Unknown tables: [" + join(tables, ", ") + "] in keyspace: " + keyspace};
  }
  return chosen;
}

void table_block(Context& ctx, const TableDef& table, const TableStatistics& stats, bool human) {
  auto size = [human](uint64_t bytes) { return human ? human_size(static_cast<double>(bytes)) : std::to_string(bytes); };
  const TableActivity& a = stats.activity;
  double ratio = a.writes == 0 ? 0.0 : static_cast<double>(a.reads) / static_cast<double>(a.writes);
  ctx.print("\t\tTable: " + table.name);
  ctx.print("\t\tSSTable count: " + std::to_string(stats.space.data_files));
  ctx.print("\t\tSpace used (live): " + size(stats.space.bytes_on_disk));
  ctx.print("\t\tSpace used (total): " + size(stats.space.bytes_on_disk));
  ctx.print("\t\tNumber of partitions (estimate): " + std::to_string(stats.partitions));
  ctx.print("\t\tMemtable data size: " + size(stats.space.bytes_in_memory));
  ctx.print("\t\tLocal read count: " + std::to_string(a.reads));
  ctx.print("\t\tLocal read latency: " + fixed(mean_ms(a.read_micros, a.reads), 3) + " ms");
  ctx.print("\t\tLocal write count: " + std::to_string(a.writes));
  ctx.print("\t\tLocal write latency: " + fixed(mean_ms(a.write_micros, a.writes), 3) + " ms");
  ctx.print("\t\tLocal read/write ratio: " + fixed(ratio, 5));
  ctx.print("");
}

void tablestats_command(Context& ctx, const std::vector<std::string>& argv) {
  Arguments args = parse_arguments(argv, {{{"-H", "human"}, {"--human-readable", "human"}}, {}});
  auto chosen = tables_for_stats(ctx, args);
  size_t total = 0;
  for (const auto& [keyspace, tables] : chosen) total += tables.size();
  ctx.print("Total number of tables: " + std::to_string(total));
  ctx.print("----------------");
  for (const auto& [keyspace, tables] : chosen) {
    std::vector<TableStatistics> stats;
    TableActivity sum;
    for (const TableDef* table : tables) {
      stats.push_back(ctx.node.table_statistics(*table));
      const TableActivity& a = stats.back().activity;
      sum.reads += a.reads;
      sum.read_micros += a.read_micros;
      sum.writes += a.writes;
      sum.write_micros += a.write_micros;
    }
    ctx.print("Keyspace: " + keyspace);
    ctx.print("\tRead Count: " + std::to_string(sum.reads));
    ctx.print("\tRead Latency: " + java_double(mean_ms(sum.read_micros, sum.reads)) + " ms");
    ctx.print("\tWrite Count: " + std::to_string(sum.writes));
    ctx.print("\tWrite Latency: " + java_double(mean_ms(sum.write_micros, sum.writes)) + " ms");
    ctx.print("\tPending Flushes: 0");
    for (size_t i = 0; i < tables.size(); ++i) table_block(ctx, *tables[i], stats[i], args.has("human"));
    ctx.print("----------------");
  }
}

// A snapshot's tag names a directory under DATA_DIR/snapshots.
void check_tag(const std::string& tag) {
  if (tag.empty() || tag == "." || tag == ".." || tag.find('/') != std::string::npos) {
    throw OperationFailure{"Snapshot name cannot be empty, '.', '..' or contain '/': " + tag};
  }
}

std::string keyspaces_text(const std::vector<std::string>& keyspaces) {
  return keyspaces.empty() ? "[all keyspaces]" : "[" + join(keyspaces, ", ") + "]";
}

void snapshot_command(Context& ctx, const std::vector<std::string>& argv) {
  Arguments args = parse_arguments(argv, {{{"-sf", "skip-flush"}, {"--skip-flush", "skip-flush"}},
                                          {{"-t", "tag"}, {"--tag", "tag"}}});
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  std::string tag = args.option("tag").value_or(std::to_string(millis.count()));
  ctx.print("Requested creating snapshot(s) for " + keyspaces_text(args.positional) + " with snapshot name [" + tag +
            "] and options {skipFlush=" + (args.has("skip-flush") ? "true" : "false") + "}");
  for (const std::string& keyspace : args.positional) existing_keyspace(ctx, keyspace, "Keyspace " + keyspace + " does not exist");
  check_tag(tag);
  check(ctx.node.snapshot(tag));
  ctx.print("Snapshot directory: " + tag);
}

void clearsnapshot_command(Context& ctx, const std::vector<std::string>& argv) {
  Arguments args = parse_arguments(argv, {{{"--all", "all"}}, {{"-t", "tag"}, {"--tag", "tag"}}});
  std::optional<std::string> tag = args.option("tag");
  if (!tag && !args.has("all")) throw UsageFailure{"Specify snapshot name or --all"};
  if (tag && args.has("all")) throw UsageFailure{"Specify only one of snapshot name or --all"};
  ctx.print("Requested clearing snapshot(s) for " + keyspaces_text(args.positional) + " with " +
            (tag ? "snapshot name [" + *tag + "]" : std::string("[all snapshots]")));
  NodeState state = ctx.node.node_state();
  if (state.in_memory) return;
  if (tag) check_tag(*tag);
  std::filesystem::path dir = std::filesystem::path(state.data_dir) / "snapshots";
  std::error_code ec;
  std::filesystem::remove_all(tag ? dir / *tag : dir, ec);
  if (ec) throw OperationFailure{"cannot remove " + (tag ? dir / *tag : dir).string() + ": " + ec.message()};
}

void listsnapshots_command(Context& ctx, const std::vector<std::string>& argv) {
  parse_arguments(argv, {});
  NodeState state = ctx.node.node_state();
  std::filesystem::path dir = std::filesystem::path(state.data_dir) / "snapshots";
  std::error_code ec;
  std::vector<std::pair<std::string, uintmax_t>> snapshots;
  if (!state.in_memory && std::filesystem::is_directory(dir, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      uintmax_t bytes = 0;
      for (const auto& file : std::filesystem::recursive_directory_iterator(entry.path(), ec)) {
        if (file.is_regular_file(ec)) bytes += file.file_size(ec);
      }
      snapshots.emplace_back(entry.path().filename().string(), bytes);
    }
  }
  std::sort(snapshots.begin(), snapshots.end());
  ctx.print("Snapshot Details: ");
  if (snapshots.empty()) {
    ctx.print("There are no snapshots");
    return;
  }
  size_t width = std::string("Snapshot name").size();
  for (const auto& [name, bytes] : snapshots) width = std::max(width, name.size());
  ctx.print(pad("Snapshot name", width) + " Size on disk");
  for (const auto& [name, bytes] : snapshots) ctx.print(pad(name, width) + " " + human_size(static_cast<double>(bytes)));
  ctx.print("");
}

void drain_command(Context& ctx, const std::vector<std::string>& argv) {
  parse_arguments(argv, {});
  ctx.controls.stop_transport();
  check(ctx.node.flush());
}

using Handler = void (*)(Context&, const std::vector<std::string>&);

const std::map<std::string, std::pair<Handler, const char*>>& commands() {
  static const std::map<std::string, std::pair<Handler, const char*>> table = {
      {"cfstats", {tablestats_command, "Print statistics on tables (an alias of tablestats)"}},
      {"clearsnapshot", {clearsnapshot_command, "Remove the snapshot with the given name (-t) or all of them (--all)"}},
      {"compact", {compact_command, "Force a (major) compaction on one or more tables or user-defined compaction on given SSTables"}},
      {"describecluster", {describecluster_command, "Print the name, snitch, partitioner and schema version of a cluster"}},
      {"drain", {drain_command, "Drain the node (stop accepting writes and flush all tables)"}},
      {"flush", {flush_command, "Flush one or more tables"}},
      {"info", {info_command, "Print node information (uptime, load, ...)"}},
      {"listsnapshots", {listsnapshots_command, "Lists all the snapshots along with the size on disk"}},
      {"snapshot", {snapshot_command, "Take a snapshot of specified keyspaces or a snapshot of the specified table"}},
      {"status", {status_command, "Print cluster information (state, load, IDs, ...)"}},
      {"tablestats", {tablestats_command, "Print statistics on tables"}},
      {"version", {version_command, "Print cassandra version"}},
  };
  return table;
}

void help_command(Context& ctx) {
  ctx.print("usage: nodetool [(-h <host> | --host <host>)] [(-p <port> | --port <port>)] <command> [<args>]");
  ctx.print("");
  ctx.print("The most commonly used nodetool commands are:");
  for (const auto& [name, entry] : commands()) ctx.print("    " + pad(name, 27) + entry.second);
  ctx.print("");
  ctx.print("See 'nodetool help <command>' for more information on a specific command.");
  ctx.print("");
}

}  // namespace

std::string human_size(double bytes) {
  static const std::pair<double, const char*> units[] = {
      {1024.0 * 1024 * 1024 * 1024, "TiB"}, {1024.0 * 1024 * 1024, "GiB"}, {1024.0 * 1024, "MiB"}, {1024.0, "KiB"}};
  const char* unit = "bytes";
  for (const auto& [size, name] : units) {
    if (bytes >= size) {
      bytes /= size;
      unit = name;
      break;
    }
  }
  // DecimalFormat("#.##"): at most two decimals, half-even, no trailing zeros.
  double rounded = std::nearbyint(bytes * 100.0) / 100.0;
  std::string text = fixed(rounded, 2);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + " " + unit;
}

NodetoolReply run_nodetool(NodeOperations& node, const NodeControls& controls, const std::vector<std::string>& args) {
  Context ctx{node, controls, node.schema_snapshot(), {}};
  try {
    if (args.empty() || args[0] == "help") {
      help_command(ctx);
      return ctx.reply;
    }
    auto it = commands().find(args[0]);
    if (it == commands().end()) throw UsageFailure{"Found unexpected parameters: [" + join(args, ", ") + "]"};
    it->second.first(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const UsageFailure& failure) {
    ctx.reply.out += "nodetool: " + failure.message + "\nSee 'nodetool help' or 'nodetool help <command>'.\n";
    ctx.reply.exit_code = 1;
  } catch (const OperationFailure& failure) {
    ctx.reply.err += "error: " + failure.message + "\n-- StackTrace --\n";
    ctx.reply.exit_code = 2;
  }
  return ctx.reply;
}

}  // namespace cqld::admin
