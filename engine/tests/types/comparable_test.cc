#include "types/comparable.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "types/bignum.h"
#include "types/value.h"

namespace cqld {
namespace {

TypePtr T(const char* name) {
  return primitive_type_by_name(name);
}

int Sign(int v) {
  return v < 0 ? -1 : v > 0 ? 1 : 0;
}

std::string Encode(const CqlType& type, std::string_view v, bool desc = false) {
  std::string out;
  append_comparable(type, v, desc, &out);
  return out;
}

// Random serialized values of a type, biased towards edge cases (empty values, zero bytes,
// sign boundaries, NaN and infinities, v1 UUIDs, nulls in tuples).
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string value(const CqlType& type) {
    if (chance(12) && allows_empty(type)) return "";
    switch (type.kind) {
      case TypeKind::kTinyint:
        return bytes(1);
      case TypeKind::kSmallint:
        return bytes(2);
      case TypeKind::kInt:
      case TypeKind::kDate:
        return bytes(4);
      case TypeKind::kBigint:
      case TypeKind::kTimestamp:
      case TypeKind::kTime:
        return bytes(8);
      case TypeKind::kBoolean:
        return std::string(1, static_cast<char>(uniform(2)));
      case TypeKind::kFloat:
        return floating(4);
      case TypeKind::kDouble:
        return floating(8);
      case TypeKind::kUuid:
        return uuid(chance(2) ? 1 : static_cast<int>(uniform(16)));
      case TypeKind::kTimeuuid:
        return uuid(1);
      case TypeKind::kVarint:
        return minimal_varint(bytes(1 + uniform(12)));
      case TypeKind::kDecimal:
        return encode_int32(static_cast<int32_t>(uniform(21)) - 10) +
               minimal_varint(bytes(1 + uniform(4)));
      case TypeKind::kInet:
        return bytes(chance(2) ? 4 : 16);
      case TypeKind::kList:
      case TypeKind::kSet:
        return collection(type);
      case TypeKind::kMap:
        return map(type);
      case TypeKind::kTuple:
      case TypeKind::kUdt:
        return tuple(type);
      default:
        return text();
    }
  }

 private:
  static bool allows_empty(const CqlType& t) {
    return t.kind != TypeKind::kTinyint && t.kind != TypeKind::kSmallint &&
           t.kind != TypeKind::kDate && t.kind != TypeKind::kTime;
  }
  uint32_t uniform(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng_); }
  bool chance(uint32_t one_in) { return uniform(one_in) == 0; }
  std::string bytes(size_t n) {
    static const uint8_t kEdges[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
    std::string out;
    for (size_t i = 0; i < n; ++i)
      out.push_back(static_cast<char>(chance(2) ? kEdges[uniform(6)] : uniform(256)));
    return out;
  }
  std::string text() {
    static const char kAlphabet[] = {'\0', '\x01', 'a', 'b', '\x7f', '\x80', '\xfe', '\xff'};
    std::string out;
    for (size_t n = uniform(6); n > 0; --n) out.push_back(kAlphabet[uniform(8)]);
    return out;
  }
  std::string floating(size_t n) {
    if (chance(4)) {
      static const char* kFloats[] = {"7fc00000", "7f800000", "ff800000",
                                      "00000000", "80000000", "3f800000"};
      static const char* kDoubles[] = {"7ff8000000000000", "7ff0000000000000", "fff0000000000000",
                                       "0000000000000000", "8000000000000000", "3ff0000000000000"};
      std::string hex = n == 4 ? kFloats[uniform(6)] : kDoubles[uniform(6)];
      std::string out;
      for (size_t i = 0; i < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
      return out;
    }
    for (;;) {
      std::string b = bytes(n);
      bool nan = n == 4 ? std::isnan(std::bit_cast<float>(static_cast<uint32_t>(decode_int32(b))))
                        : std::isnan(std::bit_cast<double>(decode_int64(b)));
      if (!nan) return b;
    }
  }
  std::string uuid(int version) {
    std::string b = bytes(16);
    b[6] = static_cast<char>((version << 4) | (static_cast<uint8_t>(b[6]) & 0x0F));
    return b;
  }
  std::string collection(const CqlType& t) {
    std::vector<std::string> elements;
    for (size_t n = uniform(4); n > 0; --n) elements.push_back(value(*t.params[0]));
    if (t.kind == TypeKind::kSet) {
      std::sort(elements.begin(), elements.end(), [&](const auto& a, const auto& b) {
        return compare_values(*t.params[0], a, b) < 0;
      });
      elements.erase(std::unique(elements.begin(), elements.end(),
                                 [&](const auto& a, const auto& b) {
                                   return compare_values(*t.params[0], a, b) == 0;
                                 }),
                     elements.end());
    }
    return serialize_collection(elements);
  }
  std::string map(const CqlType& t) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (size_t n = uniform(4); n > 0; --n)
      entries.emplace_back(value(*t.params[0]), value(*t.params[1]));
    std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
      return compare_values(*t.params[0], a.first, b.first) < 0;
    });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [&](const auto& a, const auto& b) {
                                return compare_values(*t.params[0], a.first, b.first) == 0;
                              }),
                  entries.end());
    return serialize_map(entries);
  }
  std::string tuple(const CqlType& t) {
    std::vector<Value> fields;
    for (const auto& p : t.params)
      fields.push_back(chance(4) ? Value::null() : Value::of(value(*p)));
    return serialize_tuple(fields);
  }

  std::mt19937 rng_;
};

std::vector<TypePtr> KeyTypes() {
  std::vector<TypePtr> types;
  for (const char* n :
       {"tinyint", "smallint", "int", "bigint", "timestamp", "time", "date", "boolean", "float",
        "double", "uuid", "timeuuid", "varint", "decimal", "inet", "text", "ascii", "blob"}) {
    types.push_back(T(n));
  }
  types.push_back(list_type(T("int"), true));
  types.push_back(set_type(T("text"), true));
  types.push_back(map_type(T("int"), T("blob"), true));
  types.push_back(tuple_type({T("int"), T("text"), T("varint")}));
  types.push_back(udt_type("ks", "u", {"a", "b"}, {T("timeuuid"), T("double")}, true));
  types.push_back(list_type(tuple_type({T("decimal"), set_type(T("bigint"), true)}), true));
  return types;
}

// Decoding gives back the value or, for numbers with several encodings (1.0 and 1.00,
// redundant varint sign bytes), an equal one that encodes identically.
TEST(ComparableTest, RoundTripsBothDirections) {
  Generator gen(7);
  for (const auto& type : KeyTypes()) {
    for (int i = 0; i < 300; ++i) {
      std::string v = gen.value(*type);
      for (bool desc : {false, true}) {
        std::string enc = Encode(*type, v, desc);
        std::string_view in = enc;
        std::string back = read_comparable(*type, desc, &in);
        EXPECT_TRUE(in.empty()) << type_to_cql(*type);
        EXPECT_EQ(compare_values(*type, v, back), 0) << type_to_cql(*type);
        if (type->kind != TypeKind::kDecimal && type->kind != TypeKind::kList) {
          EXPECT_EQ(back, v) << type_to_cql(*type);
        }
        EXPECT_EQ(Encode(*type, back, desc), enc) << type_to_cql(*type);
      }
    }
  }
}

// Scales at both ends of int32's range: the normalized form must not need a scale beyond it.
TEST(ComparableTest, DecimalsAtTheEndsOfTheScaleRangeKeepTheirValue) {
  const std::string unscaled_ten = std::string(1, '\x0a');
  for (int32_t scale : {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), -1, 0, 1}) {
    std::string v = encode_int32(scale) + unscaled_ten;
    for (bool desc : {false, true}) {
      std::string enc = Encode(*T("decimal"), v, desc);
      std::string_view in = enc;
      std::string back = read_comparable(*T("decimal"), desc, &in);
      EXPECT_EQ(compare_values(*T("decimal"), v, back), 0) << scale << " -> " << decimal_to_string(back);
    }
  }
}

TEST(ComparableTest, InexactEncodingsAreReported) {
  EXPECT_FALSE(comparable_is_exact(*T("decimal")));
  EXPECT_FALSE(comparable_is_exact(*T("varint")));
  EXPECT_FALSE(comparable_is_exact(*list_type(tuple_type({T("int"), T("decimal")}), true)));
  EXPECT_TRUE(comparable_is_exact(*T("text")));
  EXPECT_TRUE(comparable_is_exact(*map_type(T("int"), T("double"), true)));
}

TEST(ComparableTest, ByteOrderIsValueOrder) {
  Generator gen(11);
  for (const auto& type : KeyTypes()) {
    std::vector<std::string> values;
    for (int i = 0; i < 120; ++i) values.push_back(gen.value(*type));
    for (const auto& a : values) {
      std::string ea = Encode(*type, a), da = Encode(*type, a, true);
      for (const auto& b : values) {
        int expected = Sign(compare_values(*type, a, b));
        std::string eb = Encode(*type, b), db = Encode(*type, b, true);
        ASSERT_EQ(Sign(ea.compare(eb)), expected) << type_to_cql(*type);
        ASSERT_EQ(Sign(da.compare(db)), -expected) << type_to_cql(*type);
        // Prefix-free: storage appends its own bytes right after an encoding.
        if (ea != eb) {
          ASSERT_FALSE(eb.starts_with(ea)) << type_to_cql(*type);
        }
        if (da != db) {
          ASSERT_FALSE(db.starts_with(da)) << type_to_cql(*type);
        }
      }
    }
  }
}

TEST(ComparableTest, MultiComponentKeys) {
  Generator gen(3);
  auto first = T("text");
  auto second = T("int");
  auto third = tuple_type({T("uuid"), T("blob")});
  struct Key {
    std::string a, b, c;
  };
  std::vector<Key> keys;
  for (int i = 0; i < 300; ++i)
    keys.push_back({gen.value(*first), gen.value(*second), gen.value(*third)});
  auto encode = [&](const Key& k) {
    std::string out;
    append_comparable(*first, k.a, false, &out);
    append_comparable(*second, k.b, true, &out);
    append_comparable(*third, k.c, false, &out);
    return out;
  };
  for (const auto& x : keys) {
    std::string ex = encode(x);
    std::string_view in = ex;
    EXPECT_EQ(read_comparable(*first, false, &in), x.a);
    EXPECT_EQ(read_comparable(*second, true, &in), x.b);
    EXPECT_EQ(read_comparable(*third, false, &in), x.c);
    EXPECT_TRUE(in.empty());
    for (const auto& y : keys) {
      int c = compare_values(*first, x.a, y.a);
      if (c == 0) c = -compare_values(*second, x.b, y.b);
      if (c == 0) c = compare_values(*third, x.c, y.c);
      ASSERT_EQ(Sign(ex.compare(encode(y))), Sign(c));
    }
  }
}

TEST(ComparableTest, EmptySortsFirstAscendingAndLastDescending) {
  auto type = T("int");
  EXPECT_LT(Encode(*type, ""), Encode(*type, encode_int32(INT32_MIN)));
  EXPECT_GT(Encode(*type, "", true), Encode(*type, encode_int32(INT32_MIN), true));
}

TEST(ComparableTest, CorruptInputThrows) {
  std::string_view in = "\x40\x80";
  EXPECT_THROW((void)read_comparable(*T("int"), false, &in), std::runtime_error);
  std::string_view text =
      "\x40"
      "ab";
  EXPECT_THROW((void)read_comparable(*T("text"), false, &text), std::runtime_error);
}

}  // namespace
}  // namespace cqld

namespace cqld {
namespace {

// Arbitrary bytes (as a malicious client or a corrupt key could give) may be rejected with an
// exception, never crash: validation, ordering, formatting, encoding and decoding.
TEST(RobustnessTest, ArbitraryBytes) {
  std::mt19937 rng(5);
  auto types = KeyTypes();
  types.push_back(T("duration"));
  types.push_back(map_type(T("text"), list_type(T("int"), false), false));
  for (int i = 0; i < 20000; ++i) {
    const CqlType& type = *types[rng() % types.size()];
    std::string a, b;
    for (size_t n = rng() % 24; n > 0; --n) a.push_back(static_cast<char>(rng()));
    for (size_t n = rng() % 24; n > 0; --n) b.push_back(static_cast<char>(rng()));
    try {
      validate_value(type, a);
    } catch (const std::exception&) {
    }
    try {
      (void)compare_values(type, a, b);
    } catch (const std::exception&) {
    }
    try {
      (void)value_to_cql_literal(type, a);
    } catch (const std::exception&) {
    }
    try {
      std::string enc;
      append_comparable(type, a, rng() % 2 == 0, &enc);
    } catch (const std::exception&) {
    }
    try {
      std::string_view in = a;
      (void)read_comparable(type, rng() % 2 == 0, &in);
    } catch (const std::exception&) {
    }
  }
}

}  // namespace
}  // namespace cqld
