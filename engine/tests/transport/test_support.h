// Shared by the transport tests: a scripted QueryProcessor (transport tests only; production
// code always runs the real processor) and helpers that build request frames the way a
// driver does and split response frames.
#pragma once

#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.h"
#include "exec/query_processor.h"
#include "transport/body_reader.h"
#include "transport/body_writer.h"
#include "transport/frame.h"

namespace cqld::transport::testing {

// Answers by query text: "rows" -> two int rows, "use <ks>" -> Set_keyspace, "create" ->
// Schema_change (and fires the listener), "invalid" -> InvalidRequest, "exists" ->
// AlreadyExists, "crash" -> std::runtime_error; anything else -> Void.
class ScriptedProcessor : public QueryProcessor {
 public:
  Result query(ClientState& client, std::string_view text, const QueryOptions& options) override {
    std::lock_guard lock(mutex_);
    last_options = options;
    last_client = client;
    queries.emplace_back(text);
    return answer(client, text);
  }
  Result prepare(ClientState&, std::string_view text) override {
    PreparedResult p;
    p.id = std::string(16, 'i');
    p.bind_markers = {{"ks", "t", "a", primitive_type(TypeKind::kInt)}};
    p.pk_indexes = {0};
    if (text.starts_with("SELECT")) p.result_metadata.columns = rows_metadata();
    return p;
  }
  Result execute(ClientState&, std::string_view id, const QueryOptions& options) override {
    std::lock_guard lock(mutex_);
    last_options = options;
    if (id != std::string(16, 'i')) throw Unprepared(std::string(id), "Prepared query not found");
    return rows();
  }
  Result batch(ClientState&, const BatchRequest& batch) override {
    std::lock_guard lock(mutex_);
    last_batch = batch;
    return VoidResult{};
  }
  void set_schema_change_listener(SchemaChangeListener listener) override {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
  }

  static std::vector<ColumnSpec> rows_metadata() {
    return {{"ks", "t", "a", primitive_type(TypeKind::kInt)},
            {"ks", "t", "b", primitive_type(TypeKind::kVarchar)}};
  }
  static RowsResult rows() {
    RowsResult r;
    r.metadata.columns = rows_metadata();
    r.cells = {Value::of(encode_int32(1)), Value::of("x"), Value::of(encode_int32(2)),
               Value::null()};
    r.row_count = 2;
    return r;
  }

  QueryOptions last_options;
  ClientState last_client;
  BatchRequest last_batch;
  std::vector<std::string> queries;

 private:
  Result answer(ClientState& client, std::string_view text) {
    if (text == "rows") return rows();
    if (text.starts_with("use ")) {
      client.keyspace = std::string(text.substr(4));
      return SetKeyspaceResult{client.keyspace};
    }
    if (text == "create") {
      SchemaChangeResult change{
          SchemaChangeResult::Change::kCreated, SchemaChangeResult::Target::kTable, "ks", "t", {}};
      if (listener_) listener_(change);
      return change;
    }
    if (text == "invalid") throw InvalidRequest("bad query");
    if (text == "exists") throw AlreadyExists("ks", "t", "Table ks.t already exists");
    if (text == "crash") throw std::runtime_error("boom");
    return VoidResult{};
  }

  std::mutex mutex_;
  SchemaChangeListener listener_;
};

// A request frame as a client sends it.
inline std::string request_frame(Opcode opcode, const std::string& body, int16_t stream = 1,
                                 uint8_t version = 4, uint8_t flags = 0) {
  std::string out;
  out.push_back(static_cast<char>(version));
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>(static_cast<uint16_t>(stream) >> 8));
  out.push_back(static_cast<char>(stream & 0xFF));
  out.push_back(static_cast<char>(opcode));
  std::string length;
  BodyWriter(length).write_int(static_cast<int32_t>(body.size()));
  return out + length + body;
}

inline std::string startup_body(const std::string& compression = "") {
  std::map<std::string, std::string> options{{"CQL_VERSION", "3.0.0"}};
  if (!compression.empty()) options["COMPRESSION"] = compression;
  std::string body;
  BodyWriter(body).write_string_map(options);
  return body;
}

inline std::string query_body(const std::string& text, Consistency cl = Consistency::kOne) {
  std::string body;
  BodyWriter w(body);
  w.write_long_string(text);
  w.write_consistency(cl);
  w.write_byte(0);
  return body;
}

// A response frame split into its header and body.
struct ParsedFrame {
  FrameHeader header;
  std::string body;
};

inline ParsedFrame parse_frame(std::string_view frame) {
  EXPECT_GE(frame.size(), kHeaderSize);
  ParsedFrame f{parse_header(frame), std::string(frame.substr(kHeaderSize))};
  EXPECT_EQ(static_cast<size_t>(f.header.length), f.body.size());
  return f;
}

// The code and message of an ERROR body.
inline std::pair<int32_t, std::string> error_of(const std::string& body) {
  BodyReader r(body);
  int32_t code = r.read_int();
  return {code, std::string(r.read_string())};
}

}  // namespace cqld::transport::testing
