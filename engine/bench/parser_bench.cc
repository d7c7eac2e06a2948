// Parsing cost of the statements on the unprepared hot path: cqlengine sends every statement as
// text with its values inlined.
#include <benchmark/benchmark.h>

#include "cql/parser.h"

namespace cqld {
namespace {

constexpr std::string_view kCqlengineInsert =
    "INSERT INTO app.users (\"user_id\", \"email\", \"name\", \"age\", \"created\", \"tags\", "
    "\"scores\", \"prefs\", \"addr\", \"pair\", \"active\", \"balance\") VALUES "
    "(11111111-2222-3333-4444-555555555555, 'a@b.c', 'O''Brien', 30, 1704164645000, {'x', 'y'}, "
    "[1, 2], {'k': 'v'}, { street : 'Main' , zipcode : 12345 }, (1, 'a'), True, 12.5)";

constexpr std::string_view kPointSelect =
    "SELECT \"name\", \"age\" FROM app.users WHERE \"user_id\" = "
    "11111111-2222-3333-4444-555555555555 LIMIT 10000";

constexpr std::string_view kPreparedUpdate =
    "UPDATE app.users USING TTL ? SET \"name\" = ?, \"tags\" = \"tags\" + ? WHERE \"user_id\" = ?";

void parse(benchmark::State& state, std::string_view text) {
  for (auto _ : state) {
    auto statement = parse_statement(text);
    benchmark::DoNotOptimize(statement);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_ParseCqlengineInsert(benchmark::State& state) {
  parse(state, kCqlengineInsert);
}
void BM_ParsePointSelect(benchmark::State& state) {
  parse(state, kPointSelect);
}
void BM_ParsePreparedUpdate(benchmark::State& state) {
  parse(state, kPreparedUpdate);
}

BENCHMARK(BM_ParseCqlengineInsert);
BENCHMARK(BM_ParsePointSelect);
BENCHMARK(BM_ParsePreparedUpdate);

}  // namespace
}  // namespace cqld
