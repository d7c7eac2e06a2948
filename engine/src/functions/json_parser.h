// JSON text read the way Cassandra reads it: Jackson's ObjectMapper turns it into Java objects
// (Integer, Long, BigInteger, Double, String, Boolean, ArrayList, LinkedHashMap, null), and
// each CQL type's fromJSONObject takes one of those. The type a number gets decides what a
// column accepts ("Expected an int value, but got a Long: 2147483648"), so the parser keeps
// it, and keeps every number's text as written so varint and decimal stay exact.
//
// A parser of our own rather than a library: Debian's JSON libraries (nlohmann-json, RapidJSON)
// turn big integers into doubles or refuse them and do not report Jackson's number classes or
// its error messages, which Cassandra passes on to clients word for word.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cqld {

struct JsonMember;

struct JsonValue {
  // The Java class Jackson would make. Integers take the narrowest of Integer, Long and
  // BigInteger that holds them; any number with a fraction or an exponent is a Double.
  enum class Kind : uint8_t { kNull, kBoolean, kInteger, kLong, kBigInteger, kDouble, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;                 // a string unescaped (UTF-8), or a number as written
  double number = 0;                // kDouble: its value (Double.parseDouble of the text)
  std::vector<JsonValue> elements;  // kArray
  // kObject, as a LinkedHashMap keeps it: first-seen order, a repeated key holds its last value.
  std::vector<JsonMember> members;

  // Declared here, defined where JsonMember is complete (a vector's element type may be
  // incomplete only until its members are used).
  JsonValue();
  JsonValue(const JsonValue&);
  JsonValue(JsonValue&&) noexcept;
  JsonValue& operator=(const JsonValue&);
  JsonValue& operator=(JsonValue&&) noexcept;
  ~JsonValue();

  bool is_null() const { return kind == Kind::kNull; }
  bool is_number() const {
    return kind == Kind::kInteger || kind == Kind::kLong || kind == Kind::kBigInteger || kind == Kind::kDouble;
  }
  // getClass().getSimpleName(): "Integer", "ArrayList", "LinkedHashMap", ...
  const char* java_class() const;
  // String.valueOf(object): "1.5", "[1, x, true]", "{a=1}", "null".
  std::string java_string() const;
};

// A text Jackson refuses; what() is the exception's toString(), class name included
// ("com.fasterxml.jackson.core.JsonParseException: Unexpected character ...").
class JsonSyntaxError : public std::runtime_error {
 public:
  explicit JsonSyntaxError(const std::string& m) : std::runtime_error(m) {}
};

// One member of an object: its key as written (unescaped) and its value.
struct JsonMember {
  std::string key;
  JsonValue value;
};


// Reads the first JSON value of "text"; what follows it is ignored, as ObjectMapper.readValue
// ignores trailing tokens. Throws JsonSyntaxError ("No content to map due to end-of-input" for
// a blank text).
JsonValue parse_json(std::string_view text);

// Jackson's quoteAsString: the body of a JSON string literal (no surrounding quotes), with
// '"', '\\' and control characters escaped and everything else, non-ASCII included, as is.
std::string quote_json_string(std::string_view text);

}  // namespace cqld
