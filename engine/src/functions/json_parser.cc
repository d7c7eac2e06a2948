#include "functions/json_parser.h"

#include <bit>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "functions/cast.h"
#include "types/value.h"

namespace cqld {

JsonValue::JsonValue() = default;
JsonValue::JsonValue(const JsonValue&) = default;
JsonValue::JsonValue(JsonValue&&) noexcept = default;
JsonValue& JsonValue::operator=(const JsonValue&) = default;
JsonValue& JsonValue::operator=(JsonValue&&) noexcept = default;
JsonValue::~JsonValue() = default;

namespace {

// Jackson's StreamReadConstraints defaults (2.15+): deeper or longer input is refused.
constexpr int kMaxNestingDepth = 1000;
constexpr size_t kMaxNumberLength = 1000;

constexpr const char* kParseException = "com.fasterxml.jackson.core.JsonParseException: ";
constexpr const char* kEofException = "com.fasterxml.jackson.core.io.JsonEOFException: ";
constexpr const char* kConstraintsException = "com.fasterxml.jackson.core.exc.StreamConstraintsException: ";
constexpr const char* kExpectedValue =
    "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  JsonValue parse_root() {
    skip_blanks();
    if (at_end()) {
      throw JsonSyntaxError(
          "com.fasterxml.jackson.databind.exc.MismatchedInputException: No content to map due to end-of-input\n at " +
          source() + "line: 1]");
    }
    return parse_value(0);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  void skip_blanks() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  static std::string source() {
    return "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ";
  }

  // "line: L, column: C" of byte offset "at" (columns count characters, from 1).
  std::string location(size_t at) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<uint8_t>(text_[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    return source() + "line: " + std::to_string(line) + ", column: " + std::to_string(column) + "]";
  }

  [[noreturn]] void fail(const std::string& message, size_t at) const {
    throw JsonSyntaxError(kParseException + message + "\n at " + location(at));
  }

  [[noreturn]] void fail_eof(const std::string& message) const {
    throw JsonSyntaxError(kEofException + message + "\n at " + location(text_.size()));
  }

  // Jackson's description of a character in its messages.
  static std::string describe(char c) {
    auto code = static_cast<uint8_t>(c);
    if (code < 0x20) return "(CTRL-CHAR, code " + std::to_string(code) + ")";
    return "'" + std::string(1, c) + "' (code " + std::to_string(code) + ")";
  }

  [[noreturn]] void unexpected(const std::string& expecting) const {
    fail("Unexpected character (" + describe(peek()) + "): " + expecting, pos_);
  }

  static bool is_identifier_part(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || (static_cast<uint8_t>(c) & 0x80);
  }

  [[noreturn]] void unrecognized_token(size_t start) {
    size_t end = start;
    while (end < text_.size() && is_identifier_part(text_[end])) ++end;
    if (end == start) ++end;
    fail("Unrecognized token '" + std::string(text_.substr(start, end - start)) + "': was expecting " + kExpectedValue,
         end);
  }

  JsonValue parse_value(int depth) {
    if (at_end()) fail_eof("Unexpected end-of-input: expected a value");
    char c = peek();
    if (c == '{' || c == '[') {
      if (depth >= kMaxNestingDepth) {
        throw JsonSyntaxError(std::string(kConstraintsException) + "Document nesting depth (" +
                              std::to_string(depth + 1) + ") exceeds the maximum allowed (" +
                              std::to_string(kMaxNestingDepth) + ", from `StreamReadConstraints.getMaxNestingDepth()`)");
      }
      return c == '{' ? parse_object(depth + 1) : parse_array(depth + 1);
    }
    if (c == '"') {
      JsonValue v;
      v.kind = JsonValue::Kind::kString;
      v.text = parse_string();
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
    if (std::isalpha(static_cast<unsigned char>(c))) return parse_keyword();
    unexpected(std::string("expected a valid value ") + kExpectedValue);
  }

  JsonValue parse_keyword() {
    size_t start = pos_;
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) != word) continue;
      size_t end = pos_ + word.size();
      if (end < text_.size() && is_identifier_part(text_[end])) break;
      pos_ = end;
      JsonValue v;
      v.kind = word == "null" ? JsonValue::Kind::kNull : JsonValue::Kind::kBoolean;
      v.boolean = word == "true";
      return v;
    }
    unrecognized_token(start);
  }

  size_t digits() {
    size_t start = pos_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    return pos_ - start;
  }

  JsonValue parse_number() {
    size_t start = pos_;
    if (peek() == '-') {
      ++pos_;
      if (at_end() || peek() < '0' || peek() > '9') {
        if (at_end()) fail_eof("Unexpected end-of-input in a Number value");
        fail("Unexpected character (" + describe(peek()) +
                 ") in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value",
             pos_);
      }
    }
    size_t integer_start = pos_;
    size_t integer_digits = digits();
    if (integer_digits > 1 && text_[integer_start] == '0') fail("Invalid numeric value: Leading zeroes not allowed", integer_start + 1);
    bool floating = false;
    if (!at_end() && peek() == '.') {
      floating = true;
      ++pos_;
      if (digits() == 0) {
        if (at_end()) fail_eof("Unexpected end-of-input in a Number value");
        fail("Unexpected character (" + describe(peek()) + ") in numeric value: Decimal point not followed by a digit", pos_);
      }
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      floating = true;
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (digits() == 0) {
        if (at_end()) fail_eof("Unexpected end-of-input in a Number value");
        fail("Unexpected character (" + describe(peek()) + ") in numeric value: Exponent indicator not followed by a digit",
             pos_);
      }
    }
    JsonValue v;
    v.text = std::string(text_.substr(start, pos_ - start));
    if (v.text.size() > kMaxNumberLength) {
      throw JsonSyntaxError(std::string(kConstraintsException) + "Number value length (" + std::to_string(v.text.size()) +
                            ") exceeds the maximum allowed (" + std::to_string(kMaxNumberLength) +
                            ", from `StreamReadConstraints.getMaxNumberLength()`)");
    }
    if (floating) {
      v.kind = JsonValue::Kind::kDouble;
      v.number = std::strtod(v.text.c_str(), nullptr);
      return v;
    }
    if (v.text == "-0") v.text = "0";
    v.kind = integer_kind(v.text);
    return v;
  }

  // Integer, Long or BigInteger, by magnitude.
  static JsonValue::Kind integer_kind(const std::string& text) {
    bool negative = text[0] == '-';
    std::string_view magnitude = std::string_view(text).substr(negative ? 1 : 0);
    auto fits = [&](std::string_view max_positive, std::string_view max_negative) {
      std::string_view limit = negative ? max_negative : max_positive;
      return magnitude.size() < limit.size() || (magnitude.size() == limit.size() && magnitude <= limit);
    };
    if (fits("2147483647", "2147483648")) return JsonValue::Kind::kInteger;
    if (fits("9223372036854775807", "9223372036854775808")) return JsonValue::Kind::kLong;
    return JsonValue::Kind::kBigInteger;
  }

  static void append_utf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  uint32_t hex4() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      if (at_end()) fail_eof("Unexpected end-of-input within/between String entries");
      char c = peek();
      int d = std::isxdigit(static_cast<unsigned char>(c))
                  ? (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10))
                  : -1;
      if (d < 0) fail("Unexpected character (" + describe(c) + "): expected a hex-digit for character escape sequence", pos_);
      v = v * 16 + static_cast<uint32_t>(d);
      ++pos_;
    }
    return v;
  }

  // \uXXXX, joining a surrogate pair into one code point (a lone surrogate becomes U+FFFD,
  // as Java's UTF-8 encoder replaces it).
  void unicode_escape(std::string* out) {
    uint32_t cp = hex4();
    if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
      size_t save = pos_;
      pos_ += 2;
      uint32_t low = hex4();
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00), out);
        return;
      }
      pos_ = save;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    append_utf8(cp, out);
  }

  std::string parse_string() {
    ++pos_;  // the opening quote
    std::string out;
    while (true) {
      if (at_end()) fail_eof("Unexpected end-of-input: was expecting closing quote for a string value");
      char c = peek();
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<uint8_t>(c) < 0x20) {
        fail("Illegal unquoted character (" + describe(c) +
                 "): has to be escaped using backslash to be included in string value",
             pos_);
      }
      ++pos_;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (at_end()) fail_eof("Unexpected end-of-input in character escape sequence");
      char e = peek();
      ++pos_;
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': unicode_escape(&out); break;
        default: fail("Unrecognized character escape " + describe(e), pos_ - 1);
      }
    }
  }

  JsonValue parse_array(int depth) {
    size_t start = pos_++;
    JsonValue v;
    v.kind = JsonValue::Kind::kArray;
    skip_blanks();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return v;
    }
    while (true) {
      skip_blanks();
      if (at_end()) close_marker_missing("Array", start);
      v.elements.push_back(parse_value(depth));
      skip_blanks();
      if (at_end()) close_marker_missing("Array", start);
      if (peek() == ']') {
        ++pos_;
        return v;
      }
      if (peek() != ',') unexpected("was expecting comma to separate Array entries");
      ++pos_;
    }
  }

  JsonValue parse_object(int depth) {
    size_t start = pos_++;
    JsonValue v;
    v.kind = JsonValue::Kind::kObject;
    skip_blanks();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return v;
    }
    while (true) {
      skip_blanks();
      if (at_end()) close_marker_missing("Object", start);
      if (peek() != '"') unexpected("was expecting double-quote to start field name");
      std::string key = parse_string();
      skip_blanks();
      if (at_end()) close_marker_missing("Object", start);
      if (peek() != ':') unexpected("was expecting a colon to separate field name and value");
      ++pos_;
      skip_blanks();
      JsonValue member = parse_value(depth);
      put(&v, std::move(key), std::move(member));
      skip_blanks();
      if (at_end()) close_marker_missing("Object", start);
      if (peek() == '}') {
        ++pos_;
        return v;
      }
      if (peek() != ',') unexpected("was expecting comma to separate Object entries");
      ++pos_;
    }
  }

  // LinkedHashMap.put: a repeated key keeps its place and takes the new value.
  static void put(JsonValue* object, std::string key, JsonValue value) {
    for (auto& [k, existing] : object->members) {
      if (k == key) {
        existing = std::move(value);
        return;
      }
    }
    object->members.push_back(JsonMember{std::move(key), std::move(value)});
  }

  [[noreturn]] void close_marker_missing(const char* what, size_t start) const {
    fail_eof(std::string("Unexpected end-of-input: expected close marker for ") + what + " (start marker at " +
             location(start) + ")");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

const char* JsonValue::java_class() const {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kBoolean: return "Boolean";
    case Kind::kInteger: return "Integer";
    case Kind::kLong: return "Long";
    case Kind::kBigInteger: return "BigInteger";
    case Kind::kDouble: return "Double";
    case Kind::kString: return "String";
    case Kind::kArray: return "ArrayList";
    case Kind::kObject: return "LinkedHashMap";
  }
  return "Object";
}

std::string JsonValue::java_string() const {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kBoolean: return boolean ? "true" : "false";
    case Kind::kDouble: return value_to_text(TypeKind::kDouble, encode_int64(std::bit_cast<int64_t>(number)));
    case Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < elements.size(); ++i) out += (i ? ", " : "") + elements[i].java_string();
      return out + "]";
    }
    case Kind::kObject: {
      std::string out = "{";
      for (size_t i = 0; i < members.size(); ++i)
        out += (i ? ", " : "") + members[i].key + "=" + members[i].value.java_string();
      return out + "}";
    }
    default: return text;  // strings, and integers as written
  }
}

JsonValue parse_json(std::string_view text) { return Parser(text).parse_root(); }

std::string quote_json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<uint8_t>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(static_cast<uint8_t>(c)));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

}  // namespace cqld
