// Preparation against a fixed schema (fuzz_database.h): the text is parsed and bound to the
// schema (columns resolved, types checked, bind markers typed, restrictions classified) as a
// PREPARE does, nothing is executed. The input is "<keyspace>\n<statement>", or a statement
// alone, prepared with no current keyspace. Refusals must be CqlErrors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_database.h"

namespace {

// Never destroyed: at exit RocksDB's own statics go first, and closing a database after them
// aborts (a destroyed mutex). It stays reachable, so leak checking does not report it.
cqld::QueryProcessor* g_db = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_db = cqld::fuzz::open_fuzz_database().release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  cqld::ClientState client;
  if (size_t newline = text.find('\n'); newline != std::string_view::npos && newline < 64) {
    client.keyspace = std::string(text.substr(0, newline));
    text.remove_prefix(newline + 1);
  }
  try {
    g_db->prepare(client, text);
  } catch (const cqld::CqlError&) {
  }
  return 0;
}
