#include "exec/processor.h"

#include <openssl/evp.h>

#include "common/errors.h"
#include "common/overloaded.h"
#include "cql/parser.h"
#include "exec/ddl.h"
#include "exec/describe.h"
#include "exec/write_failure.h"

namespace cqld {
namespace {

constexpr size_t kParsedCacheEntries = 2048;
constexpr size_t kPreparedCacheEntries = 10000;
constexpr const char* kReleaseVersion = "4.1.5";
constexpr const char* kClusterName = "cqld";


std::string md5(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
}

Uuid load_host_id(Store* store) {
  Uuid id{};
  if (auto stored = store->get_meta("host_id"); stored && stored->size() == 16) {
    std::copy(stored->begin(), stored->end(), id.begin());
    return id;
  }
  id = random_uuid();
  check_write(store->put_meta("host_id", uuid_bytes(id)));
  return id;
}

// Resolves the table a DML statement names, stored or virtual.
struct TableRef {
  TablePtr table;
  const VirtualTable* virtual_table = nullptr;
};

TableRef find_table(const ast::QualifiedName& name, const ClientState& client, const Schema& schema) {
  std::string ks = statement_keyspace(name.keyspace, client);
  if (const VirtualTable* vt = find_virtual_table(ks, name.name)) return TableRef{vt->def, vt};
  const KeyspaceDef* keyspace = schema.find_keyspace(ks);
  if (keyspace == nullptr) throw InvalidRequest("keyspace " + ks + " does not exist");
  auto it = keyspace->tables.find(name.name);
  if (it == keyspace->tables.end()) throw InvalidRequest("table " + name.name + " does not exist");
  return TableRef{it->second, nullptr};
}

TablePtr writable_table(const ast::QualifiedName& name, const ClientState& client, const Schema& schema) {
  TableRef ref = find_table(name, client, schema);
  if (ref.virtual_table != nullptr || is_system_keyspace(ref.table->keyspace))
    throw CqlError(ErrorCode::kUnauthorized, ref.table->keyspace + " keyspace is not user-modifiable.");
  return ref.table;
}

std::vector<uint16_t> compute_pk_indexes(const std::vector<ColumnSpec>& markers, const TableDef& table) {
  std::vector<uint16_t> indexes;
  for (size_t pk : table.partition_key) {
    bool found = false;
    for (size_t i = 0; i < markers.size(); ++i) {
      if (markers[i].name == table.columns[pk].name && markers[i].table == table.name) {
        indexes.push_back(static_cast<uint16_t>(i));
        found = true;
        break;
      }
    }
    if (!found) return {};
  }
  return indexes;
}

// Counter and regular writes cannot share a batch, and counters need a COUNTER batch.
void check_batch_kinds(BatchRequest::Type type, const std::vector<std::unique_ptr<PreparedModification>>& statements) {
  for (const auto& m : statements) {
    if (type == BatchRequest::Type::kCounter && !m->is_counter())
      throw InvalidRequest("Cannot include non-counter statement in a counter batch");
    if (type == BatchRequest::Type::kLogged && m->is_counter())
      throw InvalidRequest("Cannot include a counter statement in a logged batch");
    if (type == BatchRequest::Type::kUnlogged && m->is_counter())
      throw InvalidRequest("Counter and non-counter mutations cannot exist in the same batch");
  }
}

}  // namespace

Processor::Processor(const DatabaseOptions& options) : options_(options) {
  StoreOptions store_options;
  store_options.in_memory = options.in_memory;
  store_options.path = options.data_dir;
  store_options.sync_mode = options.sync_each_write ? SyncMode::kBatch : SyncMode::kPeriodic;
  store_options.sync_period_ms = options.sync_period_ms;
  store_options.env = options.env;
  store_options.clock = options.clock;
  store_ = Store::open(store_options);
  schema_ = std::make_unique<SchemaManager>(store_.get());
  node_.cluster_name = kClusterName;
  node_.release_version = kReleaseVersion;
  node_.listen_address = options.listen_address.empty() ? "127.0.0.1" : options.listen_address;
  node_.rpc_port = options.port;
  node_.host_id = load_host_id(store_.get());
  int64_t token = 0;
  for (int i = 0; i < 8; ++i) token = (token << 8) | node_.host_id[i];
  node_.token = token;
}

Processor::~Processor() = default;

std::mutex& Processor::partition_lock(int64_t token) {
  return lwt_locks_[static_cast<uint64_t>(token) % kLwtLockStripes];
}

void Processor::set_schema_change_listener(SchemaChangeListener listener) {
  schema_->set_listener(std::move(listener));
}

LocalNodeInfo Processor::node_info(const ClientState& client) const {
  LocalNodeInfo node = node_;
  node.rpc_address = client.local_address.empty() ? node_.listen_address : client.local_address;
  if (node_.listen_address == "0.0.0.0" || node_.listen_address == "::") node.listen_address = node.rpc_address;
  return node;
}

std::shared_ptr<const ast::RawStatement> Processor::parse(std::string_view text) {
  std::string key(text);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = parsed_.find(key);
    if (it != parsed_.end()) {
      parsed_order_.splice(parsed_order_.begin(), parsed_order_, it->second.second);
      return it->second.first;
    }
  }
  std::shared_ptr<const ast::RawStatement> raw = parse_statement(text);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (!parsed_.count(key)) {
    parsed_order_.push_front(key);
    parsed_[key] = {raw, parsed_order_.begin()};
    if (parsed_.size() > kParsedCacheEntries) {
      parsed_.erase(parsed_order_.back());
      parsed_order_.pop_back();
    }
  }
  return raw;
}

std::shared_ptr<PreparedStatement> Processor::bind(std::shared_ptr<const ast::RawStatement> raw, const std::string& text,
                                                   const ClientState& client, const Schema& schema) {
  auto p = std::make_shared<PreparedStatement>();
  p->raw = raw;
  p->query = text;
  p->keyspace = client.keyspace;
  BindContext ctx;
  ctx.marker_names = raw->bind_marker_names;
  auto bind_modification = [&](const auto& s, auto prepare_fn) {
    TablePtr table = writable_table(s.table, client, schema);
    ctx.keyspace = table->keyspace;
    ctx.table = table->name;
    ctx.table_def = table.get();
    p->tables.emplace_back(table->keyspace + "." + table->name, table);
    p->modifications.push_back(prepare_fn(s, table, ctx));
  };
  std::visit(Overloaded{
                 [&](const ast::SelectStatement& s) {
                   TableRef ref = find_table(s.table, client, schema);
                   ctx.keyspace = ref.table->keyspace;
                   ctx.table = ref.table->name;
                   ctx.table_def = ref.table.get();
                   if (!ref.virtual_table) p->tables.emplace_back(ref.table->keyspace + "." + ref.table->name, ref.table);
                   p->select = PreparedSelect::prepare(s, ref.table, ref.virtual_table, ctx);
                 },
                 [&](const ast::InsertStatement& s) { bind_modification(s, &PreparedModification::prepare_insert); },
                 [&](const ast::UpdateStatement& s) { bind_modification(s, &PreparedModification::prepare_update); },
                 [&](const ast::DeleteStatement& s) { bind_modification(s, &PreparedModification::prepare_delete); },
                 [&](const ast::BatchStatement& s) {
                   p->batch_type = static_cast<int>(s.type);
                   if (s.using_clause.ttl) throw InvalidRequest("Global TTL on the BATCH statement is not supported.");
                   for (const auto& child : s.statements) {
                     std::visit(Overloaded{
                                    [&](const ast::InsertStatement& c) { bind_modification(c, &PreparedModification::prepare_insert); },
                                    [&](const ast::UpdateStatement& c) { bind_modification(c, &PreparedModification::prepare_update); },
                                    [&](const ast::DeleteStatement& c) { bind_modification(c, &PreparedModification::prepare_delete); },
                                },
                                child);
                   }
                   check_batch_kinds(static_cast<BatchRequest::Type>(s.type), p->modifications);
                   if (s.using_clause.timestamp) {
                     p->batch_timestamp = bind_term(*s.using_clause.timestamp, primitive_type(TypeKind::kBigint), "[timestamp]", ctx);
                     for (const auto& m : p->modifications)
                       if (m->has_timestamp())
                         throw InvalidRequest("Timestamp must be set either on BATCH or individual statements");
                   }
                 },
                 [&](const auto&) {},
             },
             raw->statement);
  ctx.markers.resize(static_cast<size_t>(raw->bind_marker_count));
  p->markers = ctx.markers;
  if (p->tables.size() == 1 || (p->select && !p->tables.empty())) {
    p->pk_indexes = compute_pk_indexes(p->markers, *p->tables[0].second);
  }
  return p;
}

bool Processor::still_valid(const PreparedStatement& statement, const Schema& schema) const {
  for (const auto& [name, table] : statement.tables) {
    const TableDef* current = schema.find_table(table->keyspace, table->name);
    if (current != table.get()) return false;
  }
  return true;
}

std::vector<Value> Processor::ordered_values(const PreparedStatement& statement, const QueryOptions& options,
                                             bool prepared_by_id) const {
  if (options.value_names.empty()) {
    if (!prepared_by_id && options.values.size() != statement.markers.size())
      throw InvalidRequest("Invalid amount of bind variables");
    if (options.values.size() != statement.markers.size())
      throw InvalidRequest("There were " + std::to_string(statement.markers.size()) +
                           " markers(?) in CQL but " + std::to_string(options.values.size()) + " bound variables");
    return options.values;
  }
  std::vector<Value> ordered(statement.markers.size(), Value::unset());
  for (size_t i = 0; i < options.value_names.size() && i < options.values.size(); ++i) {
    bool found = false;
    for (size_t m = 0; m < statement.markers.size(); ++m) {
      if (statement.markers[m].name == options.value_names[i]) {
        ordered[m] = options.values[i];
        found = true;
      }
    }
    if (!found) throw InvalidRequest("Invalid value for bind variable " + options.value_names[i] + ": no such variable");
  }
  return ordered;
}

Result Processor::run_unbound(ClientState& client, const ast::RawStatement& raw) {
  DdlContext ddl{schema_.get(), store_.get(), &client};
  return std::visit(
      Overloaded{
          [&](const ast::UseStatement& s) -> Result {
            if (!schema_->current()->find_keyspace(s.keyspace) && find_virtual_table(s.keyspace, "keyspaces") == nullptr &&
                !is_system_keyspace(s.keyspace))
              throw InvalidRequest("Keyspace '" + s.keyspace + "' does not exist");
            client.keyspace = s.keyspace;
            return SetKeyspaceResult{s.keyspace};
          },
          [&](const ast::TruncateStatement& s) -> Result { return truncate_table(ddl, s); },
          [&](const ast::CreateKeyspaceStatement& s) -> Result { return create_keyspace(ddl, s); },
          [&](const ast::AlterKeyspaceStatement& s) -> Result { return alter_keyspace(ddl, s); },
          [&](const ast::DropKeyspaceStatement& s) -> Result { return drop_keyspace(ddl, s); },
          [&](const ast::CreateTableStatement& s) -> Result { return create_table(ddl, s); },
          [&](const ast::AlterTableStatement& s) -> Result { return alter_table(ddl, s); },
          [&](const ast::DropTableStatement& s) -> Result { return drop_table(ddl, s); },
          [&](const ast::CreateIndexStatement& s) -> Result { return create_index(ddl, s); },
          [&](const ast::DropIndexStatement& s) -> Result { return drop_index(ddl, s); },
          [&](const ast::CreateTypeStatement& s) -> Result { return create_type(ddl, s); },
          [&](const ast::AlterTypeStatement& s) -> Result { return alter_type(ddl, s); },
          [&](const ast::DropTypeStatement& s) -> Result { return drop_type(ddl, s); },
          [&](const ast::DescribeStatement& s) -> Result {
            return describe(s, *schema_->current(), client.keyspace, node_.cluster_name);
          },
          [&](const ast::CreateMaterializedViewStatement&) -> Result {
            throw InvalidRequest("Materialized views are not supported by cqld");
          },
          [&](const ast::CreateFunctionStatement&) -> Result {
            throw InvalidRequest("User-defined functions are not supported by cqld");
          },
          [&](const ast::CreateAggregateStatement&) -> Result {
            throw InvalidRequest("User-defined aggregates are not supported by cqld");
          },
          [&](const ast::CreateTriggerStatement&) -> Result {
            throw InvalidRequest("Triggers are not supported by cqld");
          },
          [&](const auto&) -> Result {
            throw InvalidRequest("This statement (roles, permissions, views, functions) is not supported by cqld yet");
          },
      },
      raw.statement);
}

Result Processor::run_prepared(ClientState& client, const PreparedStatement& statement, const QueryOptions& options) {
  std::vector<Value> values = ordered_values(statement, options, true);
  return run_with(client, statement, options, values);
}

Result Processor::run(ClientState& client, const PreparedStatement& statement, const QueryOptions& options) {
  std::vector<Value> values = ordered_values(statement, options, false);
  return run_with(client, statement, options, values);
}

Result Processor::run_with(ClientState& client, const PreparedStatement& statement, const QueryOptions& options,
                           const std::vector<Value>& values) {
  Bindings bindings{&values, options_.clock->now_micros()};
  if (statement.select) {
    SchemaPtr schema = schema_->current();
    LocalNodeInfo node = node_info(client);
    SelectContext ctx{store_.get(), schema.get(), &node, &options, bindings};
    return statement.select->execute(ctx);
  }
  if (statement.modifications.size() == 1 && statement.modifications[0]->is_conditional() && !statement.batch_type) {
    const PreparedModification& m = *statement.modifications[0];
    WriteContext ctx{bindings, std::nullopt, store_.get()};
    std::lock_guard<std::mutex> lock(partition_lock(m.conditional_token(bindings)));
    return m.execute_conditional(ctx, store_.get());
  }
  if (statement.batch_type && statement.modifications.empty()) return VoidResult{};  // an empty batch
  for (const auto& m : statement.modifications)
    if (m->is_conditional()) throw InvalidRequest("Conditional batches are not supported by cqld yet");
  if (!statement.modifications.empty()) {
    Mutation batch;
    WriteContext ctx{bindings, options.default_timestamp, store_.get()};
    if (statement.batch_timestamp) {
      Value ts = statement.batch_timestamp->evaluate(bindings);
      if (ts.is_null()) throw InvalidRequest("Invalid null value of timestamp");
      if (ts.is_set()) ctx.default_timestamp = decode_int64(ts.bytes);
    }
    for (const auto& m : statement.modifications) m->add_mutations(ctx, &batch);
    check_write(store_->apply(batch));
    return VoidResult{};
  }
  return run_unbound(client, *statement.raw);
}

Result Processor::query(ClientState& client, std::string_view text, const QueryOptions& options) {
  auto raw = parse(text);
  SchemaPtr schema = schema_->current();
  auto statement = bind(raw, std::string(text), client, *schema);
  return run(client, *statement, options);
}

Result Processor::prepare(ClientState& client, std::string_view text) {
  auto raw = parse(text);
  SchemaPtr schema = schema_->current();
  auto statement = bind(raw, std::string(text), client, *schema);
  bool qualified_keyspace = client.keyspace.empty();
  std::string id = md5((qualified_keyspace ? std::string() : client.keyspace) + std::string(text));
  PreparedResult result;
  result.id = id;
  result.bind_markers = statement->markers;
  result.pk_indexes = statement->pk_indexes;
  if (statement->select) result.result_metadata.columns = statement->select->result_columns();
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (prepared_.size() >= kPreparedCacheEntries) prepared_.erase(prepared_.begin());
  prepared_[id] = statement;
  return result;
}

Result Processor::execute(ClientState& client, std::string_view id, const QueryOptions& options) {
  std::shared_ptr<PreparedStatement> statement;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = prepared_.find(std::string(id));
    if (it != prepared_.end()) statement = it->second;
  }
  auto unprepared = [&] {
    std::string hex = to_hex(id);
    return Unprepared(std::string(id), "Prepared query with ID " + hex + " not found (either the query was not prepared on this host (maybe the host has been restarted?) or you have prepared too many queries and it has been evicted from the internal cache)");
  };
  if (!statement) throw unprepared();
  SchemaPtr schema = schema_->current();
  if (!still_valid(*statement, *schema)) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    prepared_.erase(std::string(id));
    throw unprepared();
  }
  ClientState bound_client = client;
  bound_client.keyspace = statement->keyspace.empty() ? client.keyspace : statement->keyspace;
  Result r = run_prepared(bound_client, *statement, options);
  if (std::holds_alternative<SetKeyspaceResult>(r)) client.keyspace = bound_client.keyspace;
  return r;
}

Result Processor::batch(ClientState& client, const BatchRequest& request) {
  SchemaPtr schema = schema_->current();
  Mutation writes;
  int64_t now = options_.clock->now_micros();
  for (const auto& child : request.statements) {
    std::shared_ptr<PreparedStatement> statement;
    if (child.is_prepared) {
      std::lock_guard<std::mutex> lock(cache_mutex_);
      auto it = prepared_.find(child.query_or_id);
      if (it != prepared_.end()) statement = it->second;
      if (!statement || !still_valid(*statement, *schema)) {
        prepared_.erase(child.query_or_id);
        throw Unprepared(child.query_or_id, "Prepared query not found in batch");
      }
    } else {
      statement = bind(parse(child.query_or_id), child.query_or_id, client, *schema);
    }
    if (statement->modifications.empty() || statement->batch_type)
      throw InvalidRequest("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
    for (const auto& m : statement->modifications)
      if (m->is_conditional()) throw InvalidRequest("Conditional batches are not supported by cqld yet");
    check_batch_kinds(request.type, statement->modifications);
    QueryOptions child_options;
    child_options.values = child.values;
    std::vector<Value> values = ordered_values(*statement, child_options, child.is_prepared);
    WriteContext ctx{Bindings{&values, now}, request.default_timestamp, store_.get()};
    for (const auto& m : statement->modifications) m->add_mutations(ctx, &writes);
  }
  check_write(store_->apply(writes));
  return VoidResult{};
}

std::unique_ptr<QueryProcessor> open_database(const DatabaseOptions& options) {
  return std::make_unique<Processor>(options);
}

}  // namespace cqld
