/* Records how much of each write-ahead log file is on the disk: preloaded (LD_PRELOAD) into
 * cqld, every successful fsync or fdatasync of a RocksDB log file (a name ending in ".log")
 * appends "<path> <size>" to the file named by WAL_SYNC_LEDGER, the size being the file's length
 * when the sync began (everything written before it is covered by it). After a SIGKILL, cutting
 * each log file back to its last recorded size gives the directory a power loss would leave:
 * what cqld wrote but never synced is gone. Built by test_kill_recovery.py. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_log_file(int fd, char *path, size_t room) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, room - 1);
  if (n <= 4) return 0;
  path[n] = '\0';
  return strcmp(path + n - 4, ".log") == 0;
}

static void record(const char *path, off_t size) {
  const char *ledger = getenv("WAL_SYNC_LEDGER");
  if (!ledger) return;
  char line[PATH_MAX + 32];
  int len = snprintf(line, sizeof line, "%s %lld\n", path, (long long)size);
  /* One write of one line to a file opened O_APPEND: lines of concurrent syncs never mix. */
  int out = open(ledger, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) return;
  ssize_t ignored = write(out, line, (size_t)len);
  (void)ignored;
  close(out);
}

static int synced(int fd, int (*real)(int)) {
  char path[PATH_MAX];
  struct stat st;
  int tracked = is_log_file(fd, path, sizeof path) && fstat(fd, &st) == 0;
  int result = real(fd);
  if (result == 0 && tracked) record(path, st.st_size);
  return result;
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return synced(fd, real);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  return synced(fd, real);
}
