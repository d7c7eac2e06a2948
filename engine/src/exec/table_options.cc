#include "exec/table_options.h"
#include "common/text.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

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

// Cassandra's SpeculativeRetryPolicy.fromString, normalized as it stores it: "99PERCENTILE" and
// "99p" are "99p", "50ms", "ALWAYS", "NEVER" (for NONE too), "MIN(99p,50ms)", "MAX(...)". Letters
// in any case. Its messages name 'speculative_retry' for additional_write_policy too.
std::optional<std::string> retry_policy(const std::string& text, bool nested = false) {
  auto invalid = [&]() -> std::string {
    throw ConfigurationError("Invalid value " + text + " for option 'speculative_retry'");
  };
  std::string upper;
  for (char c : text) upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  if (!nested && (upper == "ALWAYS" || upper == "NEVER" || upper == "NONE")) return upper == "ALWAYS" ? "ALWAYS" : "NEVER";
  if (!nested && (upper.rfind("MIN(", 0) == 0 || upper.rfind("MAX(", 0) == 0) && upper.back() == ')') {
    std::string inner = text.substr(4, text.size() - 5);
    size_t comma = inner.find(',');
    if (comma == std::string::npos) invalid();
    auto a = retry_policy(inner.substr(0, comma), true), b = retry_policy(inner.substr(comma + 1), true);
    return upper.substr(0, 3) + "(" + *a + "," + *b + ")";
  }
  auto number = [&](size_t suffix) -> std::optional<double> {
    std::string digits = upper.substr(0, upper.size() - suffix);
    if (digits.empty() || digits.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
    return std::strtod(digits.c_str(), nullptr);
  };
  auto ends_with = [&](const std::string& suffix) {
    return upper.size() > suffix.size() && upper.compare(upper.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with("MS")) {
    auto ms = number(2);
    if (!ms) invalid();
    return std::to_string(static_cast<long long>(*ms)) + "ms";
  }
  if (ends_with("PERCENTILE") || ends_with("P")) {
    auto pct = number(ends_with("PERCENTILE") ? 10 : 1);
    if (!pct) invalid();
    if (*pct < 0 || *pct > 100)
      throw ConfigurationError("Invalid value " + text +
                               " for PERCENTILE option 'speculative_retry': must be between (0.0 and 100.0)");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", *pct);  // DecimalFormat("#.####")
    std::string out = buf;
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
    return out + "p";
  }
  invalid();
  return std::nullopt;
}

void apply_one(const ast::Property& p, std::map<std::string, OptionValue>* options) {
  const std::string& n = p.name;
  if (n == "speculative_retry" || n == "additional_write_policy") {
    (*options)[n] = *retry_policy(p.value.text);
  } else if (n == "comment" || n == "read_repair") {
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
    // An empty map is no compression, as an explicit 'enabled': 'false'.
    if (m.empty() || (m.count("enabled") && m["enabled"] == "false")) {
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
