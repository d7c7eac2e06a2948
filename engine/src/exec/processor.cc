#include "exec/processor.h"

#include <malloc.h>
#include <openssl/evp.h>

#include "common/allocation_meter.h"
#include "common/errors.h"
#include "cql/parser.h"
#include "exec/statements/batch_statement.h"
#include "exec/statements/prepare.h"
#include "exec/write_failure.h"

namespace cqld {
namespace {

constexpr const char* kReleaseVersion = "4.1.5";
constexpr const char* kClusterName = "cqld";
// What a cache entry costs besides what making it allocated: its key, list and map nodes.
constexpr size_t kCacheEntryOverhead = 256;
// Statements that took more than this to parse and prepare are followed by a malloc_trim.
constexpr size_t kTrimAfterBytes = size_t{64} << 20;

std::string md5(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
}

// Prepared ids are MD5(keyspace + text), as Cassandra makes them, so drivers that prepare the
// same text on a restarted server get the same id.
std::string statement_id(const std::string& keyspace, std::string_view text) { return md5(keyspace + std::string(text)); }

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

Unprepared unprepared(std::string_view id) {
  return Unprepared(std::string(id), "Prepared query with ID " + to_hex(id) +
                                         " not found (either the query was not prepared on this host (maybe the host "
                                         "has been restarted?) or you have prepared too many queries and it has been "
                                         "evicted from the internal cache)");
}

std::chrono::milliseconds timeout_for(StatementKind kind, const ExecLimits& limits) {
  switch (kind) {
    case StatementKind::kRead: return limits.read_timeout;
    case StatementKind::kRangeRead: return limits.range_timeout;
    case StatementKind::kWrite:
    case StatementKind::kConditional: return limits.write_timeout;
    case StatementKind::kOther: break;
  }
  return std::chrono::milliseconds::max();
}

}  // namespace

Processor::Processor(const DatabaseOptions& options)
    : options_(options), prepared_(options.limits.prepared_cache_bytes), texts_(options.limits.text_cache_bytes) {
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
  started_at_seconds_ = options.clock->now_micros() / 1'000'000;
  auth_ = std::make_unique<auth::AuthService>(*this, options.auth);
  auth_->create_default_superuser();
}

Processor::~Processor() = default;

void Processor::set_schema_change_listener(SchemaChangeListener listener) {
  schema_->set_listener(std::move(listener));
}

// Parses and prepares, measuring what the statement holds on to (a parsed statement takes 50
// to 1000 times its text), which is what it costs a cache.
std::shared_ptr<const CachedStatement> Processor::make_statement(const ClientState& client, std::string_view text,
                                                                 size_t* cost) const {
  AllocationMeter meter;
  auto entry = std::make_shared<CachedStatement>();
  std::unique_ptr<ast::RawStatement> raw = parse_statement(text);
  entry->statement = prepare_statement(*raw, *schema_->current(), client);
  entry->keyspace = client.keyspace;
  entry->query = std::string(text);
  *cost = meter.bytes() + kCacheEntryOverhead;
  entry->cost = *cost;
  return entry;
}

std::shared_ptr<const CachedStatement> Processor::statement_for(const ClientState& client, std::string_view text) {
  // Internal statements may write system_auth: they never share a cache entry with a client's.
  std::string key = (client.internal ? "\1" : "") + client.keyspace + '\0' + std::string(text);
  if (auto cached = texts_.get(key); cached && still_valid(*cached->statement)) return cached;
  size_t cost = 0;
  auto entry = make_statement(client, text, &cost);
  texts_.put(key, entry, cost + key.size());
  return entry;
}

bool Processor::still_valid(const CqlStatement& statement) const {
  SchemaPtr schema = schema_->current();
  for (const TablePtr& table : statement.dependencies()) {
    if (schema->find_table(table->keyspace, table->name) != table.get()) return false;
  }
  return true;
}

std::vector<Value> Processor::ordered_values(const CqlStatement& statement, const QueryOptions& options,
                                             bool prepared_by_id) const {
  const std::vector<ColumnSpec>& markers = statement.bind_markers();
  if (options.value_names.empty()) {
    if (!prepared_by_id && options.values.size() != markers.size())
      throw InvalidRequest("Invalid amount of bind variables");
    if (options.values.size() != markers.size())
      throw InvalidRequest("There were " + std::to_string(markers.size()) + " markers(?) in CQL but " +
                           std::to_string(options.values.size()) + " bound variables");
    return options.values;
  }
  std::vector<Value> ordered(markers.size(), Value::unset());
  for (size_t i = 0; i < options.value_names.size() && i < options.values.size(); ++i) {
    bool found = false;
    for (size_t m = 0; m < markers.size(); ++m) {
      if (markers[m].name == options.value_names[i]) {
        ordered[m] = options.values[i];
        found = true;
      }
    }
    if (!found) throw InvalidRequest("Invalid value for bind variable " + options.value_names[i] + ": no such variable");
  }
  return ordered;
}

// A request's deadline counts from its arrival: time spent queued for a worker counts, and a
// request that waited past it is not run at all.
ExecutionContext Processor::context_for(ClientState& client, const QueryOptions& options, StatementKind kind) {
  ExecutionContext ctx;
  ctx.store = store_.get();
  ctx.schema = schema_.get();
  ctx.node = &node_;
  ctx.limits = &options_.limits;
  ctx.locks = &locks_;
  ctx.client = &client;
  ctx.auth = auth_.get();
  ctx.options = &options;
  ctx.bindings.now_micros = options_.clock->now_micros();
  ctx.bindings.limits = &options_.limits;
  auto timeout = timeout_for(kind, options_.limits);
  if (timeout != std::chrono::milliseconds::max()) {
    auto start = client.request_start == std::chrono::steady_clock::time_point{} ? std::chrono::steady_clock::now()
                                                                                 : client.request_start;
    ctx.deadline.at = start + timeout;
  }
  if (ctx.deadline.expired()) {
    auto consistency = static_cast<uint16_t>(options.consistency);
    if (kind == StatementKind::kRead || kind == StatementKind::kRangeRead) throw RequestTimeout::read(consistency);
    if (kind == StatementKind::kConditional) throw RequestTimeout::cas(static_cast<uint16_t>(options.serial_consistency));
    throw RequestTimeout::write(consistency, "SIMPLE");
  }
  return ctx;
}

Result Processor::run(ClientState& client, const CqlStatement& statement, const QueryOptions& options,
                      const std::vector<Value>& values, WriteOrder::Operation& operation) {
  // A schema change may wait for the requests before it (an index build): not for itself.
  if (statement.kind() == StatementKind::kOther) operation.end();
  if (!client.internal) statement.check_access(auth::Access(auth_.get(), client, schema_->current().get()));
  ExecutionContext ctx = context_for(client, options, statement.kind());
  ctx.bindings.values = &values;
  auto started = std::chrono::steady_clock::now();
  Result result = statement.execute(ctx);
  record_activity(statement, started);
  return result;
}

void Processor::record_activity(const CqlStatement& statement, std::chrono::steady_clock::time_point started) {
  StatementKind kind = statement.kind();
  if (kind == StatementKind::kOther || statement.dependencies().empty()) return;
  uint32_t table = statement.dependencies().front()->storage_id;
  if (table == 0) return;  // a generated system table
  auto micros = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  if (kind == StatementKind::kRead || kind == StatementKind::kRangeRead) {
    metrics_.record_read(table, micros);
  } else {
    metrics_.record_write(table, micros);
  }
}

Result Processor::query(ClientState& client, std::string_view text, const QueryOptions& options) {
  WriteOrder::Operation operation = schema_->write_order().start();
  auto entry = statement_for(client, text);
  // A statement too large to cache is freed here, answered or refused; give its memory back to
  // the system rather than leave the process holding what one request needed.
  bool large = entry->cost > kTrimAfterBytes;
  auto release = [&] {
    entry.reset();
    if (large) malloc_trim(0);
  };
  try {
    Result result =
        run(client, *entry->statement, options, ordered_values(*entry->statement, options, false), operation);
    release();
    return result;
  } catch (...) {
    release();
    throw;
  }
}

Result Processor::prepare(ClientState& client, std::string_view text) {
  size_t cost = 0;
  auto entry = make_statement(client, text, &cost);
  std::string id = statement_id(client.keyspace, text);
  prepared_.put(id, entry, cost + id.size());
  PreparedResult result;
  result.id = id;
  result.bind_markers = entry->statement->bind_markers();
  result.pk_indexes = entry->statement->pk_indexes();
  result.result_metadata.columns = entry->statement->result_columns();
  return result;
}

Result Processor::execute(ClientState& client, std::string_view id, const QueryOptions& options) {
  WriteOrder::Operation operation = schema_->write_order().start();
  std::string key(id);
  auto entry = prepared_.get(key);
  if (!entry) throw unprepared(id);
  if (!still_valid(*entry->statement)) {
    prepared_.erase(key);
    throw unprepared(id);
  }
  ClientState bound_client = client;
  bound_client.keyspace = entry->keyspace.empty() ? client.keyspace : entry->keyspace;
  Result r = run(bound_client, *entry->statement, options, ordered_values(*entry->statement, options, true), operation);
  if (std::holds_alternative<SetKeyspaceResult>(r)) client.keyspace = bound_client.keyspace;
  return r;
}

Result Processor::batch(ClientState& client, const BatchRequest& request) {
  WriteOrder::Operation operation = schema_->write_order().start();
  std::vector<BatchStatement::Child> children;
  for (const auto& child : request.statements) {
    std::shared_ptr<const CachedStatement> entry;
    if (child.is_prepared) {
      entry = prepared_.get(child.query_or_id);
      if (!entry || !still_valid(*entry->statement)) {
        prepared_.erase(child.query_or_id);
        throw Unprepared(child.query_or_id, "Prepared query not found in batch");
      }
    } else {
      entry = statement_for(client, child.query_or_id);
    }
    if (!client.internal) entry->statement->check_access(auth::Access(auth_.get(), client, schema_->current().get()));
    QueryOptions child_options;
    child_options.values = child.values;
    children.push_back({entry->statement, ordered_values(*entry->statement, child_options, child.is_prepared)});
  }
  QueryOptions options;
  options.consistency = request.consistency;
  options.serial_consistency = request.serial_consistency;
  options.default_timestamp = request.default_timestamp;
  ExecutionContext ctx = context_for(client, options, StatementKind::kWrite);
  auto started = std::chrono::steady_clock::now();
  Result result = BatchStatement::execute_children(ctx, request.type, children);
  for (const auto& child : children) record_activity(*child.statement, started);
  return result;
}

std::unique_ptr<Database> open_database(const DatabaseOptions& options) {
  return std::make_unique<Processor>(options);
}

}  // namespace cqld
