// Runs the cqld lifecycle in a forked child (it owns signals and stdout, as in the real
// process) and checks the contract other tools rely on.
#include "server/lifecycle.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace cqld {
namespace {

struct Child {
  pid_t pid = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
};

Child spawn(const CqldConfig& config) {
  int out[2];
  int err[2];
  EXPECT_EQ(pipe(out), 0);
  EXPECT_EQ(pipe(err), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[0]);
    close(err[0]);
    _exit(run_cqld(config));
  }
  close(out[1]);
  close(err[1]);
  return {pid, out[0], err[0]};
}

std::string read_line(int fd) {
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

std::string read_all(int fd) {
  std::string all;
  char buf[512];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) all.append(buf, static_cast<size_t>(n));
  return all;
}

int wait_exit(const Child& child) {
  int status = 0;
  waitpid(child.pid, &status, 0);
  close(child.stdout_fd);
  close(child.stderr_fd);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool can_connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

CqldConfig memory_config() {
  CqldConfig config;
  config.database.in_memory = true;
  config.server.port = 0;
  config.log_level = LogLevel::kError;
  return config;
}

TEST(LifecycleTest, PrintsTheRealPortServesAndExitsCleanlyOnSigterm) {
  Child child = spawn(memory_config());
  std::string line = read_line(child.stdout_fd);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(line, match, std::regex(R"(listening on 127\.0\.0\.1:(\d+))")))
      << line;
  int port = std::stoi(match[1]);
  EXPECT_NE(port, 0);
  EXPECT_TRUE(can_connect(port));
  kill(child.pid, SIGTERM);
  EXPECT_EQ(wait_exit(child), kExitOk);
}

TEST(LifecycleTest, SigintAlsoStops) {
  Child child = spawn(memory_config());
  ASSERT_FALSE(read_line(child.stdout_fd).empty());
  kill(child.pid, SIGINT);
  EXPECT_EQ(wait_exit(child), kExitOk);
}

TEST(LifecycleTest, DataDirIsCreated) {
  auto dir = std::filesystem::temp_directory_path() /
             ("cqld-lifecycle-" + std::to_string(getpid())) / "nested";
  CqldConfig config = memory_config();
  config.database.in_memory = false;
  config.database.data_dir = dir.string();
  Child child = spawn(config);
  ASSERT_FALSE(read_line(child.stdout_fd).empty());
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  kill(child.pid, SIGTERM);
  EXPECT_EQ(wait_exit(child), kExitOk);
  std::filesystem::remove_all(dir.parent_path());
}

TEST(LifecycleTest, UnusableDataDirIsARuntimeError) {
  auto file =
      std::filesystem::temp_directory_path() / ("cqld-lifecycle-file-" + std::to_string(getpid()));
  std::ofstream(file) << "not a directory";
  CqldConfig config = memory_config();
  config.database.in_memory = false;
  config.database.data_dir = (file / "data").string();
  Child child = spawn(config);
  std::string err = read_all(child.stderr_fd);
  EXPECT_EQ(read_all(child.stdout_fd), "");
  EXPECT_EQ(wait_exit(child), kExitRuntimeError);
  EXPECT_EQ(err.rfind("cqld: ", 0), 0u) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  std::filesystem::remove(file);
}

TEST(LifecycleTest, PortInUseIsARuntimeError) {
  Child first = spawn(memory_config());
  std::string line = read_line(first.stdout_fd);
  int port = std::stoi(line.substr(line.rfind(':') + 1));
  CqldConfig config = memory_config();
  config.server.port = static_cast<uint16_t>(port);
  Child second = spawn(config);
  std::string err = read_all(second.stderr_fd);
  EXPECT_EQ(wait_exit(second), kExitRuntimeError);
  EXPECT_NE(err.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << err;
  kill(first.pid, SIGTERM);
  EXPECT_EQ(wait_exit(first), kExitOk);
}

}  // namespace
}  // namespace cqld
