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

namespace cqld::transport {
namespace {

TEST(ResponsesV5Test, PreparedCarriesTheResultMetadataId) {
  PreparedResult p;
  p.id = std::string(16, 'i');
  p.bind_markers = {column("t", "a", TypeKind::kInt)};
  p.pk_indexes = {0};
  p.result_metadata = two_rows().metadata;
  std::string body = encode_result(p, 5, false);
  BodyReader r(body);
  EXPECT_EQ(r.read_int(), static_cast<int32_t>(ResultKind::kPrepared));
  EXPECT_EQ(r.read_short_bytes(), p.id);
  std::string id(r.read_short_bytes());
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id, result_metadata_id(p.result_metadata));
  EXPECT_EQ(r.read_int(), rows_flags::kGlobalTablesSpec);  // the bind markers' metadata follows
  // v4 has no metadata id: the flags come right after the statement id.
  std::string v4 = encode_result(p, 4, false);
  BodyReader r4(v4);
  r4.read_int();
  r4.read_short_bytes();
  EXPECT_EQ(r4.read_int(), rows_flags::kGlobalTablesSpec);
}

TEST(ResponsesV5Test, MetadataIdFollowsTheColumns) {
  ResultMetadata a = two_rows().metadata;
  ResultMetadata b = a;
  EXPECT_EQ(result_metadata_id(a), result_metadata_id(b));
  b.paging_state = "p";  // paging does not change the columns
  EXPECT_EQ(result_metadata_id(a), result_metadata_id(b));
  b.columns.push_back(column("t", "c", TypeKind::kBoolean));
  EXPECT_NE(result_metadata_id(a), result_metadata_id(b));
  ResultMetadata retyped = a;
  retyped.columns[0].type = primitive_type(TypeKind::kBigint);
  EXPECT_NE(result_metadata_id(a), result_metadata_id(retyped));
}

TEST(ResponsesV5Test, StaleMetadataIdGetsMetadataChangedWithFullMetadata) {
  RowsResult rows = two_rows();
  std::string current = result_metadata_id(rows.metadata);
  // The client's id is current: skip_metadata is honoured.
  std::string same = encode_result(rows, 5, true, std::string_view(current));
  BodyReader s(same);
  s.read_int();
  EXPECT_EQ(s.read_int(), rows_flags::kNoMetadata);
  // A stale id: Metadata_changed, the new id, then the full metadata despite skip_metadata.
  std::string stale = encode_result(rows, 5, true, std::string_view("0123456789abcdef"));
  BodyReader r(stale);
  EXPECT_EQ(r.read_int(), static_cast<int32_t>(ResultKind::kRows));
  EXPECT_EQ(r.read_int(), rows_flags::kMetadataChanged | rows_flags::kGlobalTablesSpec);
  EXPECT_EQ(r.read_int(), 2);
  EXPECT_EQ(r.read_short_bytes(), current);
  EXPECT_EQ(r.read_string(), "ks");
  EXPECT_EQ(r.read_string(), "t");
  EXPECT_EQ(r.read_string(), "a");
  r.read_option();
  EXPECT_EQ(r.read_string(), "b");
  r.read_option();
  expect_two_rows(r);
}

TEST(ResponsesV5Test, DurationIsANativeTypeFromV5) {
  RowsResult rows;
  rows.metadata.columns = {column("t", "d", TypeKind::kDuration)};
  std::string v5 = encode_result(rows, 5, false);
  BodyReader r(v5);
  r.read_int();
  r.read_int();
  r.read_int();
  r.read_string();
  r.read_string();
  r.read_string();
  EXPECT_EQ(r.read_short(), 0x0015);
  std::string v4 = encode_result(rows, 4, false);
  BodyReader r4(v4);
  for (int i = 0; i < 3; ++i) r4.read_int();
  for (int i = 0; i < 3; ++i) r4.read_string();
  EXPECT_EQ(r4.read_short(), 0x0000);
  EXPECT_EQ(r4.read_string(), "org.apache.cassandra.db.marshal.DurationType");
}

TEST(ResponsesV5Test, FailuresCarryAReasonMapInV5) {
  class ReadFailure : public CqlError {
   public:
    ReadFailure() : CqlError(ErrorCode::kReadFailure, "failed") {}
  };
  std::string v5 = encode_error(ReadFailure(), 5);
  BodyReader r(v5);
  EXPECT_EQ(r.read_int(), 0x1300);
  EXPECT_EQ(r.read_string(), "failed");
  r.read_consistency();
  EXPECT_EQ(r.read_int(), 0);  // received
  EXPECT_EQ(r.read_int(), 1);  // block for
  EXPECT_EQ(r.read_int(), 0);  // reason map: no other node to name
  EXPECT_EQ(r.read_byte(), 0); // data present
  EXPECT_EQ(r.remaining(), 0u);
}

}  // namespace
}  // namespace cqld::transport
