// INSERT, UPDATE and DELETE: prepared once, each execution turns into cell writes (Merge
// operands) in one RocksDB write batch, so a statement or a batch applies atomically.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "cql/ast.h"
#include "exec/restrictions.h"
#include "exec/result.h"
#include "exec/row_reader.h"
#include "storage/store.h"
#include "exec/terms.h"
#include "schema/schema.h"

namespace rocksdb {
class WriteBatch;
}

namespace cqld {

struct WriteContext {
  Bindings bindings;
  std::optional<int64_t> default_timestamp;  // the client's (QUERY flag 0x20) or the batch's
  Store* store = nullptr;  // for the few writes that read first (list updates by index or value)
};

class PreparedModification {
 public:
  static std::unique_ptr<PreparedModification> prepare_insert(const ast::InsertStatement& s, TablePtr table,
                                                              BindContext& ctx);
  static std::unique_ptr<PreparedModification> prepare_update(const ast::UpdateStatement& s, TablePtr table,
                                                              BindContext& ctx);
  static std::unique_ptr<PreparedModification> prepare_delete(const ast::DeleteStatement& s, TablePtr table,
                                                              BindContext& ctx);
  // Appends this statement's writes to "batch". Throws InvalidRequest on bad values.
  void add_mutations(const WriteContext& ctx, rocksdb::WriteBatch* batch) const;
  const TableDef& table() const { return *table_; }
  // Lightweight transactions: IF NOT EXISTS, IF EXISTS, IF conditions.
  bool is_conditional() const { return guard_ != Guard::kNone; }
  // The token of the one partition a conditional statement touches (for its lock).
  int64_t conditional_token(const Bindings& b) const;
  // Reads the row, checks the condition and writes if it holds; the caller holds the
  // partition's lock. Returns the [applied] row (and the current values when not applied).
  RowsResult execute_conditional(const WriteContext& ctx, Store* store) const;
  bool has_timestamp() const { return timestamp_.has_value(); }
  bool is_counter() const { return table_->is_counter; }

 private:
  enum class Kind : uint8_t { kInsert, kUpdate, kDelete };
  enum class Guard : uint8_t { kNone, kIfNotExists, kIfExists, kConditions };
  struct ColumnCondition {
    int column = -1;
    ast::Operator op = ast::Operator::kEq;
    std::vector<BoundTerm> values;
    std::optional<BoundTerm> element;
  };
  void bind_conditions(bool if_exists, const std::vector<ast::Condition>& conditions, BindContext& ctx);
  bool condition_holds(const ColumnCondition& c, const std::optional<struct ReadRow>& row, const Bindings& b) const;
  struct Operation {
    enum class Type : uint8_t {
      kSet, kAppend, kPrepend, kRemove, kSetElement, kDeleteColumn, kDeleteElement, kCounterAdd, kCounterSubtract,
      kListRemove, kListSetIndex, kListDeleteIndex
    };
    Type type = Type::kSet;
    int column = -1;
    BoundTerm value;
    std::optional<BoundTerm> key;
  };
  PreparedModification() = default;
  void bind_using(const ast::UsingClause& u, BindContext& ctx);
  void write_row(const WriteContext& ctx, int64_t ts, int32_t ttl, int64_t token, const std::string& pk,
                 const std::vector<std::string>& clustering, rocksdb::WriteBatch* batch) const;
  void write_clustering_as_written(const std::string& row, int64_t ts, const std::vector<std::string>& clustering,
                                   rocksdb::WriteBatch* batch) const;
  void write_deletion(int64_t ts, int64_t token, const std::string& pk, const Bindings& b,
                      rocksdb::WriteBatch* batch) const;
  void write_list_update(const WriteContext& ctx, const Operation& op, const std::string& base, int64_t ts,
                         int32_t ttl, rocksdb::WriteBatch* batch) const;
  static std::vector<std::pair<std::string, std::string>> read_list(Store* store, const std::string& base);
  void merge_range_tombstone(const std::string& partition, const KeyRange& range, int64_t ts,
                             rocksdb::WriteBatch* batch) const;

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
