# Sanitized builds, each in a build directory of its own so the normal build is untouched.
#
# CQLD_SANITIZE builds every target (libraries, cqld, the unit tests) with AddressSanitizer and
# UndefinedBehaviorSanitizer. Nothing recovers: the first report aborts the process, so a test
# that provokes one fails. Optimized (-O1) with line tables only, which compiles in about half
# the time of RelWithDebInfo and still symbolizes every frame of a report.
#
# CQLD_BUILD_FUZZ adds the libFuzzer targets (fuzz/). It needs clang and implies CQLD_SANITIZE;
# everything is also compiled with libFuzzer's coverage instrumentation (fuzzer-no-link), so the
# one sanitized build gives cqld, the unit tests and the fuzz targets.

option(CQLD_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CQLD_BUILD_FUZZ "Build the libFuzzer targets in fuzz/ (clang; implies CQLD_SANITIZE)" OFF)

if(CQLD_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CQLD_BUILD_FUZZ needs clang (libFuzzer); on Debian: apt-get install "
                        "clang-19 libclang-rt-19-dev, then configure with -DCMAKE_CXX_COMPILER=clang++-19")
  endif()
  set(CQLD_SANITIZE ON)
endif()

if(CQLD_SANITIZE)
  set(cqld_sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  if(CQLD_BUILD_FUZZ)
    list(APPEND cqld_sanitizer_flags -fsanitize=fuzzer-no-link)
  endif()
  add_compile_options(${cqld_sanitizer_flags} -O1 -gline-tables-only)
  add_link_options(${cqld_sanitizer_flags})
endif()
