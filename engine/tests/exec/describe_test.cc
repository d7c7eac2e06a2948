#include "exec/describe.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/errors.h"
#include "schema/system_tables.h"

namespace cqld {
namespace {

using Kind = ast::DescribeStatement::Kind;

// Cassandra 5.0's WITH clause for a table with default options.
const std::string kDefaultOptions =
    "additional_write_policy = '99p'\n"
    "    AND allow_auto_snapshot = true\n"
    "    AND bloom_filter_fp_chance = 0.01\n"
    "    AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}\n"
    "    AND cdc = false\n"
    "    AND comment = ''\n"
    "    AND compaction = {'class': "
    "'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', "
    "'max_threshold': '32', 'min_threshold': '4'}\n"
    "    AND compression = {'chunk_length_in_kb': '16', 'class': "
    "'org.apache.cassandra.io.compress.LZ4Compressor'}\n"
    "    AND memtable = 'default'\n"
    "    AND crc_check_chance = 1.0\n"
    "    AND default_time_to_live = 0\n"
    "    AND extensions = {}\n"
    "    AND gc_grace_seconds = 864000\n"
    "    AND incremental_backups = true\n"
    "    AND max_index_interval = 2048\n"
    "    AND memtable_flush_period_in_ms = 0\n"
    "    AND min_index_interval = 128\n"
    "    AND read_repair = 'BLOCKING'\n"
    "    AND speculative_retry = '99p';";

const std::string kTestKeyspace =
    "CREATE KEYSPACE test WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}"
    "  AND durable_writes = true;";

TypePtr text() {
  return primitive_type(TypeKind::kVarchar);
}
TypePtr int_type() {
  return primitive_type(TypeKind::kInt);
}

ColumnDef column(std::string name, ColumnKind kind, int position, TypePtr type, bool desc = false) {
  return ColumnDef{std::move(name), kind, position, std::move(type), desc, 0};
}

ColumnDef regular(std::string name, TypePtr type) {
  return column(std::move(name), ColumnKind::kRegular, -1, std::move(type));
}

std::shared_ptr<TableDef> make_table(const std::string& keyspace, const std::string& name,
                                     std::vector<ColumnDef> columns) {
  auto t = std::make_shared<TableDef>();
  t->keyspace = keyspace;
  t->name = name;
  t->id = random_uuid();
  t->columns = std::move(columns);
  uint16_t id = 1;
  for (auto& c : t->columns) c.id = id++;
  t->next_column_id = id;
  t->options = default_table_options();
  rebuild_key_indexes(*t);
  return t;
}

IndexDef index_on(std::string name, std::string column) {
  IndexDef index{std::move(name), column, IndexTarget::kValues, false, {}};
  index.options["target"] = column == "Col" ? "\"Col\"" : column;
  return index;
}

std::shared_ptr<UserTypeDef> make_type(const std::string& name, std::vector<std::string> fields,
                                       std::vector<TypePtr> types) {
  auto t = std::make_shared<UserTypeDef>();
  t->keyspace = "test";
  t->name = name;
  t->field_names = std::move(fields);
  t->field_types = std::move(types);
  return t;
}

// The schema of Cassandra's DescribeStatementTest.testDescribe, without the view.
Schema test_schema() {
  auto ks = std::make_shared<KeyspaceDef>();
  ks->name = "test";
  ks->replication = {{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                     {"replication_factor", "1"}};
  auto users = make_table(
      "test", "users",
      {column("userid", ColumnKind::kPartitionKey, 0, text()), regular("age", int_type()),
       regular("firstname", text()), regular("lastname", text())});
  users->indexes.push_back(index_on("myindex", "age"));
  auto upper =
      make_table("test", "Test",
                 {column("id", ColumnKind::kPartitionKey, 0, int_type()),
                  column("col", ColumnKind::kClustering, 0, int_type()), regular("val", text())});
  upper->indexes.push_back(index_on("Test_val_idx", "val"));
  upper->indexes.push_back(index_on("Test_col_idx", "col"));
  ks->tables["users"] = users;
  ks->tables["Test"] = upper;
  Schema schema;
  schema.keyspaces["test"] = ks;
  return schema;
}

ast::DescribeStatement statement(Kind kind, std::string keyspace = "", std::string name = "") {
  ast::DescribeStatement s;
  s.kind = kind;
  s.name.keyspace = std::move(keyspace);
  s.name.name = std::move(name);
  return s;
}

// Each row's cells as strings.
std::vector<std::vector<std::string>> rows(const RowsResult& result) {
  std::vector<std::vector<std::string>> out;
  size_t width = result.metadata.columns.size();
  for (size_t r = 0; r < result.row_count; ++r) {
    std::vector<std::string> row;
    for (size_t c = 0; c < width; ++c) row.push_back(result.cells[r * width + c].bytes);
    out.push_back(row);
  }
  return out;
}

std::string users_table() {
  return "CREATE TABLE test.users (\n"
         "    userid text PRIMARY KEY,\n"
         "    age int,\n"
         "    firstname text,\n"
         "    lastname text\n"
         ") WITH " +
         kDefaultOptions;
}

std::string upper_table() {
  return "CREATE TABLE test.\"Test\" (\n"
         "    id int,\n"
         "    col int,\n"
         "    val text,\n"
         "    PRIMARY KEY (id, col)\n"
         ") WITH CLUSTERING ORDER BY (col ASC)\n"
         "    AND " +
         kDefaultOptions;
}

void expect_error(const Schema& schema, const ast::DescribeStatement& s, const std::string& session,
                  const std::string& message) {
  try {
    describe(s, schema, session, "Test Cluster");
    ADD_FAILURE() << "expected: " << message;
  } catch (const InvalidRequest& e) {
    EXPECT_EQ(e.what(), message);
  }
}

TEST(DescribeTest, KeyspaceListsTablesThenTheirIndexesByNameIgnoringCase) {
  Schema schema = test_schema();
  auto result = describe(statement(Kind::kKeyspace, "test"), schema, "", "Test Cluster");
  ASSERT_EQ(result.metadata.columns.size(), 4u);
  EXPECT_EQ(result.metadata.columns[0].keyspace, "system");
  EXPECT_EQ(result.metadata.columns[0].table, "describe");
  EXPECT_EQ(result.metadata.columns[3].name, "create_statement");
  using Row = std::vector<std::string>;
  std::vector<Row> expected = {
      {"test", "keyspace", "test", kTestKeyspace},
      {"test", "table", "\"Test\"", upper_table()},
      {"test", "index", "\"Test_col_idx\"",
       "CREATE INDEX \"Test_col_idx\" ON test.\"Test\" (col);"},
      {"test", "index", "\"Test_val_idx\"",
       "CREATE INDEX \"Test_val_idx\" ON test.\"Test\" (val);"},
      {"test", "table", "users", users_table()},
      {"test", "index", "myindex", "CREATE INDEX myindex ON test.users (age);"},
  };
  EXPECT_EQ(rows(result), expected);
  EXPECT_EQ(rows(describe(statement(Kind::kGeneric, "", "test"), schema, "", "c")), expected);
  EXPECT_EQ(rows(describe(statement(Kind::kKeyspace), schema, "test", "c")), expected);
}

TEST(DescribeTest, OnlyKeyspaceGivesTheKeyspaceAlone) {
  auto s = statement(Kind::kKeyspace, "test");
  s.only = true;
  auto result = rows(describe(s, test_schema(), "", "c"));
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0][3], kTestKeyspace);
}

TEST(DescribeTest, TableComesWithItsIndexes) {
  Schema schema = test_schema();
  auto result = rows(describe(statement(Kind::kTable, "test", "users"), schema, "", "c"));
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0][3], users_table());
  EXPECT_EQ(result[1][2], "myindex");
  EXPECT_EQ(rows(describe(statement(Kind::kGeneric, "", "users"), schema, "test", "c")), result);
  EXPECT_EQ(rows(describe(statement(Kind::kGeneric, "test", "users"), schema, "", "c")), result);
}

TEST(DescribeTest, ColumnsInCassandraOrderWithStaticsAndDescendingClustering) {
  Schema schema = test_schema();
  auto ks = std::make_shared<KeyspaceDef>(*schema.keyspaces["test"]);
  auto t = make_table(
      "test", "wide",
      {column("pk1", ColumnKind::kPartitionKey, 0, text()),
       column("pk2", ColumnKind::kPartitionKey, 1, int_type()),
       column("ck1", ColumnKind::kClustering, 0, int_type()),
       column("ck2", ColumnKind::kClustering, 1, int_type(), true), regular("reg1", int_type()),
       regular("reg2", list_type(int_type(), false)), regular("reg3", int_type()),
       column("s", ColumnKind::kStatic, -1, primitive_type(TypeKind::kDecimal)),
       regular("token", map_type(text(), int_type(), true))});
  t->options["comment"] = std::string("it's wide");
  t->options["bloom_filter_fp_chance"] = 0.0001;
  ks->tables["wide"] = t;
  schema.keyspaces["test"] = ks;
  auto result = rows(describe(statement(Kind::kTable, "test", "wide"), schema, "", "c"));
  const std::string& cql = result.at(0).at(3);
  EXPECT_EQ(cql.substr(0, cql.find(") WITH")),
            "CREATE TABLE test.wide (\n"
            "    pk1 text,\n"
            "    pk2 int,\n"
            "    ck1 int,\n"
            "    ck2 int,\n"
            "    s decimal static,\n"
            "    reg1 int,\n"
            "    reg3 int,\n"
            "    \"token\" frozen<map<text, int>>,\n"
            "    reg2 list<int>,\n"
            "    PRIMARY KEY ((pk1, pk2), ck1, ck2)\n");
  EXPECT_NE(cql.find(") WITH CLUSTERING ORDER BY (ck1 ASC, ck2 DESC)\n    AND additional"),
            std::string::npos);
  EXPECT_NE(cql.find("AND comment = 'it''s wide'\n"), std::string::npos);
  EXPECT_NE(cql.find("AND bloom_filter_fp_chance = 1.0E-4\n"), std::string::npos);
}

TEST(DescribeTest, WithInternalsStartsWithTheTableId) {
  Schema schema = test_schema();
  auto s = statement(Kind::kTable, "test", "users");
  s.with_internals = true;
  auto result = rows(describe(s, schema, "", "c"));
  std::string id = uuid_to_string(schema.find_table("test", "users")->id);
  EXPECT_NE(result[0][3].find(") WITH ID = " + id + "\n    AND additional_write_policy"),
            std::string::npos);
}

TEST(DescribeTest, TypesFollowTheTypesTheyUse) {
  Schema schema = test_schema();
  auto ks = std::make_shared<KeyspaceDef>(*schema.keyspaces["test"]);
  auto point = make_type("point", {"x", "y"}, {text(), text()});
  auto segment = make_type("segment", {"a", "b"}, {text(), point->as_type(true)});
  auto area = make_type("area", {"a", "desc"}, {int_type(), segment->as_type(true)});
  ks->types = {{"area", area}, {"point", point}, {"segment", segment}};
  schema.keyspaces["test"] = ks;
  auto result = rows(describe(statement(Kind::kKeyspace, "test"), schema, "", "c"));
  ASSERT_GE(result.size(), 4u);
  EXPECT_EQ(result[1][2], "point");
  EXPECT_EQ(result[2][2], "segment");
  EXPECT_EQ(result[3][2], "area");
  EXPECT_EQ(result[3][3],
            "CREATE TYPE test.area (\n"
            "    a int,\n"
            "    \"desc\" frozen<segment>\n"
            ");");
  auto listing = rows(describe(statement(Kind::kTypes), schema, "test", "c"));
  std::vector<std::vector<std::string>> names = {
      {"test", "type", "area"}, {"test", "type", "point"}, {"test", "type", "segment"}};
  EXPECT_EQ(listing, names);
  auto one = rows(describe(statement(Kind::kType, "", "point"), schema, "test", "c"));
  EXPECT_EQ(one.at(0).at(3), "CREATE TYPE test.point (\n    x text,\n    y text\n);");
}

TEST(DescribeTest, CustomIndexPrintsItsClassAndOptions) {
  Schema schema = test_schema();
  auto ks = std::make_shared<KeyspaceDef>(*schema.keyspaces["test"]);
  auto t = std::make_shared<TableDef>(*ks->tables["users"]);
  t->indexes = {IndexDef{"by_name",
                         "firstname",
                         IndexTarget::kValues,
                         true,
                         {{"target", "firstname"},
                          {"class_name", "org.apache.cassandra.index.sasi.SASIIndex"},
                          {"is_literal", "false"}}}};
  ks->tables["users"] = t;
  schema.keyspaces["test"] = ks;
  auto result = rows(describe(statement(Kind::kIndex, "test", "by_name"), schema, "", "c"));
  EXPECT_EQ(result.at(0).at(3),
            "CREATE CUSTOM INDEX by_name ON test.users (firstname) USING "
            "'org.apache.cassandra.index.sasi.SASIIndex' WITH OPTIONS = {'is_literal': 'false'};");
}

TEST(DescribeTest, IndexWithoutRecordedTargetNamesItsCollectionPart) {
  Schema schema = test_schema();
  auto ks = std::make_shared<KeyspaceDef>(*schema.keyspaces["test"]);
  auto t = make_table("test", "tagged",
                      {column("id", ColumnKind::kPartitionKey, 0, int_type()),
                       regular("tags", set_type(text(), false)),
                       regular("attrs", map_type(text(), text(), false))});
  t->indexes = {IndexDef{"tags_idx", "tags", IndexTarget::kValues, false, {}},
                IndexDef{"attrs_idx", "attrs", IndexTarget::kKeys, false, {}}};
  ks->tables["tagged"] = t;
  schema.keyspaces["test"] = ks;
  auto result = rows(describe(statement(Kind::kTable, "test", "tagged"), schema, "", "c"));
  ASSERT_EQ(result.size(), 3u);
  EXPECT_EQ(result[1][3], "CREATE INDEX attrs_idx ON test.tagged (keys(attrs));");
  EXPECT_EQ(result[2][3], "CREATE INDEX tags_idx ON test.tagged (values(tags));");
}

TEST(DescribeTest, ListingsAndSchemaCoverSystemKeyspacesOnlyWhenAsked) {
  Schema schema = test_schema();
  add_system_keyspaces(&schema);
  auto keyspaces = rows(describe(statement(Kind::kKeyspaces), schema, "", "c"));
  ASSERT_FALSE(keyspaces.empty());
  EXPECT_EQ(keyspaces[0], (std::vector<std::string>{"system", "keyspace", "system"}));
  EXPECT_EQ(keyspaces.back(), (std::vector<std::string>{"test", "keyspace", "test"}));
  std::vector<std::string> virtual_row = {"system_virtual_schema", "keyspace",
                                          "system_virtual_schema"};
  EXPECT_NE(std::find(keyspaces.begin(), keyspaces.end(), virtual_row), keyspaces.end());

  auto tables = rows(describe(statement(Kind::kTables), schema, "test", "c"));
  std::vector<std::vector<std::string>> expected = {{"test", "table", "\"Test\""},
                                                    {"test", "table", "users"}};
  EXPECT_EQ(tables, expected);
  EXPECT_GT(rows(describe(statement(Kind::kTables), schema, "", "c")).size(), 2u);
  EXPECT_TRUE(rows(describe(statement(Kind::kFunctions), schema, "test", "c")).empty());

  auto user_schema = rows(describe(statement(Kind::kSchema), schema, "", "c"));
  EXPECT_EQ(user_schema.size(), 6u);
  auto full = statement(Kind::kSchema);
  full.full = true;
  auto everything = rows(describe(full, schema, "", "c"));
  EXPECT_GT(everything.size(), 6u);
  EXPECT_EQ(everything[0][3].rfind(
                "CREATE KEYSPACE system WITH replication = {'class': 'LocalStrategy'}", 0),
            0u);
}

TEST(DescribeTest, VirtualKeyspacesAreCommentedOut) {
  Schema schema;
  add_system_keyspaces(&schema);
  auto s = statement(Kind::kKeyspace, "system_virtual_schema");
  s.only = true;
  auto result = rows(describe(s, schema, "", "c"));
  EXPECT_EQ(result.at(0).at(3),
            "/*\nWarning: Keyspace system_virtual_schema is a virtual keyspace and cannot be "
            "recreated with CQL.\nStructure, for reference:\nVIRTUAL KEYSPACE "
            "system_virtual_schema;\n*/");
  auto table =
      rows(describe(statement(Kind::kTable, "system_virtual_schema", "columns"), schema, "", "c"));
  const std::string& cql = table.at(0).at(3);
  EXPECT_EQ(cql.rfind("/*\nWarning: Table system_virtual_schema.columns is a virtual table", 0),
            0u);
  EXPECT_NE(cql.find("VIRTUAL TABLE system_virtual_schema.columns (\n    keyspace_name text,\n"),
            std::string::npos);
  EXPECT_EQ(cql.substr(cql.size() - 3), "\n*/");
}

TEST(DescribeTest, ClusterReportsNamePartitionerAndSnitch) {
  auto result = describe(statement(Kind::kCluster), test_schema(), "test", "Test Cluster");
  ASSERT_EQ(result.metadata.columns.size(), 3u);
  EXPECT_EQ(result.metadata.columns[2].name, "snitch");
  EXPECT_EQ(rows(result)[0], (std::vector<std::string>{"Test Cluster", "Murmur3Partitioner",
                                                       "DynamicEndpointSnitch"}));
}

TEST(DescribeTest, UnknownNamesGiveCassandrasMessages) {
  Schema schema = test_schema();
  expect_error(schema, statement(Kind::kGeneric, "", "test2"), "",
               "'test2' not found in keyspaces");
  expect_error(schema, statement(Kind::kKeyspace, "test2"), "", "'test2' not found in keyspaces");
  expect_error(schema, statement(Kind::kGeneric, "", "users2"), "test",
               "'users2' not found in keyspace 'test'");
  expect_error(schema, statement(Kind::kGeneric, "test", "users2"), "",
               "'users2' not found in keyspace 'test'");
  expect_error(schema, statement(Kind::kTable, "test", "nope"), "",
               "Table 'nope' not found in keyspace 'test'");
  expect_error(schema, statement(Kind::kTable, "", "foop"), "",
               "No keyspace specified and no current keyspace");
  expect_error(schema, statement(Kind::kKeyspace), "",
               "No keyspace specified and no current keyspace");
  expect_error(schema, statement(Kind::kType, "test", "t"), "",
               "User defined type 't' not found in 'test'");
  expect_error(schema, statement(Kind::kIndex, "test", "i"), "",
               "Table for existing index 'i' not found in 'test'");
  expect_error(schema, statement(Kind::kFunction, "test", "f"), "",
               "User defined function 'f' not found in 'test'");
  expect_error(schema, statement(Kind::kAggregate, "test", "a"), "",
               "User defined aggregate 'a' not found in 'test'");
  expect_error(schema, statement(Kind::kMaterializedView, "test", "v"), "",
               "Materialized view 'v' not found in 'test'");
  expect_error(schema, statement(Kind::kTables), "gone", "'gone' not found in keyspaces");
}

}  // namespace
}  // namespace cqld
