#include "types/cql_type.h"

#include <gtest/gtest.h>

namespace cqld {
namespace {

TypePtr T(const char* name) {
  return primitive_type_by_name(name);
}

TEST(CqlTypeTest, PrimitiveNames) {
  EXPECT_EQ(T("INT")->kind, TypeKind::kInt);
  EXPECT_EQ(T("varchar")->kind, TypeKind::kVarchar);
  EXPECT_EQ(T("text")->kind, TypeKind::kVarchar);
  EXPECT_EQ(T("Duration")->kind, TypeKind::kDuration);
  EXPECT_EQ(T("list"), nullptr);
  EXPECT_EQ(T("empty"), nullptr);
  EXPECT_EQ(type_to_cql(*T("varchar")), "text");
  for (const char* n :
       {"ascii",  "bigint",    "blob",     "boolean", "counter", "date",     "decimal",
        "double", "duration",  "float",    "inet",    "int",     "smallint", "text",
        "time",   "timestamp", "timeuuid", "tinyint", "uuid",    "varint"}) {
    ASSERT_NE(T(n), nullptr) << n;
    EXPECT_EQ(type_to_cql(*T(n)), n);
  }
}

TEST(CqlTypeTest, PrintsAsSystemSchema) {
  EXPECT_EQ(type_to_cql(*map_type(T("text"), T("int"), false)), "map<text, int>");
  EXPECT_EQ(type_to_cql(*list_type(T("int"), true)), "frozen<list<int>>");
  EXPECT_EQ(type_to_cql(*tuple_type({T("int"), T("text")})), "frozen<tuple<int, text>>");
  auto address = udt_type("ks", "address", {"street"}, {T("text")}, true);
  EXPECT_EQ(type_to_cql(*address), "frozen<address>");
  EXPECT_EQ(type_to_cql(*udt_type("ks", "address", {"street"}, {T("text")}, false)), "address");
  EXPECT_EQ(type_to_cql(*udt_type("ks", "Addr", {}, {}, true)), "frozen<\"Addr\">");
  // Inside a frozen collection nothing repeats frozen<>; inside a non-frozen one it does.
  auto inner = set_type(T("int"), true);
  EXPECT_EQ(type_to_cql(*list_type(inner, true)), "frozen<list<set<int>>>");
  EXPECT_EQ(type_to_cql(*list_type(inner, false)), "list<frozen<set<int>>>");
  EXPECT_EQ(type_to_cql(*map_type(T("int"), address, false)), "map<int, frozen<address>>");
  EXPECT_EQ(type_to_cql(*list_type(tuple_type({T("int")}), true)), "frozen<list<tuple<int>>>");
  EXPECT_EQ(type_to_cql(*tuple_type({list_type(T("int"), true)})),
            "frozen<tuple<frozen<list<int>>>>");
  EXPECT_EQ(type_to_cql(*custom_type("org.example.T")), "'org.example.T'");
}

TEST(CqlTypeTest, Equality) {
  EXPECT_TRUE(types_equal(*T("text"), *T("varchar")));
  EXPECT_FALSE(types_equal(*list_type(T("int"), true), *list_type(T("int"), false)));
  EXPECT_TRUE(types_equal(*list_type(set_type(T("int"), true), false),
                          *list_type(set_type(T("int"), false), false)));
  EXPECT_FALSE(types_equal(*udt_type("a", "u", {}, {}, true), *udt_type("b", "u", {}, {}, true)));
  EXPECT_TRUE(types_equal(*frozen_type(list_type(T("int"), false)), *list_type(T("int"), true)));
}

TEST(CqlTypeTest, ValueCompatibility) {
  EXPECT_TRUE(is_value_compatible(*T("text"), *T("ascii")));
  EXPECT_FALSE(is_value_compatible(*T("ascii"), *T("text")));
  EXPECT_TRUE(is_value_compatible(*T("blob"), *T("int")));
  EXPECT_TRUE(is_value_compatible(*T("uuid"), *T("timeuuid")));
  EXPECT_FALSE(is_value_compatible(*T("timeuuid"), *T("uuid")));
  EXPECT_TRUE(is_value_compatible(*T("varint"), *T("int")));
  EXPECT_TRUE(is_value_compatible(*T("bigint"), *T("timestamp")));
  EXPECT_FALSE(is_value_compatible(*T("int"), *T("bigint")));
  EXPECT_TRUE(is_value_compatible(*tuple_type({T("int"), T("text")}), *tuple_type({T("int")})));
  EXPECT_FALSE(is_value_compatible(*tuple_type({T("int")}), *tuple_type({T("int"), T("text")})));
  EXPECT_TRUE(is_value_compatible(*list_type(T("text"), false), *list_type(T("ascii"), false)));
  EXPECT_FALSE(is_value_compatible(*list_type(T("int"), false), *list_type(T("int"), true)));
}

}  // namespace
}  // namespace cqld
