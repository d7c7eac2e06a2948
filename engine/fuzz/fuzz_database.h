// The in-memory database the prepare and session targets run against, with a fixed schema:
// fuzz/schema.cql (the tables and types of the conformance cases, one keyspace per case file),
// read from the source tree so every run, and every reproduction of a finding, sees the same.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "common/errors.h"
#include "common/log.h"
#include "cql/parser.h"
#include "exec/database.h"

namespace cqld::fuzz {

inline std::string read_schema_script() {
  std::ifstream in(std::string(CQLD_FUZZ_DIR) + "/schema.cql");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Opens an in-memory database and runs the schema script in it. Statements of the script that
// fail (a few case files create what another already has) are skipped.
inline std::unique_ptr<QueryProcessor> open_fuzz_database() {
  DatabaseOptions options;
  options.in_memory = true;
  auto db = open_database(options);
  static const std::string script = read_schema_script();
  ClientState client;
  for (std::string_view statement : split_statements(script)) {
    try {
      db->query(client, statement, QueryOptions{});
    } catch (const CqlError&) {
    }
  }
  return db;
}

}  // namespace cqld::fuzz
