// The masking functions of Cassandra 5.0's dynamic data masking (MaskingFcts), typed at the
// call by the masked value: mask_null (no value), mask_default (a fixed value of the type:
// '****', 0, false, the epoch, empty collections, tuples and vectors of defaults), mask_replace
// (a replacement of the value's type), mask_inner and mask_outer (text and ascii with inner or
// outer characters replaced by a padding character, '*' by default) and mask_hash (a digest of
// the value's bytes, SHA-256 unless another algorithm is named).
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "common/errors.h"
#include "functions/registry.h"
#include "types/duration.h"
#include "types/value.h"
#include "types/vector.h"

namespace cqld {
namespace {

constexpr char kDefaultPadding = '*';
constexpr const char* kMaskedText = "****";
constexpr uint32_t kEpochDay = 1u << 31;

std::string masked_value(const CqlType& t);

std::string masked_fields(const CqlType& t) {
  std::vector<Value> fields;
  for (const TypePtr& field : t.params) fields.push_back(Value::of(masked_value(*field)));
  return serialize_tuple(fields);
}

// AbstractType.getMaskedValue: what mask_default answers for a value of "t".
std::string masked_value(const CqlType& t) {
  switch (t.kind) {
    case TypeKind::kAscii:
    case TypeKind::kVarchar: return kMaskedText;
    case TypeKind::kBoolean:
    case TypeKind::kTinyint:
    case TypeKind::kVarint: return std::string(1, '\0');
    case TypeKind::kSmallint: return std::string(2, '\0');
    case TypeKind::kInt:
    case TypeKind::kFloat:
    case TypeKind::kInet: return std::string(4, '\0');
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kDouble:
    case TypeKind::kTimestamp:
    case TypeKind::kTime: return std::string(8, '\0');
    case TypeKind::kDecimal: return std::string(5, '\0');
    case TypeKind::kDate: return encode_int32(static_cast<int32_t>(kEpochDay));
    case TypeKind::kUuid: return std::string(16, '\0');
    case TypeKind::kTimeuuid: {
      std::string u(16, '\0');
      u[6] = 0x10;  // version 1 at time 0
      return u;
    }
    case TypeKind::kDuration: return serialize_duration(Duration{});
    case TypeKind::kList:
    case TypeKind::kSet: return serialize_collection({});
    case TypeKind::kMap: return serialize_map({});
    case TypeKind::kTuple:
    case TypeKind::kUdt: return masked_fields(t);
    case TypeKind::kVector:
      return serialize_vector(t, std::vector<std::string>(static_cast<size_t>(t.dimension), masked_value(*t.params[0])));
    default: return "";
  }
}

std::shared_ptr<NativeFunction> concrete(const std::string& name, std::vector<TypePtr> arguments, TypePtr returns) {
  auto f = std::make_shared<NativeFunction>();
  f->name = name;
  f->arguments = std::move(arguments);
  f->returns = std::move(returns);
  return f;
}

// The masked value's type: a constant's preferred one (an all-ASCII string is ascii, as the
// masking functions type their literal arguments).
TypePtr value_type(const std::vector<TypePtr>& types, const std::vector<TypePtr>& preferred,
                   const std::vector<std::string>& texts) {
  if (types.at(0)) return types[0];
  TypePtr p = preferred.size() > 0 ? preferred[0] : nullptr;
  if (p && p->kind == TypeKind::kVarchar && !texts.empty()) {
    bool ascii = true;
    for (char c : texts[0]) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) return primitive_type(TypeKind::kAscii);
  }
  if (!p) throw InvalidRequest("Cannot infer type of argument " + (texts.empty() ? std::string("?") : texts[0]) +
                               " in call to masking function");
  return p;
}

void check_arity(const std::string& name, const std::string& shape, size_t given, size_t least, size_t most) {
  if (given < least || given > most)
    throw InvalidRequest("Invalid number of arguments for function system." + name + "(" + shape + ")");
}

using Factory = std::function<std::shared_ptr<const NativeFunction>(const std::vector<TypePtr>&, const std::vector<TypePtr>&,
                                                                    const std::vector<std::string>&)>;

void declare(FunctionRegistry& r, const std::string& name, Factory make) {
  NativeFunction f;
  f.name = name;
  f.specialize = [make](const std::vector<TypePtr>& types, const std::vector<TypePtr>& preferred,
                        const std::vector<std::string>& texts) { return make(types, preferred, texts); };
  r.add(std::move(f));
}

// ---- mask_inner and mask_outer ----

// Code points of UTF-8 text (ascii is a subset).
std::vector<std::string> characters(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    size_t n = 1;
    auto lead = static_cast<unsigned char>(text[i]);
    if (lead >= 0xF0) n = 4;
    else if (lead >= 0xE0) n = 3;
    else if (lead >= 0xC0) n = 2;
    out.push_back(text.substr(i, n));
    i += n;
  }
  return out;
}

int32_t length_argument(const Value& v) {
  if (!v.is_set() || v.bytes.size() != 4) return 0;
  return std::max(0, decode_int32(v.bytes));
}

std::string padding_argument(const std::string& name, const std::vector<Value>& args) {
  if (args.size() < 4 || !args[3].is_set()) return std::string(1, kDefaultPadding);
  std::vector<std::string> chars = characters(args[3].bytes);
  if (chars.size() != 1)
    throw InvalidRequest("The padding argument for function system." + name + " should be single-character, but '" +
                         args[3].bytes + "' has " + std::to_string(chars.size()) + " characters.");
  return chars[0];
}

// Replaces the characters inside (inner) or outside (outer) the first "begin" and last "end".
Value mask_partial(const std::string& name, bool inner, const std::vector<Value>& args) {
  if (!args[0].is_set()) return Value::null();
  std::string padding = padding_argument(name, args);
  std::vector<std::string> chars = characters(args[0].bytes);
  auto n = static_cast<int64_t>(chars.size());
  int64_t begin = std::min<int64_t>(length_argument(args[1]), n), end = std::min<int64_t>(length_argument(args[2]), n);
  std::string out;
  for (int64_t i = 0; i < n; ++i) {
    bool in_outer_part = i < begin || i >= n - end;
    out += in_outer_part == inner ? chars[static_cast<size_t>(i)] : padding;
  }
  return Value::of(out);
}

void declare_partial(FunctionRegistry& r, const std::string& name, bool inner) {
  declare(r, name, [name, inner](const std::vector<TypePtr>& types, const std::vector<TypePtr>& preferred,
                                 const std::vector<std::string>& texts) {
    check_arity(name, "[text|varchar|ascii], int, int, [text]", types.size(), 3, 4);
    TypePtr type = value_type(types, preferred, texts);
    if (type->kind != TypeKind::kVarchar && type->kind != TypeKind::kAscii)
      throw InvalidRequest("Function system." + name + " requires an argument of type [text|varchar|ascii], but found argument " +
                           texts.at(0) + " of type " + type_to_cql(*type));
    std::vector<TypePtr> arguments{type, primitive_type(TypeKind::kInt), primitive_type(TypeKind::kInt)};
    if (types.size() == 4) arguments.push_back(primitive_type(TypeKind::kVarchar));
    auto f = concrete(name, arguments, type);
    f->called_on_null_input = true;  // a null length counts as 0
    f->scalar = [name, inner](const std::vector<Value>& args, const FunctionContext&) {
      return mask_partial(name, inner, args);
    };
    return f;
  });
}

// ---- mask_hash ----

// Java's MessageDigest names and OpenSSL's.
const EVP_MD* digest_named(const std::string& algorithm) {
  static const std::map<std::string, std::string> kNames = {
      {"MD2", "MD2"},         {"MD5", "MD5"},         {"SHA", "SHA1"},        {"SHA-1", "SHA1"},
      {"SHA-224", "SHA224"},  {"SHA-256", "SHA256"},  {"SHA-384", "SHA384"},  {"SHA-512", "SHA512"},
      {"SHA-512/224", "SHA512-224"}, {"SHA-512/256", "SHA512-256"}, {"SHA3-224", "SHA3-224"},
      {"SHA3-256", "SHA3-256"}, {"SHA3-384", "SHA3-384"}, {"SHA3-512", "SHA3-512"}};
  std::string upper = algorithm;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));  // Java ignores case
  auto it = kNames.find(upper);
  const EVP_MD* md = it == kNames.end() ? nullptr : EVP_get_digestbyname(it->second.c_str());
  if (md == nullptr) throw InvalidRequest("Hash algorithm not found: " + algorithm);
  return md;
}

Value hash_of(const std::string& bytes, const EVP_MD* md) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, md, nullptr);
  return Value::of(std::string(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

void add_masking_functions(FunctionRegistry& r) {
  declare(r, "mask_null", [](const std::vector<TypePtr>& types, const std::vector<TypePtr>& preferred,
                             const std::vector<std::string>& texts) {
    check_arity("mask_null", "any", types.size(), 1, 1);
    TypePtr type = value_type(types, preferred, texts);
    auto f = concrete("mask_null", {type}, type);
    f->scalar = [](const std::vector<Value>&, const FunctionContext&) { return Value::null(); };
    return f;
  });
  declare(r, "mask_default", [](const std::vector<TypePtr>& types, const std::vector<TypePtr>& preferred,
                                const std::vector<std::string>& texts) {
    check_arity("mask_default", "any", types.size(), 1, 1);
    TypePtr type = value_type(types, preferred, texts);
    auto f = concrete("mask_default", {type}, type);
    std::string masked = masked_value(*type);
    f->scalar = [masked](const std::vector<Value>&, const FunctionContext&) { return Value::of(masked); };
    return f;
  });
  declare(r, "mask_replace", [](const std::vector<TypePtr>& types, const std::vector<TypePtr>& preferred,
                                const std::vector<std::string>& texts) {
    check_arity("mask_replace", "any, any", types.size(), 2, 2);
    TypePtr type = value_type(types, preferred, texts);
    auto f = concrete("mask_replace", {type, type}, type);
    f->scalar = [](const std::vector<Value>& args, const FunctionContext&) { return args[1]; };
    return f;
  });
  declare_partial(r, "mask_inner", true);
  declare_partial(r, "mask_outer", false);
  declare(r, "mask_hash", [](const std::vector<TypePtr>& types, const std::vector<TypePtr>& preferred,
                             const std::vector<std::string>& texts) {
    check_arity("mask_hash", "any, [text]", types.size(), 1, 2);
    TypePtr type = value_type(types, preferred, texts);
    std::vector<TypePtr> arguments{type};
    if (types.size() == 2) arguments.push_back(primitive_type(TypeKind::kVarchar));
    auto f = concrete("mask_hash", arguments, primitive_type(TypeKind::kBlob));
    // A constant algorithm is checked once, when the statement is prepared.
    std::string algorithm = texts.size() == 2 && texts[1].size() >= 2 && texts[1].front() == '\''
                                ? texts[1].substr(1, texts[1].size() - 2)
                                : "SHA-256";
    const EVP_MD* fixed = digest_named(algorithm);
    f->scalar = [fixed](const std::vector<Value>& args, const FunctionContext&) {
      const EVP_MD* md = args.size() == 2 ? digest_named(args[1].bytes) : fixed;
      return hash_of(args[0].bytes, md);
    };
    return f;
  });
}

}  // namespace cqld
