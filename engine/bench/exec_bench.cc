// End-to-end statement costs inside cqld, without the protocol (request_bench.cc has it): the
// cqlengine INSERT as text with inlined values, a point SELECT, and the same SELECT prepared;
// a write to a table with a secondary index and a prepared read of 10 rows through it.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "exec/database.h"

namespace cqld {
namespace {

class Fixture {
 public:
  Fixture() {
    DatabaseOptions options;
    options.in_memory = true;
    db = open_database(options);
    QueryOptions q;
    db->query(client, "CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}", q);
    db->query(client,
              "CREATE TABLE app.users (\"user_id\" uuid, \"email\" text, \"name\" text, \"age\" int, "
              "\"created\" timestamp, \"active\" boolean, \"balance\" decimal, PRIMARY KEY ((\"user_id\")))",
              q);
  }
  std::unique_ptr<QueryProcessor> db;
  ClientState client;
};

std::string uuid_for(int64_t i) {
  char buf[37];
  std::snprintf(buf, sizeof(buf), "11111111-2222-3333-4444-%012llx", static_cast<unsigned long long>(i));
  return buf;
}

std::string insert_text(int64_t i) {
  return "INSERT INTO app.users (\"user_id\", \"email\", \"name\", \"age\", \"created\", \"active\", \"balance\") "
         "VALUES (" + uuid_for(i) + ", 'a@b.c', 'O''Brien', 30, 1704164645000, True, 12.5)";
}

void BM_InsertCqlengineText(benchmark::State& state) {
  Fixture f;
  QueryOptions q;
  int64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(f.db->query(f.client, insert_text(i++), q));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InsertCqlengineText);

void BM_PointSelectText(benchmark::State& state) {
  Fixture f;
  QueryOptions q;
  for (int64_t i = 0; i < 1000; ++i) f.db->query(f.client, insert_text(i), q);
  int64_t i = 0;
  for (auto _ : state) {
    std::string text = "SELECT \"email\", \"name\", \"age\" FROM app.users WHERE \"user_id\" = " + uuid_for(i++ % 1000) +
                       " LIMIT 10000";
    benchmark::DoNotOptimize(f.db->query(f.client, text, q));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PointSelectText);

void BM_PointSelectPrepared(benchmark::State& state) {
  Fixture f;
  QueryOptions q;
  for (int64_t i = 0; i < 1000; ++i) f.db->query(f.client, insert_text(i), q);
  Result prepared = f.db->prepare(f.client, "SELECT \"email\", \"name\", \"age\" FROM app.users WHERE \"user_id\" = ?");
  std::string id = std::get<PreparedResult>(prepared).id;
  QueryOptions exec;
  exec.values.push_back(Value::of(std::string(16, '\x11')));
  for (auto _ : state) benchmark::DoNotOptimize(f.db->execute(f.client, id, exec));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PointSelectPrepared);

// tagged (id bigint PRIMARY KEY, tag bigint, v text) with an index on tag: the load benchmark's
// index_read table, with 10,000 rows and 100 tags.
struct IndexedFixture : Fixture {
  IndexedFixture() {
    QueryOptions q;
    db->query(client, "CREATE TABLE app.tagged (id bigint PRIMARY KEY, tag bigint, v text)", q);
    db->query(client, "CREATE INDEX ON app.tagged (tag)", q);
    insert = std::get<PreparedResult>(db->prepare(client, "INSERT INTO app.tagged (id, tag, v) VALUES (?, ?, ?)")).id;
  }
  Result write(int64_t id, int64_t tag) {
    QueryOptions exec;
    exec.values = {Value::of(encode_int64(id)), Value::of(encode_int64(tag)), Value::of(std::string(32, 'v'))};
    return db->execute(client, insert, exec);
  }
  std::string insert;
};

void BM_InsertIndexedPrepared(benchmark::State& state) {
  IndexedFixture f;
  int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.write(i, i % 100));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InsertIndexedPrepared);

void BM_IndexedSelectPrepared(benchmark::State& state) {
  IndexedFixture f;
  for (int64_t i = 0; i < 10000; ++i) f.write(i, i % 100);
  std::string id =
      std::get<PreparedResult>(f.db->prepare(f.client, "SELECT id, v FROM app.tagged WHERE tag = ? LIMIT 10")).id;
  int64_t i = 0;
  for (auto _ : state) {
    QueryOptions exec;
    exec.values.push_back(Value::of(encode_int64(i++ % 100)));
    benchmark::DoNotOptimize(f.db->execute(f.client, id, exec));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IndexedSelectPrepared);

}  // namespace
}  // namespace cqld
