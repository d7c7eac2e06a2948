#include "exec/table_options.h"
#include "common/text.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>

#include "common/errors.h"
#include "exec/describe.h"

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

std::string ascii_upper(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
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

// Cassandra's compaction strategies (their short names), and whether its CompactionParams fills
// min_threshold and max_threshold for them (UnifiedCompactionStrategy takes none).
const std::map<std::string, bool>& compaction_strategies() {
  static const std::map<std::string, bool> kStrategies{{"SizeTieredCompactionStrategy", true},
                                                      {"LeveledCompactionStrategy", true},
                                                      {"TimeWindowCompactionStrategy", true},
                                                      {"UnifiedCompactionStrategy", false}};
  return kStrategies;
}

std::map<std::string, std::string> compaction_map(const ast::Property& p) {
  auto m = literal_map(p);
  if (!m.count("class")) throw ConfigurationError("Missing sub-option 'class' for the 'compaction' option");
  m["class"] = qualify(m["class"], "org.apache.cassandra.db.compaction.");
  const std::string prefix = "org.apache.cassandra.db.compaction.";
  auto it = m["class"].rfind(prefix, 0) == 0 ? compaction_strategies().find(m["class"].substr(prefix.size()))
                                              : compaction_strategies().end();
  if (it == compaction_strategies().end())
    throw ConfigurationError("Unable to find compaction strategy class '" + m["class"] + "'");
  if (it->second) {
    m.try_emplace("max_threshold", "32");
    m.try_emplace("min_threshold", "4");
  }
  return m;
}

std::map<std::string, std::string> compression_map(const ast::Property& p) {
  auto m = literal_map(p);
  if (m.count("sstable_compression")) {
    m["class"] = m["sstable_compression"];
    m.erase("sstable_compression");
  }
  // An empty map is no compression, as an explicit 'enabled': 'false'.
  if (m.empty() || (m.count("enabled") && m["enabled"] == "false"))
    return std::map<std::string, std::string>{{"enabled", "false"}};
  if (!m.count("class")) throw ConfigurationError("Missing sub-option 'class' for the 'compression' option.");
  m["class"] = qualify(m["class"], "org.apache.cassandra.io.compress.");
  static const std::set<std::string> kCompressors{
      "org.apache.cassandra.io.compress.LZ4Compressor", "org.apache.cassandra.io.compress.SnappyCompressor",
      "org.apache.cassandra.io.compress.DeflateCompressor", "org.apache.cassandra.io.compress.ZstdCompressor",
      "org.apache.cassandra.io.compress.NoopCompressor"};
  if (!kCompressors.count(m["class"]))
    throw ConfigurationError("Could not create Compression for type " + m["class"]);
  if (m.count("chunk_length_kb")) {
    m["chunk_length_in_kb"] = m["chunk_length_kb"];
    m.erase("chunk_length_kb");
  }
  m.try_emplace("chunk_length_in_kb", "16");
  char* end = nullptr;
  long long kb = std::strtoll(m["chunk_length_in_kb"].c_str(), &end, 10);
  if (*end != '\0' || kb <= 0 || (kb & (kb - 1)) != 0)
    throw ConfigurationError("chunk_length_in_kb must be a power of 2");
  return m;
}

// Cassandra's CachingParams: keys ALL or NONE, rows_per_partition ALL, NONE or a count.
std::map<std::string, std::string> caching_map(const ast::Property& p) {
  auto m = literal_map(p);
  std::vector<std::string> unknown;
  for (const auto& [k, v] : m)
    if (k != "keys" && k != "rows_per_partition") unknown.push_back(k);
  if (!unknown.empty()) {
    std::string list;
    for (const auto& k : unknown) list += (list.empty() ? "" : ", ") + k;
    throw ConfigurationError("Invalid caching sub-options [" + list + "]: only 'keys' and 'rows_per_partition' are allowed");
  }
  if (auto it = m.find("keys"); it != m.end()) {
    std::string upper = ascii_upper(it->second);
    if (upper != "ALL" && upper != "NONE")
      throw ConfigurationError("Invalid value '" + it->second +
                               "' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed");
    it->second = upper;
  }
  if (auto it = m.find("rows_per_partition"); it != m.end()) {
    std::string upper = ascii_upper(it->second);
    bool count = !it->second.empty() && it->second.find_first_not_of("0123456789") == std::string::npos;
    if (upper != "ALL" && upper != "NONE" && !count)
      throw ConfigurationError("Invalid value '" + it->second +
                               "' for caching sub-option 'rows_per_partition': only 'ALL', 'NONE', and integer values are allowed");
    if (!count) it->second = upper;
  }
  m.try_emplace("keys", "ALL");
  m.try_emplace("rows_per_partition", "NONE");
  return m;
}

void apply_one(const ast::Property& p, std::map<std::string, OptionValue>* options) {
  const std::string& n = p.name;
  if (n == "speculative_retry" || n == "additional_write_policy") {
    (*options)[n] = *retry_policy(p.value.text);
  } else if (n == "comment" || n == "read_repair") {
    (*options)[n] = p.value.text;
  } else if (n == "bloom_filter_fp_chance" || n == "crc_check_chance") {
    (*options)[n] = literal_double(p);
  } else if (n == "default_time_to_live" || n == "gc_grace_seconds" || n == "max_index_interval" ||
             n == "memtable_flush_period_in_ms" || n == "min_index_interval") {
    (*options)[n] = literal_int(p);
  } else if (n == "cdc" || n == "allow_auto_snapshot" || n == "incremental_backups") {
    (*options)[n] = ascii_lower(p.value.text) == "true";
  } else if (n == "memtable") {
    // Only the built-in configuration: cassandra.yaml's memtable.configurations defines no others.
    // Cassandra keeps no value for the default one: system_schema shows null, DESCRIBE 'default'.
    if (p.value.text != "default")
      throw ConfigurationError("Memtable configuration \"" + p.value.text + "\" not found.");
  } else if (n == "caching") {
    (*options)[n] = caching_map(p);
  } else if (n == "compaction") {
    (*options)[n] = compaction_map(p);
  } else if (n == "compression") {
    (*options)[n] = compression_map(p);
  } else if (n == "extensions" || n == "id") {
    // Accepted and ignored: extensions need server plugins; a table id cannot be chosen here.
  } else {
    throw SyntaxError("Unknown property '" + n + "'");
  }
}

// An option's value, or Cassandra's default when the options do not hold it.
template <typename T>
T option_or_default(const std::map<std::string, OptionValue>& options, const char* name) {
  static const std::map<std::string, OptionValue> kDefaults = default_table_options();
  auto it = options.find(name);
  if (it != options.end())
    if (const T* value = std::get_if<T>(&it->second)) return *value;
  return std::get<T>(kDefaults.at(name));
}

int32_t int_option(const std::map<std::string, OptionValue>& options, const char* name) {
  return option_or_default<int32_t>(options, name);
}

double double_option(const std::map<std::string, OptionValue>& options, const char* name) {
  return option_or_default<double>(options, name);
}

// Cassandra's TableParams.validate, in its order and words, on the options once all are applied.
void validate_table_params(const std::map<std::string, OptionValue>& options) {
  auto fail = [](const std::string& message) { throw ConfigurationError(message); };
  double bloom = double_option(options, "bloom_filter_fp_chance");
  if (bloom <= 6.71e-5 || bloom > 1)
    fail("bloom_filter_fp_chance must be larger than 6.71E-5 and less than or equal to 1.0 (got " + java_double(bloom) + ")");
  double crc = double_option(options, "crc_check_chance");
  if (crc < 0 || crc > 1.0)
    fail("crc_check_chance must be larger than or equal to 0 and smaller than or equal to 1.0 (got " + java_double(crc) + ")");
  int32_t ttl = int_option(options, "default_time_to_live");
  if (ttl < 0) fail("default_time_to_live must be greater than or equal to 0 (got " + std::to_string(ttl) + ")");
  if (ttl > 630720000)
    fail("default_time_to_live must be less than or equal to 630720000 (got " + std::to_string(ttl) + ")");
  int32_t gc = int_option(options, "gc_grace_seconds");
  if (gc < 0) fail("gc_grace_seconds must be greater than or equal to 0 (got " + std::to_string(gc) + ")");
  int32_t min_interval = int_option(options, "min_index_interval");
  if (min_interval < 1)
    fail("min_index_interval must be greater than or equal to 1 (got " + std::to_string(min_interval) + ")");
  int32_t max_interval = int_option(options, "max_index_interval");
  if (max_interval < min_interval)
    fail("max_index_interval must be greater than or equal to min_index_interval (" + std::to_string(min_interval) +
         ") (got " + std::to_string(max_interval) + ")");
  int32_t flush = int_option(options, "memtable_flush_period_in_ms");
  if (flush < 0) fail("memtable_flush_period_in_ms must be greater than or equal to 0 (got " + std::to_string(flush) + ")");
}

}  // namespace

void apply_table_properties(const std::vector<ast::Property>& properties,
                            std::map<std::string, OptionValue>* options) {
  for (const auto& p : properties) apply_one(p, options);
  validate_table_params(*options);
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
    // ReplicationFactor.fromString: Integer.parseInt's message, then the sign check.
    const std::string& rf = out.replication["replication_factor"];
    char* end = nullptr;
    long long factor = std::strtoll(rf.c_str(), &end, 10);
    if (rf.empty() || *end != '\0') throw ConfigurationError("For input string: \"" + rf + "\"");
    if (factor < 0) throw ConfigurationError("Replication factor must be non-negative, found " + rf);
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
    // A replication_factor stands for every data center not named: this node's one.
    if (auto rf = out.replication.find("replication_factor"); rf != out.replication.end()) {
      out.replication.try_emplace(kDataCenter, rf->second);
      out.replication.erase("replication_factor");
    }
  } else if (short_name == "LocalStrategy" || short_name == "EverywhereStrategy") {
    throw ConfigurationError("Unable to use given strategy class: LocalStrategy is reserved for internal use.");
  } else {
    throw ConfigurationError("Unable to find replication strategy class '" + cls + "'");
  }
  return out;
}

}  // namespace cqld
