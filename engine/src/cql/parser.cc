// The public entry points of the parser (parser.h).
#include "cql/parser.h"

#include "cql/lexer.h"
#include "cql/parser_impl.h"

namespace cqld {

std::unique_ptr<ast::RawStatement> parse_statement(std::string_view text) {
  parser_detail::Parser parser(text);
  return parser.parse_whole_statement();
}

ast::RawType parse_type(std::string_view text) {
  parser_detail::Parser parser(text);
  return parser.parse_whole_type();
}

std::vector<std::string_view> split_statements(std::string_view script) {
  using lexer::Token;
  using lexer::TokenKind;
  std::vector<Token> tokens;
  lexer::tokenize(script, tokens, /*script=*/true);
  std::vector<std::string_view> statements;
  size_t first = 0;  // index of the current statement's first token
  bool in_batch = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    bool at_start = i == first;
    if (at_start && t.kind == TokenKind::kIdent && lexer::equals_keyword(t.text, "begin")) {
      in_batch = true;
    }
    if (in_batch && t.kind == TokenKind::kIdent && lexer::equals_keyword(t.text, "apply")) {
      in_batch = false;
    }
    bool ends = t.kind == TokenKind::kEof || (t.kind == TokenKind::kSymbol && t.text == ";");
    if (!ends || (in_batch && t.kind != TokenKind::kEof)) continue;
    if (i > first) {
      const Token& last = tokens[i - 1];
      size_t begin = tokens[first].offset;
      statements.push_back(script.substr(begin, last.offset + last.text.size() - begin));
    }
    first = i + 1;
    in_batch = false;
  }
  return statements;
}

}  // namespace cqld
