// The QueryProcessor implementation: parses (with a bounded cache of parsed texts), prepares
// statements against the schema snapshot, keeps prepared statements by id, and executes.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cql/ast.h"
#include "exec/database.h"
#include "exec/modification.h"
#include "exec/query_processor.h"
#include "exec/schema_manager.h"
#include "exec/select.h"
#include "schema/system_tables.h"
#include "storage/store.h"

namespace cqld {

// A statement bound to the schema: what a prepared id refers to.
struct PreparedStatement {
  std::shared_ptr<const ast::RawStatement> raw;
  std::string keyspace;  // the client's keyspace at prepare time
  std::string query;
  std::unique_ptr<PreparedSelect> select;
  std::vector<std::unique_ptr<PreparedModification>> modifications;  // one, or a batch's
  std::optional<int> batch_type;  // set for BEGIN BATCH
  std::optional<BoundTerm> batch_timestamp;  // BEGIN BATCH USING TIMESTAMP
  std::vector<ColumnSpec> markers;
  std::vector<uint16_t> pk_indexes;
  std::vector<std::pair<std::string, TablePtr>> tables;  // "ks.table" it was bound to
};

class Processor : public QueryProcessor {
 public:
  explicit Processor(const DatabaseOptions& options);
  ~Processor() override;

  Result query(ClientState& client, std::string_view text, const QueryOptions& options) override;
  Result prepare(ClientState& client, std::string_view text) override;
  Result execute(ClientState& client, std::string_view id, const QueryOptions& options) override;
  Result batch(ClientState& client, const BatchRequest& batch) override;
  void set_schema_change_listener(SchemaChangeListener listener) override;

 private:
  std::shared_ptr<const ast::RawStatement> parse(std::string_view text);
  std::shared_ptr<PreparedStatement> bind(std::shared_ptr<const ast::RawStatement> raw, const std::string& text,
                                          const ClientState& client, const Schema& schema);
  // QUERY text (run) and EXECUTE of a prepared id (run_prepared) differ only in how a wrong
  // number of values is reported.
  Result run(ClientState& client, const PreparedStatement& statement, const QueryOptions& options);
  Result run_prepared(ClientState& client, const PreparedStatement& statement, const QueryOptions& options);
  Result run_with(ClientState& client, const PreparedStatement& statement, const QueryOptions& options,
                  const std::vector<Value>& values);
  Result run_unbound(ClientState& client, const ast::RawStatement& raw);
  bool still_valid(const PreparedStatement& statement, const Schema& schema) const;
  std::vector<Value> ordered_values(const PreparedStatement& statement, const QueryOptions& options,
                                    bool prepared_by_id) const;
  LocalNodeInfo node_info(const ClientState& client) const;
  // Lightweight transactions on one partition run under that partition's lock stripe.
  std::mutex& partition_lock(int64_t token);
  static constexpr size_t kLwtLockStripes = 64;
  std::mutex lwt_locks_[kLwtLockStripes];

  DatabaseOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SchemaManager> schema_;
  LocalNodeInfo node_;

  std::mutex cache_mutex_;
  std::unordered_map<std::string, std::shared_ptr<PreparedStatement>> prepared_;
  std::list<std::string> parsed_order_;  // LRU of parsed texts, most recent first
  std::unordered_map<std::string, std::pair<std::shared_ptr<const ast::RawStatement>, std::list<std::string>::iterator>> parsed_;
};

}  // namespace cqld
