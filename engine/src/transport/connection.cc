#include "transport/connection.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <random>
#include <utility>

#include "common/errors.h"
#include "common/log.h"
#include "transport/frame.h"
#include "transport/segment.h"

namespace cqld::transport {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// A buffer grown for a large frame is given back once idle, so idle connections stay small.
constexpr size_t kMaxIdleBuffer = 1024 * 1024;
constexpr size_t kMaxFramesPerWrite = 64;
constexpr size_t kEventBacklogFactor = 2;
// Frame bodies up to this size need no share of the process-wide request budget (the
// per-connection limits bound them), so small requests are served even while large ones wait.
constexpr size_t kBudgetFreeFrame = kReadChunk;
constexpr auto kBudgetRetryDelay = std::chrono::milliseconds(1);
constexpr auto kWatchdogTick = std::chrono::milliseconds(250);

// A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; report them as IPv4, the
// address the client actually used.
std::string address_text(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

ClientState client_state_of(const asio::ip::tcp::socket& socket) {
  ClientState client;
  asio::error_code ec;
  auto local = socket.local_endpoint(ec);
  if (!ec) client.local_address = address_text(local.address());
  auto peer = socket.remote_endpoint(ec);
  if (!ec) client.peer_address = address_text(peer.address());
  return client;
}

// Eight hex digits, distinct per connection of a process and unlikely to repeat across runs.
std::string next_connection_id() {
  static std::atomic<uint32_t> counter{std::random_device{}()};
  char text[9];
  std::snprintf(text, sizeof text, "%08x", counter.fetch_add(0x9E3779B1u));
  return text;
}

asio::awaitable<void> wait_signal(asio::steady_timer& signal) {
  signal.expires_at(asio::steady_timer::time_point::max());
  asio::error_code ec;
  co_await signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

// The bytes of one frame held against the request budget; given back when the frame's request
// is done with (its task destroyed).
class Connection::BudgetShare {
 public:
  explicit BudgetShare(RequestBudget& budget) : budget_(&budget) {}
  ~BudgetShare() {
    if (bytes_ > 0) budget_->release(bytes_);
  }
  BudgetShare(BudgetShare&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) { other.bytes_ = 0; }
  BudgetShare& operator=(BudgetShare&&) = delete;
  BudgetShare(const BudgetShare&) = delete;
  void add(size_t n) { bytes_ += n; }

 private:
  RequestBudget* budget_;
  size_t bytes_ = 0;
};

// A query-class request on its way through a worker and back.
struct Connection::Request {
  std::shared_ptr<Connection> connection;
  FrameHeader header;
  std::string body;
  BudgetShare share;
  RequestContext context;
};

struct Connection::Completed {
  std::shared_ptr<Request> request;
  std::string frame;
};

Connection::Connection(asio::ip::tcp::socket socket, QueryProcessor& processor, SessionOptions session,
                       ConnectionLimits limits, RequestBudget& budget, WorkerPool& workers, ConnectionTls tls)
    : socket_(std::move(socket)),
      tls_config_(std::move(tls)),
      session_(processor, session, client_state_of(socket_)),
      limits_(limits),
      budget_(budget),
      workers_(workers),
      buffer_(kReadChunk),
      write_signal_(socket_.get_executor()),
      room_signal_(socket_.get_executor()),
      budget_retry_(socket_.get_executor()),
      watchdog_timer_(socket_.get_executor()),
      id_(next_connection_id()) {
  asio::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

Connection::~Connection() {
  if (on_closed_) on_closed_();
}

void Connection::start() {
  auto self = shared_from_this();
  asio::co_spawn(executor(), [self] { return self->read_loop(); }, asio::detached);
  asio::co_spawn(executor(), [self] { return self->write_loop(); }, asio::detached);
  asio::co_spawn(executor(), [self] { return self->watchdog(); }, asio::detached);
}

void Connection::stop() {
  stopping_ = true;
  read_cancel_.emit(asio::cancellation_type::all);
  room_signal_.cancel();
  budget_retry_.cancel();
}

void Connection::push_schema_change(const SchemaChangeResult& change) {
  if (reader_done_ || writer_done_) return;
  std::optional<std::string> frame = session_.schema_change_event(change);
  if (!frame) return;
  if (queued_bytes_ + frame->size() > kEventBacklogFactor * limits_.max_queued_bytes) {
    log_message(LogLevel::kWarn, "closing a connection that does not read its events (peer " +
                                     session_.client().peer_address + ")");
    stop();
    return;
  }
  enqueue(std::move(*frame));
}

asio::awaitable<bool> Connection::read_some(char* into, size_t capacity, size_t* got) {
  asio::error_code ec;
  auto token = asio::bind_cancellation_slot(read_cancel_.slot(), asio::redirect_error(asio::use_awaitable, ec));
  if (tls_) {
    *got = co_await tls_->async_read_some(asio::buffer(into, capacity), token);
  } else {
    *got = co_await socket_.async_read_some(asio::buffer(into, capacity), token);
  }
  if (ec) {
    if (ec != asio::error::eof && ec != asio::error::operation_aborted && ec != asio::ssl::error::stream_truncated) {
      log_message(LogLevel::kDebug, "read from " + session_.client().peer_address + " failed: " + ec.message());
    }
    co_return false;
  }
  last_progress_ = Clock::now();
  co_return true;
}

// Buffers at least "n" bytes (n is at most a header, or a frame within the free size).
asio::awaitable<bool> Connection::fill(size_t n) {
  while (end_ - begin_ < n) {
    if (stopping_ || writer_done_) co_return false;
    if (buffer_.size() - begin_ < n || end_ == buffer_.size()) {
      std::copy(buffer_.begin() + begin_, buffer_.begin() + end_, buffer_.begin());
      end_ -= begin_;
      begin_ = 0;
      if (buffer_.size() < n) buffer_.resize(n);
    }
    size_t got = 0;
    if (!co_await read_some(buffer_.data() + end_, buffer_.size() - end_, &got)) co_return false;
    end_ += got;
    in_frame_ = true;
  }
  co_return true;
}

// Reads a body of "length" bytes into "body" as it arrives: memory (and, past the free size,
// budget) is taken for what has arrived, never for what the header merely declares.
asio::awaitable<bool> Connection::read_body(size_t length, std::string* body, BudgetShare* share) {
  size_t from_buffer = std::min(length, end_ - begin_);
  body->assign(buffer_.data() + begin_, from_buffer);
  consume(from_buffer);
  size_t filled = from_buffer;
  while (filled < length) {
    if (stopping_ || writer_done_) co_return false;
    size_t chunk = std::min(length - filled, std::max(kReadChunk, filled));
    if (filled + chunk > kBudgetFreeFrame) {
      size_t charged = filled + chunk - std::max(filled, kBudgetFreeFrame);
      if (!co_await acquire_budget(charged)) co_return false;
      share->add(charged);
    }
    body->resize(filled + chunk);
    size_t got = 0;
    while (got < chunk) {
      size_t n = 0;
      if (!co_await read_some(body->data() + filled + got, chunk - got, &n)) co_return false;
      got += n;
    }
    filled += chunk;
  }
  co_return true;
}

// Reads and drops "length" bytes, a chunk at a time: a refused body costs no memory.
asio::awaitable<bool> Connection::skip_body(size_t length) {
  size_t from_buffer = std::min(length, end_ - begin_);
  consume(from_buffer);
  std::vector<char> scratch(kReadChunk);
  for (size_t skipped = from_buffer; skipped < length;) {
    if (stopping_ || writer_done_) co_return false;
    size_t n = 0;
    if (!co_await read_some(scratch.data(), std::min(scratch.size(), length - skipped), &n)) co_return false;
    skipped += n;
  }
  co_return true;
}

void Connection::consume(size_t n) {
  begin_ += n;
  if (begin_ != end_) return;
  begin_ = end_ = 0;
  if (buffer_.size() > kMaxIdleBuffer) {
    buffer_.resize(kReadChunk);
    buffer_.shrink_to_fit();
  }
}

asio::awaitable<void> Connection::read_loop() {
  auto self = shared_from_this();
  try {
    if (co_await start_tls()) co_await read_frames();
  } catch (const std::exception& e) {
    log_message(LogLevel::kWarn, "closing connection from " + session_.client().peer_address + ": " + e.what());
  }
  reader_done_ = true;
  write_signal_.cancel();
}

asio::awaitable<void> Connection::read_frames() {
  for (;;) {
    if (session_.segmented()) {
      co_await read_segments();
      co_return;
    }
    co_await wait_for_room();
    in_frame_ = end_ > begin_;
    if (!co_await fill(1)) break;
    auto version_byte = static_cast<uint8_t>(buffer_[begin_]);
    if (!is_supported_version(version_byte & ~kResponseBit)) {
      if (!co_await fill(bytes_needed_for_stream(version_byte))) break;
      int16_t stream = peek_stream(buffered(end_ - begin_));
      enqueue(Session::unsupported_version(version_byte, stream).frame);
      break;
    }
    if (!co_await fill(kHeaderSize)) break;
    FrameHeader header = parse_header(buffered(kHeaderSize));
    if (auto refusal = session_.check_header(header)) {
      if (!refusal->discard_body) {
        enqueue(std::move(refusal->frame));
        break;
      }
      // Answered once the body is dropped, as Cassandra does: a client still sending it would
      // otherwise get the answer while its connection is not yet writable again.
      consume(kHeaderSize);
      if (!co_await skip_body(static_cast<size_t>(header.length))) break;
      in_frame_ = false;
      enqueue(std::move(refusal->frame));
      continue;
    }
    consume(kHeaderSize);
    std::string body;
    BudgetShare share(budget_);
    if (!co_await read_body(static_cast<size_t>(header.length), &body, &share)) break;
    in_frame_ = false;
    last_request_ = Clock::now();
    dispatch(header, std::move(body), std::move(share));
    if (stopping_) break;
  }
}

// Before the first frame: the TLS handshake if the client's first byte opens a TLS record; else,
// with TLS optional, plaintext on the same port (Cassandra's optional client encryption), and
// with TLS required, the connection closes with nothing written. A client that fails the
// handshake (an untrusted or missing client certificate, TLS below 1.2) gets OpenSSL's alert
// and is disconnected.
asio::awaitable<bool> Connection::start_tls() {
  if (tls_config_.mode == TlsMode::kOff || !tls_config_.context) co_return true;
  bool tls = false;
  if (!co_await client_starts_tls(&tls)) co_return false;
  if (!tls && tls_config_.mode == TlsMode::kOptional) co_return true;
  if (!tls) {
    // Closed with the client's bytes unread (the peer sees a reset), as Cassandra's
    // NotSslRecordException does.
    log_message(LogLevel::kWarn, "closing connection from " + session_.client().peer_address +
                                     ": not a TLS record (a plaintext client on a TLS-only port)");
    co_return false;
  }
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls_config_.context);
  tls_handshaking_ = true;
  asio::error_code ec;
  co_await tls_->async_handshake(
      asio::ssl::stream_base::server,
      asio::bind_cancellation_slot(read_cancel_.slot(), asio::redirect_error(asio::use_awaitable, ec)));
  tls_handshaking_ = false;
  if (ec) {
    if (ec != asio::error::operation_aborted && ec != asio::error::eof) {
      log_message(LogLevel::kInfo,
                  "TLS handshake with " + session_.client().peer_address + " failed: " + ec.message());
    }
    co_return false;
  }
  last_progress_ = Clock::now();
  co_return true;
}

// Waits for the client's first byte and looks at it without consuming it.
asio::awaitable<bool> Connection::client_starts_tls(bool* tls) {
  asio::error_code ec;
  co_await socket_.async_wait(
      asio::ip::tcp::socket::wait_read,
      asio::bind_cancellation_slot(read_cancel_.slot(), asio::redirect_error(asio::use_awaitable, ec)));
  if (ec || stopping_) co_return false;
  unsigned char first = 0;
  size_t got = socket_.receive(asio::buffer(&first, 1), asio::socket_base::message_peek, ec);
  if (ec || got == 0) co_return false;
  *tls = starts_tls_record(first);
  co_return true;
}

asio::awaitable<void> Connection::read_segments() {
  const bool lz4 = session_.segments_compressed();
  const size_t header_size = segment::header_size(lz4);
  segment::EnvelopeAssembler assembler(session_.max_frame_body());
  // The budget held for the envelope being assembled; handed to its request when complete.
  std::optional<BudgetShare> share;
  share.emplace(budget_);
  for (;;) {
    co_await wait_for_room();
    in_frame_ = end_ > begin_ || assembler.pending_bytes() > 0;
    if (!co_await fill(header_size)) break;
    std::string payload;
    bool self_contained = false;
    try {
      segment::Header header = segment::parse_header(buffered(header_size), lz4);
      // At most 128 KiB + 12 bytes: the buffer never holds more than one segment for this.
      size_t length = header_size + header.payload_length + segment::kTrailerSize;
      if (!co_await fill(length)) break;
      payload = segment::decode_payload(header, buffered(length).substr(header_size));
      self_contained = header.self_contained;
      consume(length);
    } catch (const segment::CrcMismatch& e) {
      // As Cassandra: stream 0, the connection's id first, then the connection closes.
      enqueue(session_.error_frame(kFirstSegmentedVersion, 0, ProtocolError(id_ + " " + e.what())));
      break;
    } catch (const ProtocolError& e) {  // corrupt lz4 data
      enqueue(session_.error_frame(kFirstSegmentedVersion, 0, e));
      break;
    }
    if (!self_contained) {
      // A large envelope takes memory (and, past the free size, budget) as its segments arrive.
      size_t held = assembler.pending_bytes() + payload.size();
      if (held > kBudgetFreeFrame) {
        size_t charged = held - std::max(assembler.pending_bytes(), kBudgetFreeFrame);
        if (!co_await acquire_budget(charged)) break;
        share->add(charged);
      }
    }
    std::vector<segment::EnvelopeAssembler::Envelope> envelopes;
    try {
      envelopes = assembler.add(payload, self_contained);
    } catch (const ProtocolError& e) {
      enqueue(session_.error_frame(kFirstSegmentedVersion, 0, e));
      break;
    }
    bool open = true;
    for (auto& envelope : envelopes) {
      if (!(open = handle_envelope(envelope.bytes, *share))) break;
      share.emplace(budget_);
    }
    if (!open || stopping_) break;
    in_frame_ = assembler.pending_bytes() > 0;
  }
}

bool Connection::handle_envelope(const std::string& envelope, BudgetShare& share) {
  FrameHeader header = parse_header(envelope);
  if (auto refusal = session_.check_header(header)) {
    enqueue(std::move(refusal->frame));
    // A refused size keeps the connection (its body was never held); anything else closes it.
    return refusal->discard_body;
  }
  last_request_ = Clock::now();
  dispatch(header, envelope.substr(kHeaderSize), std::move(share));
  return true;
}

void Connection::dispatch(const FrameHeader& header, std::string body, BudgetShare share) {
  if (!session_.is_query_request(header)) {
    // The answer to STARTUP is the last frame outside segments (spec 2.3.1).
    bool segmented = session_.segmented();
    Reply reply = session_.handle(header, body);
    enqueue(std::move(reply.frame), segmented);
    if (reply.close) stop();
    return;
  }
  auto request = std::make_shared<Request>(
      Request{shared_from_this(), header, std::move(body), std::move(share), session_.begin_request(header)});
  request->context.client.request_start = Clock::now();
  size_t bytes = request->body.size();
  ++in_flight_;
  in_flight_bytes_ += bytes;
  bool queued = workers_.try_submit([request]() mutable {
    Session& session = request->connection->session_;
    std::string frame = Session::run_request(session.processor(), session.options(), request->context,
                                             request->header, request->body).frame;
    Connection& connection = *request->connection;
    connection.complete(std::move(request), std::move(frame));
  });
  if (!queued) {
    --in_flight_;
    in_flight_bytes_ -= bytes;
    enqueue(session_.overloaded_frame(header));
  }
}

void Connection::complete(std::shared_ptr<Request> request, std::string frame) {
  bool post = false;
  {
    std::lock_guard<std::mutex> lock(completed_mutex_);
    completed_.push_back(Completed{std::move(request), std::move(frame)});
    post = !std::exchange(drain_posted_, true);
  }
  if (post) asio::post(executor(), [self = shared_from_this()] { self->drain_completed(); });
}

void Connection::drain_completed() {
  {
    std::lock_guard<std::mutex> lock(completed_mutex_);
    draining_.swap(completed_);
    drain_posted_ = false;
  }
  for (Completed& done : draining_) finish(*done.request, std::move(done.frame));
  draining_.clear();  // keeps its capacity for the next drain
}

void Connection::finish(Request& request, std::string frame) {
  session_.end_request(request.context);
  --in_flight_;
  in_flight_bytes_ -= request.body.size();
  last_request_ = Clock::now();
  enqueue(std::move(frame));
  room_signal_.cancel();
}

bool Connection::has_room() const {
  return queue_.size() + in_flight_ < limits_.max_in_flight &&
         queued_bytes_ + in_flight_bytes_ < limits_.max_queued_bytes;
}

asio::awaitable<void> Connection::wait_for_room() {
  while (!stopping_ && !writer_done_ && !has_room()) co_await wait_signal(room_signal_);
}

asio::awaitable<bool> Connection::acquire_budget(size_t bytes) {
  while (!budget_.try_acquire(bytes)) {
    if (stopping_ || writer_done_) co_return false;
    budget_retry_.expires_after(kBudgetRetryDelay);
    asio::error_code ec;
    co_await budget_retry_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return true;
}

// Closes connections that stall inside a frame, never finish the handshake, or sit idle past
// the idle timeout. Runs until the connection ends.
asio::awaitable<void> Connection::watchdog() {
  auto self = shared_from_this();
  for (;;) {
    watchdog_timer_.expires_after(kWatchdogTick);
    asio::error_code ec;
    co_await watchdog_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (reader_done_ || writer_done_) co_return;
    auto now = Clock::now();
    const char* why = nullptr;
    if (in_frame_ && now - last_progress_ > limits_.frame_timeout) {
      why = "no byte of a started frame arrived within the frame timeout";
    } else if (!session_.ready() && now - opened_ > limits_.handshake_timeout) {
      why = "the handshake did not complete within the handshake timeout";
    } else if (session_.ready() && limits_.idle_timeout.count() > 0 && !in_frame_ && in_flight_ == 0 &&
               queue_.empty() && now - last_request_ > limits_.idle_timeout) {
      why = "idle past the idle timeout";
    }
    if (why != nullptr) {
      log_message(LogLevel::kInfo, "closing connection from " + session_.client().peer_address + ": " + why);
      stop();
      // A TLS handshake or a first-byte wait may not honour the cancellation signal at every
      // step: cancelling the socket's operations ends it.
      if (tls_handshaking_ || (tls_config_.mode != TlsMode::kOff && !session_.ready())) socket_.cancel(ec);
      co_return;
    }
  }
}

void Connection::enqueue(std::string frame) { enqueue(std::move(frame), session_.segmented()); }

void Connection::enqueue(std::string frame, bool segmented) {
  if (frame.empty() || writer_done_) return;
  if (segmented) frame = segment::encode(frame, session_.segments_compressed());
  queued_bytes_ += frame.size();
  queue_.push_back(std::move(frame));
  write_signal_.cancel();
}

asio::awaitable<void> Connection::write_loop() {
  auto self = shared_from_this();
  std::vector<asio::const_buffer> buffers;
  for (;;) {
    // Requests still on workers are answered before the socket closes.
    while (queue_.empty() && (!reader_done_ || in_flight_ > 0)) co_await wait_signal(write_signal_);
    if (queue_.empty()) break;
    size_t count = std::min(queue_.size(), kMaxFramesPerWrite);
    buffers.clear();
    for (size_t i = 0; i < count; ++i) buffers.emplace_back(asio::buffer(queue_[i]));
    asio::error_code ec;
    co_await write_frames(buffers, count, ec);
    for (size_t i = 0; i < count; ++i) {
      queued_bytes_ -= queue_.front().size();
      queue_.pop_front();
    }
    last_request_ = Clock::now();
    room_signal_.cancel();
    if (ec) break;
  }
  writer_done_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  room_signal_.cancel();
  watchdog_timer_.cancel();
  close_socket();
}

asio::awaitable<void> Connection::write_frames(std::vector<asio::const_buffer>& buffers, size_t count,
                                              asio::error_code& ec) {
  if (!tls_) {
    co_await asio::async_write(socket_, buffers, asio::redirect_error(asio::use_awaitable, ec));
    co_return;
  }
  // The TLS stream encrypts one buffer per record write: small frames are gathered so that
  // they share records and system calls.
  if (count == 1) {
    co_await asio::async_write(*tls_, buffers, asio::redirect_error(asio::use_awaitable, ec));
    co_return;
  }
  tls_scratch_.clear();
  for (const auto& buffer : buffers) tls_scratch_.append(static_cast<const char*>(buffer.data()), buffer.size());
  co_await asio::async_write(*tls_, asio::buffer(tls_scratch_), asio::redirect_error(asio::use_awaitable, ec));
  if (tls_scratch_.capacity() > kMaxIdleBuffer) std::string().swap(tls_scratch_);
}

void Connection::close_socket() {
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace cqld::transport
