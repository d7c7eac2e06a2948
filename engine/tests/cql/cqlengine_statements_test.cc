// Every statement cqlengine sends (tests/cql/data/cqlengine-statements.txt, captured from the
// python-driver) parses, and the representative ones parse into the right tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cql/parser.h"

namespace cqld {
namespace {

using ast::Assignment;
using ast::Operator;
using ast::Term;

std::string read_corpus() {
  std::filesystem::path here(__FILE__);
  std::ifstream in(here.parent_path() / "data" / "cqlengine-statements.txt");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The file: "== section" headers, statements separated by "---", and notes that are not CQL.
std::vector<std::string> corpus_statements() {
  std::istringstream lines(read_corpus());
  std::vector<std::string> statements;
  std::string current;
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("==", 0) == 0 || line.rfind("KeyError", 0) == 0) continue;
    if (line == "---") {
      if (!current.empty()) statements.push_back(current);
      current.clear();
      continue;
    }
    current += current.empty() ? line : "\n" + line;
  }
  if (!current.empty()) statements.push_back(current);
  return statements;
}

template <typename T>
const T& as(const ast::RawStatement& raw) {
  const T* s = std::get_if<T>(&raw.statement);
  EXPECT_NE(s, nullptr);
  return *s;
}

TEST(CqlengineStatementsTest, AllParse) {
  std::vector<std::string> statements = corpus_statements();
  ASSERT_GE(statements.size(), 45u);
  for (const std::string& text : statements) {
    try {
      std::unique_ptr<ast::RawStatement> raw = parse_statement(text);
      EXPECT_EQ(raw->bind_marker_count, 0) << text;
    } catch (const std::exception& e) {
      ADD_FAILURE() << text << "\n  -> " << e.what();
    }
  }
}

TEST(CqlengineStatementsTest, CreateTableTree) {
  auto raw = parse_statement(
      "CREATE TABLE app.events (\"tenant\" text , \"day\" date , \"ts\" timeuuid , \"seq\" int , "
      "\"payload\" blob , \"static_info\" text static, PRIMARY KEY ((\"tenant\", \"day\"), \"ts\", "
      "\"seq\")) WITH CLUSTERING ORDER BY (\"ts\" DESC, \"seq\" ASC)");
  const auto& s = as<ast::CreateTableStatement>(*raw);
  EXPECT_EQ(s.table.keyspace, "app");
  EXPECT_EQ(s.table.name, "events");
  ASSERT_EQ(s.columns.size(), 6u);
  EXPECT_EQ(s.columns[1].type.kind, TypeKind::kDate);
  EXPECT_TRUE(s.columns[5].is_static);
  EXPECT_EQ(s.partition_key, (std::vector<std::string>{"tenant", "day"}));
  EXPECT_EQ(s.clustering_columns, (std::vector<std::string>{"ts", "seq"}));
  ASSERT_EQ(s.clustering_order.size(), 2u);
  EXPECT_TRUE(s.clustering_order[0].descending);
  EXPECT_FALSE(s.clustering_order[1].descending);
  EXPECT_TRUE(s.properties.empty());
}

TEST(CqlengineStatementsTest, CreateTableWithCollectionsAndProperties) {
  auto raw = parse_statement(
      "CREATE TABLE app.users (\"user_id\" uuid , \"tags\" set<text> , \"prefs\" map<text, text> "
      ", \"addr\" frozen<address> , \"pair\" tuple<int, text> , PRIMARY KEY ((\"user_id\"))) "
      "WITH comment = 'users table' AND default_time_to_live = 0");
  const auto& s = as<ast::CreateTableStatement>(*raw);
  EXPECT_EQ(s.partition_key, (std::vector<std::string>{"user_id"}));
  EXPECT_TRUE(s.clustering_columns.empty());
  EXPECT_EQ(s.columns[1].type.kind, TypeKind::kSet);
  EXPECT_EQ(s.columns[1].type.params[0].kind, TypeKind::kVarchar);
  EXPECT_EQ(s.columns[2].type.params.size(), 2u);
  EXPECT_EQ(s.columns[3].type.kind, TypeKind::kUdt);
  EXPECT_TRUE(s.columns[3].type.frozen);
  EXPECT_EQ(s.columns[3].type.udt.name, "address");
  EXPECT_EQ(s.columns[4].type.kind, TypeKind::kTuple);
  ASSERT_EQ(s.properties.size(), 2u);
  EXPECT_EQ(s.properties[0].name, "comment");
  EXPECT_EQ(s.properties[0].value.text, "users table");
  EXPECT_EQ(s.properties[1].value.kind, Literal::Kind::kInteger);
}

TEST(CqlengineStatementsTest, CreateKeyspaceTree) {
  auto raw = parse_statement(
      "CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
      "'1'}  AND durable_writes = true");
  const auto& s = as<ast::CreateKeyspaceStatement>(*raw);
  EXPECT_EQ(s.keyspace, "app");
  ASSERT_EQ(s.properties.size(), 2u);
  const Literal& replication = s.properties[0].value;
  EXPECT_EQ(replication.kind, Literal::Kind::kMap);
  ASSERT_EQ(replication.elements.size(), 4u);
  EXPECT_EQ(replication.elements[0].text, "class");
  EXPECT_EQ(replication.elements[1].text, "SimpleStrategy");
  EXPECT_EQ(s.properties[1].value.kind, Literal::Kind::kBoolean);
  EXPECT_EQ(s.properties[1].value.text, "true");
}

TEST(CqlengineStatementsTest, InsertTree) {
  auto raw = parse_statement(
      "INSERT INTO app.users (\"user_id\", \"name\", \"tags\", \"scores\", \"prefs\", \"addr\", "
      "\"pair\", \"active\", \"balance\") VALUES (11111111-2222-3333-4444-555555555555, "
      "'O''Brien', {'x', 'y'}, [1, 2], {'k': 'v'}, { street : 'Main' , zipcode : 12345 }, (1, "
      "'a'), True, 12.5) IF NOT EXISTS USING TTL 60 AND TIMESTAMP 1700000000000000");
  const auto& s = as<ast::InsertStatement>(*raw);
  ASSERT_EQ(s.columns.size(), 9u);
  ASSERT_EQ(s.values.size(), 9u);
  EXPECT_EQ(s.values[0].literal.kind, Literal::Kind::kUuid);
  EXPECT_EQ(s.values[1].literal.text, "O'Brien");
  EXPECT_EQ(s.values[2].kind, Term::Kind::kSet);
  EXPECT_EQ(s.values[3].kind, Term::Kind::kList);
  EXPECT_EQ(s.values[4].kind, Term::Kind::kMap);
  EXPECT_EQ(s.values[5].kind, Term::Kind::kUdt);
  EXPECT_EQ(s.values[5].field_names, (std::vector<std::string>{"street", "zipcode"}));
  EXPECT_EQ(s.values[6].kind, Term::Kind::kTuple);
  EXPECT_EQ(s.values[7].literal.kind, Literal::Kind::kBoolean);
  EXPECT_EQ(s.values[7].literal.text, "true");
  EXPECT_EQ(s.values[8].literal.kind, Literal::Kind::kFloat);
  EXPECT_TRUE(s.if_not_exists);
  EXPECT_EQ(s.using_clause.ttl->literal.text, "60");
  EXPECT_EQ(s.using_clause.timestamp->literal.text, "1700000000000000");
}

TEST(CqlengineStatementsTest, UpdateCollectionOperations) {
  auto raw = parse_statement(
      "UPDATE app.users SET \"tags\" = \"tags\" + {'q'}, \"scores\" = \"scores\" - [9], "
      "\"scores\" = [0] + \"scores\", \"prefs\"['a'] = 'b', \"name\" = 'n' WHERE \"user_id\" = "
      "11111111-2222-3333-4444-555555555555 IF \"age\" = 30");
  const auto& s = as<ast::UpdateStatement>(*raw);
  ASSERT_EQ(s.assignments.size(), 5u);
  EXPECT_EQ(s.assignments[0].kind, Assignment::Kind::kAdd);
  EXPECT_EQ(s.assignments[0].value.kind, Term::Kind::kSet);
  EXPECT_EQ(s.assignments[1].kind, Assignment::Kind::kSubtract);
  EXPECT_EQ(s.assignments[2].kind, Assignment::Kind::kPrepend);
  EXPECT_EQ(s.assignments[2].value.kind, Term::Kind::kList);
  EXPECT_EQ(s.assignments[3].kind, Assignment::Kind::kSetElement);
  EXPECT_EQ(s.assignments[3].key->literal.text, "a");
  EXPECT_EQ(s.assignments[4].kind, Assignment::Kind::kSet);
  ASSERT_EQ(s.where.size(), 1u);
  EXPECT_EQ(s.where[0].columns[0], "user_id");
  ASSERT_EQ(s.conditions.size(), 1u);
  EXPECT_EQ(s.conditions[0].column, "age");
  EXPECT_EQ(s.conditions[0].value->literal.text, "30");
}

TEST(CqlengineStatementsTest, DeleteTrees) {
  auto raw = parse_statement(
      "DELETE FROM app.users  USING TIMESTAMP 1795520431307272  WHERE \"user_id\" = "
      "11111111-2222-3333-4444-555555555555 IF EXISTS");
  const auto& s = as<ast::DeleteStatement>(*raw);
  EXPECT_TRUE(s.deletions.empty());
  EXPECT_EQ(s.using_clause.timestamp->literal.text, "1795520431307272");
  EXPECT_TRUE(s.if_exists);
  auto raw2 = parse_statement("DELETE \"age\", m['k'], u.street FROM app.users WHERE id = 1");
  const auto& d = as<ast::DeleteStatement>(*raw2);
  ASSERT_EQ(d.deletions.size(), 3u);
  EXPECT_EQ(d.deletions[0].column, "age");
  EXPECT_EQ(d.deletions[1].key->literal.text, "k");
  EXPECT_EQ(d.deletions[2].field, "street");
}

TEST(CqlengineStatementsTest, SelectTrees) {
  auto raw = parse_statement(
      "SELECT \"ts\", \"seq\" FROM app.events WHERE \"tenant\" = 't' AND \"day\" = 2147503371 AND "
      "\"ts\" > MinTimeUUID(1704067200000) ORDER BY \"ts\" DESC LIMIT 5");
  const auto& s = as<ast::SelectStatement>(*raw);
  ASSERT_EQ(s.selectors.size(), 2u);
  EXPECT_EQ(s.selectors[1].selector.column, "seq");
  ASSERT_EQ(s.where.size(), 3u);
  EXPECT_EQ(s.where[2].op, Operator::kGt);
  EXPECT_EQ(s.where[2].value->kind, Term::Kind::kFunctionCall);
  EXPECT_EQ(s.where[2].value->function.name, "mintimeuuid");
  ASSERT_EQ(s.order_by.size(), 1u);
  EXPECT_TRUE(s.order_by[0].descending);
  EXPECT_EQ(s.limit->literal.text, "5");

  auto token = parse_statement(
      "SELECT * FROM app.users WHERE token(\"user_id\") > "
      "token(11111111-2222-3333-4444-555555555555) LIMIT 10000");
  const auto& t = as<ast::SelectStatement>(*token);
  EXPECT_TRUE(t.select_all);
  EXPECT_EQ(t.where[0].kind, ast::Relation::Kind::kToken);
  EXPECT_EQ(t.where[0].columns, (std::vector<std::string>{"user_id"}));
  EXPECT_EQ(t.where[0].value->function.name, "token");

  auto count = parse_statement(
      "SELECT COUNT(*) FROM app.users WHERE \"age\" >= 1 LIMIT 10000 ALLOW FILTERING");
  const auto& c = as<ast::SelectStatement>(*count);
  EXPECT_EQ(c.selectors[0].selector.kind, ast::Selector::Kind::kCountRows);
  EXPECT_TRUE(c.allow_filtering);

  auto in = parse_statement(
      "SELECT * FROM app.users WHERE \"user_id\" IN (11111111-2222-3333-4444-555555555555, "
      "00000000-0000-0000-0000-000000000005) LIMIT 10000");
  const auto& i = as<ast::SelectStatement>(*in);
  EXPECT_EQ(i.where[0].op, Operator::kIn);
  EXPECT_FALSE(i.where[0].value.has_value());
  EXPECT_EQ(i.where[0].in_values.size(), 2u);

  auto distinct = parse_statement("SELECT DISTINCT \"tenant\", \"day\" FROM app.events");
  EXPECT_TRUE(as<ast::SelectStatement>(*distinct).distinct);
}

TEST(CqlengineStatementsTest, BatchTrees) {
  auto raw = parse_statement(
      "BEGIN  BATCH\n"
      "  INSERT INTO app.users (\"user_id\", \"name\") VALUES (1, 'b1')\n"
      "  UPDATE app.users SET \"age\" = 5 WHERE \"user_id\" = 1\n"
      "  DELETE FROM app.users WHERE \"user_id\" = 2\n"
      "APPLY BATCH;");
  const auto& b = as<ast::BatchStatement>(*raw);
  EXPECT_EQ(b.type, ast::BatchStatement::Type::kLogged);
  ASSERT_EQ(b.statements.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<ast::InsertStatement>(b.statements[0]));
  EXPECT_TRUE(std::holds_alternative<ast::UpdateStatement>(b.statements[1]));
  EXPECT_TRUE(std::holds_alternative<ast::DeleteStatement>(b.statements[2]));

  auto unlogged = parse_statement(
      "BEGIN UNLOGGED  BATCH USING TIMESTAMP 1704067200000000\n"
      "  INSERT INTO app.events (\"tenant\", \"payload\") VALUES ('t', 0x0102);\n"
      "APPLY BATCH");
  const auto& u = as<ast::BatchStatement>(*unlogged);
  EXPECT_EQ(u.type, ast::BatchStatement::Type::kUnlogged);
  EXPECT_EQ(u.using_clause.timestamp->literal.text, "1704067200000000");
  const auto& insert = std::get<ast::InsertStatement>(u.statements[0]);
  EXPECT_EQ(insert.values[1].literal.kind, Literal::Kind::kHex);
  EXPECT_EQ(insert.values[1].literal.text, "0102");

  auto counter = parse_statement(
      "BEGIN COUNTER  BATCH\n  UPDATE app.page_views SET \"views\" = \"views\" + 1 WHERE \"url\" = "
      "'/x'\nAPPLY BATCH;");
  EXPECT_EQ(as<ast::BatchStatement>(*counter).type, ast::BatchStatement::Type::kCounter);
}

TEST(CqlengineStatementsTest, AlterTrees) {
  auto raw = parse_statement("ALTER TABLE app.users add \"prefs\" map<text, text> ");
  const auto& a = as<ast::AlterTableStatement>(*raw);
  EXPECT_EQ(a.action, ast::AlterTableStatement::Action::kAdd);
  ASSERT_EQ(a.add.size(), 1u);
  EXPECT_EQ(a.add[0].name, "prefs");
  EXPECT_EQ(a.add[0].type.kind, TypeKind::kMap);

  auto type = parse_statement("ALTER TYPE app.address ADD \"zipcode\" int ");
  const auto& t = as<ast::AlterTypeStatement>(*type);
  EXPECT_EQ(t.action, ast::AlterTypeStatement::Action::kAdd);
  EXPECT_EQ(t.field, "zipcode");
  EXPECT_EQ(t.field_type.kind, TypeKind::kInt);

  auto index = parse_statement("CREATE INDEX ON app.users (\"email\")");
  const auto& i = as<ast::CreateIndexStatement>(*index);
  EXPECT_TRUE(i.name.empty());
  EXPECT_EQ(i.table.name, "users");
  ASSERT_EQ(i.targets.size(), 1u);
  EXPECT_EQ(i.targets[0].column, "email");
}

}  // namespace
}  // namespace cqld
