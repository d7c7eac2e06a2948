# Finds the C++ compiler and the libraries cqld builds with. When some are missing it fails
# once, naming every Debian package to install, so that `pip install` from the source
# distribution tells a user what the machine lacks instead of stopping at the first library.
#
# CQLD_PORTABLE (the wheel's build) takes third-party libraries (RocksDB with its compression
# libraries, lz4, snappy, GMP, OpenSSL's libcrypto and libssl, libxcrypt) from their static archives, which Debian's
# -dev packages ship, and cqld_make_portable() links libstdc++ statically, so cqld needs at run
# time only what every Linux with glibc has: libc, libm, the dynamic loader and libgcc_s. Its
# manylinux tag is then set by the newest glibc symbol version it uses. The dev build leaves it
# off: shared libraries link faster and debug better.

include(CheckLanguage)
check_language(CXX)
if(NOT CMAKE_CXX_COMPILER)
  message(FATAL_ERROR
    "cqld needs a C++20 compiler and none was found.\n"
    "On Debian or Ubuntu: sudo apt-get install build-essential librocksdb-dev libasio-dev "
    "liblz4-dev libsnappy-dev libgmp-dev libssl-dev libcrypt-dev")
endif()
enable_language(CXX)

if(CQLD_PORTABLE)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
endif()

set(cqld_missing_packages "")
macro(cqld_require found package)
  if(NOT ${found})
    list(APPEND cqld_missing_packages ${package})
  endif()
endmacro()

find_package(Threads REQUIRED)
find_package(OpenSSL COMPONENTS Crypto SSL)
cqld_require(OPENSSL_FOUND libssl-dev)
find_library(ROCKSDB_LIB rocksdb)
cqld_require(ROCKSDB_LIB librocksdb-dev)
find_library(LZ4_LIB lz4)
cqld_require(LZ4_LIB liblz4-dev)
find_library(SNAPPY_LIB snappy)
cqld_require(SNAPPY_LIB libsnappy-dev)
find_library(GMP_LIB gmp)
cqld_require(GMP_LIB libgmp-dev)
# libxcrypt's bcrypt (crypt_rn, crypt_gensalt_rn): the password hashes of system_auth.roles.
find_library(CRYPT_LIB crypt)
cqld_require(CRYPT_LIB libcrypt-dev)
find_path(ASIO_INCLUDE asio.hpp)
cqld_require(ASIO_INCLUDE libasio-dev)

if(CQLD_PORTABLE)
  # librocksdb.a, unlike librocksdb.so, does not carry the libraries it was built with (Debian
  # builds it with snappy, zlib, bzip2, lz4 and zstd). A static link needs them after
  # librocksdb.a, so they go at the end of every link line.
  set(rocksdb_deps "")
  foreach(lib snappy z bz2 lz4 zstd)
    find_library(CQLD_ROCKSDB_DEP_${lib} ${lib})
    cqld_require(CQLD_ROCKSDB_DEP_${lib} librocksdb-dev)
    string(APPEND rocksdb_deps " ${CQLD_ROCKSDB_DEP_${lib}}")
  endforeach()
  set(CMAKE_CXX_STANDARD_LIBRARIES "${CMAKE_CXX_STANDARD_LIBRARIES}${rocksdb_deps} -ldl")
endif()

if(cqld_missing_packages)
  list(REMOVE_DUPLICATES cqld_missing_packages)
  list(JOIN cqld_missing_packages " " packages)
  message(FATAL_ERROR
    "cqld cannot be built: libraries it needs are missing.\n"
    "On Debian or Ubuntu: sudo apt-get install ${packages}")
endif()

# Makes the executable `target` portable (CQLD_PORTABLE): libstdc++ linked in, so no GLIBCXX
# symbol version of the build machine's compiler narrows the tag. libgcc stays shared: the static
# unwinder of GCC 12 calls _dl_find_object (glibc 2.35), libgcc_s.so.1 is on every system. And
# libstdc++'s std::random_device refers to arc4random (glibc 2.36); --wrap points it at a
# getrandom() version (glibc 2.25), so the newest glibc cqld needs is 2.34 (__libc_start_main).
function(cqld_make_portable target)
  target_link_options(${target} PRIVATE -static-libstdc++ -Wl,--wrap=arc4random)
  target_sources(${target} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/portable_arc4random.cc)
endfunction()
