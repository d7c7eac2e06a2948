// The vector similarity functions of Cassandra 5.0 (VectorFcts): similarity_cosine,
// similarity_euclidean and similarity_dot_product of two vector<float, n> of the same n, each a
// float in [0, 1] as the vector index scores them: (1 + cos) / 2, 1 / (1 + squared distance) and
// (1 + dot) / 2. Their arguments are typed at the call (selection.cc), since n is any dimension.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/errors.h"
#include "functions/registry.h"
#include "types/value.h"

namespace cqld {
namespace {

std::vector<float> floats(const std::string& bytes) {
  std::vector<float> out(bytes.size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = std::bit_cast<float>(static_cast<uint32_t>(decode_int32(std::string_view(bytes).substr(4 * i, 4))));
  }
  return out;
}

Value float_value(float f) { return Value::of(encode_int32(std::bit_cast<int32_t>(f))); }

// Sums in float, as Cassandra's (Lucene's) implementations do, so results match to the last bit.
Value cosine(const std::vector<Value>& args, const FunctionContext&) {
  auto a = floats(args[0].bytes), b = floats(args[1].bytes);
  float dot = 0, norm_a = 0, norm_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    norm_a += a[i] * a[i];
    norm_b += b[i] * b[i];
  }
  if (norm_a == 0 || norm_b == 0) throw InvalidRequest("Function system.similarity_cosine doesn't support all-zero vectors.");
  auto cos = static_cast<float>(dot / std::sqrt(static_cast<double>(norm_a) * static_cast<double>(norm_b)));
  return float_value((1 + cos) / 2);
}

Value euclidean(const std::vector<Value>& args, const FunctionContext&) {
  auto a = floats(args[0].bytes), b = floats(args[1].bytes);
  float squared = 0;
  for (size_t i = 0; i < a.size(); ++i) squared += (a[i] - b[i]) * (a[i] - b[i]);
  return float_value(1 / (1 + squared));
}

Value dot_product(const std::vector<Value>& args, const FunctionContext&) {
  auto a = floats(args[0].bytes), b = floats(args[1].bytes);
  float dot = 0;
  for (size_t i = 0; i < a.size(); ++i) dot += a[i] * b[i];
  return float_value((1 + dot) / 2);
}

}  // namespace

bool is_vector_similarity_function(const std::string& name) {
  return name == "similarity_cosine" || name == "similarity_euclidean" || name == "similarity_dot_product";
}

void add_vector_functions(FunctionRegistry& r) {
  auto add = [&r](const char* name, NativeFunction::Scalar scalar) {
    NativeFunction f;
    f.name = name;
    f.arguments = {nullptr, nullptr};  // vector<float, n> for any n: checked where called
    f.returns = primitive_type(TypeKind::kFloat);
    f.scalar = std::move(scalar);
    r.add(std::move(f));
  };
  add("similarity_cosine", &cosine);
  add("similarity_euclidean", &euclidean);
  add("similarity_dot_product", &dot_product);
}

}  // namespace cqld
