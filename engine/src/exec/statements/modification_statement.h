// INSERT, UPDATE and DELETE: prepared once, each execution turns into writes collected in one
// storage Mutation, so a statement or a batch applies atomically.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "cql/ast.h"
#include "exec/restrictions.h"
#include "exec/statements/column_condition.h"
#include "exec/result.h"
#include "exec/statements/statement.h"
#include "exec/terms.h"
#include "exec/view_updates.h"
#include "schema/schema.h"
#include "storage/mutation.h"
#include "storage/store.h"

namespace cqld {

struct WriteContext {
  Bindings bindings;
  std::optional<int64_t> default_timestamp;  // the client's (QUERY flag 0x20) or the batch's
  Store* store = nullptr;  // for the few writes that read first (list updates by index or value)
};

class ModificationStatement : public CqlStatement {
 public:
  // Binds a statement inside a batch: markers go to the batch's "ctx".
  static std::unique_ptr<ModificationStatement> prepare_insert(const ast::InsertStatement& s, TablePtr table,
                                                              BindContext& ctx);
  // INSERT ... JSON: every column's value from the JSON object (insert_json.cc).
  static std::unique_ptr<ModificationStatement> prepare_insert_json(const ast::InsertStatement& s, TablePtr table,
                                                                   BindContext& ctx);
  static std::unique_ptr<ModificationStatement> prepare_update(const ast::UpdateStatement& s, TablePtr table,
                                                              BindContext& ctx);
  static std::unique_ptr<ModificationStatement> prepare_delete(const ast::DeleteStatement& s, TablePtr table,
                                                              BindContext& ctx);
  // A statement on its own: its markers are "markers" (all the raw statement's).
  void set_markers(std::vector<ColumnSpec> markers);
  StatementKind kind() const override { return is_conditional() ? StatementKind::kConditional : StatementKind::kWrite; }
  // MODIFY on the table; a lightweight transaction reads it too, so SELECT as well.
  void check_access(const auth::Access& access) const override {
    access.ensure_table_permission(auth::Permission::kModify, table_->keyspace, table_->name);
    if (is_conditional()) access.ensure_table_permission(auth::Permission::kSelect, table_->keyspace, table_->name);
  }
  Result execute(ExecutionContext& ctx) const override;
  // Cassandra's name for this kind of write in WriteTimeout errors.
  const char* write_type() const { return is_counter() ? "COUNTER" : "SIMPLE"; }

  // Appends this statement's writes to "batch". Throws InvalidRequest on bad values.
  void add_mutations(const WriteContext& ctx, Mutation* out) const;
  // The partitions the writes touch, and their timestamp: what the table's views follow.
  void add_touched(const WriteContext& ctx, std::vector<TouchedPartition>* out) const;
  int64_t write_timestamp(const WriteContext& ctx) const;
  const TableDef& table() const { return *table_; }
  // Lightweight transactions: IF NOT EXISTS, IF EXISTS, IF conditions.
  bool is_conditional() const { return guard_ != Guard::kNone; }
  // The token of the one partition a conditional statement touches (for its lock).
  int64_t conditional_token(const Bindings& b) const;
  // Reads the row, checks the condition and writes if it holds; the caller holds the
  // partition's lock. Returns the [applied] row (and the current values when not applied).
  static std::optional<ReadRow> static_values(const TableDef& t, const PartitionKey& key, Store* store,
                                              const Bindings& b);
  RowsResult execute_conditional(const WriteContext& ctx, Store* store, ViewWrite view) const;
  bool has_timestamp() const { return timestamp_.has_value(); }
  bool is_counter() const { return table_->is_counter; }

  // What conditional batches (conditional_batch.h) need of their children.
  enum class Guard : uint8_t { kNone, kIfNotExists, kIfExists, kConditions };
  Guard guard() const { return guard_; }
  std::vector<PartitionKey> written_partitions(const Bindings& b) const { return partition_keys(where_, *table_, b); }
  // The row a condition is about: the one clustering the statement writes, or nullopt for the
  // partition's static row (a statement on static columns only).
  std::optional<Clustering> guarded_row(const Bindings& b) const;
  const std::vector<ColumnCondition>& conditions() const { return conditions_; }
  // The columns a not-applied result shows: those of the conditions on regular columns, then
  // of those on static columns, each once, in the order of the IF clause (as Cassandra).
  std::vector<int> condition_columns() const;
  // Whether the statement writes a static column (its IF NOT EXISTS result then shows them).
  bool writes_static() const;

 private:
  enum class Kind : uint8_t { kInsert, kUpdate, kDelete };
  void bind_conditions(bool if_exists, const std::vector<ast::Condition>& conditions, BindContext& ctx);
  struct Operation {
    enum class Type : uint8_t {
      kSet, kAppend, kPrepend, kRemove, kSetElement, kDeleteColumn, kDeleteElement, kCounterAdd, kCounterSubtract,
      kListRemove, kListSetIndex, kListDeleteIndex, kSetField, kDeleteField
    };
    Type type = Type::kSet;
    int column = -1;
    uint16_t field = 0;  // kSetField, kDeleteField: the field's position in its UDT
    BoundTerm value;
    std::optional<BoundTerm> key;
  };
  ModificationStatement() = default;
  Result execute_unconditional(ExecutionContext& ctx) const;
  std::vector<TouchedPartition> touched(const WriteContext& ctx) const;
  void bind_using(const ast::UsingClause& u, BindContext& ctx);
  static Cell live_cell(const WriteContext& ctx, int64_t ts, int32_t ttl, std::string value);
  void write_row(const WriteContext& ctx, int64_t ts, int32_t ttl, const PartitionKey& pk, const Clustering& row,
                 Mutation* out) const;
  void write_deletion(int64_t ts, const PartitionKey& pk, const Bindings& b, Mutation* out) const;
  void write_list_update(const WriteContext& ctx, const Operation& op, const PartitionKey& pk, const Clustering& row,
                         int64_t ts, int32_t ttl, Mutation* out) const;

  Kind kind_ = Kind::kInsert;
  TablePtr table_;
  Restrictions where_;
  std::vector<Operation> operations_;
  std::optional<BoundTerm> ttl_;
  std::optional<BoundTerm> timestamp_;
  bool static_only_ = false;
  Guard guard_ = Guard::kNone;
  std::vector<ColumnCondition> conditions_;
};

}  // namespace cqld
