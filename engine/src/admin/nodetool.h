// nodetool's commands as cqld runs them: parses a command line (what follows `nodetool` and its
// connection options), runs it against the database and formats the answer as Cassandra's
// nodetool prints it, so scripts that read nodetool's output read cqld's. The commands: status,
// info, describecluster, version, tablestats (cfstats), flush, compact, snapshot,
// clearsnapshot, listsnapshots, drain, help.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "exec/node_operations.h"

namespace cqld::admin {

// What nodetool prints and its exit status, as Cassandra's nodetool gives them: 0 on success;
// 1 for a bad command line or an unknown keyspace ("nodetool: ..." on standard output); 2 when
// the operation itself failed ("error: ..." on standard error).
struct NodetoolReply {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// What the server around the database does for nodetool.
struct NodeControls {
  // Stops serving clients (drain); afterwards transport_active() is false.
  std::function<void()> stop_transport;
  std::function<bool()> transport_active;
};

NodetoolReply run_nodetool(NodeOperations& node, const NodeControls& controls, const std::vector<std::string>& args);

// Cassandra's FileUtils.stringifyFileSize: "0 bytes", "85.04 KiB", "1.5 MiB" (two decimals at
// most, trailing zeros dropped).
std::string human_size(double bytes);

}  // namespace cqld::admin
