// The CQL examples of Cassandra's documentation parse. The examples are not kept in this
// repository: the test reads them from $CQLD_CQL_EXAMPLES or the shared reference folder, and
// is skipped where neither exists.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cql/parser.h"

namespace cqld {
namespace {

namespace fs = std::filesystem;

fs::path examples_dir() {
  if (const char* env = std::getenv("CQLD_CQL_EXAMPLES")) return env;
  return "/work/shared/reference/cql/examples/CQL";
}

// Files that are not valid CQL as written: elisions ("..."), callout markers, missing ';'
// between statements, typos, and OR in WHERE (a Cassandra 5.1 addition).
const std::set<std::string> kNotCql = {
    "create_ks_trans_repl.cql",
    "function_udfcontext.cql",
    "no_revoke.cql",
    "spec_retry_values.cql",
    "function_overload.cql",
    "function_dollarsign.cql",
    "create-table-compaction-options.cql",
    "select_statement.cql",
    "list.cql",
    "vector.cql",
    "vector-search-cycling.cql",
    "insert-vector-data-cycling.cql",
    "index-sai-select-from-list-two-columns.cql",
    "index-sai-select-multiple-index-match-with-or.cql",
};

// cqlsh commands, not CQL.
bool is_shell_command(std::string_view statement) {
  for (std::string_view command : {"SOURCE", "CAPTURE", "COPY", "LOGIN", "RESTRICT", "CONSISTENCY",
                                   "EXPAND", "TRACING", "PAGING"}) {
    if (statement.substr(0, command.size()) == command) return true;
  }
  return false;
}

TEST(DocExamplesTest, AllParse) {
  fs::path dir = examples_dir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no CQL examples at " << dir;
  int parsed = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".cql" || kNotCql.count(file)) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string script = text.str();
    for (std::string_view statement : split_statements(script)) {
      if (is_shell_command(statement)) continue;
      try {
        parse_statement(statement);
        ++parsed;
      } catch (const std::exception& e) {
        ADD_FAILURE() << file << ": " << e.what() << "\n" << statement;
      }
    }
  }
  EXPECT_GT(parsed, 500);
}

}  // namespace
}  // namespace cqld
