// One client connection over TCP: a reader coroutine that frames bytes and hands each request
// to its Session (running the processor on this I/O thread), and a writer coroutine that
// drains a bounded queue of response and event frames. All members are used only on the
// socket's executor (one I/O thread), so nothing here needs locks.
#pragma once

#include <asio.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exec/query_processor.h"
#include "transport/request_budget.h"
#include "transport/session.h"

namespace cqld::transport {

struct ConnectionLimits {
  // Reading pauses while this many responses are waiting to be written (pipelined requests
  // beyond it stay in the socket: TCP backpressure instead of unbounded memory).
  size_t max_in_flight = 1024;
  // Reading also pauses while this many response bytes wait; events beyond twice this close
  // the connection (a client that never reads must not grow the queue without bound).
  size_t max_queued_bytes = size_t{64} << 20;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // "budget" bounds large request frames across connections; it must outlive the connection.
  Connection(asio::ip::tcp::socket socket, QueryProcessor& processor, SessionOptions session,
             ConnectionLimits limits, RequestBudget& budget);
  ~Connection();

  // "on_closed" runs when the connection object is destroyed (both coroutines have ended).
  void set_on_closed(std::function<void()> on_closed) { on_closed_ = std::move(on_closed); }

  // Spawns the reader and writer on the socket's executor.
  void start();
  // The following must be called on executor().
  // Stops reading; frames already queued are still written, then the socket closes.
  void stop();
  void push_schema_change(const SchemaChangeResult& change);

  asio::any_io_executor executor() { return socket_.get_executor(); }
  const ClientState& client() const { return session_.client(); }

 private:
  asio::awaitable<void> read_loop();
  asio::awaitable<void> read_frames();
  asio::awaitable<void> write_loop();
  asio::awaitable<bool> fill(size_t n);  // false: EOF, error or stop
  asio::awaitable<void> wait_for_room();
  asio::awaitable<bool> acquire_budget(size_t frame_length);
  std::string_view buffered(size_t n) const { return {buffer_.data() + begin_, n}; }
  void consume(size_t n);
  void enqueue(std::string frame);
  void close_socket();

  asio::ip::tcp::socket socket_;
  Session session_;
  ConnectionLimits limits_;
  RequestBudget& budget_;
  std::function<void()> on_closed_;

  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;

  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;
  asio::steady_timer write_signal_;  // wakes the writer: a frame was queued, or reading ended
  asio::steady_timer room_signal_;   // wakes the reader: the writer freed queue space
  asio::steady_timer budget_retry_;  // paces retries while the request budget is exhausted
  asio::cancellation_signal read_cancel_;
  bool stopping_ = false;
  bool reader_done_ = false;
  bool writer_done_ = false;
};

}  // namespace cqld::transport
