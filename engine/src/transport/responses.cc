#include "transport/responses.h"

#include <openssl/evp.h>

#include "transport/body_writer.h"

namespace cqld::transport {
namespace {

constexpr uint8_t kFirstVersionWithPkIndexes = 4;
constexpr uint8_t kFirstVersionWithFunctionEvents = 4;
constexpr uint8_t kFirstVersionWithMetadataId = 5;

bool all_in_one_table(const std::vector<ColumnSpec>& columns) {
  if (columns.empty()) return false;
  for (const auto& c : columns) {
    if (c.keyspace != columns[0].keyspace || c.table != columns[0].table) return false;
  }
  return true;
}

// Column specs after the flags/count/paging fields: the global table spec when it applies.
void write_column_specs(BodyWriter& w, const std::vector<ColumnSpec>& columns, bool global,
                        uint8_t version) {
  if (global) {
    w.write_string(columns[0].keyspace);
    w.write_string(columns[0].table);
  }
  for (const auto& c : columns) {
    if (!global) {
      w.write_string(c.keyspace);
      w.write_string(c.table);
    }
    w.write_string(c.name);
    w.write_option(*c.type, version);
  }
}

// "changed_id": set when the client's metadata id is stale (v5): sent after the paging state,
// with full metadata whatever skip_metadata says.
void write_result_metadata(BodyWriter& w, const ResultMetadata& m, uint8_t version, bool skip_metadata,
                           const std::optional<std::string>& changed_id = std::nullopt) {
  bool global = all_in_one_table(m.columns);
  bool no_metadata = (skip_metadata && !changed_id) || m.columns.empty();
  int32_t flags = 0;
  if (no_metadata) {
    flags |= rows_flags::kNoMetadata;
  } else if (global) {
    flags |= rows_flags::kGlobalTablesSpec;
  }
  if (m.paging_state) flags |= rows_flags::kHasMorePages;
  if (changed_id) flags |= rows_flags::kMetadataChanged;
  w.write_int(flags);
  w.write_int(static_cast<int32_t>(m.columns.size()));
  if (m.paging_state) w.write_bytes(*m.paging_state);
  if (changed_id) w.write_short_bytes(*changed_id);
  if (!no_metadata) write_column_specs(w, m.columns, global, version);
}

std::string md5(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

size_t cells_size(const RowsResult& rows) {
  size_t n = 0;
  for (const auto& cell : rows.cells) n += 4 + cell.bytes.size();
  return n;
}

void write_rows(BodyWriter& w, std::string& out, const RowsResult& rows, uint8_t version, bool skip_metadata,
                std::optional<std::string_view> client_metadata_id) {
  std::optional<std::string> changed_id;
  if (client_metadata_id && version >= kFirstVersionWithMetadataId) {
    std::string current = result_metadata_id(rows.metadata);
    if (current != *client_metadata_id) changed_id = std::move(current);
  }
  write_result_metadata(w, rows.metadata, version, skip_metadata, changed_id);
  out.reserve(out.size() + 4 + cells_size(rows));
  w.write_int(static_cast<int32_t>(rows.row_count));
  for (const auto& cell : rows.cells) w.write_value(cell);
}

void write_prepared(BodyWriter& w, const PreparedResult& p, uint8_t version) {
  w.write_short_bytes(p.id);
  if (version >= kFirstVersionWithMetadataId) w.write_short_bytes(result_metadata_id(p.result_metadata));
  bool global = all_in_one_table(p.bind_markers);
  w.write_int(global ? rows_flags::kGlobalTablesSpec : 0);
  w.write_int(static_cast<int32_t>(p.bind_markers.size()));
  if (version >= kFirstVersionWithPkIndexes) {
    w.write_int(static_cast<int32_t>(p.pk_indexes.size()));
    for (uint16_t index : p.pk_indexes) w.write_short(index);
  }
  write_column_specs(w, p.bind_markers, global, version);
  write_result_metadata(w, p.result_metadata, version, /*skip_metadata=*/false);
}

std::string_view change_name(SchemaChangeResult::Change change) {
  switch (change) {
    case SchemaChangeResult::Change::kCreated:
      return "CREATED";
    case SchemaChangeResult::Change::kUpdated:
      return "UPDATED";
    case SchemaChangeResult::Change::kDropped:
      return "DROPPED";
  }
  return "UPDATED";
}

std::string_view target_name(SchemaChangeResult::Target target) {
  switch (target) {
    case SchemaChangeResult::Target::kKeyspace:
      return "KEYSPACE";
    case SchemaChangeResult::Target::kTable:
      return "TABLE";
    case SchemaChangeResult::Target::kType:
      return "TYPE";
    case SchemaChangeResult::Target::kFunction:
      return "FUNCTION";
    case SchemaChangeResult::Target::kAggregate:
      return "AGGREGATE";
  }
  return "KEYSPACE";
}

// <change_type><target><options>. v3 has no function targets: like Cassandra, a function or
// aggregate change is reported to v3 clients as an update of its keyspace.
void write_schema_change(BodyWriter& w, const SchemaChangeResult& c, uint8_t version) {
  using Target = SchemaChangeResult::Target;
  bool is_function = c.target == Target::kFunction || c.target == Target::kAggregate;
  if (is_function && version < kFirstVersionWithFunctionEvents) {
    w.write_string("UPDATED");
    w.write_string("KEYSPACE");
    w.write_string(c.keyspace);
    return;
  }
  w.write_string(change_name(c.change));
  w.write_string(target_name(c.target));
  w.write_string(c.keyspace);
  if (c.target == Target::kKeyspace) return;
  w.write_string(c.name);
  if (is_function) w.write_string_list(c.argument_types);
}

struct ResultWriter {
  BodyWriter& w;
  std::string& out;
  uint8_t version;
  bool skip_metadata;
  std::optional<std::string_view> client_metadata_id;

  void operator()(const VoidResult&) const { w.write_int(static_cast<int32_t>(ResultKind::kVoid)); }
  void operator()(const RowsResult& r) const {
    w.write_int(static_cast<int32_t>(ResultKind::kRows));
    write_rows(w, out, r, version, skip_metadata, client_metadata_id);
  }
  void operator()(const SetKeyspaceResult& r) const {
    w.write_int(static_cast<int32_t>(ResultKind::kSetKeyspace));
    w.write_string(r.keyspace);
  }
  void operator()(const PreparedResult& r) const {
    w.write_int(static_cast<int32_t>(ResultKind::kPrepared));
    write_prepared(w, r, version);
  }
  void operator()(const SchemaChangeResult& r) const {
    w.write_int(static_cast<int32_t>(ResultKind::kSchemaChange));
    write_schema_change(w, r, version);
  }
};

}  // namespace

std::string encode_result(const Result& result, uint8_t version, bool skip_metadata,
                          std::optional<std::string_view> client_metadata_id) {
  std::string out;
  BodyWriter w(out);
  std::visit(ResultWriter{w, out, version, skip_metadata, client_metadata_id}, result);
  return out;
}

std::string result_metadata_id(const ResultMetadata& metadata) {
  std::string specs;
  BodyWriter w(specs);
  write_column_specs(w, metadata.columns, /*global=*/false, kFirstVersionWithMetadataId);
  return md5(specs);
}

std::string encode_authenticate(std::string_view authenticator_class) {
  std::string out;
  BodyWriter(out).write_string(authenticator_class);
  return out;
}

std::string encode_supported(const std::map<std::string, std::vector<std::string>>& options) {
  std::string out;
  BodyWriter(out).write_string_multimap(options);
  return out;
}

std::string encode_schema_change_event(const SchemaChangeResult& change, uint8_t version) {
  std::string out;
  BodyWriter w(out);
  w.write_string("SCHEMA_CHANGE");
  write_schema_change(w, change, version);
  return out;
}

std::string encode_auth_success(std::optional<std::string_view> token) {
  std::string out;
  BodyWriter(out).write_bytes(token);
  return out;
}

}  // namespace cqld::transport
