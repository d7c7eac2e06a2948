// Mangled statements end in a parse or a SyntaxError: never another exception, never a crash.
#include <gtest/gtest.h>

#include <random>

#include "common/errors.h"
#include "cql/parser.h"

namespace cqld {
namespace {

constexpr std::string_view kSeeds[] = {
    "INSERT INTO ks.t (a, \"B\", c) VALUES (1, 'x''y', {1: [2, 3], 4: []}) IF NOT EXISTS "
    "USING TTL 5",
    "SELECT a, writetime(b), m['k'], s[1..2], CAST(c AS text) AS x FROM t WHERE (a, b) IN "
    "((1, 2), ?) AND token(k) > ? AND m CONTAINS KEY :k GROUP BY a ORDER BY b DESC LIMIT 3",
    "UPDATE t USING TIMESTAMP 1 SET c = c + 1, l = [1] + l, u.f = {x: 1} WHERE k = 0x0a IF u.f "
    "= 2 AND v IN (1, 2)",
    "BEGIN UNLOGGED BATCH DELETE a[1] FROM t WHERE k = 1; INSERT INTO t JSON ?; APPLY BATCH",
    "CREATE TABLE IF NOT EXISTS t (k uuid, c timeuuid, v frozen<map<text, tuple<int, blob>>> "
    "static, PRIMARY KEY ((k), c)) WITH CLUSTERING ORDER BY (c DESC) AND caching = {'a': 'b'}",
    "CREATE OR REPLACE FUNCTION f(a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS $$x$$",
    "GRANT SELECT ON ALL FUNCTIONS IN KEYSPACE ks TO 'r'",
    "DESCRIBE ONLY KEYSPACE ks WITH INTERNALS",
};

constexpr std::string_view kAlphabet = "()[]{}<>,;.:=+-*/%?'\"$ \nabcxyzAND0123456789eE_";

std::string mutate(std::string_view seed, std::mt19937& rng) {
  std::string s(seed);
  std::uniform_int_distribution<int> edits(1, 4);
  for (int n = edits(rng); n > 0 && !s.empty(); --n) {
    size_t at = std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
    char c = kAlphabet[std::uniform_int_distribution<size_t>(0, kAlphabet.size() - 1)(rng)];
    switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
      case 0:
        s.erase(at, 1);
        break;
      case 1:
        s.insert(at, 1, c);
        break;
      default:
        s[at] = c;
    }
  }
  return s;
}

TEST(ParserRobustnessTest, MutatedStatements) {
  std::mt19937 rng(20240101);
  int parsed = 0;
  int rejected = 0;
  for (std::string_view seed : kSeeds) {
    for (int i = 0; i < 2000; ++i) {
      std::string text = mutate(seed, rng);
      try {
        parse_statement(text);
        ++parsed;
      } catch (const SyntaxError&) {
        ++rejected;
      } catch (const std::exception& e) {
        ADD_FAILURE() << text << "\n  -> " << e.what();
      }
    }
  }
  EXPECT_GT(parsed, 0);
  EXPECT_GT(rejected, 0);
}

TEST(ParserRobustnessTest, EveryPrefix) {
  for (std::string_view seed : kSeeds) {
    for (size_t n = 0; n < seed.size(); ++n) {
      try {
        parse_statement(seed.substr(0, n));
      } catch (const SyntaxError&) {
      }
      try {
        split_statements(seed.substr(0, n));
      } catch (const SyntaxError&) {
      }
    }
  }
}


std::string repeat(std::string_view part, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += part;
  return out;
}

// Every way of nesting: a deep tree would make preparation, execution or even the tree's
// destructor recurse past the stack, so each is refused at parse time beyond the bound, and
// accepted well within it.
// A frame of literals must not parse into gigabytes: past the element limit the statement is
// refused, short of it accepted.
TEST(ParserRobustnessTest, StatementsOfTooManyTermsAreRefused) {
  auto in_list = [](int n) {
    std::string text = "SELECT * FROM t WHERE k IN (1";
    for (int i = 1; i < n; ++i) text += ",1";
    return text + ")";
  };
  EXPECT_NO_THROW(parse_statement(in_list(100000)));
  try {
    parse_statement(in_list(300000));
    FAIL() << "accepted";
  } catch (const SyntaxError& e) {
    EXPECT_NE(std::string(e.what()).find("too many terms"), std::string::npos) << e.what();
  }
}

TEST(ParserRobustnessTest, DeepNestingOfEveryKindIsRefused) {
  auto statements = [](int n) {
    return std::vector<std::string>{
        "SELECT m" + repeat("[1]", n) + " FROM t",
        "SELECT u" + repeat(".f", n) + " FROM t",
        "SELECT m" + repeat("[1..2]", n) + " FROM t",
        "SELECT v" + repeat(" + 1", n) + " FROM t",
        "SELECT v" + repeat(" * 1", n) + " FROM t",
        "SELECT " + repeat("- ", n) + "v FROM t",
        "SELECT " + repeat("(int)", n) + "v FROM t",
        "SELECT " + repeat("(", n) + "1" + repeat(")", n) + " FROM t",
        "SELECT " + repeat("f(", n) + "v" + repeat(")", n) + " FROM t",
        "SELECT * FROM t WHERE k = 1" + repeat(" + 1", n),
        "SELECT * FROM t WHERE k = 1" + repeat(" * 1", n),
        "SELECT * FROM t WHERE k = " + repeat("(", n) + "1" + repeat(")", n),
        "SELECT * FROM t WHERE k = " + repeat("f(", n) + "1" + repeat(")", n),
        "INSERT INTO t (k, v) VALUES (1, " + repeat("[", n) + "1" + repeat("]", n) + ")",
        "INSERT INTO t (k, v) VALUES (1, " + repeat("{1: ", n) + "1" + repeat("}", n) + ")",
        "INSERT INTO t (k, v) VALUES (1, " + repeat("(1, ", n) + "1" + repeat(")", n) + ")",
        "UPDATE t SET v = v" + repeat(" + 1", n) + " WHERE k = 1",
        "CREATE TABLE t (k int PRIMARY KEY, v " + repeat("frozen<list<", n) + "int" +
            repeat(">>", n) + ")",
        "CREATE TABLE t (k int PRIMARY KEY, v " + repeat("tuple<", n) + "int" +
            repeat(">", n) + ")",
    };
  };
  for (const std::string& text : statements(100000)) {
    EXPECT_THROW(parse_statement(text), SyntaxError) << text.substr(0, 60);
  }
  for (const std::string& text : statements(20)) {
    EXPECT_NO_THROW(parse_statement(text)) << text.substr(0, 60);
  }
}

}  // namespace
}  // namespace cqld
