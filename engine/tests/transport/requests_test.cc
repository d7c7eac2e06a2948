#include "transport/requests.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "transport/body_writer.h"

namespace cqld::transport {
namespace {

FrameHeader header(Opcode opcode, uint8_t version = 4, uint8_t flags = 0) {
  FrameHeader h;
  h.version = version;
  h.opcode = static_cast<uint8_t>(opcode);
  h.flags = flags;
  return h;
}

TEST(RequestsTest, Startup) {
  std::string body;
  BodyWriter(body).write_string_map({{"CQL_VERSION", "3.0.0"}, {"DRIVER_NAME", "x"}});
  auto startup = std::get<StartupRequest>(decode_request(header(Opcode::kStartup), body));
  EXPECT_EQ(startup.options.at("CQL_VERSION"), "3.0.0");
  EXPECT_EQ(startup.options.size(), 2u);
}

TEST(RequestsTest, OptionsAndRegisterAndAuthResponse) {
  EXPECT_TRUE(std::holds_alternative<OptionsRequest>(decode_request(header(Opcode::kOptions), "")));
  std::string body;
  BodyWriter(body).write_string_list({"SCHEMA_CHANGE", "STATUS_CHANGE"});
  auto reg = std::get<RegisterRequest>(decode_request(header(Opcode::kRegister), body));
  EXPECT_EQ(reg.events.size(), 2u);
  std::string auth;
  BodyWriter(auth).write_bytes(std::string_view("\0u\0p", 4));
  auto response =
      std::get<AuthResponseRequest>(decode_request(header(Opcode::kAuthResponse), auth));
  EXPECT_EQ(response.token, std::string_view("\0u\0p", 4));
}

TEST(RequestsTest, QueryWithNoFlags) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("SELECT 1");
  w.write_consistency(Consistency::kQuorum);
  w.write_byte(0);
  auto q = std::get<QueryRequest>(decode_request(header(Opcode::kQuery), body));
  EXPECT_EQ(q.query, "SELECT 1");
  EXPECT_EQ(q.options.consistency, Consistency::kQuorum);
  EXPECT_TRUE(q.options.values.empty());
  EXPECT_EQ(q.options.page_size, -1);
  EXPECT_FALSE(q.options.paging_state);
  EXPECT_FALSE(q.options.default_timestamp);
}

TEST(RequestsTest, QueryWithEveryFlag) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("SELECT * FROM t WHERE a = :a AND b = :b");
  w.write_consistency(Consistency::kLocalOne);
  w.write_byte(0x7F);
  w.write_short(3);
  w.write_string("a");
  w.write_value(Value::of("x"));
  w.write_string("b");
  w.write_value(Value::null());
  w.write_string("c");
  w.write_value(Value::unset());
  w.write_int(100);
  w.write_bytes(std::string_view("state"));
  w.write_consistency(Consistency::kLocalSerial);
  w.write_long(1234567);
  auto q = std::get<QueryRequest>(decode_request(header(Opcode::kQuery), body));
  const QueryOptions& o = q.options;
  EXPECT_EQ(o.consistency, Consistency::kLocalOne);
  ASSERT_EQ(o.values.size(), 3u);
  EXPECT_EQ(o.values[0], Value::of("x"));
  EXPECT_TRUE(o.values[1].is_null());
  EXPECT_TRUE(o.values[2].is_unset());
  EXPECT_EQ(o.value_names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(o.skip_metadata);
  EXPECT_EQ(o.page_size, 100);
  EXPECT_EQ(o.paging_state, "state");
  EXPECT_EQ(o.serial_consistency, Consistency::kLocalSerial);
  EXPECT_EQ(o.default_timestamp, 1234567);
}

TEST(RequestsTest, V3RejectsUnsetValues) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("INSERT");
  w.write_consistency(Consistency::kOne);
  w.write_byte(query_flags::kValues);
  w.write_short(1);
  w.write_value(Value::unset());
  EXPECT_THROW(decode_request(header(Opcode::kQuery, 3), body), ProtocolError);
  EXPECT_NO_THROW(decode_request(header(Opcode::kQuery, 4), body));
}

TEST(RequestsTest, MinimumTimestampIsOutOfBounds) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("INSERT");
  w.write_consistency(Consistency::kOne);
  w.write_byte(query_flags::kDefaultTimestamp);
  w.write_long(std::numeric_limits<int64_t>::min());
  EXPECT_THROW(decode_request(header(Opcode::kQuery), body), ProtocolError);
}

TEST(RequestsTest, PrepareAndExecute) {
  std::string prepare;
  BodyWriter(prepare).write_long_string("SELECT * FROM t WHERE a = ?");
  EXPECT_EQ(std::get<PrepareRequest>(decode_request(header(Opcode::kPrepare), prepare)).query,
            "SELECT * FROM t WHERE a = ?");
  std::string body;
  BodyWriter w(body);
  w.write_short_bytes(std::string(16, '\x42'));
  w.write_consistency(Consistency::kOne);
  w.write_byte(query_flags::kValues | query_flags::kSkipMetadata | query_flags::kPageSize);
  w.write_short(1);
  w.write_value(Value::of(encode_int32(7)));
  w.write_int(5000);
  auto e = std::get<ExecuteRequest>(decode_request(header(Opcode::kExecute), body));
  EXPECT_EQ(e.id, std::string(16, '\x42'));
  EXPECT_TRUE(e.options.skip_metadata);
  EXPECT_EQ(e.options.page_size, 5000);
  ASSERT_EQ(e.options.values.size(), 1u);
  EXPECT_EQ(e.options.values[0], Value::of(encode_int32(7)));
}

std::string batch_body(uint8_t type, uint8_t flags) {
  std::string body;
  BodyWriter w(body);
  w.write_byte(type);
  w.write_short(2);
  w.write_byte(0);
  w.write_long_string("INSERT INTO t (a) VALUES (?)");
  w.write_short(1);
  w.write_value(Value::of("v"));
  w.write_byte(1);
  w.write_short_bytes("prepared-id");
  w.write_short(0);
  w.write_consistency(Consistency::kAll);
  w.write_byte(flags);
  if (flags & query_flags::kSerialConsistency) w.write_consistency(Consistency::kLocalSerial);
  if (flags & query_flags::kDefaultTimestamp) w.write_long(42);
  return body;
}

TEST(RequestsTest, Batch) {
  auto b = std::get<BatchMessage>(decode_request(header(Opcode::kBatch), batch_body(1, 0x30))).batch;
  EXPECT_EQ(b.type, BatchRequest::Type::kUnlogged);
  ASSERT_EQ(b.statements.size(), 2u);
  EXPECT_FALSE(b.statements[0].is_prepared);
  EXPECT_EQ(b.statements[0].query_or_id, "INSERT INTO t (a) VALUES (?)");
  EXPECT_EQ(b.statements[0].values, std::vector<Value>{Value::of("v")});
  EXPECT_TRUE(b.statements[1].is_prepared);
  EXPECT_EQ(b.statements[1].query_or_id, "prepared-id");
  EXPECT_EQ(b.consistency, Consistency::kAll);
  EXPECT_EQ(b.serial_consistency, Consistency::kLocalSerial);
  EXPECT_EQ(b.default_timestamp, 42);
}

TEST(RequestsTest, BatchRejectsBadTypeKindAndNamedValues) {
  EXPECT_THROW(decode_request(header(Opcode::kBatch), batch_body(3, 0)), ProtocolError);
  EXPECT_THROW(decode_request(header(Opcode::kBatch), batch_body(0, 0x40)), ProtocolError);
  std::string bad_kind = batch_body(0, 0);
  bad_kind[3] = 2;
  EXPECT_THROW(decode_request(header(Opcode::kBatch), bad_kind), ProtocolError);
}

TEST(RequestsTest, CustomPayloadIsSkipped) {
  std::string body;
  BodyWriter w(body);
  w.write_bytes_map({{"k", "v"}});
  w.write_long_string("SELECT 1");
  w.write_consistency(Consistency::kOne);
  w.write_byte(0);
  auto q = std::get<QueryRequest>(
      decode_request(header(Opcode::kQuery, 4, frame_flags::kCustomPayload), body));
  EXPECT_EQ(q.query, "SELECT 1");
}

TEST(RequestsTest, EveryTruncationOfAQueryIsAProtocolError) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("SELECT");
  w.write_consistency(Consistency::kOne);
  w.write_byte(0x3D);
  w.write_short(1);
  w.write_value(Value::of("abc"));
  w.write_int(10);
  w.write_bytes(std::string_view("ps"));
  w.write_consistency(Consistency::kSerial);
  w.write_long(1);
  ASSERT_NO_THROW(decode_request(header(Opcode::kQuery), body));
  for (size_t cut = 0; cut < body.size(); ++cut) {
    EXPECT_THROW(decode_request(header(Opcode::kQuery), std::string_view(body).substr(0, cut)),
                 ProtocolError)
        << cut;
  }
}

}  // namespace
}  // namespace cqld::transport

namespace cqld::transport {
namespace {

TEST(RequestsV5Test, QueryFlagsAreAnIntAndCarryKeyspaceAndNowInSeconds) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("SELECT * FROM t");
  w.write_consistency(Consistency::kOne);
  w.write_int(0x0004 | 0x0080 | 0x0100);
  w.write_int(50);
  w.write_string("app");
  w.write_int(1700000000);
  auto q = std::get<QueryRequest>(decode_request(header(Opcode::kQuery, 5), body));
  EXPECT_EQ(q.options.page_size, 50);
  EXPECT_EQ(q.scope.keyspace, "app");
  EXPECT_EQ(q.scope.now_in_seconds, 1700000000);
  // The same bytes as v4 read the flags as one byte (0x00) and leave the rest unread.
  auto v4 = std::get<QueryRequest>(decode_request(header(Opcode::kQuery, 4), body));
  EXPECT_EQ(v4.options.page_size, -1);
  EXPECT_FALSE(v4.scope.keyspace);
}

TEST(RequestsV5Test, PrepareHasFlagsAndAnOptionalKeyspace) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("SELECT * FROM t");
  w.write_int(0x01);
  w.write_string("other");
  auto p = std::get<PrepareRequest>(decode_request(header(Opcode::kPrepare, 5), body));
  EXPECT_EQ(p.query, "SELECT * FROM t");
  EXPECT_EQ(p.scope.keyspace, "other");
  std::string plain;
  BodyWriter(plain).write_long_string("SELECT 1");
  BodyWriter(plain).write_int(0);
  EXPECT_FALSE(std::get<PrepareRequest>(decode_request(header(Opcode::kPrepare, 5), plain)).scope.keyspace);
  // v5 requires the flags.
  std::string bare;
  BodyWriter(bare).write_long_string("SELECT 1");
  EXPECT_THROW(decode_request(header(Opcode::kPrepare, 5), bare), ProtocolError);
}

TEST(RequestsV5Test, ExecuteCarriesTheResultMetadataId) {
  std::string body;
  BodyWriter w(body);
  w.write_short_bytes("0123456789abcdef");
  w.write_short_bytes("fedcba9876543210");
  w.write_consistency(Consistency::kOne);
  w.write_int(0x0002 | 0x0001);
  w.write_short(1);
  w.write_bytes(std::string_view("\0\0\0\1", 4));
  auto e = std::get<ExecuteRequest>(decode_request(header(Opcode::kExecute, 5), body));
  EXPECT_EQ(e.id, "0123456789abcdef");
  EXPECT_EQ(e.result_metadata_id, "fedcba9876543210");
  EXPECT_TRUE(e.options.skip_metadata);
  ASSERT_EQ(e.options.values.size(), 1u);
}

TEST(RequestsV5Test, BatchFlagsAreAnIntWithKeyspace) {
  std::string body;
  BodyWriter w(body);
  w.write_byte(1);
  w.write_short(1);
  w.write_byte(0);
  w.write_long_string("INSERT INTO t (a) VALUES (?)");
  w.write_short(1);
  w.write_value(Value::of(std::string("\0\0\0\7", 4)));
  w.write_consistency(Consistency::kOne);
  w.write_int(0x0080 | 0x0100);
  w.write_string("ks5");
  w.write_int(42);
  auto b = std::get<BatchMessage>(decode_request(header(Opcode::kBatch, 5), body));
  EXPECT_EQ(b.batch.type, BatchRequest::Type::kUnlogged);
  EXPECT_EQ(b.batch.statements.size(), 1u);
  EXPECT_EQ(b.scope.keyspace, "ks5");
  EXPECT_EQ(b.scope.now_in_seconds, 42);
}

TEST(RequestsV5Test, UnsetValuesDecode) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string("INSERT INTO t (a, b) VALUES (?, ?)");
  w.write_consistency(Consistency::kOne);
  w.write_int(0x01);
  w.write_short(2);
  w.write_int(-2);
  w.write_int(-1);
  auto q = std::get<QueryRequest>(decode_request(header(Opcode::kQuery, 5), body));
  ASSERT_EQ(q.options.values.size(), 2u);
  EXPECT_TRUE(q.options.values[0].is_unset());
  EXPECT_TRUE(q.options.values[1].is_null());
}

}  // namespace
}  // namespace cqld::transport
