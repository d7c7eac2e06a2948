// The native protocol server: a listening socket, a few I/O threads, each running its own
// io_context and owning the connections accepted onto it, and the worker pool that executes
// their requests. Schema change events from the
// processor are posted to every connection's thread. Binding comes before serving so the
// database can be opened knowing the real port. Stop it before destroying the processor.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/worker_pool.h"
#include "exec/query_processor.h"
#include "transport/connection.h"
#include "transport/session.h"
#include "transport/tls.h"

namespace cqld::transport {

constexpr int kDefaultIoThreads = 2;
constexpr size_t kDefaultMaxConnections = 1024;
constexpr auto kDefaultShutdownGrace = std::chrono::seconds(10);
constexpr size_t kDefaultMaxRequestBytesInFlight = size_t{1} << 30;
// Requests queued for the workers, beyond which new ones are answered Overloaded.
constexpr size_t kDefaultMaxQueuedRequests = 65536;

// Workers that execute requests: enough that requests waiting on a lock or the disk leave
// cores for the others. When every write waits for its log sync (commitlog_sync batch), many
// more: a worker blocks in the sync, and RocksDB syncs the log once for all the writes waiting
// at that moment, so the writes one sync covers (group commit) are bounded by the workers, as
// Cassandra's by its native transport threads.
int default_worker_count(bool writes_wait_for_sync);
constexpr int kSyncWaitingWorkers = 64;

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 9042;  // 0: any free port
  int io_threads = kDefaultIoThreads;
  int workers = 0;  // 0: default_worker_count(writes_wait_for_sync)
  bool writes_wait_for_sync = false;  // commitlog_sync batch
  size_t max_queued_requests = kDefaultMaxQueuedRequests;
  // Connections beyond this are closed as soon as they are accepted.
  size_t max_connections = kDefaultMaxConnections;
  // Large request frames buffered at once across all connections (see RequestBudget).
  size_t max_request_bytes_in_flight = kDefaultMaxRequestBytesInFlight;
  SessionOptions session;
  ConnectionLimits connection;
  TlsOptions tls;  // client encryption; the nodetool port stays plaintext on loopback
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and keys (when options.tls asks for TLS), binds the listening
  // socket and returns the bound endpoint (the real port when options.port was 0). Throws
  // TlsConfigError for unusable TLS files, std::system_error when the address cannot be
  // bound, std::runtime_error when it cannot be resolved.
  asio::ip::tcp::endpoint listen();
  // Starts accepting on the I/O threads after listen(). "processor" must stay alive until
  // stop() has returned.
  void serve(QueryProcessor& processor);
  // Before serve(): connections authenticate through "authenticator" (null: none). It must stay
  // alive until stop() has returned.
  void set_authenticator(const Authenticator* authenticator) { options_.session.authenticator = authenticator; }
  asio::ip::tcp::endpoint local_endpoint() const { return endpoint_; }

  // Stops accepting, lets connections finish the requests they have read and write their
  // responses for at most "grace", then stops the I/O threads. Idempotent.
  void stop(std::chrono::milliseconds grace = kDefaultShutdownGrace);

  size_t connection_count() const;

 private:
  asio::awaitable<void> accept_loop();
  void accept(asio::ip::tcp::socket socket);
  void broadcast(const SchemaChangeResult& change);
  void forget(const Connection* connection);
  size_t stop_connections();  // asks every live connection to stop; returns how many
  asio::io_context& next_context();

  QueryProcessor* processor_ = nullptr;  // set by serve()
  ServerOptions options_;
  RequestBudget request_budget_;
  std::shared_ptr<asio::ssl::context> tls_context_;  // set by listen() when TLS is on
  std::unique_ptr<WorkerPool> workers_;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  asio::ip::tcp::endpoint endpoint_;
  size_t next_context_ = 0;
  bool started_ = false;
  bool stopped_ = false;

  mutable std::mutex mutex_;  // guards connections_
  std::condition_variable all_closed_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;
};

}  // namespace cqld::transport
