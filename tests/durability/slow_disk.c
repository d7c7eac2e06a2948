/* A slow disk for a process of one's own: preloaded (LD_PRELOAD) into cqld, it makes every
 * fsync and fdatasync take SLOW_DISK_SYNC_MS milliseconds and every write of a file take
 * SLOW_DISK_WRITE_US microseconds more, the way a saturated or networked disk does. Sockets and
 * pipes are not slowed. Built by the test that uses it (test_faults_under_load.py). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long setting(const char *name) {
  const char *v = getenv(name);
  return v ? atol(v) : 0;
}

static void pause_us(long us) {
  if (us <= 0) return;
  struct timespec t = {us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&t, &t) != 0) {
  }
}

static int is_file(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  pause_us(setting("SLOW_DISK_SYNC_MS") * 1000);
  return real(fd);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  pause_us(setting("SLOW_DISK_SYNC_MS") * 1000);
  return real(fd);
}

ssize_t write(int fd, const void *buf, size_t n) {
  static ssize_t (*real)(int, const void *, size_t);
  if (!real) real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  if (is_file(fd)) pause_us(setting("SLOW_DISK_WRITE_US"));
  return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset) {
  static ssize_t (*real)(int, const void *, size_t, off_t);
  if (!real) real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
  if (is_file(fd)) pause_us(setting("SLOW_DISK_WRITE_US"));
  return real(fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t offset) { return pwrite(fd, buf, n, offset); }
