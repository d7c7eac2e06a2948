// The CQL lexer: splits statement text into tokens that view the text (no copies). Keywords
// are not distinguished from identifiers here; the parser compares identifier tokens with
// keywords case-insensitively, so a keyword the grammar leaves unreserved stays usable as a name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cqld::lexer {

enum class TokenKind : uint8_t {
  kEof,
  kIdent,       // [a-zA-Z][a-zA-Z0-9_]*, also keywords, NaN, Infinity, true, false
  kQuotedName,  // "Name" (text includes the quotes; "" escapes a quote)
  kString,      // 'text' ('' escapes a quote) or $$text$$ (text includes the delimiters)
  kInteger,     // [0-9]+ (a minus sign is a separate kSymbol token)
  kFloat,       // 1.5, 1., 1e10, 2.5E-3
  kUuid,        // 8-4-4-4-12 hex digits
  kHex,         // 0x0102 (text includes the 0x)
  kDuration,    // 1h30m, 12mo, P1Y2M, PT4H, P1W, P0001-02-03T04:05:06
  kSymbol,      // ( ) [ ] { } , ; . : = < <= > >= != + - * / % ? += -= ..
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string_view text;  // a view of the statement text
  uint32_t offset = 0;    // byte offset of the token in the statement text
};

// Appends the tokens of "text" to "out", ending with one kEof token whose offset is the text's
// length. Whitespace and comments (--, //, /* */) are skipped. Throws SyntaxError on a
// character no token can start with, or on an unterminated string or quoted name.
// A statement's text must not end inside a line comment (Cassandra's lexer wants its line
// break); a script's may, as cqlsh reads scripts ("script" true).
void tokenize(std::string_view text, std::vector<Token>& out, bool script = false);

// The content of a kString token: quotes removed and '' unescaped, or $$ delimiters removed.
std::string string_value(const Token& token);

// The content of a kQuotedName token: quotes removed and "" unescaped.
std::string quoted_name_value(const Token& token);

// Whether "word" equals the lower-case keyword "keyword", ignoring the case of "word".
bool equals_keyword(std::string_view word, std::string_view keyword);

// Cassandra's reserved keywords: they cannot be used as unquoted identifiers.
bool is_reserved_keyword(std::string_view word);

// "line L:C" for a byte offset (1-based line, 0-based column as Cassandra reports them).
std::string position_header(std::string_view text, uint32_t offset);

}  // namespace cqld::lexer
