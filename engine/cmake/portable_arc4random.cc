// arc4random for a portable cqld (cmake/Dependencies.cmake, cqld_make_portable): the static
// libstdc++ of GCC 12 calls arc4random, which glibc has only since 2.36. Linked with
// --wrap=arc4random, its calls land here instead, on getrandom(2) (glibc 2.25), so the binary
// runs on older glibc. Same contract as glibc's: blocks until the kernel's pool is ready,
// never returns a predictable value.
#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

extern "C" unsigned int __wrap_arc4random(void) {
  unsigned int value;
  for (;;) {
    ssize_t got = getrandom(&value, sizeof value, 0);
    if (got == static_cast<ssize_t>(sizeof value)) return value;
    if (got < 0 && errno != EINTR) {
      std::perror("cqld: getrandom");
      std::abort();
    }
  }
}
