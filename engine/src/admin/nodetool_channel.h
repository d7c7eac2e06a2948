// The nodetool port: how `cqld nodetool` reaches a running cqld, as Cassandra's nodetool reaches
// a node over JMX (port 7199 by default). It listens on 127.0.0.1 only, as Cassandra's JMX does
// by default, because it runs operations (drain, compact, snapshot) without credentials.
//
// One request per connection: the client sends the command line (a u32 count, then each
// argument as a u32 length and its bytes, big-endian), the server answers with the exit status
// (a byte), then standard output and standard error (each a u32 length and bytes), and closes.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "admin/nodetool.h"

namespace cqld::admin {

constexpr int kDefaultNodetoolPort = 7199;
// A command line longer than this is refused (commands name a few keyspaces and tables).
constexpr size_t kMaxRequestBytes = 64 * 1024;

std::string encode_request(const std::vector<std::string>& args);
// False when "bytes" is not a whole, well-formed request.
bool decode_request(std::string_view bytes, std::vector<std::string>* args);
std::string encode_reply(const NodetoolReply& reply);
bool decode_reply(std::string_view bytes, NodetoolReply* reply);

// Serves nodetool requests on one thread, one connection at a time; a client that stalls is
// cut off after a few seconds, so it cannot hold the port.
class NodetoolServer {
 public:
  NodetoolServer(NodeOperations& node, NodeControls controls);
  ~NodetoolServer();
  // Binds 127.0.0.1:port (0: a free port) and returns the port. Throws std::system_error.
  int listen(int port);
  void start();
  void stop();

 private:
  void serve_loop();
  void serve_one(int fd);

  NodeOperations& node_;
  NodeControls controls_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// `cqld nodetool`: sends "args" to the server at host:port, prints its answer and returns its
// exit status (1, with Cassandra nodetool's message, when it cannot connect).
int run_nodetool_client(const std::string& host, int port, const std::vector<std::string>& args);

}  // namespace cqld::admin
