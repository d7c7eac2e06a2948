#include "transport/connection.h"

#include <algorithm>

#include "transport/frame.h"
#include "common/log.h"

namespace cqld::transport {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// A buffer grown for a large frame is given back once idle, so idle connections stay small.
constexpr size_t kMaxIdleBuffer = 1024 * 1024;
constexpr size_t kMaxFramesPerWrite = 64;
constexpr size_t kEventBacklogFactor = 2;
// Frames up to this size fit the ordinary read buffer and need no share of the request budget.
constexpr size_t kBudgetFreeFrame = kReadChunk;
constexpr auto kBudgetRetryDelay = std::chrono::milliseconds(1);

// A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; report them as IPv4, the
// address the client actually used.
std::string address_text(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

// Returns a share of the request budget when the frame it was taken for is done with.
class BudgetShare {
 public:
  BudgetShare(RequestBudget& budget, size_t bytes) : budget_(budget), bytes_(bytes) {}
  ~BudgetShare() {
    if (bytes_ > 0) budget_.release(bytes_);
  }
  BudgetShare(const BudgetShare&) = delete;
  BudgetShare& operator=(const BudgetShare&) = delete;

 private:
  RequestBudget& budget_;
  size_t bytes_;
};

ClientState client_state_of(const asio::ip::tcp::socket& socket) {
  ClientState client;
  asio::error_code ec;
  auto local = socket.local_endpoint(ec);
  if (!ec) client.local_address = address_text(local.address());
  auto peer = socket.remote_endpoint(ec);
  if (!ec) client.peer_address = address_text(peer.address());
  return client;
}

asio::awaitable<void> wait_signal(asio::steady_timer& signal) {
  signal.expires_at(asio::steady_timer::time_point::max());
  asio::error_code ec;
  co_await signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, QueryProcessor& processor,
                       SessionOptions session, ConnectionLimits limits, RequestBudget& budget)
    : socket_(std::move(socket)),
      session_(processor, session, client_state_of(socket_)),
      limits_(limits),
      budget_(budget),
      buffer_(kReadChunk),
      write_signal_(socket_.get_executor()),
      room_signal_(socket_.get_executor()),
      budget_retry_(socket_.get_executor()) {
  asio::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

Connection::~Connection() {
  if (on_closed_) on_closed_();
}

void Connection::start() {
  auto self = shared_from_this();
  asio::co_spawn(
      executor(), [self] { return self->read_loop(); }, asio::detached);
  asio::co_spawn(
      executor(), [self] { return self->write_loop(); }, asio::detached);
}

void Connection::stop() {
  stopping_ = true;
  read_cancel_.emit(asio::cancellation_type::all);
  room_signal_.cancel();
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

asio::awaitable<bool> Connection::fill(size_t n) {
  while (end_ - begin_ < n) {
    if (stopping_ || writer_done_) co_return false;
    if (buffer_.size() - begin_ < n || end_ == buffer_.size()) {
      std::copy(buffer_.begin() + begin_, buffer_.begin() + end_, buffer_.begin());
      end_ -= begin_;
      begin_ = 0;
      if (buffer_.size() < n) buffer_.resize(n);
    }
    asio::error_code ec;
    size_t got = co_await socket_.async_read_some(
        asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
        asio::bind_cancellation_slot(read_cancel_.slot(),
                                     asio::redirect_error(asio::use_awaitable, ec)));
    if (ec) {
      if (ec != asio::error::eof && ec != asio::error::operation_aborted) {
        log_message(LogLevel::kDebug,
                    "read from " + session_.client().peer_address + " failed: " + ec.message());
      }
      co_return false;
    }
    end_ += got;
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
    co_await read_frames();
  } catch (const std::exception& e) {
    log_message(LogLevel::kWarn,
                "closing connection from " + session_.client().peer_address + ": " + e.what());
  }
  reader_done_ = true;
  write_signal_.cancel();
}

asio::awaitable<void> Connection::read_frames() {
  for (;;) {
    co_await wait_for_room();
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
      enqueue(std::move(refusal->frame));
      break;
    }
    consume(kHeaderSize);
    auto length = static_cast<size_t>(header.length);
    bool budgeted = length > kBudgetFreeFrame;
    if (budgeted && !co_await acquire_budget(length)) break;
    BudgetShare share(budget_, budgeted ? length : 0);
    if (!co_await fill(length)) break;
    Reply reply = session_.handle(header, buffered(length));
    consume(length);
    enqueue(std::move(reply.frame));
    if (reply.close) break;
  }
}

asio::awaitable<void> Connection::wait_for_room() {
  while (!stopping_ && !writer_done_ &&
         (queue_.size() >= limits_.max_in_flight || queued_bytes_ >= limits_.max_queued_bytes)) {
    co_await wait_signal(room_signal_);
  }
}

asio::awaitable<bool> Connection::acquire_budget(size_t frame_length) {
  while (!budget_.try_acquire(frame_length)) {
    if (stopping_ || writer_done_) co_return false;
    budget_retry_.expires_after(kBudgetRetryDelay);
    asio::error_code ec;
    co_await budget_retry_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return true;
}

void Connection::enqueue(std::string frame) {
  if (frame.empty() || writer_done_) return;
  queued_bytes_ += frame.size();
  queue_.push_back(std::move(frame));
  write_signal_.cancel();
}

asio::awaitable<void> Connection::write_loop() {
  auto self = shared_from_this();
  std::vector<asio::const_buffer> buffers;
  for (;;) {
    while (queue_.empty() && !reader_done_) co_await wait_signal(write_signal_);
    if (queue_.empty()) break;
    size_t count = std::min(queue_.size(), kMaxFramesPerWrite);
    buffers.clear();
    for (size_t i = 0; i < count; ++i) buffers.emplace_back(asio::buffer(queue_[i]));
    asio::error_code ec;
    co_await asio::async_write(socket_, buffers, asio::redirect_error(asio::use_awaitable, ec));
    for (size_t i = 0; i < count; ++i) {
      queued_bytes_ -= queue_.front().size();
      queue_.pop_front();
    }
    room_signal_.cancel();
    if (ec) break;
  }
  writer_done_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  room_signal_.cancel();
  close_socket();
}

void Connection::close_socket() {
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace cqld::transport
