#include "cql/lexer.h"

#include <algorithm>
#include <array>

#include "common/errors.h"
#include "common/text.h"

namespace cqld::lexer {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ident_char(char c) {
  return is_letter(c) || is_digit(c) || c == '_';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

[[noreturn]] void fail_at(std::string_view text, size_t pos, const std::string& what) {
  throw SyntaxError(position_header(text, static_cast<uint32_t>(pos)) + " " + what);
}

class Scanner {
 public:
  Scanner(std::string_view text, std::vector<Token>& out, bool script) : text_(text), out_(out), script_(script) {}

  void run() {
    while (true) {
      skip_blanks_and_comments();
      if (pos_ >= text_.size()) break;
      scan_token();
    }
    out_.push_back({TokenKind::kEof, std::string_view(), static_cast<uint32_t>(text_.size())});
  }

 private:
  char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  void emit(TokenKind kind, size_t start) {
    out_.push_back({kind, text_.substr(start, pos_ - start), static_cast<uint32_t>(start)});
  }

  void skip_blanks_and_comments() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if ((c == '-' && at(pos_ + 1) == '-') || (c == '/' && at(pos_ + 1) == '/')) {
        while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
        // Cassandra's COMMENT rule ends at a line break: a line comment must not end the text.
        if (pos_ >= text_.size() && !script_) fail_at(text_, pos_, "mismatched character '<EOF>' expecting set null");
      } else if (c == '/' && at(pos_ + 1) == '*') {
        size_t end = text_.find("*/", pos_ + 2);
        pos_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  void scan_token() {
    size_t start = pos_;
    char c = text_[pos_];
    if (is_hex(c) && scan_uuid()) return emit(TokenKind::kUuid, start);
    if (c == '0' && (at(pos_ + 1) == 'x' || at(pos_ + 1) == 'X')) return scan_hex_blob();
    if (is_digit(c)) return scan_number();
    if (is_letter(c)) return scan_word();
    if (c == '\'') return scan_quoted('\'', TokenKind::kString);
    if (c == '"') return scan_quoted('"', TokenKind::kQuotedName);
    if (c == '$' && at(pos_ + 1) == '$') return scan_dollar_string();
    scan_symbol();
  }

  // 8-4-4-4-12 hex digits not followed by an identifier character. As in Cassandra's lexer,
  // eight hex digits and a '-' can only start a uuid: what follows must complete it.
  bool scan_uuid() {
    static constexpr std::array<int, 5> kGroups = {8, 4, 4, 4, 12};
    size_t p = pos_;
    for (int i = 0; i < kGroups[0]; ++i, ++p) {
      if (!is_hex(at(p))) return false;
    }
    if (at(p) != '-') return false;
    auto mismatch = [this](size_t at_pos, const std::string& expected) {
      std::string found = at_pos >= text_.size() ? "<EOF>" : std::string(1, text_[at_pos]);
      fail_at(text_, at_pos, "mismatched character '" + found + "' expecting " + expected);
    };
    for (size_t g = 1; g < kGroups.size(); ++g) {
      if (at(p) != '-') mismatch(p, "'-'");
      ++p;
      for (int i = 0; i < kGroups[g]; ++i, ++p) {
        if (!is_hex(at(p))) mismatch(p, "set null");
      }
    }
    if (is_ident_char(at(p))) return false;
    pos_ = p;
    return true;
  }

  void scan_hex_blob() {
    size_t start = pos_;
    pos_ += 2;
    while (is_hex(at(pos_))) ++pos_;
    emit(TokenKind::kHex, start);
  }

  void skip_digits() {
    while (is_digit(at(pos_))) ++pos_;
  }

  // Length of a duration unit at "p" (y mo w d h m s ms us µs ns, any case), or 0.
  size_t duration_unit_at(size_t p) const {
    char c0 = lower(at(p));
    char c1 = lower(at(p + 1));
    if ((c0 == 'm' && (c1 == 'o' || c1 == 's')) || ((c0 == 'u' || c0 == 'n') && c1 == 's')) {
      return 2;
    }
    if (at(p) == '\xC2' && at(p + 1) == '\xB5' && lower(at(p + 2)) == 's') return 3;
    if (c0 == 'y' || c0 == 'w' || c0 == 'd' || c0 == 'h' || c0 == 'm' || c0 == 's') return 1;
    return 0;
  }

  // After the first digits: (unit digits)* unit, ending at a non-identifier character.
  bool scan_duration_units() {
    size_t p = pos_;
    while (true) {
      size_t unit = duration_unit_at(p);
      if (unit == 0) return false;
      p += unit;
      if (!is_digit(at(p))) break;
      while (is_digit(at(p))) ++p;
    }
    if (is_ident_char(at(p))) return false;
    pos_ = p;
    return true;
  }

  bool scan_exponent() {
    char c = at(pos_);
    if (c != 'e' && c != 'E') return false;
    size_t p = pos_ + 1;
    if (at(p) == '+' || at(p) == '-') ++p;
    if (!is_digit(at(p))) return false;
    pos_ = p;
    skip_digits();
    return true;
  }

  void scan_number() {
    size_t start = pos_;
    skip_digits();
    // "1..3" is a slice, not the float "1." followed by ".3".
    if (at(pos_) == '.' && at(pos_ + 1) != '.') {
      ++pos_;
      skip_digits();
      scan_exponent();
      return emit(TokenKind::kFloat, start);
    }
    if (scan_exponent()) return emit(TokenKind::kFloat, start);
    if (is_letter(at(pos_)) || at(pos_) == '\xC2') {
      if (scan_duration_units()) return emit(TokenKind::kDuration, start);
    }
    emit(TokenKind::kInteger, start);
  }

  // ISO 8601 forms: P[nY][nM][nD][T[nH][nM][nS]], PnW, and PYYYY-MM-DDThh:mm:ss.
  bool scan_iso_duration() {
    size_t p = pos_ + 1;
    if (scan_iso_alternative(p)) return true;
    bool any = false;
    bool in_time = false;
    while (true) {
      if (!in_time && (at(p) == 'T' || at(p) == 't')) {
        in_time = true;
        ++p;
        continue;
      }
      if (!is_digit(at(p))) break;
      while (is_digit(at(p))) ++p;
      char unit = lower(at(p));
      bool ok = in_time ? (unit == 'h' || unit == 'm' || unit == 's')
                        : (unit == 'y' || unit == 'm' || unit == 'd' || unit == 'w');
      if (!ok) return false;
      ++p;
      any = true;
    }
    if (!any || is_ident_char(at(p))) return false;
    pos_ = p;
    return true;
  }

  bool scan_iso_alternative(size_t p) {
    static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
    for (size_t i = 0; i < kShape.size(); ++i) {
      char c = at(p + i);
      bool ok = kShape[i] == 'd'   ? is_digit(c)
                : kShape[i] == 'T' ? (c == 'T' || c == 't')
                                   : c == kShape[i];
      if (!ok) return false;
    }
    if (is_ident_char(at(p + kShape.size()))) return false;
    pos_ = p + kShape.size();
    return true;
  }

  void scan_word() {
    size_t start = pos_;
    if ((text_[pos_] == 'P' || text_[pos_] == 'p') && scan_iso_duration()) {
      return emit(TokenKind::kDuration, start);
    }
    while (is_ident_char(at(pos_))) ++pos_;
    emit(TokenKind::kIdent, start);
  }

  void scan_quoted(char quote, TokenKind kind) {
    size_t start = pos_++;
    while (true) {
      if (pos_ >= text_.size()) {
        fail_at(text_, pos_, std::string("mismatched character '<EOF>' expecting '") + quote + "'");
      }
      if (text_[pos_] == quote) {
        if (at(pos_ + 1) != quote) break;
        ++pos_;
      }
      ++pos_;
    }
    ++pos_;
    emit(kind, start);
  }

  void scan_dollar_string() {
    size_t start = pos_;
    size_t end = text_.find("$$", pos_ + 2);
    if (end == std::string_view::npos) {
      fail_at(text_, text_.size(), "mismatched character '<EOF>' expecting '$'");
    }
    pos_ = end + 2;
    emit(TokenKind::kString, start);
  }

  void scan_symbol() {
    size_t start = pos_;
    char c = text_[pos_];
    char n = at(pos_ + 1);
    bool two = (c == '<' && n == '=') || (c == '>' && n == '=') || (c == '!' && n == '=') ||
               (c == '+' && n == '=') || (c == '-' && n == '=') || (c == '.' && n == '.');
    if (two) {
      pos_ += 2;
      return emit(TokenKind::kSymbol, start);
    }
    static constexpr std::string_view kSingles = "()[]{},;.:=<>+-*/%?";
    if (kSingles.find(c) == std::string_view::npos) {
      // The whole character, not its first byte: the message must stay valid UTF-8.
      size_t length = std::max<size_t>(utf8_char_length(text_, pos_), 1);
      fail_at(text_, pos_, "no viable alternative at character '" + to_valid_utf8(text_.substr(pos_, length)) + "'");
    }
    ++pos_;
    emit(TokenKind::kSymbol, start);
  }

  std::string_view text_;
  std::vector<Token>& out_;
  bool script_;
  size_t pos_ = 0;
};

std::string unquote(std::string_view body, char quote) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    out.push_back(body[i]);
    if (body[i] == quote && i + 1 < body.size() && body[i + 1] == quote) ++i;
  }
  return out;
}

}  // namespace

void tokenize(std::string_view text, std::vector<Token>& out, bool script) {
  Scanner(text, out, script).run();
}

std::string string_value(const Token& token) {
  std::string_view t = token.text;
  if (t.size() >= 4 && t[0] == '$') return std::string(t.substr(2, t.size() - 4));
  return unquote(t.substr(1, t.size() - 2), '\'');
}

std::string quoted_name_value(const Token& token) {
  return unquote(token.text.substr(1, token.text.size() - 2), '"');
}

bool equals_keyword(std::string_view word, std::string_view keyword) {
  if (word.size() != keyword.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (lower(word[i]) != keyword[i]) return false;
  }
  return true;
}

bool is_reserved_keyword(std::string_view word) {
  // Cassandra 5.0's reserved_keywords.txt, sorted.
  static constexpr std::array<std::string_view, 57> kReserved = {
      "add",      "allow",    "alter",        "and",          "apply",  "asc",         "authorize",
      "batch",    "begin",    "by",           "columnfamily", "create", "delete",      "desc",
      "describe", "drop",     "entries",      "execute",      "from",   "full",        "grant",
      "if",       "in",       "index",        "infinity",     "insert", "into",        "is",
      "keyspace", "limit",    "materialized", "modify",       "nan",    "norecursive", "not",
      "null",     "of",       "on",           "or",           "order",  "primary",     "rename",
      "revoke",   "schema",   "select",       "set",          "table",  "to",          "token",
      "truncate", "unlogged", "update",       "use",          "using",  "view",        "where",
      "with"};
  if (word.size() > 12) return false;
  char buf[12];
  for (size_t i = 0; i < word.size(); ++i) buf[i] = lower(word[i]);
  std::string_view w(buf, word.size());
  return std::binary_search(kReserved.begin(), kReserved.end(), w);
}

std::string position_header(std::string_view text, uint32_t offset) {
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  // Columns count Java chars, as Cassandra's ANTLR lexer does.
  size_t end = std::min<size_t>(offset, text.size());
  size_t column = utf16_length(text.substr(line_start, end - line_start)) + (offset - end);
  return "line " + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace cqld::lexer
