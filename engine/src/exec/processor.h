// The QueryProcessor implementation: keeps the caches of statements (prepared by id, and
// unprepared texts, each an LRU bounded by measured bytes), binds each request's values, gives it
// its deadline, and calls the statement's execute. What each statement does is in
// exec/statements/.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "exec/auth/auth_service.h"
#include "exec/database.h"
#include "exec/limits.h"
#include "exec/lru_cache.h"
#include "exec/query_processor.h"
#include "exec/schema_manager.h"
#include "exec/statements/statement.h"
#include "schema/system_tables.h"
#include "storage/store.h"

namespace cqld {

// A statement as the caches keep it: prepared for one client keyspace from one text.
struct CachedStatement {
  StatementPtr statement;
  std::string keyspace;  // the client's keyspace at prepare time (EXECUTE runs in it)
  std::string query;
  size_t cost = 0;  // bytes making it allocated
};

class Processor : public Database {
 public:
  explicit Processor(const DatabaseOptions& options);
  ~Processor() override;

  Result query(ClientState& client, std::string_view text, const QueryOptions& options) override;
  Result prepare(ClientState& client, std::string_view text) override;
  Result execute(ClientState& client, std::string_view id, const QueryOptions& options) override;
  Result batch(ClientState& client, const BatchRequest& batch) override;
  void set_schema_change_listener(SchemaChangeListener listener) override;

  const auth::AuthService* auth() const override { return auth_.get(); }
  SchemaPtr schema_snapshot() const override { return schema_->current(); }
  NodeState node_state() const override;
  TableStatistics table_statistics(const TableDef& table) const override;
  Status flush() override;
  Status compact(const std::vector<const TableDef*>& tables) override;
  Status snapshot(const std::string& tag) override;

 private:
  // The statement for a text in the client's keyspace, from the cache or freshly prepared.
  std::shared_ptr<const CachedStatement> statement_for(const ClientState& client, std::string_view text);
  std::shared_ptr<const CachedStatement> make_statement(const ClientState& client, std::string_view text,
                                                        size_t* cost) const;
  bool still_valid(const CqlStatement& statement) const;
  // QUERY text and EXECUTE of a prepared id differ only in how a wrong number of values is
  // reported.
  std::vector<Value> ordered_values(const CqlStatement& statement, const QueryOptions& options,
                                    bool prepared_by_id) const;
  // "operation" is the request's (write_order.h); a schema change ends it before it runs.
  Result run(ClientState& client, const CqlStatement& statement, const QueryOptions& options,
             const std::vector<Value>& values, WriteOrder::Operation& operation);
  ExecutionContext context_for(ClientState& client, const QueryOptions& options, StatementKind kind);
  // Counts a statement's run against its table, for tablestats.
  void record_activity(const CqlStatement& statement, std::chrono::steady_clock::time_point started);

  DatabaseOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SchemaManager> schema_;
  LocalNodeInfo node_;
  PartitionLocks locks_;
  TableMetrics metrics_;
  int64_t started_at_seconds_ = 0;
  LruCache<const CachedStatement> prepared_;  // by id, for EXECUTE and BATCH
  LruCache<const CachedStatement> texts_;     // by keyspace and text, for QUERY
  std::unique_ptr<auth::AuthService> auth_;    // last: it queries through the caches above
};

}  // namespace cqld
