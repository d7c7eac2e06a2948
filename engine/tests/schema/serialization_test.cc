#include <gtest/gtest.h>

#include "schema/schema.h"
#include "schema/system_tables.h"

namespace cqld {
namespace {

Schema sample_schema() {
  Schema s;
  s.version = random_uuid();
  s.next_storage_id = 7;
  auto ks = std::make_shared<KeyspaceDef>();
  ks->name = "app";
  ks->durable_writes = false;
  ks->replication = {{"class", "org.apache.cassandra.locator.SimpleStrategy"}, {"replication_factor", "1"}};
  auto type = std::make_shared<UserTypeDef>();
  type->keyspace = "app";
  type->name = "address";
  type->field_names = {"street", "zip"};
  type->field_types = {primitive_type(TypeKind::kVarchar), primitive_type(TypeKind::kInt)};
  ks->types["address"] = type;
  ks->type_order = {"address"};
  auto t = std::make_shared<TableDef>();
  t->keyspace = "app";
  t->name = "events";
  t->id = random_uuid();
  t->storage_id = 6;
  t->columns = {
      ColumnDef{"tenant", ColumnKind::kPartitionKey, 0, primitive_type(TypeKind::kVarchar), false, 1},
      ColumnDef{"ts", ColumnKind::kClustering, 0, primitive_type(TypeKind::kTimeuuid), true, 2},
      ColumnDef{"tags", ColumnKind::kRegular, -1, set_type(primitive_type(TypeKind::kVarchar), false), false, 3},
      ColumnDef{"addr", ColumnKind::kRegular, -1, type->as_type(true), false, 4},
  };
  t->next_column_id = 5;
  t->options = default_table_options();
  t->options["comment"] = std::string("hello");
  t->indexes.push_back(IndexDef{"events_tags_idx", "tags", IndexTarget::kValues, false, {{"target", "values(tags)"}}});
  t->dropped_columns["old"] = DroppedColumn{list_type(primitive_type(TypeKind::kInt), false), ColumnKind::kStatic,
                                            1700000000123456};
  rebuild_key_indexes(*t);
  ks->tables["events"] = t;
  s.keyspaces["app"] = ks;
  return s;
}

TEST(SchemaSerializationTest, RoundTripsKeyspacesTablesTypesAndIndexes) {
  Schema original = sample_schema();
  Schema copy = deserialize_schema(serialize_schema(original));
  EXPECT_EQ(copy.version, original.version);
  EXPECT_EQ(copy.next_storage_id, 7u);
  const KeyspaceDef* ks = copy.find_keyspace("app");
  ASSERT_NE(ks, nullptr);
  EXPECT_FALSE(ks->durable_writes);
  EXPECT_EQ(ks->replication.at("replication_factor"), "1");
  ASSERT_NE(ks->find_type("address"), nullptr);
  EXPECT_EQ(ks->find_type("address")->field_names[1], "zip");
  const TableDef* t = ks->find_table("events");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->storage_id, 6u);
  ASSERT_EQ(t->partition_key.size(), 1u);
  ASSERT_EQ(t->clustering.size(), 1u);
  EXPECT_TRUE(t->columns[t->clustering[0]].descending);
  EXPECT_EQ(type_to_cql(*t->find_column("tags")->type), "set<text>");
  EXPECT_EQ(type_to_cql(*t->find_column("addr")->type), "frozen<address>");
  EXPECT_EQ(std::get<std::string>(t->options.at("comment")), "hello");
  EXPECT_EQ(std::get<int32_t>(t->options.at("gc_grace_seconds")), 864000);
  ASSERT_EQ(t->indexes.size(), 1u);
  EXPECT_EQ(t->indexes[0].options.at("target"), "values(tags)");
  ASSERT_EQ(t->dropped_columns.size(), 1u);
  const DroppedColumn& dropped = t->dropped_columns.at("old");
  EXPECT_EQ(type_to_cql(*dropped.type), "list<int>");
  EXPECT_EQ(dropped.kind, ColumnKind::kStatic);
  EXPECT_EQ(dropped.dropped_time_micros, 1700000000123456);
}

TEST(SchemaSerializationTest, RejectsCorruptRecords) {
  std::string bytes = serialize_schema(sample_schema());
  EXPECT_THROW(deserialize_schema(bytes.substr(0, bytes.size() / 2)), std::runtime_error);
  EXPECT_THROW(deserialize_schema(std::string("\0\0\0\x09", 4)), std::runtime_error);
}

TEST(SystemTablesTest, ServesCassandra4SchemaTables) {
  for (const char* name : {"keyspaces", "tables", "columns", "dropped_columns", "triggers", "views", "types",
                           "functions", "aggregates", "indexes"}) {
    EXPECT_NE(find_virtual_table("system_schema", name), nullptr) << name;
  }
  const VirtualTable* local = find_virtual_table("system", "local");
  ASSERT_NE(local, nullptr);
  EXPECT_NE(local->def->find_column("schema_version"), nullptr);
  EXPECT_EQ(find_virtual_table("system", "nonexistent"), nullptr);
}

TEST(SystemTablesTest, ListsUserTablesAndColumnsWithKinds) {
  Schema s = sample_schema();
  add_system_keyspaces(&s);
  const VirtualTable* columns = find_virtual_table("system_schema", "columns");
  LocalNodeInfo node;
  auto rows = columns->rows(s, node);
  const TableDef& def = *columns->def;
  int kind = def.column_index("kind"), order = def.column_index("clustering_order"), name = def.column_index("column_name");
  bool saw_ts = false;
  for (const auto& row : rows) {
    if (row[name].bytes == "ts") {
      saw_ts = true;
      EXPECT_EQ(row[kind].bytes, "clustering");
      EXPECT_EQ(row[order].bytes, "desc");
    }
  }
  EXPECT_TRUE(saw_ts);
  const VirtualTable* keyspaces = find_virtual_table("system_schema", "keyspaces");
  EXPECT_GE(keyspaces->rows(s, node).size(), 3u);  // app + the system keyspaces
}

}  // namespace
}  // namespace cqld
