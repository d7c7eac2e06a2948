#include "exec/terms.h"
#include "common/text.h"

#include <atomic>
#include <chrono>
#include <random>

#include "common/errors.h"
#include "exec/cast.h"
#include "types/literal.h"
#include "types/timeuuid.h"
#include "types/token.h"

namespace cqld {

BoundTerm BoundTerm::constant(Value v) {
  BoundTerm t;
  t.kind_ = Kind::kConstant;
  t.constant_ = std::move(v);
  return t;
}

BoundTerm BoundTerm::marker(int index) {
  BoundTerm t;
  t.kind_ = Kind::kMarker;
  t.marker_ = index;
  return t;
}

BoundTerm BoundTerm::computed(std::function<Value(const Bindings&)> fn) {
  BoundTerm t;
  t.kind_ = Kind::kComputed;
  t.fn_ = std::move(fn);
  return t;
}

Value BoundTerm::evaluate(const Bindings& b) const {
  switch (kind_) {
    case Kind::kConstant: return constant_;
    case Kind::kMarker:
      if (b.values == nullptr || static_cast<size_t>(marker_) >= b.values->size())
        throw InvalidRequest("There were " + std::to_string(b.values ? b.values->size() : 0) +
                             " markers(?) in CQL but " + std::to_string(marker_ + 1) + " bound variables");
      return (*b.values)[static_cast<size_t>(marker_)];
    case Kind::kComputed: return fn_(b);
  }
  return Value::null();
}

void BindContext::declare(int index, const std::string& name, TypePtr type) {
  if (markers.size() <= static_cast<size_t>(index)) markers.resize(static_cast<size_t>(index) + 1);
  std::string reported = name;
  if (static_cast<size_t>(index) < marker_names.size() && !marker_names[index].empty())
    reported = marker_names[index];
  markers[static_cast<size_t>(index)] = ColumnSpec{keyspace, table, reported, std::move(type)};
}

int64_t current_time_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

uint64_t node_bits() {
  static const uint64_t bits = [] {
    std::random_device rd;
    uint64_t r = (static_cast<uint64_t>(rd()) << 32) | rd();
    return (r & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  }();
  return bits;
}

int64_t timestamp_millis(const Value& v) {
  if (!v.is_set() || v.bytes.size() != 8) throw InvalidRequest("Invalid timestamp argument");
  return decode_int64(v.bytes);
}

bool all_constant(const ast::Term& t) {
  if (t.kind == ast::Term::Kind::kLiteral) return true;
  if (t.kind == ast::Term::Kind::kBindMarker || t.kind == ast::Term::Kind::kFunctionCall ||
      t.kind == ast::Term::Kind::kArithmetic || t.kind == ast::Term::Kind::kNegate || t.kind == ast::Term::Kind::kTypeHint)
    return false;
  for (const auto& c : t.children)
    if (!all_constant(c)) return false;
  return true;
}

Literal to_literal(const ast::Term& t) {
  if (t.kind == ast::Term::Kind::kLiteral) return t.literal;
  Literal l;
  switch (t.kind) {
    case ast::Term::Kind::kList: l.kind = Literal::Kind::kList; break;
    case ast::Term::Kind::kSet: l.kind = Literal::Kind::kSet; break;
    case ast::Term::Kind::kMap: l.kind = Literal::Kind::kMap; break;
    case ast::Term::Kind::kTuple: l.kind = Literal::Kind::kTuple; break;
    case ast::Term::Kind::kUdt: l.kind = Literal::Kind::kUdt; break;
    default: break;
  }
  l.field_names = t.field_names;
  for (const auto& c : t.children) l.elements.push_back(to_literal(c));
  return l;
}

BoundTerm bind_function(const ast::Term& term, const TypePtr& type, const std::string& receiver, BindContext& ctx) {
  std::string name = ascii_lower(term.function.name);
  auto arg = [&](size_t i, TypeKind kind) {
    if (term.children.size() <= i) throw InvalidRequest("Invalid number of arguments in call to function " + name);
    return bind_term(term.children[i], primitive_type(kind), receiver, ctx);
  };
  if (name == "now" || name == "currenttimeuuid") {
    return BoundTerm::computed([](const Bindings&) {
      static std::atomic<int64_t> last{0};
      int64_t ticks = current_time_micros() * 10 + kUuidEpochOffset;
      int64_t prev = last.load();
      while (true) {
        int64_t next = ticks > prev ? ticks : prev + 1;
        if (last.compare_exchange_weak(prev, next)) {
          ticks = next;
          break;
        }
      }
      return Value::of(make_timeuuid_bytes(ticks, node_bits()));
    });
  }
  if (name == "token") {
    // token(k1, k2, ...) as a value: the Murmur3 token of the partition key those values form.
    const TableDef* t = ctx.table_def;
    if (t == nullptr || term.children.size() != t->partition_key.size())
      throw InvalidRequest("Invalid number of arguments in call to function token: " +
                           std::to_string(t ? t->partition_key.size() : 0) + " required but " +
                           std::to_string(term.children.size()) + " provided");
    std::vector<BoundTerm> parts;
    std::vector<TypePtr> types;
    for (size_t i = 0; i < term.children.size(); ++i) {
      const ColumnDef& c = t->columns[t->partition_key[i]];
      parts.push_back(bind_term(term.children[i], c.type, c.name, ctx));
      types.push_back(c.type);
    }
    return BoundTerm::computed([parts, types](const Bindings& b) {
      std::vector<std::string> values;
      for (size_t i = 0; i < parts.size(); ++i) {
        Value v = parts[i].evaluate(b);
        if (!v.is_set()) throw InvalidRequest("Invalid null value for partition key part in token()");
        validate_value(*types[i], v.bytes);
        values.push_back(std::move(v.bytes));
      }
      std::vector<std::string_view> views(values.begin(), values.end());
      return Value::of(encode_int64(murmur3_token(serialize_partition_key(views))));
    });
  }
  // blobAsType(blob) and typeAsBlob(value): the same bytes, checked against the target type.
  if (name.size() > 6 && (name.rfind("blobas", 0) == 0 || name.compare(name.size() - 6, 6, "asblob") == 0)) {
    bool from_blob = name.rfind("blobas", 0) == 0;
    std::string type_name = from_blob ? name.substr(6) : name.substr(0, name.size() - 6);
    TypePtr named = primitive_type_by_name(type_name);
    if (!named || term.children.size() != 1) throw InvalidRequest("Unknown function '" + term.function.name + "'");
    TypePtr arg_type = from_blob ? primitive_type(TypeKind::kBlob) : named;
    BoundTerm arg = bind_term(term.children[0], arg_type, receiver, ctx);
    return BoundTerm::computed([arg, named, from_blob, name](const Bindings& b) {
      Value v = arg.evaluate(b);
      if (from_blob && v.is_set()) check_blob_conversion(name, *named, v.bytes);
      return v;
    });
  }
  if (name == "uuid") {
    return BoundTerm::computed([](const Bindings&) {
      static thread_local std::mt19937_64 rng{std::random_device{}()};
      std::string out(16, '\0');
      uint64_t a = rng(), b = rng();
      for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(a >> (8 * i));
      for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<char>(b >> (8 * i));
      out[6] = static_cast<char>((out[6] & 0x0F) | 0x40);
      out[8] = static_cast<char>((out[8] & 0x3F) | 0x80);
      return Value::of(out);
    });
  }
  if (name == "currenttimestamp") {
    return BoundTerm::computed([](const Bindings& b) { return Value::of(encode_int64(b.now_micros / 1000)); });
  }
  if (name == "currentdate") {
    return BoundTerm::computed([](const Bindings& b) {
      int64_t days = b.now_micros / 1000000 / 86400;
      return Value::of(encode_int32(static_cast<int32_t>(static_cast<uint32_t>(days + (int64_t{1} << 31)))));
    });
  }
  if (name == "currenttime") {
    return BoundTerm::computed([](const Bindings& b) {
      int64_t nanos = (b.now_micros % (86400LL * 1000000)) * 1000;
      return Value::of(encode_int64(nanos));
    });
  }
  if (name == "mintimeuuid" || name == "maxtimeuuid") {
    BoundTerm ts = arg(0, TypeKind::kTimestamp);
    bool min = name == "mintimeuuid";
    return BoundTerm::computed([ts, min](const Bindings& b) {
      int64_t ms = timestamp_millis(ts.evaluate(b));
      return Value::of(min ? min_timeuuid(ms) : max_timeuuid(ms));
    });
  }
  if (name == "totimestamp" || name == "tounixtimestamp") {
    // Only the now()-based forms are meaningful as write-side terms.
    if (!term.children.empty() && term.children[0].kind == ast::Term::Kind::kFunctionCall &&
        ascii_lower(term.children[0].function.name) == "now") {
      bool unix = name == "tounixtimestamp";
      return BoundTerm::computed([unix](const Bindings& b) {
        (void)unix;
        return Value::of(encode_int64(b.now_micros / 1000));
      });
    }
  }
  (void)type;
  throw InvalidRequest("Unknown function " + term.function.name + " called");
}

BoundTerm bind_collection(const ast::Term& term, const TypePtr& type, const std::string& receiver, BindContext& ctx) {
  std::vector<BoundTerm> children;
  bool is_map = term.kind == ast::Term::Kind::kMap;
  for (size_t i = 0; i < term.children.size(); ++i) {
    TypePtr child_type;
    if (type->kind == TypeKind::kMap) child_type = type->params.at(i % 2);
    else if (type->kind == TypeKind::kTuple || type->kind == TypeKind::kUdt) child_type = type->params.at(i);
    else if (!type->params.empty()) child_type = type->params[0];
    else throw InvalidRequest("Invalid collection literal for " + receiver + " of type " + type_to_cql(*type));
    children.push_back(bind_term(term.children[i], child_type, receiver, ctx));
  }
  bool tuple_like = type->kind == TypeKind::kTuple || type->kind == TypeKind::kUdt;
  return BoundTerm::computed([children, is_map, tuple_like](const Bindings& b) {
    if (tuple_like) {
      std::vector<Value> fields;
      for (const auto& c : children) fields.push_back(c.evaluate(b));
      return Value::of(serialize_tuple(fields));
    }
    if (is_map) {
      std::vector<std::pair<std::string, std::string>> entries;
      for (size_t i = 0; i + 1 < children.size(); i += 2)
        entries.emplace_back(children[i].evaluate(b).bytes, children[i + 1].evaluate(b).bytes);
      return Value::of(serialize_map(entries));
    }
    std::vector<std::string> elements;
    for (const auto& c : children) elements.push_back(c.evaluate(b).bytes);
    return Value::of(serialize_collection(elements));
  });
}

}  // namespace

BoundTerm bind_term(const ast::Term& term, const TypePtr& type, const std::string& receiver, BindContext& ctx) {
  switch (term.kind) {
    case ast::Term::Kind::kBindMarker:
      ctx.declare(term.bind_index, receiver, type);
      return BoundTerm::marker(term.bind_index);
    case ast::Term::Kind::kFunctionCall:
      return bind_function(term, type, receiver, ctx);
    case ast::Term::Kind::kTypeHint:
      return bind_term(term.children.at(0), type, receiver, ctx);
    case ast::Term::Kind::kArithmetic:
    case ast::Term::Kind::kNegate:
      throw InvalidRequest("Arithmetic operations are not supported in this context");
    default:
      break;
  }
  if (all_constant(term)) return BoundTerm::constant(literal_to_value(to_literal(term), *type, receiver));
  return bind_collection(term, type, receiver, ctx);
}

}  // namespace cqld
