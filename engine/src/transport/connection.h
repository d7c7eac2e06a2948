// One client connection over TCP: a reader coroutine that frames bytes and hands each request
// to the worker pool (control messages are answered right here), a writer coroutine that
// drains a bounded queue of response and event frames, and a watchdog that closes connections
// that stall part way through a frame, never finish their handshake, or idle past the limit.
// All members but the completed-reply list are used only on the socket's executor (one I/O
// thread), so they need no locks; workers put their replies on that list, and the first reply
// put on an empty list posts one drain to the executor, so that replies finished while the I/O
// thread is busy cost it one wakeup between them, not one each.
#pragma once

#include <asio.hpp>
#include <asio/ssl/stream.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/worker_pool.h"
#include "exec/query_processor.h"
#include "transport/request_budget.h"
#include "transport/session.h"
#include "transport/tls.h"

namespace cqld::transport {

struct ConnectionLimits {
  // Reading pauses while this many requests are unanswered (running, or their responses waiting
  // to be written): pipelined requests beyond it stay in the socket (TCP backpressure). With the
  // byte bound below, what a client that never reads can make the server hold is about
  // max_queued_bytes plus max_in_flight of its largest responses.
  size_t max_in_flight = 128;
  // Reading also pauses while this many bytes of unanswered requests and unwritten responses
  // are held; events beyond twice this close the connection (a client that never reads must not
  // grow the queue without bound).
  size_t max_queued_bytes = size_t{16} << 20;
  // A frame that has started must keep arriving: no byte of it for this long closes the
  // connection, so clients that send part of a frame and wait cannot hold connection slots.
  std::chrono::milliseconds frame_timeout{10000};
  // From accept to READY (or AUTH_SUCCESS).
  // The TLS handshake, when there is one, counts in it.
  std::chrono::milliseconds handshake_timeout{10000};
  // A ready connection with nothing in flight and no request for this long is closed; 0: never
  // (Cassandra's native_transport_idle_timeout, disabled by default; drivers send heartbeats).
  std::chrono::milliseconds idle_timeout{0};
};

// The server's TLS setting as a connection takes it: the context is shared by all connections.
struct ConnectionTls {
  std::shared_ptr<asio::ssl::context> context;  // null: plaintext only
  TlsMode mode = TlsMode::kOff;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // "budget" bounds large request frames across connections, "workers" runs requests; both
  // must outlive the connection.
  Connection(asio::ip::tcp::socket socket, QueryProcessor& processor, SessionOptions session,
             ConnectionLimits limits, RequestBudget& budget, WorkerPool& workers, ConnectionTls tls = {});
  ~Connection();

  // "on_closed" runs when the connection object is destroyed (both coroutines have ended).
  void set_on_closed(std::function<void()> on_closed) { on_closed_ = std::move(on_closed); }

  // Spawns the reader, the writer and the watchdog on the socket's executor.
  void start();
  // The following must be called on executor().
  // Stops reading; requests already read are answered and written, then the socket closes.
  void stop();
  void push_schema_change(const SchemaChangeResult& change);

  asio::any_io_executor executor() { return socket_.get_executor(); }
  const ClientState& client() const { return session_.client(); }

 private:
  using Clock = std::chrono::steady_clock;
  class BudgetShare;
  struct Request;

  asio::awaitable<void> read_loop();
  asio::awaitable<void> read_frames();
  asio::awaitable<bool> start_tls();  // false: the connection is to close
  asio::awaitable<bool> client_starts_tls(bool* tls);
  asio::awaitable<void> write_frames(std::vector<asio::const_buffer>& buffers, size_t count, asio::error_code& ec);
  // v5 after STARTUP: segments, each checked and decoded by segment.h, their envelopes
  // reassembled and handled as read_frames handles frames.
  asio::awaitable<void> read_segments();
  // Handles one reassembled envelope; false: the connection must close.
  // An envelope refused for its size is only its header.
  bool handle_envelope(const std::string& envelope, BudgetShare& share);
  asio::awaitable<void> write_loop();
  asio::awaitable<void> watchdog();
  asio::awaitable<bool> fill(size_t n);  // false: EOF, error or stop
  asio::awaitable<bool> read_body(size_t length, std::string* body, BudgetShare* share);
  asio::awaitable<void> wait_for_room();
  asio::awaitable<bool> acquire_budget(size_t bytes);
  asio::awaitable<bool> read_some(char* into, size_t capacity, size_t* got);
  void dispatch(const FrameHeader& header, std::string body, BudgetShare share);
  void finish(Request& request, std::string frame);
  // On a worker: hands a finished request's reply to the I/O thread.
  void complete(std::shared_ptr<Request> request, std::string frame);
  void drain_completed();  // on the executor
  std::string_view buffered(size_t n) const { return {buffer_.data() + begin_, n}; }
  void consume(size_t n);
  asio::awaitable<bool> skip_body(size_t length);
  void enqueue(std::string frame);
  // "segmented": wrap the frame in v5 segments (false for the handshake's answers).
  void enqueue(std::string frame, bool segmented);
  void close_socket();
  bool has_room() const;

  asio::ip::tcp::socket socket_;
  ConnectionTls tls_config_;
  // Set once the client has started TLS: every read and write then goes through it.
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
  bool tls_handshaking_ = false;
  std::string tls_scratch_;  // frames gathered into one TLS write
  Session session_;
  ConnectionLimits limits_;
  RequestBudget& budget_;
  WorkerPool& workers_;
  std::function<void()> on_closed_;

  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;

  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;
  size_t in_flight_ = 0;        // requests on workers, not yet answered
  size_t in_flight_bytes_ = 0;  // their frame bodies
  asio::steady_timer write_signal_;  // wakes the writer: a frame was queued, or reading ended
  asio::steady_timer room_signal_;   // wakes the reader: room in the queue or in flight
  asio::steady_timer budget_retry_;  // paces retries while the request budget is exhausted
  asio::steady_timer watchdog_timer_;
  asio::cancellation_signal read_cancel_;
  Clock::time_point opened_ = Clock::now();
  Clock::time_point last_progress_ = Clock::now();  // a byte arrived
  Clock::time_point last_request_ = Clock::now();   // a frame completed or a reply was sent
  bool in_frame_ = false;  // part of a frame has arrived
  bool stopping_ = false;
  bool reader_done_ = false;
  bool writer_done_ = false;
  struct Completed;
  std::mutex completed_mutex_;
  std::vector<Completed> completed_;  // guarded by completed_mutex_
  bool drain_posted_ = false;         // guarded by completed_mutex_
  std::vector<Completed> draining_;   // the executor's: the list being drained
  // Named in the errors that close the connection, as Cassandra names its channels.
  std::string id_;
};

}  // namespace cqld::transport
