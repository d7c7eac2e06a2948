#include "transport/responses.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "transport/body_reader.h"

namespace cqld::transport {
namespace {

ColumnSpec column(std::string table, std::string name, TypeKind kind) {
  return {"ks", std::move(table), std::move(name), primitive_type(kind)};
}

RowsResult two_rows() {
  RowsResult rows;
  rows.metadata.columns = {column("t", "a", TypeKind::kInt), column("t", "b", TypeKind::kVarchar)};
  rows.cells = {Value::of(encode_int32(1)), Value::of("x"), Value::of(encode_int32(2)),
                Value::null()};
  rows.row_count = 2;
  return rows;
}

void expect_two_rows(BodyReader& r) {
  EXPECT_EQ(r.read_int(), 2);
  EXPECT_EQ(r.read_bytes(), encode_int32(1));
  EXPECT_EQ(r.read_bytes(), "x");
  EXPECT_EQ(r.read_bytes(), encode_int32(2));
  EXPECT_EQ(r.read_bytes(), std::nullopt);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ResponsesTest, VoidAndSetKeyspace) {
  EXPECT_EQ(encode_result(VoidResult{}, 4, false), std::string("\0\0\0\x01", 4));
  std::string body = encode_result(SetKeyspaceResult{"app"}, 4, false);
  BodyReader r(body);
  EXPECT_EQ(r.read_int(), 3);
  EXPECT_EQ(r.read_string(), "app");
}

TEST(ResponsesTest, RowsWithGlobalTableSpec) {
  std::string body = encode_result(two_rows(), 4, false);
  BodyReader r(body);
  EXPECT_EQ(r.read_int(), 2);
  EXPECT_EQ(r.read_int(), rows_flags::kGlobalTablesSpec);
  EXPECT_EQ(r.read_int(), 2);
  EXPECT_EQ(r.read_string(), "ks");
  EXPECT_EQ(r.read_string(), "t");
  EXPECT_EQ(r.read_string(), "a");
  EXPECT_EQ(r.read_option()->kind, TypeKind::kInt);
  EXPECT_EQ(r.read_string(), "b");
  EXPECT_EQ(r.read_option()->kind, TypeKind::kVarchar);
  expect_two_rows(r);
}

TEST(ResponsesTest, RowsFromSeveralTablesSpellEachColumnsTable) {
  RowsResult rows = two_rows();
  rows.metadata.columns[1].table = "u";
  std::string body = encode_result(rows, 4, false);
  BodyReader r(body);
  r.read_int();
  EXPECT_EQ(r.read_int(), 0);
  EXPECT_EQ(r.read_int(), 2);
  for (const char* table : {"t", "u"}) {
    EXPECT_EQ(r.read_string(), "ks");
    EXPECT_EQ(r.read_string(), table);
    r.read_string();
    r.read_option();
  }
  expect_two_rows(r);
}

TEST(ResponsesTest, RowsWithMorePagesAndSkippedMetadata) {
  RowsResult rows = two_rows();
  rows.metadata.paging_state = "next";
  std::string body = encode_result(rows, 4, /*skip_metadata=*/true);
  BodyReader r(body);
  r.read_int();
  EXPECT_EQ(r.read_int(), rows_flags::kHasMorePages | rows_flags::kNoMetadata);
  EXPECT_EQ(r.read_int(), 2);
  EXPECT_EQ(r.read_bytes(), "next");
  expect_two_rows(r);
}

TEST(ResponsesTest, PreparedCarriesPkIndexesInV4Only) {
  PreparedResult p;
  p.id = std::string(16, '\x01');
  p.bind_markers = {column("t", "a", TypeKind::kInt), column("t", "c", TypeKind::kBigint)};
  p.pk_indexes = {0};
  p.result_metadata.columns = {column("t", "b", TypeKind::kVarchar)};
  for (uint8_t version : {3, 4}) {
    std::string body = encode_result(p, version, false);
    BodyReader r(body);
    EXPECT_EQ(r.read_int(), 4);
    EXPECT_EQ(r.read_short_bytes(), p.id);
    EXPECT_EQ(r.read_int(), rows_flags::kGlobalTablesSpec);
    EXPECT_EQ(r.read_int(), 2);
    if (version == 4) {
      EXPECT_EQ(r.read_int(), 1);
      EXPECT_EQ(r.read_short(), 0);
    }
    EXPECT_EQ(r.read_string(), "ks");
    EXPECT_EQ(r.read_string(), "t");
    EXPECT_EQ(r.read_string(), "a");
    r.read_option();
    EXPECT_EQ(r.read_string(), "c");
    r.read_option();
    EXPECT_EQ(r.read_int(), rows_flags::kGlobalTablesSpec);
    EXPECT_EQ(r.read_int(), 1);
    EXPECT_EQ(r.read_string(), "ks");
    EXPECT_EQ(r.read_string(), "t");
    EXPECT_EQ(r.read_string(), "b");
    r.read_option();
    EXPECT_EQ(r.remaining(), 0u);
  }
}

TEST(ResponsesTest, PreparedNonSelectHasNoResultMetadata) {
  PreparedResult p;
  p.id = std::string(16, '\x02');
  std::string body = encode_result(p, 4, false);
  BodyReader r(body);
  r.read_int();
  r.read_short_bytes();
  EXPECT_EQ(r.read_int(), 0);
  EXPECT_EQ(r.read_int(), 0);
  EXPECT_EQ(r.read_int(), 0);
  EXPECT_EQ(r.read_int(), rows_flags::kNoMetadata);
  EXPECT_EQ(r.read_int(), 0);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ResponsesTest, SchemaChangeTargets) {
  SchemaChangeResult ks{
      SchemaChangeResult::Change::kCreated, SchemaChangeResult::Target::kKeyspace, "app", "", {}};
  std::string body = encode_result(ks, 4, false);
  BodyReader r(body);
  EXPECT_EQ(r.read_int(), 5);
  EXPECT_EQ(r.read_string(), "CREATED");
  EXPECT_EQ(r.read_string(), "KEYSPACE");
  EXPECT_EQ(r.read_string(), "app");
  EXPECT_EQ(r.remaining(), 0u);

  SchemaChangeResult fn{SchemaChangeResult::Change::kDropped,
                        SchemaChangeResult::Target::kFunction,
                        "app",
                        "f",
                        {"int", "text"}};
  std::string fbody = encode_result(fn, 4, false);
  BodyReader f(fbody);
  f.read_int();
  EXPECT_EQ(f.read_string(), "DROPPED");
  EXPECT_EQ(f.read_string(), "FUNCTION");
  EXPECT_EQ(f.read_string(), "app");
  EXPECT_EQ(f.read_string(), "f");
  EXPECT_EQ(f.read_string_list(), (std::vector<std::string>{"int", "text"}));

  std::string v3 = encode_result(fn, 3, false);
  BodyReader f3(v3);
  f3.read_int();
  EXPECT_EQ(f3.read_string(), "UPDATED");
  EXPECT_EQ(f3.read_string(), "KEYSPACE");
  EXPECT_EQ(f3.read_string(), "app");
}

TEST(ResponsesTest, SchemaChangeEvent) {
  SchemaChangeResult t{
      SchemaChangeResult::Change::kUpdated, SchemaChangeResult::Target::kTable, "app", "users", {}};
  std::string body = encode_schema_change_event(t, 4);
  BodyReader r(body);
  EXPECT_EQ(r.read_string(), "SCHEMA_CHANGE");
  EXPECT_EQ(r.read_string(), "UPDATED");
  EXPECT_EQ(r.read_string(), "TABLE");
  EXPECT_EQ(r.read_string(), "app");
  EXPECT_EQ(r.read_string(), "users");
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ResponsesTest, ErrorsKeepTheirCodeAndExtras) {
  std::string exists = encode_error(AlreadyExists("app", "", "Keyspace app already exists"), 4);
  BodyReader r(exists);
  EXPECT_EQ(r.read_int(), 0x2400);
  EXPECT_EQ(r.read_string(), "Keyspace app already exists");
  EXPECT_EQ(r.read_string(), "app");
  EXPECT_EQ(r.read_string(), "");

  std::string unprepared = encode_error(Unprepared(std::string(16, '\x07'), "unknown id"), 4);
  BodyReader u(unprepared);
  EXPECT_EQ(u.read_int(), 0x2500);
  u.read_string();
  EXPECT_EQ(u.read_short_bytes(), std::string(16, '\x07'));

  std::string syntax = encode_error(SyntaxError("line 1:0 no viable alternative"), 4);
  BodyReader s(syntax);
  EXPECT_EQ(s.read_int(), 0x2000);
  EXPECT_EQ(s.read_string(), "line 1:0 no viable alternative");
  EXPECT_EQ(s.remaining(), 0u);
}

TEST(ResponsesTest, AvailabilityErrorsHaveDecodableBodies) {
  std::string unavailable = encode_error(CqlError(ErrorCode::kUnavailable, "down"), 4);
  BodyReader u(unavailable);
  u.read_int();
  u.read_string();
  EXPECT_EQ(u.read_consistency(), Consistency::kOne);
  EXPECT_EQ(u.read_int(), 1);
  EXPECT_EQ(u.read_int(), 0);
  EXPECT_EQ(u.remaining(), 0u);

  std::string write_timeout = encode_error(CqlError(ErrorCode::kWriteTimeout, "slow"), 4);
  BodyReader w(write_timeout);
  w.read_int();
  w.read_string();
  w.read_consistency();
  w.read_int();
  w.read_int();
  EXPECT_EQ(w.read_string(), "SIMPLE");
  EXPECT_EQ(w.remaining(), 0u);

  std::string read_failure = encode_error(CqlError(ErrorCode::kReadFailure, "failed"), 3);
  BodyReader f(read_failure);
  EXPECT_EQ(f.read_int(), 0x1200);
}

TEST(ResponsesTest, OtherExceptionsAreServerErrors) {
  std::string body = encode_error(std::runtime_error("disk on fire"), 4);
  BodyReader r(body);
  EXPECT_EQ(r.read_int(), 0x0000);
  EXPECT_EQ(r.read_string(), "disk on fire");
}

TEST(ResponsesTest, AuthenticateSupportedAuthSuccess) {
  std::string authenticate = encode_authenticate("org.apache.cassandra.auth.PasswordAuthenticator");
  EXPECT_EQ(BodyReader(authenticate).read_string(),
            "org.apache.cassandra.auth.PasswordAuthenticator");
  std::string supported = encode_supported({{"CQL_VERSION", {"3.4.5"}}, {"COMPRESSION", {}}});
  BodyReader s(supported);
  auto map = s.read_string_multimap();
  EXPECT_EQ(map.at("CQL_VERSION"), std::vector<std::string>{"3.4.5"});
  EXPECT_TRUE(map.at("COMPRESSION").empty());
  std::string success = encode_auth_success(std::nullopt);
  EXPECT_EQ(BodyReader(success).read_bytes(), std::nullopt);
}

}  // namespace
}  // namespace cqld::transport
