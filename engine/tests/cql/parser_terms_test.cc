// Identifiers, literals, bind markers, types, arithmetic and syntax errors.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "cql/parser.h"

namespace cqld {
namespace {

using ast::Term;

const ast::InsertStatement& insert(const ast::RawStatement& raw) {
  return std::get<ast::InsertStatement>(raw.statement);
}

// The single value of "INSERT INTO t (v) VALUES (<text>)".
Term value_of(std::string_view text) {
  auto raw = parse_statement("INSERT INTO t (v) VALUES (" + std::string(text) + ")");
  return insert(*raw).values.at(0);
}

Literal literal_of(std::string_view text) {
  Term term = value_of(text);
  EXPECT_EQ(term.kind, Term::Kind::kLiteral) << text;
  return term.literal;
}

std::string syntax_error(std::string_view text) {
  try {
    parse_statement(text);
  } catch (const SyntaxError& e) {
    return e.what();
  }
  ADD_FAILURE() << "parsed: " << text;
  return "";
}

TEST(ParserIdentifiersTest, FoldsUnquotedKeepsQuoted) {
  auto raw = parse_statement("SELECT MyCol, \"MyCol\", \"a\"\"b\" FROM MyKs.\"MyTable\"");
  const auto& s = std::get<ast::SelectStatement>(raw->statement);
  EXPECT_EQ(s.selectors[0].selector.column, "mycol");
  EXPECT_EQ(s.selectors[1].selector.column, "MyCol");
  EXPECT_EQ(s.selectors[2].selector.column, "a\"b");
  EXPECT_EQ(s.table.keyspace, "myks");
  EXPECT_EQ(s.table.name, "MyTable");
}

TEST(ParserIdentifiersTest, UnreservedKeywordsAreNames) {
  auto raw = parse_statement(
      "SELECT key, type, ttl, value, count, writetime, json, distinct, keys, filtering FROM t "
      "WHERE key = 1");
  const auto& s = std::get<ast::SelectStatement>(raw->statement);
  ASSERT_EQ(s.selectors.size(), 10u);
  EXPECT_FALSE(s.json);
  EXPECT_FALSE(s.distinct);
  EXPECT_EQ(s.selectors[1].selector.column, "type");
  EXPECT_EQ(s.selectors[2].selector.kind, ast::Selector::Kind::kColumn);
  EXPECT_EQ(s.where[0].columns[0], "key");
  auto table = parse_statement("CREATE TABLE t (key int PRIMARY KEY, value text, ttl int)");
  EXPECT_EQ(std::get<ast::CreateTableStatement>(table->statement).columns[1].name, "value");
  auto json = parse_statement("SELECT json FROM t");
  EXPECT_FALSE(std::get<ast::SelectStatement>(json->statement).json);
  auto json_star = parse_statement("SELECT JSON * FROM t");
  EXPECT_TRUE(std::get<ast::SelectStatement>(json_star->statement).json);
}

TEST(ParserIdentifiersTest, ReservedKeywordsNeedQuotes) {
  EXPECT_NE(syntax_error("SELECT from FROM t").find("line 1:7"), std::string::npos);
  EXPECT_NO_THROW(parse_statement("SELECT \"from\" FROM t"));
  EXPECT_THROW(parse_statement("SELECT \"\" FROM t"), SyntaxError);
  EXPECT_NO_THROW(parse_statement("CREATE TABLE \"table\" (\"select\" int PRIMARY KEY)"));
}

TEST(ParserLiteralsTest, Scalars) {
  EXPECT_EQ(literal_of("'it''s'").text, "it's");
  EXPECT_EQ(literal_of("$$it's$$").text, "it's");
  EXPECT_EQ(literal_of("-42").kind, Literal::Kind::kInteger);
  EXPECT_EQ(literal_of("-42").text, "-42");
  EXPECT_EQ(literal_of("123456789012345678901234567890").text, "123456789012345678901234567890");
  EXPECT_EQ(literal_of("1.5").kind, Literal::Kind::kFloat);
  EXPECT_EQ(literal_of("1e10").text, "1e10");
  EXPECT_EQ(literal_of("-2.5E-3").text, "-2.5E-3");
  EXPECT_EQ(literal_of("NaN").kind, Literal::Kind::kFloat);
  EXPECT_EQ(literal_of("-NaN").text, "-NaN");
  EXPECT_EQ(literal_of("Infinity").text, "Infinity");
  EXPECT_EQ(literal_of("-Infinity").text, "-Infinity");
  EXPECT_EQ(literal_of("TRUE").text, "true");
  EXPECT_EQ(literal_of("fAlSe").text, "false");
  EXPECT_EQ(literal_of("fAlSe").kind, Literal::Kind::kBoolean);
  EXPECT_EQ(literal_of("550e8400-e29b-41d4-a716-446655440000").kind, Literal::Kind::kUuid);
  EXPECT_EQ(literal_of("0xCAFE").text, "CAFE");
  EXPECT_EQ(literal_of("0xCAFE").kind, Literal::Kind::kHex);
  EXPECT_EQ(literal_of("null").kind, Literal::Kind::kNull);
}

TEST(ParserLiteralsTest, Durations) {
  for (std::string_view d : {"1h30m", "12mo", "P1Y2M", "PT4H", "P1W", "P0001-02-03T04:05:06"}) {
    Literal l = literal_of(d);
    EXPECT_EQ(l.kind, Literal::Kind::kDuration) << d;
    EXPECT_EQ(l.text, d);
  }
  EXPECT_EQ(literal_of("-2d").text, "-2d");
  EXPECT_EQ(literal_of("-2d").kind, Literal::Kind::kDuration);
}

TEST(ParserLiteralsTest, Collections) {
  std::optional<Literal> map = term_to_literal(value_of("{'a': [1, 2], 'b': []}"));
  ASSERT_TRUE(map);
  EXPECT_EQ(map->kind, Literal::Kind::kMap);
  ASSERT_EQ(map->elements.size(), 4u);
  EXPECT_EQ(map->elements[1].kind, Literal::Kind::kList);
  EXPECT_EQ(map->elements[1].elements[1].text, "2");
  EXPECT_TRUE(map->elements[3].elements.empty());

  std::optional<Literal> empty = term_to_literal(value_of("{}"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->kind, Literal::Kind::kMap);

  std::optional<Literal> set = term_to_literal(value_of("{1, 2, 3}"));
  EXPECT_EQ(set->kind, Literal::Kind::kSet);
  EXPECT_EQ(set->elements.size(), 3u);

  std::optional<Literal> udt = term_to_literal(value_of("{street: 'Main', \"Zip\": 1, n: {x: 1}}"));
  EXPECT_EQ(udt->kind, Literal::Kind::kUdt);
  EXPECT_EQ(udt->field_names, (std::vector<std::string>{"street", "Zip", "n"}));
  EXPECT_EQ(udt->elements[2].kind, Literal::Kind::kUdt);

  std::optional<Literal> tuple = term_to_literal(value_of("(1, 'a', (2, 3))"));
  EXPECT_EQ(tuple->kind, Literal::Kind::kTuple);
  EXPECT_EQ(tuple->elements[2].kind, Literal::Kind::kTuple);
}

TEST(ParserLiteralsTest, NonConstantCollectionsStayTerms) {
  Term list = value_of("[1, ?, now()]");
  EXPECT_EQ(list.kind, Term::Kind::kList);
  EXPECT_EQ(list.children[1].kind, Term::Kind::kBindMarker);
  EXPECT_EQ(list.children[2].kind, Term::Kind::kFunctionCall);
  EXPECT_FALSE(term_to_literal(list));
  Term map = value_of("{'k': :v}");
  EXPECT_EQ(map.kind, Term::Kind::kMap);
  EXPECT_EQ(map.children[1].bind_name, "v");
}

TEST(ParserTermsTest, FunctionsCastsAndArithmetic) {
  Term call = value_of("system.toTimestamp(now())");
  EXPECT_EQ(call.kind, Term::Kind::kFunctionCall);
  EXPECT_EQ(call.function.keyspace, "system");
  EXPECT_EQ(call.function.name, "totimestamp");
  EXPECT_EQ(call.children[0].function.name, "now");

  Term hint = value_of("(int) ?");
  EXPECT_EQ(hint.kind, Term::Kind::kTypeHint);
  EXPECT_EQ(hint.type.kind, TypeKind::kInt);
  EXPECT_EQ(hint.children[0].kind, Term::Kind::kBindMarker);
  EXPECT_EQ(value_of("(frozen<list<int>>) [1]").type.kind, TypeKind::kList);

  Term sum = value_of("1 + 2 * 3");
  EXPECT_EQ(sum.kind, Term::Kind::kArithmetic);
  EXPECT_EQ(sum.op, ast::ArithmeticOp::kAdd);
  EXPECT_EQ(sum.children[1].op, ast::ArithmeticOp::kMultiply);
  Term difference = value_of("5 - 3 % 2");
  EXPECT_EQ(difference.op, ast::ArithmeticOp::kSubtract);
  EXPECT_EQ(difference.children[1].op, ast::ArithmeticOp::kModulo);
  Term negate = value_of("-now()");
  EXPECT_EQ(negate.kind, Term::Kind::kNegate);
  Term date = value_of("'2024-01-01' - 2d");
  EXPECT_EQ(date.children[1].literal.kind, Literal::Kind::kDuration);
}

TEST(ParserBindMarkersTest, NumberedInOrderOfAppearance) {
  auto raw = parse_statement(
      "UPDATE t USING TTL ? SET a = ?, m[:key] = :val WHERE k IN ? AND (c, d) > (?, ?) IF e = ?");
  EXPECT_EQ(raw->bind_marker_count, 8);
  EXPECT_EQ(raw->bind_marker_names,
            (std::vector<std::string>{"", "", "key", "val", "", "", "", ""}));
  const auto& s = std::get<ast::UpdateStatement>(raw->statement);
  EXPECT_EQ(s.using_clause.ttl->bind_index, 0);
  EXPECT_EQ(s.assignments[0].value.bind_index, 1);
  EXPECT_EQ(s.assignments[1].key->bind_index, 2);
  EXPECT_EQ(s.assignments[1].value.bind_index, 3);
  EXPECT_EQ(s.where[0].value->bind_index, 4);
  EXPECT_EQ(s.where[1].value->children[1].bind_index, 6);
  EXPECT_EQ(s.conditions[0].value->bind_index, 7);
}

TEST(ParserBindMarkersTest, CountedAcrossABatch) {
  auto raw = parse_statement(
      "BEGIN BATCH INSERT INTO t (a, b) VALUES (?, ?); UPDATE t SET b = ? WHERE a = ? APPLY BATCH");
  EXPECT_EQ(raw->bind_marker_count, 4);
  const auto& b = std::get<ast::BatchStatement>(raw->statement);
  EXPECT_EQ(std::get<ast::UpdateStatement>(b.statements[1]).where[0].value->bind_index, 3);
}

TEST(ParserBindMarkersTest, LimitsAndJson) {
  auto raw = parse_statement("SELECT * FROM t WHERE k = :k PER PARTITION LIMIT ? LIMIT :lim");
  EXPECT_EQ(raw->bind_marker_count, 3);
  EXPECT_EQ(raw->bind_marker_names[2], "lim");
  auto json = parse_statement("INSERT INTO t JSON ? DEFAULT UNSET");
  EXPECT_EQ(json->bind_marker_count, 1);
  EXPECT_TRUE(insert(*json).json_default_unset);
}

TEST(ParserTypesTest, ParseType) {
  ast::RawType t = parse_type("map<text, frozen<list<tuple<int, 'org.Foo', ks.addr>>>>");
  EXPECT_EQ(t.kind, TypeKind::kMap);
  EXPECT_FALSE(t.frozen);
  EXPECT_EQ(t.params[0].kind, TypeKind::kVarchar);
  const ast::RawType& list = t.params[1];
  EXPECT_EQ(list.kind, TypeKind::kList);
  EXPECT_TRUE(list.frozen);
  const ast::RawType& tuple = list.params[0];
  ASSERT_EQ(tuple.params.size(), 3u);
  EXPECT_EQ(tuple.params[1].kind, TypeKind::kCustom);
  EXPECT_EQ(tuple.params[1].custom_class, "org.Foo");
  EXPECT_EQ(tuple.params[2].kind, TypeKind::kUdt);
  EXPECT_EQ(tuple.params[2].udt.keyspace, "ks");
  EXPECT_EQ(parse_type("VARCHAR").kind, TypeKind::kVarchar);
  EXPECT_EQ(parse_type("timeuuid").kind, TypeKind::kTimeuuid);
  EXPECT_EQ(parse_type("\"MyType\"").udt.name, "MyType");
  ast::RawType vector = parse_type("vector<float, 3>");
  EXPECT_EQ(vector.vector_dimension, 3);
  EXPECT_EQ(vector.params[0].kind, TypeKind::kFloat);
  EXPECT_THROW(parse_type("map<int>"), SyntaxError);
  EXPECT_THROW(parse_type("int int"), SyntaxError);
}

TEST(ParserErrorsTest, CassandraStyleMessages) {
  EXPECT_EQ(syntax_error("SELECT * FRM t"),
            "line 1:9 mismatched input 'FRM' expecting K_FROM (SELECT * [FRM] t)");
  EXPECT_EQ(syntax_error("SELEC * FROM t"),
            "line 1:0 no viable alternative at input 'SELEC' ([SELEC] *...)");
  EXPECT_EQ(syntax_error("SELECT * FROM"),
            "line 0:-1 no viable alternative at input '<EOF>'");  // as Cassandra 5.0.8 answers
  EXPECT_EQ(syntax_error("SELECT * FROM t garbage"),
            "line 1:16 mismatched input 'garbage' expecting EOF (SELECT * FROM t [garbage])");
  EXPECT_EQ(syntax_error("INSERT INTO t (a) VALUES (1"),
            "line 0:-1 mismatched input '<EOF>' expecting ')'");
  EXPECT_EQ(syntax_error("SELECT a\nFROM t\nWHERE a = = 1"),
            "line 3:10 no viable alternative at input '=' (...FROM tWHERE a = [=] 1)");
  EXPECT_EQ(syntax_error("UPDATE t SET a = b + 1 WHERE k = 1"),
            "Only expressions of the form X = X +<value> are supported.");
  EXPECT_EQ(syntax_error("UPDATE t SET a = b - 1 WHERE k = 1"),
            "Only expressions of the form X = X -<value> are supported.");
  EXPECT_EQ(syntax_error("SELECT 'oops FROM t"),
            "line 1:19 mismatched character '<EOF>' expecting '''");
  EXPECT_THROW(parse_statement(""), SyntaxError);
  EXPECT_NO_THROW(parse_statement("SELECT * FROM t;;"));  // any number of ';', as Cassandra's grammar
  EXPECT_EQ(syntax_error("SELECT * FROM t -- a comment ending the text"),
            "line 1:44 mismatched character '<EOF>' expecting set null");
  EXPECT_EQ(syntax_error("INSERT INTO t (k, u) VALUES (8, 11111111-2222-3333-4444)"),
            "line 1:55 mismatched character ')' expecting '-'");
  EXPECT_THROW(parse_statement("INSERT INTO t (k, d) VALUES (1, 1e309)"), SyntaxError);
}

TEST(ParserErrorsTest, DeepNestingIsRefused) {
  std::string deep = "INSERT INTO t (v) VALUES (" + std::string(100000, '[') + "1" +
                     std::string(100000, ']') + ")";
  EXPECT_THROW(parse_statement(deep), SyntaxError);
  std::string selectors = "SELECT ";
  for (int i = 0; i < 50000; ++i) selectors += "- ";
  selectors += "a FROM t";
  try {
    parse_statement(selectors);
    ADD_FAILURE();
  } catch (const SyntaxError& e) {
    EXPECT_NE(std::string(e.what()).find("too many nested expressions"), std::string::npos);
  }
  std::string types = "CREATE TABLE t (k int PRIMARY KEY, v ";
  for (int i = 0; i < 50000; ++i) types += "list<";
  EXPECT_THROW(parse_statement(types), SyntaxError);
  std::string relations = "SELECT * FROM t WHERE " + std::string(100000, '(') + "a = 1";
  EXPECT_THROW(parse_statement(relations), SyntaxError);
  std::string fine =
      "INSERT INTO t (v) VALUES (" + std::string(50, '[') + "1" + std::string(50, ']') + ")";
  EXPECT_NO_THROW(parse_statement(fine));
}

TEST(ParserScriptTest, SplitStatements) {
  std::vector<std::string_view> parts = split_statements(
      "-- setup\nUSE ks;\nINSERT INTO t (a) VALUES ('x;y');  /* ; */\n"
      "BEGIN BATCH INSERT INTO t (a) VALUES (1); DELETE FROM t WHERE a = 2; APPLY BATCH;\n"
      "CREATE FUNCTION f() CALLED ON NULL INPUT RETURNS int LANGUAGE java AS $$ return 1; $$;\n"
      ";; SELECT * FROM t");
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0], "USE ks");
  EXPECT_EQ(parts[1], "INSERT INTO t (a) VALUES ('x;y')");
  EXPECT_EQ(parts[2],
            "BEGIN BATCH INSERT INTO t (a) VALUES (1); DELETE FROM t WHERE a = 2; APPLY BATCH");
  EXPECT_EQ(parts[4], "SELECT * FROM t");
  for (std::string_view part : parts) EXPECT_NO_THROW(parse_statement(part)) << part;
}

}  // namespace
}  // namespace cqld
