#include <gtest/gtest.h>

#include "common/errors.h"
#include "transport/body_reader.h"
#include "transport/body_writer.h"
#include "types/cql_type.h"

namespace cqld::transport {
namespace {

TEST(BodyCodecTest, NumbersRoundTripBigEndian) {
  std::string out;
  BodyWriter w(out);
  w.write_byte(0xAB);
  w.write_short(0xFFFE);
  w.write_int(-2);
  w.write_long(0x0102030405060708);
  EXPECT_EQ(out.substr(0, 3), std::string("\xAB\xFF\xFE", 3));
  BodyReader r(out);
  EXPECT_EQ(r.read_byte(), 0xAB);
  EXPECT_EQ(r.read_short(), 0xFFFE);
  EXPECT_EQ(r.read_int(), -2);
  EXPECT_EQ(r.read_long(), 0x0102030405060708);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(BodyCodecTest, StringsAndBytesRoundTrip) {
  std::string out;
  BodyWriter w(out);
  w.write_string("héllo");
  w.write_long_string("SELECT * FROM t");
  w.write_uuid(std::string(16, '\x11'));
  w.write_string_list({"a", "", "c"});
  w.write_bytes(std::string_view("\x00\x01", 2));
  w.write_bytes(std::nullopt);
  w.write_short_bytes("id");
  w.write_inet(std::string("\x7F\x00\x00\x01", 4), 9042);
  w.write_consistency(Consistency::kLocalQuorum);
  BodyReader r(out);
  EXPECT_EQ(r.read_string(), "héllo");
  EXPECT_EQ(r.read_long_string(), "SELECT * FROM t");
  EXPECT_EQ(r.read_uuid(), std::string(16, '\x11'));
  EXPECT_EQ(r.read_string_list(), (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ(r.read_bytes(), std::optional<std::string_view>(std::string_view("\x00\x01", 2)));
  EXPECT_EQ(r.read_bytes(), std::nullopt);
  EXPECT_EQ(r.read_short_bytes(), "id");
  Inet inet = r.read_inet();
  EXPECT_EQ(inet.address, std::string("\x7F\x00\x00\x01", 4));
  EXPECT_EQ(inet.port, 9042);
  EXPECT_EQ(r.read_consistency(), Consistency::kLocalQuorum);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(BodyCodecTest, MapsRoundTrip) {
  std::map<std::string, std::string> map{{"CQL_VERSION", "3.4.5"}, {"COMPRESSION", "lz4"}};
  std::map<std::string, std::vector<std::string>> multimap{{"A", {"1", "2"}}, {"B", {}}};
  std::map<std::string, std::optional<std::string>> bytes_map{{"k", "v"}, {"n", std::nullopt}};
  std::string out;
  BodyWriter w(out);
  w.write_string_map(map);
  w.write_string_multimap(multimap);
  w.write_bytes_map(bytes_map);
  BodyReader r(out);
  EXPECT_EQ(r.read_string_map(), map);
  EXPECT_EQ(r.read_string_multimap(), multimap);
  EXPECT_EQ(r.read_bytes_map(), bytes_map);
}

TEST(BodyCodecTest, ValuesDistinguishNullUnsetAndEmpty) {
  std::string out;
  BodyWriter w(out);
  w.write_value(Value::of("ab"));
  w.write_value(Value::of(""));
  w.write_value(Value::null());
  w.write_value(Value::unset());
  BodyReader r(out);
  EXPECT_EQ(r.read_value(true), Value::of("ab"));
  EXPECT_EQ(r.read_value(true), Value::of(""));
  EXPECT_EQ(r.read_value(true), Value::null());
  EXPECT_EQ(r.read_value(true), Value::unset());
}

TEST(BodyCodecTest, UnsetIsRejectedWhereTheVersionHasNone) {
  std::string out;
  BodyWriter(out).write_value(Value::unset());
  BodyReader r(out);
  EXPECT_THROW(r.read_value(false), ProtocolError);
}

TEST(BodyCodecTest, InvalidValueLengthIsRejected) {
  std::string out;
  BodyWriter(out).write_int(-3);
  BodyReader r(out);
  EXPECT_THROW(r.read_value(true), ProtocolError);
}

TEST(BodyCodecTest, EveryReadIsBoundsChecked) {
  std::string full;
  BodyWriter w(full);
  w.write_string("abc");
  for (size_t cut = 0; cut < full.size(); ++cut) {
    BodyReader r(std::string_view(full).substr(0, cut));
    EXPECT_THROW(r.read_string(), ProtocolError) << cut;
  }
  EXPECT_THROW(BodyReader("").read_byte(), ProtocolError);
  EXPECT_THROW(BodyReader("\x01").read_short(), ProtocolError);
  EXPECT_THROW(BodyReader("\x01\x02\x03").read_int(), ProtocolError);
  EXPECT_THROW(BodyReader("1234567").read_long(), ProtocolError);
  EXPECT_THROW(BodyReader(std::string(15, 'u')).read_uuid(), ProtocolError);
}

TEST(BodyCodecTest, HugeDeclaredLengthsDoNotAllocate) {
  std::string out;
  BodyWriter w(out);
  w.write_int(0x7FFFFFFF);
  EXPECT_THROW(BodyReader(out).read_bytes(), ProtocolError);
  EXPECT_THROW(BodyReader(out).read_long_string(), ProtocolError);
  EXPECT_THROW(BodyReader(out).read_value(true), ProtocolError);
  std::string counts;
  BodyWriter(counts).write_short(0xFFFF);
  EXPECT_THROW(BodyReader(counts).read_string_list(), ProtocolError);
  EXPECT_THROW(BodyReader(counts).read_string_map(), ProtocolError);
  EXPECT_THROW(BodyReader(counts).read_string_multimap(), ProtocolError);
}

TEST(BodyCodecTest, NegativeLongStringLengthIsRejected) {
  std::string out;
  BodyWriter(out).write_int(-1);
  EXPECT_THROW(BodyReader(out).read_long_string(), ProtocolError);
}

TEST(BodyCodecTest, UnknownConsistencyIsRejected) {
  std::string out;
  BodyWriter(out).write_short(0x0B);
  EXPECT_THROW(BodyReader(out).read_consistency(), ProtocolError);
}

TEST(BodyCodecTest, InetSizeIsChecked) {
  std::string out(
      "\x05"
      "12345",
      6);
  EXPECT_THROW(BodyReader(out).read_inet(), ProtocolError);
}

TEST(BodyCodecTest, OversizedStringsAreRefusedWhenWriting) {
  std::string out;
  EXPECT_THROW(BodyWriter(out).write_string(std::string(70000, 'x')), ServerError);
}

std::string option_bytes(const CqlType& type, uint8_t version) {
  std::string out;
  BodyWriter(out).write_option(type, version);
  return out;
}

TEST(BodyCodecTest, PrimitiveOptionsAreTheirIds) {
  for (TypeKind kind : {TypeKind::kAscii, TypeKind::kBigint, TypeKind::kBlob, TypeKind::kBoolean,
                        TypeKind::kCounter, TypeKind::kDecimal, TypeKind::kDouble, TypeKind::kFloat,
                        TypeKind::kInt, TypeKind::kTimestamp, TypeKind::kUuid, TypeKind::kVarchar,
                        TypeKind::kVarint, TypeKind::kTimeuuid, TypeKind::kInet, TypeKind::kDate,
                        TypeKind::kTime, TypeKind::kSmallint, TypeKind::kTinyint}) {
    std::string bytes = option_bytes(*primitive_type(kind), 4);
    ASSERT_EQ(bytes.size(), 2u);
    BodyReader r(bytes);
    EXPECT_EQ(r.read_short(), static_cast<uint16_t>(kind));
    EXPECT_TRUE(types_equal(*BodyReader(bytes).read_option(), *primitive_type(kind)));
  }
}

TEST(BodyCodecTest, DurationIsACustomTypeInV4) {
  std::string bytes = option_bytes(*primitive_type(TypeKind::kDuration), 4);
  BodyReader r(bytes);
  EXPECT_EQ(r.read_short(), 0x0000);
  EXPECT_EQ(r.read_string(), "org.apache.cassandra.db.marshal.DurationType");
  EXPECT_EQ(BodyReader(bytes).read_option()->kind, TypeKind::kDuration);
}

TEST(BodyCodecTest, V3SendsItsMissingTypesAsCustom) {
  std::pair<TypeKind, const char*> cases[] = {
      {TypeKind::kDate, "org.apache.cassandra.db.marshal.SimpleDateType"},
      {TypeKind::kTime, "org.apache.cassandra.db.marshal.TimeType"},
      {TypeKind::kSmallint, "org.apache.cassandra.db.marshal.ShortType"},
      {TypeKind::kTinyint, "org.apache.cassandra.db.marshal.ByteType"},
  };
  for (auto [kind, java_class] : cases) {
    std::string bytes = option_bytes(*primitive_type(kind), 3);
    BodyReader r(bytes);
    EXPECT_EQ(r.read_short(), 0x0000);
    EXPECT_EQ(r.read_string(), java_class);
    EXPECT_EQ(BodyReader(bytes).read_option()->kind, kind);
  }
}

TEST(BodyCodecTest, CustomTypesKeepTheirClass) {
  std::string bytes = option_bytes(*custom_type("com.example.MyType"), 4);
  TypePtr back = BodyReader(bytes).read_option();
  EXPECT_EQ(back->kind, TypeKind::kCustom);
  EXPECT_EQ(back->custom_class, "com.example.MyType");
}

TEST(BodyCodecTest, CollectionOptionsRoundTrip) {
  TypePtr text = primitive_type(TypeKind::kVarchar);
  TypePtr i = primitive_type(TypeKind::kInt);
  std::vector<TypePtr> types = {list_type(i, false), set_type(text, true), map_type(text, i, false),
                                map_type(i, list_type(text, true), true)};
  for (const auto& type : types) {
    // Frozen-ness is not part of the option: compare the shape.
    TypePtr back = BodyReader(option_bytes(*type, 4)).read_option();
    EXPECT_EQ(back->kind, type->kind);
    ASSERT_EQ(back->params.size(), type->params.size());
    for (size_t p = 0; p < type->params.size(); ++p) {
      EXPECT_EQ(back->params[p]->kind, type->params[p]->kind);
    }
  }
  std::string map_bytes = option_bytes(*map_type(text, i, false), 4);
  EXPECT_EQ(map_bytes, std::string("\x00\x21\x00\x0D\x00\x09", 6));
}

TEST(BodyCodecTest, UdtOptionCarriesKeyspaceNameAndFields) {
  TypePtr udt =
      udt_type("ks", "address", {"street", "zip"},
               {primitive_type(TypeKind::kVarchar), primitive_type(TypeKind::kInt)}, true);
  std::string bytes = option_bytes(*udt, 4);
  BodyReader r(bytes);
  EXPECT_EQ(r.read_short(), 0x0030);
  EXPECT_EQ(r.read_string(), "ks");
  EXPECT_EQ(r.read_string(), "address");
  EXPECT_EQ(r.read_short(), 2);
  EXPECT_EQ(r.read_string(), "street");
  EXPECT_EQ(r.read_short(), 0x000D);
  EXPECT_EQ(r.read_string(), "zip");
  EXPECT_EQ(r.read_short(), 0x0009);
  TypePtr back = BodyReader(bytes).read_option();
  EXPECT_EQ(back->udt_keyspace, "ks");
  EXPECT_EQ(back->udt_name, "address");
  EXPECT_EQ(back->field_names, (std::vector<std::string>{"street", "zip"}));
}

TEST(BodyCodecTest, TupleOptionListsItsTypes) {
  TypePtr tuple = tuple_type({primitive_type(TypeKind::kInt), primitive_type(TypeKind::kVarchar)});
  std::string bytes = option_bytes(*tuple, 4);
  EXPECT_EQ(bytes, std::string("\x00\x31\x00\x02\x00\x09\x00\x0D", 8));
  TypePtr back = BodyReader(bytes).read_option();
  EXPECT_EQ(back->kind, TypeKind::kTuple);
  EXPECT_EQ(back->params.size(), 2u);
}

TEST(BodyCodecTest, UnnamedCustomTypeIsNotSent) {
  CqlType unnamed;
  unnamed.kind = TypeKind::kCustom;
  std::string out;
  EXPECT_THROW(BodyWriter(out).write_option(unnamed, 4), ServerError);
}

TEST(BodyCodecTest, UnknownOptionIdIsRejected) {
  EXPECT_THROW(BodyReader(std::string("\x00\x0A", 2)).read_option(), ProtocolError);
  EXPECT_THROW(BodyReader(std::string("\x00\x20", 2)).read_option(), ProtocolError);
}

TEST(BodyCodecTest, DeeplyNestedOptionsAreRejected) {
  std::string bytes;
  for (int i = 0; i < 10000; ++i) bytes += std::string("\x00\x20", 2);
  bytes += std::string("\x00\x09", 2);
  EXPECT_THROW(BodyReader(bytes).read_option(), ProtocolError);
}

}  // namespace
}  // namespace cqld::transport
