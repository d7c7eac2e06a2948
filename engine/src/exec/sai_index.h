// Storage-attached indexes (Cassandra 5.0's SAI): which index classes name one, the options it
// understands, which relations it answers, how it analyzes text, and the vector similarity it
// ranks ANN queries by. An SAI is an IndexDef with custom = true whose class_name is one of SAI's
// names, kept as the user wrote it (system_schema.indexes reports it so).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cql/ast.h"
#include "schema/schema.h"

namespace cqld {

// Whether a USING class names SAI: 'sai' in any case, 'StorageAttachedIndex', or its full class.
bool is_sai_class(const std::string& class_name);
bool is_sai(const IndexDef& index);

// Checks an SAI's options against its column, with Cassandra's errors: unknown options
// (ConfigurationError), boolean analyzer options, analyzers on non-text columns, vector
// options on non-vector columns, vector indexes on vectors of non-float elements, unknown
// similarity functions. Also refuses the targets SAI cannot index (durations, several columns).
void validate_sai(const ColumnDef& column, const std::map<std::string, std::string>& options);
void check_sai_targets(const std::vector<ast::IndexTarget>& targets);

// Whether SAI answers "op" on a value of "type" (EQ on anything indexable; ranges on numbers,
// dates and times; CONTAINS/CONTAINS KEY on collections).
bool sai_supports_range(const CqlType& type);

// The text an analyzed index compares: NFC-normalized, ASCII-folded and/or lower-cased as its
// options say (case_sensitive: false, normalize: true, ascii: true). Composition, folding and
// case cover ASCII and the Latin-1 letters (U+00C0..U+00FF); other characters pass unchanged.
struct TextAnalyzer {
  bool case_insensitive = false;
  bool normalize = false;
  bool ascii = false;
  bool analyzes() const { return case_insensitive || normalize || ascii; }
  std::string apply(std::string_view utf8) const;
};
TextAnalyzer text_analyzer(const IndexDef& index);

// The SAI on "column" with an analyzer, if any: EQ on such a column compares analyzed text.
const IndexDef* analyzed_index_for(const TableDef& table, const std::string& column);

// ---- vector indexes ----

enum class Similarity : uint8_t { kCosine, kEuclidean, kDotProduct };

// The vector SAI on "column" (an SAI on a vector column), or nullptr.
const IndexDef* vector_index_for(const TableDef& table, const std::string& column);
Similarity similarity_of(const IndexDef& index);

// A vector<float, n> value's elements.
std::vector<float> vector_floats(std::string_view bytes);

// The score ANN ranks by, higher is nearer, as Cassandra's similarity_* functions compute it
// (in float): (1 + cos) / 2, 1 / (1 + squared distance), (1 + dot) / 2. Cosine of an all-zero
// vector has no score (std::nullopt).
std::optional<float> similarity_score(Similarity similarity, const std::vector<float>& a, const std::vector<float>& b);

// A write of "vector" into "column" that its index cannot take (an all-zero vector under cosine
// similarity) fails as Cassandra's replica fails it: WriteFailure, nothing written.
void check_indexable_vector(const TableDef& table, const ColumnDef& column, std::string_view vector);

}  // namespace cqld
