// One test per statement kind, on examples in the style of the CQL documentation.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "cql/parser.h"

namespace cqld {
namespace {

using ast::Operator;
using ast::Relation;
using ast::Selector;

template <typename T>
T parse_as(std::string_view text) {
  auto raw = parse_statement(text);
  const T* s = std::get_if<T>(&raw->statement);
  if (!s) {
    ADD_FAILURE() << "wrong statement kind for: " << text;
    return T{};
  }
  return std::move(*std::get_if<T>(&raw->statement));
}

TEST(ParseSelectTest, Clauses) {
  auto s = parse_as<ast::SelectStatement>(
      "SELECT JSON DISTINCT a AS x, b FROM ks.t WHERE a = 1 GROUP BY a, b ORDER BY b DESC, c "
      "PER PARTITION LIMIT 2 LIMIT 10 ALLOW FILTERING;");
  EXPECT_TRUE(s.json);
  EXPECT_TRUE(s.distinct);
  EXPECT_EQ(s.selectors[0].alias, "x");
  EXPECT_EQ(s.group_by, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s.order_by.size(), 2u);
  EXPECT_FALSE(s.order_by[1].descending);
  EXPECT_EQ(s.per_partition_limit->literal.text, "2");
  EXPECT_EQ(s.limit->literal.text, "10");
  EXPECT_TRUE(s.allow_filtering);
}

TEST(ParseSelectTest, Selectors) {
  auto s = parse_as<ast::SelectStatement>(
      "SELECT count(1), writetime(v), maxwritetime(v), ttl(v), CAST(v AS text), addr.street, "
      "m['k'], s[1..3], l[..2], system.max(a), toJson(b), 42, -1, a + 2, token(k), "
      "(bigint) a, [1, 2] FROM t");
  const std::vector<ast::SelectItem>& sel = s.selectors;
  ASSERT_EQ(sel.size(), 17u);
  EXPECT_EQ(sel[0].selector.kind, Selector::Kind::kCountRows);
  EXPECT_EQ(sel[1].selector.kind, Selector::Kind::kWritetime);
  EXPECT_EQ(sel[1].selector.children[0].column, "v");
  EXPECT_EQ(sel[2].selector.kind, Selector::Kind::kMaxWritetime);
  EXPECT_EQ(sel[3].selector.kind, Selector::Kind::kTtl);
  EXPECT_EQ(sel[4].selector.kind, Selector::Kind::kCast);
  EXPECT_EQ(sel[4].selector.type.kind, TypeKind::kVarchar);
  EXPECT_EQ(sel[5].selector.kind, Selector::Kind::kFieldAccess);
  EXPECT_EQ(sel[5].selector.column, "street");
  EXPECT_EQ(sel[5].selector.children[0].column, "addr");
  EXPECT_EQ(sel[6].selector.kind, Selector::Kind::kElement);
  EXPECT_EQ(sel[6].selector.term->literal.text, "k");
  EXPECT_EQ(sel[7].selector.kind, Selector::Kind::kSlice);
  EXPECT_EQ(sel[7].selector.slice_from->literal.text, "1");
  EXPECT_EQ(sel[7].selector.slice_to->literal.text, "3");
  EXPECT_FALSE(sel[8].selector.slice_from.has_value());
  EXPECT_EQ(sel[9].selector.kind, Selector::Kind::kFunctionCall);
  EXPECT_EQ(sel[9].selector.function.keyspace, "system");
  EXPECT_EQ(sel[10].selector.function.name, "tojson");
  EXPECT_EQ(sel[11].selector.kind, Selector::Kind::kTerm);
  EXPECT_EQ(sel[12].selector.term->literal.text, "-1");
  EXPECT_EQ(sel[13].selector.kind, Selector::Kind::kArithmetic);
  EXPECT_EQ(sel[14].selector.function.name, "token");
  EXPECT_EQ(sel[15].selector.kind, Selector::Kind::kTypeHint);
  EXPECT_EQ(sel[16].selector.kind, Selector::Kind::kTerm);
}

TEST(ParseSelectTest, Relations) {
  auto s = parse_as<ast::SelectStatement>(
      "SELECT * FROM t WHERE a = 1 AND b < 2 AND b <= 3 AND c > 4 AND c >= 5 AND d != 6 AND "
      "e IN (1, 2) AND f IN ? AND g CONTAINS 'x' AND h CONTAINS KEY 'y' AND i LIKE 'p%' AND "
      "j IS NOT NULL AND m['k'] = 'v' AND (x, y) = (1, 2) AND (x, y) > (1, 2) AND "
      "(x, y) IN ((1, 2), (3, 4)) AND (x, y) IN ? AND token(a, b) > token(1, 2) AND e IN ()");
  const std::vector<Relation>& w = s.where;
  ASSERT_EQ(w.size(), 19u);
  const Operator expected[] = {Operator::kEq,          Operator::kLt,   Operator::kLte,
                               Operator::kGt,          Operator::kGte,  Operator::kNeq,
                               Operator::kIn,          Operator::kIn,   Operator::kContains,
                               Operator::kContainsKey, Operator::kLike, Operator::kIsNotNull};
  for (size_t i = 0; i < std::size(expected); ++i) EXPECT_EQ(w[i].op, expected[i]) << i;
  EXPECT_EQ(w[6].in_values.size(), 2u);
  EXPECT_EQ(w[7].value->kind, ast::Term::Kind::kBindMarker);
  EXPECT_FALSE(w[11].value.has_value());
  EXPECT_EQ(w[12].map_key->literal.text, "k");
  EXPECT_EQ(w[13].kind, Relation::Kind::kMultiColumn);
  EXPECT_EQ(w[13].columns, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(w[13].value->kind, ast::Term::Kind::kTuple);
  EXPECT_EQ(w[14].op, Operator::kGt);
  EXPECT_EQ(w[15].in_values.size(), 2u);
  EXPECT_EQ(w[15].in_values[1].kind, ast::Term::Kind::kTuple);
  EXPECT_EQ(w[16].value->kind, ast::Term::Kind::kBindMarker);
  EXPECT_EQ(w[17].kind, Relation::Kind::kToken);
  EXPECT_EQ(w[17].columns.size(), 2u);
  EXPECT_TRUE(w[18].in_values.empty());
  EXPECT_FALSE(w[18].value.has_value());
}

TEST(ParseSelectTest, VectorSearch) {
  auto s = parse_as<ast::SelectStatement>("SELECT * FROM t ORDER BY v ANN OF [0.1, 0.2] LIMIT 3");
  ASSERT_TRUE(s.order_by[0].ann_of.has_value());
  EXPECT_EQ(s.order_by[0].ann_of->children.size(), 2u);
}

TEST(ParseInsertTest, JsonAndUsing) {
  auto s = parse_as<ast::InsertStatement>(
      "INSERT INTO ks.t JSON '{\"a\": 1}' DEFAULT NULL USING TIMESTAMP 5 AND TTL 10");
  EXPECT_EQ(s.json->literal.text, "{\"a\": 1}");
  EXPECT_FALSE(s.json_default_unset);
  EXPECT_TRUE(s.columns.empty());
  EXPECT_EQ(s.using_clause.ttl->literal.text, "10");
  EXPECT_EQ(s.using_clause.timestamp->literal.text, "5");
}

TEST(ParseUpdateTest, Assignments) {
  auto s = parse_as<ast::UpdateStatement>(
      "UPDATE t USING TIMESTAMP 1 SET c += 5, d -= 2, l = l + [1], addr.city = 'x', n = n - 3, "
      "v = (int) 7 WHERE k = 1 IF addr.city = 'y' AND m['a'] != 'b' AND x IN (1, 2) AND "
      "s CONTAINS 3");
  using Kind = ast::Assignment::Kind;
  ASSERT_EQ(s.assignments.size(), 6u);
  EXPECT_EQ(s.assignments[0].kind, Kind::kAdd);
  EXPECT_EQ(s.assignments[1].kind, Kind::kSubtract);
  EXPECT_EQ(s.assignments[2].kind, Kind::kAdd);
  EXPECT_EQ(s.assignments[3].kind, Kind::kSetField);
  EXPECT_EQ(s.assignments[3].field, "city");
  EXPECT_EQ(s.assignments[4].kind, Kind::kSubtract);
  EXPECT_EQ(s.assignments[4].value.literal.text, "3");
  EXPECT_EQ(s.assignments[5].value.kind, ast::Term::Kind::kTypeHint);
  ASSERT_EQ(s.conditions.size(), 4u);
  EXPECT_EQ(s.conditions[0].field, "city");
  EXPECT_EQ(s.conditions[1].element->literal.text, "a");
  EXPECT_EQ(s.conditions[1].op, Operator::kNeq);
  EXPECT_EQ(s.conditions[2].in_values.size(), 2u);
  EXPECT_EQ(s.conditions[3].op, Operator::kContains);
}

TEST(ParseUpdateTest, PrependMustNameTheColumn) {
  EXPECT_THROW(parse_statement("UPDATE t SET l = [1] + m WHERE k = 1"), SyntaxError);
  auto s = parse_as<ast::UpdateStatement>("UPDATE t SET l = [1] + l WHERE k = 1");
  EXPECT_EQ(s.assignments[0].kind, ast::Assignment::Kind::kPrepend);
}

TEST(ParseKeyspaceTest, CreateAlterDrop) {
  auto c = parse_as<ast::CreateKeyspaceStatement>(
      "CREATE KEYSPACE IF NOT EXISTS Excelsior WITH replication = {'class': "
      "'NetworkTopologyStrategy', 'DC1': 1, 'DC2': 3} AND durable_writes = false");
  EXPECT_TRUE(c.if_not_exists);
  EXPECT_EQ(c.keyspace, "excelsior");
  EXPECT_EQ(c.properties[0].value.elements[3].kind, Literal::Kind::kInteger);
  auto a = parse_as<ast::AlterKeyspaceStatement>(
      "ALTER KEYSPACE IF EXISTS excelsior WITH durable_writes = true");
  EXPECT_TRUE(a.if_exists);
  auto d = parse_as<ast::DropKeyspaceStatement>("DROP SCHEMA IF EXISTS excelsior");
  EXPECT_TRUE(d.if_exists);
  EXPECT_EQ(parse_as<ast::UseStatement>("USE \"MyKs\"").keyspace, "MyKs");
}

TEST(ParseTableTest, CreateVariants) {
  auto t = parse_as<ast::CreateTableStatement>(
      "CREATE TABLE IF NOT EXISTS monkey_species (species text PRIMARY KEY, population varint, "
      "masked text MASKED WITH mask_inner(1, null), d text MASKED WITH DEFAULT) WITH "
      "comment='Important' AND compaction = {'class': 'LeveledCompactionStrategy'} AND "
      "COMPACT STORAGE AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'} AND "
      "bloom_filter_fp_chance = 0.01 AND speculative_retry = '99PERCENTILE'");
  EXPECT_TRUE(t.columns[0].primary_key);
  EXPECT_TRUE(t.partition_key.empty());
  EXPECT_EQ(t.columns[2].mask->function.name, "mask_inner");
  EXPECT_EQ(t.columns[2].mask->arguments.size(), 2u);
  EXPECT_TRUE(t.columns[3].mask->is_default);
  EXPECT_TRUE(t.compact_storage);
  ASSERT_EQ(t.properties.size(), 5u);
  EXPECT_EQ(t.properties[3].value.kind, Literal::Kind::kFloat);
  auto single = parse_as<ast::CreateTableStatement>(
      "CREATE COLUMNFAMILY t (a int, b int, c int, PRIMARY KEY (a, b, c),)");
  EXPECT_EQ(single.partition_key, (std::vector<std::string>{"a"}));
  EXPECT_EQ(single.clustering_columns, (std::vector<std::string>{"b", "c"}));
}

TEST(ParseTableTest, RepeatedPropertiesAreSyntaxErrors) {
  try {
    parse_statement("CREATE TABLE t (k int PRIMARY KEY) WITH comment = 'a' AND comment = 'b'");
    ADD_FAILURE();
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "Multiple definitions for property 'comment'");
  }
  EXPECT_THROW(parse_statement("CREATE KEYSPACE k WITH replication = {'class': 'x', 'class': 'y'}"),
               SyntaxError);
  try {
    parse_statement("CREATE ROLE r WITH LOGIN = true AND LOGIN = false");
    ADD_FAILURE();
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "Multiple definition for property 'LOGIN'");
  }
}

TEST(ParseTableTest, AlterDropTruncate) {
  using Action = ast::AlterTableStatement::Action;
  auto add = parse_as<ast::AlterTableStatement>(
      "ALTER TABLE IF EXISTS t ADD IF NOT EXISTS (a int, b set<text> static)");
  EXPECT_TRUE(add.if_exists);
  EXPECT_TRUE(add.if_column_exists);
  ASSERT_EQ(add.add.size(), 2u);
  EXPECT_TRUE(add.add[1].is_static);
  EXPECT_EQ(parse_as<ast::AlterTableStatement>("ALTER TABLE t ADD a int, b text").add.size(), 2u);
  auto drop = parse_as<ast::AlterTableStatement>("ALTER TABLE t DROP (a, b) USING TIMESTAMP 9");
  EXPECT_EQ(drop.action, Action::kDrop);
  EXPECT_EQ(drop.drop.size(), 2u);
  EXPECT_EQ(drop.drop_timestamp->literal.text, "9");
  auto rename = parse_as<ast::AlterTableStatement>("ALTER TABLE t RENAME a TO b AND c TO d");
  EXPECT_EQ(rename.renames.size(), 2u);
  EXPECT_EQ(rename.renames[1].second, "d");
  auto with = parse_as<ast::AlterTableStatement>("ALTER TABLE t WITH comment = 'x'");
  EXPECT_EQ(with.action, Action::kWith);
  EXPECT_EQ(parse_as<ast::AlterTableStatement>("ALTER TABLE t ALTER a TYPE blob").action,
            Action::kAlterColumnType);
  auto mask = parse_as<ast::AlterTableStatement>("ALTER TABLE t ALTER a DROP MASKED");
  EXPECT_EQ(mask.action, Action::kAlterColumnMask);
  EXPECT_FALSE(mask.mask.has_value());
  EXPECT_EQ(parse_as<ast::AlterTableStatement>("ALTER TABLE t DROP COMPACT STORAGE").action,
            Action::kDropCompactStorage);
  EXPECT_TRUE(parse_as<ast::DropTableStatement>("DROP TABLE IF EXISTS ks.t").if_exists);
  EXPECT_EQ(parse_as<ast::TruncateStatement>("TRUNCATE TABLE ks.t").table.keyspace, "ks");
  EXPECT_EQ(parse_as<ast::TruncateStatement>("truncate t").table.name, "t");
}

TEST(ParseIndexTest, CreateDrop) {
  using Kind = ast::IndexTarget::Kind;
  auto i = parse_as<ast::CreateIndexStatement>("CREATE INDEX IF NOT EXISTS idx ON ks.t (keys(m))");
  EXPECT_EQ(i.name, "idx");
  EXPECT_EQ(i.targets[0].kind, Kind::kKeys);
  EXPECT_EQ(parse_as<ast::CreateIndexStatement>("CREATE INDEX ON t (values(l))").targets[0].kind,
            Kind::kValues);
  EXPECT_EQ(parse_as<ast::CreateIndexStatement>("CREATE INDEX ON t (entries(m))").targets[0].kind,
            Kind::kEntries);
  EXPECT_EQ(parse_as<ast::CreateIndexStatement>("CREATE INDEX ON t (full(f))").targets[0].kind,
            Kind::kFull);
  EXPECT_EQ(parse_as<ast::CreateIndexStatement>("CREATE INDEX ON t (keys)").targets[0].column,
            "keys");
  auto custom = parse_as<ast::CreateIndexStatement>(
      "CREATE CUSTOM INDEX ON t (v) USING 'StorageAttachedIndex' WITH OPTIONS = "
      "{'case_sensitive': 'false'}");
  EXPECT_TRUE(custom.custom);
  EXPECT_EQ(custom.using_class, "StorageAttachedIndex");
  EXPECT_EQ(custom.properties[0].name, "options");
  auto drop = parse_as<ast::DropIndexStatement>("DROP INDEX IF EXISTS ks.idx");
  EXPECT_EQ(drop.index.keyspace, "ks");
}

TEST(ParseTypeTest, CreateAlterDrop) {
  using Action = ast::AlterTypeStatement::Action;
  auto c = parse_as<ast::CreateTypeStatement>(
      "CREATE TYPE IF NOT EXISTS ks.address (street text, phones map<text, frozen<phone>>)");
  ASSERT_EQ(c.fields.size(), 2u);
  EXPECT_EQ(c.fields[1].second.params[1].udt.name, "phone");
  EXPECT_EQ(parse_as<ast::AlterTypeStatement>("ALTER TYPE a ADD IF NOT EXISTS f int").action,
            Action::kAdd);
  auto rename = parse_as<ast::AlterTypeStatement>("ALTER TYPE a RENAME x TO y AND z TO w");
  EXPECT_EQ(rename.renames.size(), 2u);
  EXPECT_TRUE(parse_as<ast::DropTypeStatement>("DROP TYPE IF EXISTS a").if_exists);
}

TEST(ParseViewTest, CreateDrop) {
  auto v = parse_as<ast::CreateMaterializedViewStatement>(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS ks.by_name AS SELECT name, id FROM ks.t WHERE "
      "name IS NOT NULL AND id IS NOT NULL PRIMARY KEY ((name), id) WITH CLUSTERING ORDER BY "
      "(id DESC) AND comment = 'v'");
  EXPECT_EQ(v.base_table.name, "t");
  EXPECT_EQ(v.where.size(), 2u);
  EXPECT_EQ(v.partition_key, (std::vector<std::string>{"name"}));
  EXPECT_EQ(v.clustering_columns, (std::vector<std::string>{"id"}));
  EXPECT_TRUE(v.clustering_order[0].descending);
  EXPECT_EQ(v.properties.size(), 1u);
  auto alter = parse_as<ast::AlterMaterializedViewStatement>(
      "ALTER MATERIALIZED VIEW IF EXISTS ks.v WITH comment = 'x' AND gc_grace_seconds = 10");
  EXPECT_TRUE(alter.if_exists);
  EXPECT_EQ(alter.properties.size(), 2u);
  EXPECT_TRUE(
      parse_as<ast::DropMaterializedViewStatement>("DROP MATERIALIZED VIEW IF EXISTS v").if_exists);
}

TEST(ParseFunctionTest, FunctionsAggregatesTriggers) {
  auto f = parse_as<ast::CreateFunctionStatement>(
      "CREATE OR REPLACE FUNCTION ks.fLog (input double) CALLED ON NULL INPUT RETURNS double "
      "LANGUAGE java AS 'return Double.valueOf(Math.log(input.doubleValue()));'");
  EXPECT_TRUE(f.or_replace);
  EXPECT_EQ(f.function.name, "flog");
  EXPECT_TRUE(f.called_on_null_input);
  EXPECT_EQ(f.arguments[0].second.kind, TypeKind::kDouble);
  EXPECT_EQ(f.language, "java");
  auto g = parse_as<ast::CreateFunctionStatement>(
      "CREATE FUNCTION IF NOT EXISTS f(a int, b int) RETURNS NULL ON NULL INPUT RETURNS int "
      "LANGUAGE java AS $$ return a + b; $$");
  EXPECT_FALSE(g.called_on_null_input);
  EXPECT_EQ(g.body, " return a + b; ");
  auto drop = parse_as<ast::DropFunctionStatement>("DROP FUNCTION IF EXISTS ks.f(int, text)");
  EXPECT_EQ(drop.argument_types->size(), 2u);
  EXPECT_FALSE(parse_as<ast::DropFunctionStatement>("DROP FUNCTION f").argument_types);
  auto a = parse_as<ast::CreateAggregateStatement>(
      "CREATE AGGREGATE IF NOT EXISTS average(int) SFUNC avgState STYPE tuple<int,bigint> "
      "FINALFUNC avgFinal INITCOND (0, 0)");
  EXPECT_EQ(a.state_function, "avgstate");
  EXPECT_EQ(a.state_type.kind, TypeKind::kTuple);
  EXPECT_EQ(a.final_function, "avgfinal");
  EXPECT_EQ(a.initial_condition->kind, ast::Term::Kind::kTuple);
  EXPECT_EQ(parse_as<ast::DropAggregateStatement>("DROP AGGREGATE average(int)").aggregate.name,
            "average");
  auto t = parse_as<ast::CreateTriggerStatement>(
      "CREATE TRIGGER IF NOT EXISTS trg ON ks.t USING "
      "'org.apache.cassandra.triggers.AuditTrigger'");
  EXPECT_EQ(t.using_class, "org.apache.cassandra.triggers.AuditTrigger");
  EXPECT_EQ(parse_as<ast::DropTriggerStatement>("DROP TRIGGER trg ON ks.t").name, "trg");
}

TEST(ParseRolesTest, RolesAndUsers) {
  auto r = parse_as<ast::CreateRoleStatement>(
      "CREATE ROLE IF NOT EXISTS alice WITH PASSWORD = 'pw' AND LOGIN = true AND SUPERUSER = "
      "false AND OPTIONS = {'a': 1} AND ACCESS TO DATACENTERS {'dc1', 'dc2'}");
  EXPECT_EQ(r.options.password, "pw");
  EXPECT_EQ(r.options.login, true);
  EXPECT_EQ(r.options.superuser, false);
  EXPECT_EQ(r.options.datacenters->size(), 2u);
  auto alter = parse_as<ast::AlterRoleStatement>(
      "ALTER ROLE 'Bob' WITH HASHED PASSWORD = '$2a$' AND ACCESS TO ALL DATACENTERS");
  EXPECT_EQ(alter.role, "Bob");
  EXPECT_EQ(alter.options.hashed_password, "$2a$");
  EXPECT_TRUE(alter.options.datacenters->empty());
  EXPECT_TRUE(parse_as<ast::DropRoleStatement>("DROP ROLE IF EXISTS alice").if_exists);
  auto u = parse_as<ast::CreateUserStatement>(
      "CREATE USER IF NOT EXISTS bob WITH PASSWORD 'pw' SUPERUSER");
  EXPECT_EQ(u.options.password, "pw");
  EXPECT_EQ(u.options.superuser, true);
  EXPECT_EQ(parse_as<ast::AlterUserStatement>("ALTER USER bob NOSUPERUSER").options.superuser,
            false);
  EXPECT_EQ(parse_as<ast::DropUserStatement>("DROP USER bob").user, "bob");
}

TEST(ParseRolesTest, PermissionsAndListings) {
  auto g = parse_as<ast::GrantPermissionsStatement>("GRANT SELECT ON ALL KEYSPACES TO data_reader");
  EXPECT_EQ(g.permissions, (std::vector<std::string>{"SELECT"}));
  EXPECT_EQ(g.resource.kind, ast::Resource::Kind::kAllKeyspaces);
  auto all =
      parse_as<ast::GrantPermissionsStatement>("GRANT ALL PERMISSIONS ON FUNCTION ks.f(int) TO r");
  EXPECT_TRUE(all.permissions.empty());
  EXPECT_EQ(all.resource.kind, ast::Resource::Kind::kFunction);
  EXPECT_EQ(all.resource.argument_types.size(), 1u);
  auto table = parse_as<ast::RevokePermissionsStatement>("REVOKE MODIFY ON ks.t FROM r");
  EXPECT_EQ(table.resource.kind, ast::Resource::Kind::kTable);
  EXPECT_EQ(table.revokee, "r");
  auto fns = parse_as<ast::GrantPermissionsStatement>(
      "GRANT EXECUTE ON ALL FUNCTIONS IN KEYSPACE ks TO r");
  EXPECT_EQ(fns.resource.name.keyspace, "ks");
  auto role = parse_as<ast::GrantRoleStatement>("GRANT report_writer TO alice");
  EXPECT_EQ(role.role, "report_writer");
  EXPECT_EQ(parse_as<ast::RevokeRoleStatement>("REVOKE a FROM b").revokee, "b");
  auto list = parse_as<ast::ListPermissionsStatement>(
      "LIST ALL PERMISSIONS ON KEYSPACE ks OF bob NORECURSIVE");
  EXPECT_EQ(list.resource->kind, ast::Resource::Kind::kKeyspace);
  EXPECT_EQ(list.role, "bob");
  EXPECT_FALSE(list.recursive);
  auto roles = parse_as<ast::ListRolesStatement>("LIST ROLES OF alice");
  EXPECT_EQ(roles.role, "alice");
  parse_as<ast::ListUsersStatement>("LIST USERS");
}

TEST(ParseDescribeTest, Forms) {
  using Kind = ast::DescribeStatement::Kind;
  struct Case {
    std::string_view text;
    Kind kind;
    std::string_view name;
  };
  const Case cases[] = {
      {"DESCRIBE KEYSPACES", Kind::kKeyspaces, ""},
      {"DESC KEYSPACE ks", Kind::kKeyspace, ""},
      {"DESCRIBE TABLES", Kind::kTables, ""},
      {"DESCRIBE TABLE ks.t", Kind::kTable, "t"},
      {"DESCRIBE TYPES", Kind::kTypes, ""},
      {"DESCRIBE TYPE ks.addr", Kind::kType, "addr"},
      {"DESCRIBE CLUSTER", Kind::kCluster, ""},
      {"DESCRIBE SCHEMA", Kind::kSchema, ""},
      {"DESCRIBE INDEX idx", Kind::kIndex, "idx"},
      {"DESCRIBE FUNCTIONS", Kind::kFunctions, ""},
      {"DESCRIBE AGGREGATES", Kind::kAggregates, ""},
      {"DESCRIBE FUNCTION ks.f", Kind::kFunction, "f"},
      {"DESCRIBE MATERIALIZED VIEW v", Kind::kMaterializedView, "v"},
      {"DESCRIBE users", Kind::kGeneric, "users"},
      {"DESC tables.t", Kind::kGeneric, "t"},
  };
  for (const Case& c : cases) {
    auto d = parse_as<ast::DescribeStatement>(c.text);
    EXPECT_EQ(d.kind, c.kind) << c.text;
    EXPECT_EQ(d.name.name, c.name) << c.text;
  }
  auto full = parse_as<ast::DescribeStatement>("DESCRIBE FULL SCHEMA");
  EXPECT_TRUE(full.full);
  auto only = parse_as<ast::DescribeStatement>("DESCRIBE ONLY KEYSPACE ks WITH INTERNALS");
  EXPECT_TRUE(only.only);
  EXPECT_TRUE(only.with_internals);
  EXPECT_EQ(only.name.keyspace, "ks");
  EXPECT_TRUE(parse_as<ast::DescribeStatement>("DESCRIBE KEYSPACE").name.keyspace.empty());
}

}  // namespace
}  // namespace cqld
