#include "exec/table_options.h"
#include "common/text.h"

#include <cstdlib>

#include "common/errors.h"

namespace cqld {
namespace {

constexpr const char* kDataCenter = "datacenter1";

std::string literal_text(const Literal& l) { return l.text; }

std::map<std::string, std::string> literal_map(const ast::Property& p) {
  if (p.value.kind != Literal::Kind::kMap)
    throw SyntaxError("Invalid value for property '" + p.name + "'. It should be a map.");
  std::map<std::string, std::string> m;
  for (size_t i = 0; i + 1 < p.value.elements.size(); i += 2)
    m[literal_text(p.value.elements[i])] = literal_text(p.value.elements[i + 1]);
  return m;
}

double literal_double(const ast::Property& p) {
  const Literal& l = p.value;
  if (l.kind != Literal::Kind::kInteger && l.kind != Literal::Kind::kFloat && l.kind != Literal::Kind::kString)
    throw SyntaxError("Invalid value for property '" + p.name + "'");
  char* end = nullptr;
  double d = std::strtod(l.text.c_str(), &end);
  if (end == l.text.c_str() || *end != '\0')
    throw SyntaxError("Invalid double value " + l.text + " for '" + p.name + "'");
  return d;
}

int32_t literal_int(const ast::Property& p) {
  const Literal& l = p.value;
  char* end = nullptr;
  long long v = std::strtoll(l.text.c_str(), &end, 10);
  if (l.text.empty() || *end != '\0' || (l.kind != Literal::Kind::kInteger && l.kind != Literal::Kind::kString))
    throw SyntaxError("Invalid integer value " + l.text + " for '" + p.name + "'");
  return static_cast<int32_t>(v);
}

std::string qualify(const std::string& cls, const std::string& package) {
  return cls.find('.') == std::string::npos ? package + cls : cls;
}

void apply_one(const ast::Property& p, std::map<std::string, OptionValue>* options) {
  const std::string& n = p.name;
  if (n == "comment" || n == "speculative_retry" || n == "additional_write_policy" || n == "read_repair") {
    (*options)[n] = p.value.text;
  } else if (n == "bloom_filter_fp_chance" || n == "crc_check_chance" ||
             n == "dclocal_read_repair_chance" || n == "read_repair_chance") {
    (*options)[n] = literal_double(p);
  } else if (n == "default_time_to_live" || n == "gc_grace_seconds" || n == "max_index_interval" ||
             n == "memtable_flush_period_in_ms" || n == "min_index_interval") {
    int32_t v = literal_int(p);
    if (n == "default_time_to_live" && v < 0)
      throw ConfigurationError("default_time_to_live must be greater than or equal to 0 (got " + std::to_string(v) + ")");
    if (n == "gc_grace_seconds" && v < 0)
      throw ConfigurationError("gc_grace_seconds must be greater than or equal to 0 (got " + std::to_string(v) + ")");
    (*options)[n] = v;
  } else if (n == "cdc") {
    std::string t = p.value.text;
    (*options)[n] = (t == "true" || t == "True" || t == "TRUE");
  } else if (n == "caching") {
    auto m = literal_map(p);
    m.try_emplace("keys", "ALL");
    m.try_emplace("rows_per_partition", "NONE");
    (*options)[n] = m;
  } else if (n == "compaction") {
    auto m = literal_map(p);
    if (!m.count("class")) throw ConfigurationError("Missing sub-option 'class' for the 'compaction' option.");
    m["class"] = qualify(m["class"], "org.apache.cassandra.db.compaction.");
    if (m["class"].find("SizeTiered") != std::string::npos) {
      m.try_emplace("max_threshold", "32");
      m.try_emplace("min_threshold", "4");
    }
    (*options)[n] = m;
  } else if (n == "compression") {
    auto m = literal_map(p);
    if (m.count("sstable_compression")) {
      m["class"] = m["sstable_compression"];
      m.erase("sstable_compression");
    }
    if (m.count("enabled") && m["enabled"] == "false") {
      (*options)[n] = std::map<std::string, std::string>{{"enabled", "false"}};
      return;
    }
    if (!m.count("class")) throw ConfigurationError("Missing sub-option 'class' for the 'compression' option.");
    m["class"] = qualify(m["class"], "org.apache.cassandra.io.compress.");
    if (m.count("chunk_length_kb")) {
      m["chunk_length_in_kb"] = m["chunk_length_kb"];
      m.erase("chunk_length_kb");
    }
    m.try_emplace("chunk_length_in_kb", "16");
    (*options)[n] = m;
  } else if (n == "extensions" || n == "id") {
    // Accepted and ignored: extensions need server plugins; a table id cannot be chosen here.
  } else {
    throw SyntaxError("Unknown property '" + n + "'");
  }
}

}  // namespace

void apply_table_properties(const std::vector<ast::Property>& properties,
                            std::map<std::string, OptionValue>* options) {
  for (const auto& p : properties) apply_one(p, options);
}

KeyspaceProperties parse_keyspace_properties(const std::vector<ast::Property>& properties,
                                             const std::string& keyspace) {
  KeyspaceProperties out;
  for (const auto& p : properties) {
    if (p.name == "replication") {
      out.has_replication = true;
      out.replication = literal_map(p);
    } else if (p.name == "durable_writes") {
      out.has_durable_writes = true;
      out.durable_writes = ascii_lower(p.value.text) == "true";
    } else {
      throw SyntaxError("Unknown property '" + p.name + "'");
    }
  }
  if (!out.has_replication) return out;
  auto it = out.replication.find("class");
  if (it == out.replication.end()) throw ConfigurationError("Missing replication strategy class");
  std::string cls = qualify(it->second, "org.apache.cassandra.locator.");
  out.replication["class"] = cls;
  std::string short_name = cls.substr(cls.rfind('.') + 1);
  if (short_name == "SimpleStrategy") {
    // Cassandra 5 fills a missing replication factor from default_keyspace_rf (1).
    out.replication.try_emplace("replication_factor", "1");
    for (const auto& [k, v] : out.replication)
      if (k != "class" && k != "replication_factor")
        throw ConfigurationError("Unrecognized strategy option {" + k + "} passed to SimpleStrategy for keyspace " + keyspace);
  } else if (short_name == "NetworkTopologyStrategy") {
    for (const auto& [k, v] : out.replication) {
      if (k == "class") continue;
      // Cassandra checks data center names against the ring; this node's is the only one.
      if (k != "replication_factor" && k != kDataCenter)
        throw ConfigurationError("Unrecognized strategy option {" + k + "} passed to NetworkTopologyStrategy for keyspace " + keyspace);
      char* end = nullptr;
      std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0')
        throw ConfigurationError("Replication factor must be non-negative integer; found " + v);
    }
  } else if (short_name == "LocalStrategy" || short_name == "EverywhereStrategy") {
    throw ConfigurationError("Unable to use given strategy class: LocalStrategy is reserved for internal use.");
  } else {
    throw ConfigurationError("Unable to find replication strategy class '" + cls + "'");
  }
  return out;
}

}  // namespace cqld
