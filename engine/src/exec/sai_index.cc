#include "exec/sai_index.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <set>

#include "common/errors.h"
#include "common/text.h"
#include "types/value.h"

namespace cqld {
namespace {

constexpr const char* kFullClassName = "org.apache.cassandra.index.sai.StorageAttachedIndex";

// What StorageAttachedIndex.validateOptions understands in Cassandra 5.0 (besides target and
// class_name): the analyzer's and the vector index's options.
const std::set<std::string>& known_options() {
  static const std::set<std::string> options = {
      "target",         "class_name",      "case_sensitive",     "normalize",
      "ascii",          "index_analyzer",  "query_analyzer",     "similarity_function",
      "optimize_for",   "maximum_node_connections", "construction_beam_width"};
  return options;
}

bool is_analyzer_option(const std::string& name) {
  return name == "case_sensitive" || name == "normalize" || name == "ascii" || name == "index_analyzer" ||
         name == "query_analyzer";
}

bool is_vector_option(const std::string& name) {
  return name == "similarity_function" || name == "optimize_for" || name == "maximum_node_connections" ||
         name == "construction_beam_width";
}

bool is_text(const CqlType& type) {
  return type.kind == TypeKind::kVarchar || type.kind == TypeKind::kAscii;
}

// The type an index on the column compares: a non-frozen collection's elements, else the column.
const CqlType& indexed_value_type(const CqlType& type) {
  if (type.is_collection() && !type.frozen) return *type.params.back();
  return type;
}

bool parse_boolean_option(const std::map<std::string, std::string>& options, const std::string& name) {
  auto it = options.find(name);
  if (it == options.end()) return false;
  std::string v = ascii_lower(it->second);
  if (v == "true") return true;
  if (v == "false") return false;
  throw InvalidRequest("Illegal value for boolean option '" + name + "': " + it->second);
}

std::string upper(std::string s) {
  for (char& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return s;
}

// ---- text analysis over Latin-1 letters (U+00C0..U+00FF) ----

constexpr char32_t kNoMark = 0;
struct Decomposition {
  char base;
  char32_t mark;
};

// Canonical decompositions of U+00C0..U+00FF (base letter and combining mark); kNoMark for the
// characters that have none (Æ, Ð, ×, Ø, Þ, ß and their lower-case forms).
constexpr Decomposition kLatin1[64] = {
    {'A', 0x300}, {'A', 0x301}, {'A', 0x302}, {'A', 0x303}, {'A', 0x308}, {'A', 0x30A}, {0, kNoMark}, {'C', 0x327},
    {'E', 0x300}, {'E', 0x301}, {'E', 0x302}, {'E', 0x308}, {'I', 0x300}, {'I', 0x301}, {'I', 0x302}, {'I', 0x308},
    {0, kNoMark}, {'N', 0x303}, {'O', 0x300}, {'O', 0x301}, {'O', 0x302}, {'O', 0x303}, {'O', 0x308}, {0, kNoMark},
    {0, kNoMark}, {'U', 0x300}, {'U', 0x301}, {'U', 0x302}, {'U', 0x308}, {'Y', 0x301}, {0, kNoMark}, {0, kNoMark},
    {'a', 0x300}, {'a', 0x301}, {'a', 0x302}, {'a', 0x303}, {'a', 0x308}, {'a', 0x30A}, {0, kNoMark}, {'c', 0x327},
    {'e', 0x300}, {'e', 0x301}, {'e', 0x302}, {'e', 0x308}, {'i', 0x300}, {'i', 0x301}, {'i', 0x302}, {'i', 0x308},
    {0, kNoMark}, {'n', 0x303}, {'o', 0x300}, {'o', 0x301}, {'o', 0x302}, {'o', 0x303}, {'o', 0x308}, {0, kNoMark},
    {0, kNoMark}, {'u', 0x300}, {'u', 0x301}, {'u', 0x302}, {'u', 0x308}, {'y', 0x301}, {0, kNoMark}, {'y', 0x308}};

// ASCII folding of the Latin-1 letters without a decomposition (Lucene's ASCIIFoldingFilter).
const char* ascii_fold_special(char32_t c) {
  switch (c) {
    case 0xC6: return "AE";
    case 0xD0: return "D";
    case 0xD8: return "O";
    case 0xDE: return "TH";
    case 0xDF: return "ss";
    case 0xE6: return "ae";
    case 0xF0: return "d";
    case 0xF8: return "o";
    case 0xFE: return "th";
    default: return nullptr;
  }
}

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_char_length(s, i);
    if (n == 0) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
    char32_t c = n == 1 ? b(0)
                 : n == 2 ? ((b(0) & 0x1F) << 6) | (b(1) & 0x3F)
                 : n == 3 ? ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F)
                          : ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    out.push_back(c);
    i += n;
  }
  return out;
}

std::string encode_utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// Canonical composition of a base letter and a combining mark into a Latin-1 letter, or 0.
char32_t compose(char32_t base, char32_t mark) {
  for (char32_t c = 0; c < 64; ++c)
    if (kLatin1[c].mark == mark && mark != kNoMark && static_cast<char32_t>(kLatin1[c].base) == base) return 0xC0 + c;
  return 0;
}

std::u32string nfc(const std::u32string& s) {
  std::u32string out;
  for (char32_t c : s) {
    if (!out.empty() && c >= 0x300 && c <= 0x36F) {
      if (char32_t composed = compose(out.back(), c)) {
        out.back() = composed;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

std::u32string fold_to_ascii(const std::u32string& s) {
  std::u32string out;
  for (char32_t c : s) {
    if (c >= 0x300 && c <= 0x36F) continue;  // a combining mark left by a decomposed letter
    if (c >= 0xC0 && c <= 0xFF) {
      if (kLatin1[c - 0xC0].mark != kNoMark) {
        out.push_back(static_cast<char32_t>(kLatin1[c - 0xC0].base));
        continue;
      }
      if (const char* folded = ascii_fold_special(c)) {
        for (const char* p = folded; *p; ++p) out.push_back(static_cast<char32_t>(*p));
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

char32_t to_lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  return c;
}

}  // namespace

bool is_sai_class(const std::string& class_name) {
  return ascii_lower(class_name) == "sai" || class_name == "StorageAttachedIndex" || class_name == kFullClassName;
}

bool is_sai(const IndexDef& index) {
  auto it = index.options.find("class_name");
  return index.custom && it != index.options.end() && is_sai_class(it->second);
}

void check_sai_targets(const std::vector<ast::IndexTarget>& targets) {
  if (targets.size() <= 1) return;
  std::string names;
  for (size_t i = 0; i < targets.size(); ++i) names += (i ? ", " : "") + targets[i].column;
  throw InvalidRequest("A storage-attached index cannot be created over multiple columns: " + names);
}

void validate_sai(const ColumnDef& column, const std::map<std::string, std::string>& options) {
  std::string unknown;
  for (const auto& [name, value] : options)
    if (!known_options().count(name)) unknown += (unknown.empty() ? "" : ", ") + name;
  if (!unknown.empty())
    throw ConfigurationError("Properties specified [" + unknown + "] are not understood by StorageAttachedIndex");
  const CqlType& type = *column.type;
  bool analyzed = false, vector_options = false;
  for (const auto& [name, value] : options) {
    analyzed = analyzed || is_analyzer_option(name);
    vector_options = vector_options || is_vector_option(name);
  }
  for (const char* name : {"case_sensitive", "normalize", "ascii"}) parse_boolean_option(options, name);
  if (analyzed && !is_text(indexed_value_type(type)))
    throw InvalidRequest("CQL type " + type_to_cql(type) + " cannot be analyzed.");
  if (type.kind != TypeKind::kVector) {
    if (vector_options) throw InvalidRequest("CQL type " + type_to_cql(type) + " cannot have vector options");
    return;
  }
  if (type.params.at(0)->kind != TypeKind::kFloat)
    throw InvalidRequest("SAI ANN indexes are only allowed on vector columns with float elements");
  auto it = options.find("similarity_function");
  if (it == options.end()) return;
  std::string name = upper(it->second);
  if (name != "COSINE" && name != "EUCLIDEAN" && name != "DOT_PRODUCT")
    throw InvalidRequest("Similarity function " + name +
                         " was not recognized for index null. Valid values are: EUCLIDEAN, DOT_PRODUCT, COSINE");
}

bool sai_supports_range(const CqlType& type) {
  switch (type.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kVarint:
    case TypeKind::kDecimal:
    case TypeKind::kFloat:
    case TypeKind::kDouble:
    case TypeKind::kCounter:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kInet:
      return true;
    default:
      return false;
  }
}

std::string TextAnalyzer::apply(std::string_view utf8) const {
  std::u32string s = decode_utf8(utf8);
  if (normalize || ascii) s = nfc(s);
  if (ascii) s = fold_to_ascii(s);
  if (case_insensitive)
    for (char32_t& c : s) c = to_lower(c);
  return encode_utf8(s);
}

TextAnalyzer text_analyzer(const IndexDef& index) {
  TextAnalyzer a;
  if (!is_sai(index)) return a;
  auto it = index.options.find("case_sensitive");
  a.case_insensitive = it != index.options.end() && ascii_lower(it->second) == "false";
  a.normalize = parse_boolean_option(index.options, "normalize");
  a.ascii = parse_boolean_option(index.options, "ascii");
  return a;
}

const IndexDef* analyzed_index_for(const TableDef& table, const std::string& column) {
  for (const auto& index : table.indexes)
    if (index.column == column && text_analyzer(index).analyzes()) return &index;
  return nullptr;
}

const IndexDef* vector_index_for(const TableDef& table, const std::string& column) {
  const ColumnDef* c = table.find_column(column);
  if (c == nullptr || c->type->kind != TypeKind::kVector) return nullptr;
  for (const auto& index : table.indexes)
    if (index.column == column && is_sai(index)) return &index;
  return nullptr;
}

Similarity similarity_of(const IndexDef& index) {
  auto it = index.options.find("similarity_function");
  if (it == index.options.end()) return Similarity::kCosine;
  std::string name = upper(it->second);
  if (name == "EUCLIDEAN") return Similarity::kEuclidean;
  if (name == "DOT_PRODUCT") return Similarity::kDotProduct;
  return Similarity::kCosine;
}

std::vector<float> vector_floats(std::string_view bytes) {
  std::vector<float> out(bytes.size() / 4);
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = std::bit_cast<float>(static_cast<uint32_t>(decode_int32(bytes.substr(4 * i, 4))));
  return out;
}

// Float sums, as Cassandra's (Lucene's) similarity functions do, so scores match to the bit.
std::optional<float> similarity_score(Similarity similarity, const std::vector<float>& a, const std::vector<float>& b) {
  float dot = 0, norm_a = 0, norm_b = 0, squared = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    dot += a[i] * b[i];
    norm_a += a[i] * a[i];
    norm_b += b[i] * b[i];
    squared += (a[i] - b[i]) * (a[i] - b[i]);
  }
  switch (similarity) {
    case Similarity::kCosine: {
      if (norm_a == 0 || norm_b == 0) return std::nullopt;
      auto cos = static_cast<float>(dot / std::sqrt(static_cast<double>(norm_a) * static_cast<double>(norm_b)));
      return (1 + cos) / 2;
    }
    case Similarity::kEuclidean: return 1 / (1 + squared);
    case Similarity::kDotProduct: return (1 + dot) / 2;
  }
  return std::nullopt;
}

void check_indexable_vector(const TableDef& table, const ColumnDef& column, std::string_view vector) {
  const IndexDef* index = vector_index_for(table, column.name);
  if (index == nullptr || similarity_of(*index) != Similarity::kCosine) return;
  std::vector<float> v = vector_floats(vector);
  if (similarity_score(Similarity::kCosine, v, v)) return;
  throw CqlError(ErrorCode::kWriteFailure, "Operation failed - received 0 responses and 1 failures: UNKNOWN from localhost");
}

}  // namespace cqld
