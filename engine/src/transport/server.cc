#include "transport/server.h"

#include <cassert>
#include <stdexcept>
#include <thread>

#include "common/log.h"

namespace cqld::transport {
namespace {

// After a failed accept (say, out of file descriptors) wait before trying again.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
// While stopping, connections are asked to stop again this often until all have closed.
constexpr auto kStopRound = std::chrono::milliseconds(100);

asio::ip::tcp::endpoint resolve(asio::io_context& io, const std::string& address, uint16_t port) {
  asio::error_code ec;
  asio::ip::address ip = asio::ip::make_address(address, ec);
  if (!ec) return {ip, port};
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(address, std::to_string(port), ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve listen address " + address + ": " + ec.message());
  }
  return results.begin()->endpoint();
}

// An I/O thread that blocks in epoll_wait has to be woken (an epoll_ctl on asio's interrupter
// and a context switch) for every reply a worker hands back. So while its connections are busy
// the thread keeps polling for this long after the last handler it ran, yielding the core, and
// blocks only once they are quiet.
constexpr auto kIoSearchTime = std::chrono::microseconds(50);

void run_io_context(asio::io_context& io) {
  auto last_work = std::chrono::steady_clock::now();
  while (!io.stopped()) {
    if (io.poll() > 0) {
      last_work = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_work < kIoSearchTime) {
      std::this_thread::yield();
    } else {
      io.run_one();
      last_work = std::chrono::steady_clock::now();
    }
  }
}

}  // namespace

int default_worker_count(bool writes_wait_for_sync) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  int for_cores = static_cast<int>(std::max(4u, 2 * cores));
  return writes_wait_for_sync ? std::max(for_cores, kSyncWaitingWorkers) : for_cores;
}

Server::Server(ServerOptions options)
    : options_(std::move(options)), request_budget_(options_.max_request_bytes_in_flight) {
  int workers = options_.workers > 0 ? options_.workers : default_worker_count(options_.writes_wait_for_sync);
  workers_ = std::make_unique<WorkerPool>(static_cast<size_t>(workers), options_.max_queued_requests);
  int threads = std::max(1, options_.io_threads);
  for (int i = 0; i < threads; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    work_.push_back(asio::make_work_guard(*contexts_.back()));
  }
}

Server::~Server() {
  stop();
  // Coroutines still suspended (a stop that ran out of grace) are destroyed with their
  // io_context, which destroys their connections: do it while the registry is alive.
  acceptor_.reset();
  work_.clear();
  contexts_.clear();
}

asio::ip::tcp::endpoint Server::listen() {
  if (options_.tls.mode != TlsMode::kOff) tls_context_ = make_tls_context(options_.tls);
  asio::io_context& io = *contexts_[0];
  asio::ip::tcp::endpoint endpoint = resolve(io, options_.listen_address, options_.port);
  acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(io);
  acceptor_->open(endpoint.protocol());
  acceptor_->set_option(asio::socket_base::reuse_address(true));
  acceptor_->bind(endpoint);
  acceptor_->listen(asio::socket_base::max_listen_connections);
  endpoint_ = acceptor_->local_endpoint();
  return endpoint_;
}

void Server::serve(QueryProcessor& processor) {
  assert(acceptor_ && !started_);
  processor_ = &processor;
  processor_->set_schema_change_listener(
      [this](const SchemaChangeResult& change) { broadcast(change); });
  asio::co_spawn(*contexts_[0], accept_loop(), asio::detached);
  for (auto& context : contexts_) {
    threads_.emplace_back([io = context.get()] { run_io_context(*io); });
  }
  started_ = true;
}

asio::awaitable<void> Server::accept_loop() {
  asio::steady_timer retry(acceptor_->get_executor());
  while (acceptor_->is_open()) {
    asio::error_code ec;
    asio::ip::tcp::socket socket = co_await acceptor_->async_accept(
        next_context(), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) break;
    if (ec) {
      log_message(LogLevel::kWarn, "accept failed: " + ec.message());
      retry.expires_after(kAcceptRetryDelay);
      co_await retry.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    accept(std::move(socket));
  }
}

asio::io_context& Server::next_context() {
  asio::io_context& io = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  return io;
}

void Server::accept(asio::ip::tcp::socket socket) {
  std::unique_lock lock(mutex_);
  if (connections_.size() >= options_.max_connections) {
    lock.unlock();
    log_message(LogLevel::kWarn, "refusing a connection: already " +
                                     std::to_string(options_.max_connections) + " connections");
    asio::error_code ec;
    socket.close(ec);
    return;
  }
  auto connection = std::make_shared<Connection>(std::move(socket), *processor_, options_.session,
                                                 options_.connection, request_budget_, *workers_,
                                                 ConnectionTls{tls_context_, options_.tls.mode});
  const Connection* key = connection.get();
  if (log_enabled(LogLevel::kDebug)) {
    log_message(LogLevel::kDebug, "connection from " + connection->client().peer_address);
  }
  connections_[key] = connection;
  lock.unlock();
  connection->set_on_closed([this, key] { forget(key); });
  connection->start();
}

void Server::forget(const Connection* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
  if (connections_.empty()) all_closed_.notify_all();
}

void Server::broadcast(const SchemaChangeResult& change) {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [key, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) {
    asio::post(connection->executor(),
               [connection, change] { connection->push_schema_change(change); });
  }
}

size_t Server::stop_connections() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [key, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) {
    asio::post(connection->executor(), [connection] { connection->stop(); });
  }
  return live.size();
}

size_t Server::connection_count() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

void Server::stop(std::chrono::milliseconds grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  asio::post(*contexts_[0], [this] {
    asio::error_code ec;
    acceptor_->close(ec);
  });
  // Connections accepted while the acceptor was closing are caught by the next round.
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (stop_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::unique_lock lock(mutex_);
    auto round_end = std::min(deadline, std::chrono::steady_clock::now() + kStopRound);
    all_closed_.wait_until(lock, round_end, [this] { return connections_.empty(); });
  }
  // Requests still running finish before the processor can go; their replies are dropped
  // with the I/O threads if those connections ran out of grace.
  workers_->stop();
  for (auto& guard : work_) guard.reset();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  processor_->set_schema_change_listener(nullptr);
}

}  // namespace cqld::transport
