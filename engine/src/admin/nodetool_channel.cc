#include "admin/nodetool_channel.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "common/log.h"

namespace cqld::admin {
namespace {

constexpr int kClientTimeoutSeconds = 5;  // a server-side limit on a stalled client
constexpr size_t kMaxReplyBytes = 256 * 1024 * 1024;

void put_u32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xFF));
}

bool take_u32(std::string_view* in, uint32_t* v) {
  if (in->size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v = (*v << 8) | static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(4);
  return true;
}

bool take_bytes(std::string_view* in, std::string* out) {
  uint32_t n = 0;
  if (!take_u32(in, &n) || in->size() < n) return false;
  out->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads until "complete" says the bytes are a whole message, the peer closes, or "limit".
template <typename Complete>
bool read_message(int fd, size_t limit, std::string* bytes, Complete complete,
                  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) {
  char buffer[16384];
  while (!complete(*bytes)) {
    if (bytes->size() > limit || std::chrono::steady_clock::now() > deadline) return false;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes->append(buffer, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string encode_request(const std::vector<std::string>& args) {
  std::string out;
  put_u32(static_cast<uint32_t>(args.size()), &out);
  for (const auto& arg : args) {
    put_u32(static_cast<uint32_t>(arg.size()), &out);
    out += arg;
  }
  return out;
}

bool decode_request(std::string_view bytes, std::vector<std::string>* args) {
  uint32_t count = 0;
  if (!take_u32(&bytes, &count) || count > bytes.size() / 4) return false;
  args->clear();
  for (uint32_t i = 0; i < count; ++i) {
    std::string arg;
    if (!take_bytes(&bytes, &arg)) return false;
    args->push_back(std::move(arg));
  }
  return bytes.empty();
}

std::string encode_reply(const NodetoolReply& reply) {
  std::string out(1, static_cast<char>(reply.exit_code));
  put_u32(static_cast<uint32_t>(reply.out.size()), &out);
  out += reply.out;
  put_u32(static_cast<uint32_t>(reply.err.size()), &out);
  out += reply.err;
  return out;
}

bool decode_reply(std::string_view bytes, NodetoolReply* reply) {
  if (bytes.empty()) return false;
  reply->exit_code = static_cast<uint8_t>(bytes[0]);
  bytes.remove_prefix(1);
  return take_bytes(&bytes, &reply->out) && take_bytes(&bytes, &reply->err) && bytes.empty();
}

NodetoolServer::NodetoolServer(NodeOperations& node, NodeControls controls)
    : node_(node), controls_(std::move(controls)) {}

NodetoolServer::~NodetoolServer() { stop(); }

int NodetoolServer::listen(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 16) != 0) {
    int error = errno;
    ::close(fd);
    throw std::system_error(error, std::generic_category(), "127.0.0.1:" + std::to_string(port));
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  listen_fd_ = fd;
  return ntohs(address.sin_port);
}

void NodetoolServer::start() { thread_ = std::thread([this] { serve_loop(); }); }

void NodetoolServer::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void NodetoolServer::serve_loop() {
  while (!stopping_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (::poll(&waiting, 1, 200) <= 0) continue;  // wakes to check stopping_
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    serve_one(fd);
    ::close(fd);
  }
}

void NodetoolServer::serve_one(int fd) {
  timeval timeout{kClientTimeoutSeconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string request;
  std::vector<std::string> args;
  bool whole = read_message(fd, kMaxRequestBytes, &request,
                            [&args](const std::string& bytes) { return decode_request(bytes, &args); },
                            std::chrono::steady_clock::now() + std::chrono::seconds(kClientTimeoutSeconds));
  NodetoolReply reply;
  if (!whole) {
    reply.exit_code = 1;
    reply.out = "nodetool: the request was cut off or over " + std::to_string(kMaxRequestBytes) + " bytes\n";
  } else {
    try {
      reply = run_nodetool(node_, controls_, args);
    } catch (const std::exception& e) {
      reply = {2, "", std::string("error: ") + e.what() + "\n-- StackTrace --\n"};
    }
    if (!args.empty()) log_message(LogLevel::kInfo, "nodetool " + args[0] + ": exit " + std::to_string(reply.exit_code));
  }
  write_all(fd, encode_reply(reply));
}

int run_nodetool_client(const std::string& host, int port, const std::vector<std::string>& args) {
  std::string where = host + ":" + std::to_string(port);
  auto refused = [&where](const std::string& why) {
    std::printf("nodetool: Failed to connect to '%s' - %s.\n", where.c_str(), why.c_str());
    return 1;
  };
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    return refused("UnknownHostException: '" + host + "'");
  }
  int fd = -1;
  int error = 0;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      error = errno;
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return refused(std::string("ConnectException: '") + (error == ECONNREFUSED ? "Connection refused" : std::strerror(error)) + "'");
  std::string reply_bytes;
  NodetoolReply reply;
  bool answered = write_all(fd, encode_request(args)) &&
                  read_message(fd, kMaxReplyBytes, &reply_bytes,
                               [&reply](const std::string& bytes) { return decode_reply(bytes, &reply); });
  ::close(fd);
  if (!answered) {
    std::printf("nodetool: %s closed the connection before answering.\n", where.c_str());
    return 1;
  }
  std::fwrite(reply.out.data(), 1, reply.out.size(), stdout);
  std::fwrite(reply.err.data(), 1, reply.err.size(), stderr);
  return reply.exit_code;
}

}  // namespace cqld::admin
