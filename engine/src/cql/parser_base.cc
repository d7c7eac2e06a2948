// Token access, error reporting and names for the Parser.
#include <algorithm>

#include "common/errors.h"
#include "cql/parser_impl.h"

namespace cqld::parser_detail {
namespace {

// Cassandra's snippet spans from 10 tokens before the offending one to 2 after, counting the
// whitespace between tokens as tokens (ANTLR keeps them on a hidden channel).
constexpr size_t kSnippetTokensBefore = 10;
constexpr size_t kSnippetTokensAfter = 2;

struct Span {
  uint32_t begin;
  uint32_t end;  // EOF is an empty span at the end of the text
  bool eof;
};

// The tokens and the gaps between them, as ANTLR's token stream would hold them.
std::vector<Span> stream_spans(const std::vector<Token>& tokens, size_t offending,
                               size_t& offending_span) {
  std::vector<Span> spans;
  uint32_t previous_end = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.offset > previous_end) spans.push_back({previous_end, t.offset, false});
    if (i == offending) offending_span = spans.size();
    bool eof = t.kind == TokenKind::kEof;
    uint32_t end = t.offset + static_cast<uint32_t>(t.text.size());
    spans.push_back({t.offset, end, eof});
    previous_end = end;
  }
  return spans;
}

std::string snippet(std::string_view text, const std::vector<Token>& tokens, size_t offending) {
  size_t at = 0;
  std::vector<Span> spans = stream_spans(tokens, offending, at);
  size_t from = at > kSnippetTokensBefore ? at - kSnippetTokensBefore : 0;
  size_t to = std::min(spans.size() - 1, at + kSnippetTokensAfter);
  std::string out = " (";
  if (spans[from].begin != 0) out += "...";
  for (uint32_t i = spans[from].begin; i < spans[to].end; ++i) {
    if (i == spans[at].begin) out += '[';
    if (text[i] != '\n') out += text[i];
    if (i + 1 == spans[at].end && !spans[at].eof) out += ']';
  }
  if (spans[at].eof) out += "[]";  // the empty EOF token, highlighted
  if (spans[to].end != text.size()) out += "...";
  out += ")";
  return out;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string folded(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = lower(c);
  return out;
}

}  // namespace

Parser::Parser(std::string_view text) : text_(text) {
  tokens_.reserve(text.size() / 4 + 4);
  lexer::tokenize(text, tokens_);
}

const Token& Parser::peek(size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

const Token& Parser::advance() {
  const Token& t = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return t;
}

bool Parser::at_keyword(std::string_view keyword, size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokenKind::kIdent && lexer::equals_keyword(t.text, keyword);
}

bool Parser::accept_keyword(std::string_view keyword) {
  if (!at_keyword(keyword)) return false;
  advance();
  return true;
}

void Parser::expect_keyword(std::string_view keyword) {
  if (accept_keyword(keyword)) return;
  std::string name = "K_";
  for (char c : keyword) name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  fail_mismatched(name);
}

bool Parser::at_symbol(std::string_view symbol, size_t ahead) const {
  // Symbols are one or two characters: compare them without a call to memcmp.
  const Token& t = peek(ahead);
  if (t.kind != TokenKind::kSymbol || t.text.size() != symbol.size()) return false;
  return t.text[0] == symbol[0] && (symbol.size() == 1 || t.text[1] == symbol[1]);
}

size_t Parser::list_length() const {
  size_t depth = 0;
  size_t items = 1;
  for (size_t i = pos_ + 1; i < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    if (t.kind != TokenKind::kSymbol || t.text.size() != 1) continue;
    char c = t.text[0];
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) return i == pos_ + 1 ? 0 : items;
      --depth;
    } else if (c == ',' && depth == 0) {
      ++items;
    }
  }
  return items;
}

bool Parser::accept_symbol(std::string_view symbol) {
  if (!at_symbol(symbol)) return false;
  advance();
  return true;
}

void Parser::expect_symbol(std::string_view symbol) {
  if (accept_symbol(symbol)) return;
  fail_mismatched("'" + std::string(symbol) + "'");
}

bool Parser::accept_if_not_exists() {
  if (!at_keyword("if")) return false;
  advance();
  expect_keyword("not");
  expect_keyword("exists");
  return true;
}

bool Parser::accept_if_exists() {
  if (!at_keyword("if")) return false;
  advance();
  expect_keyword("exists");
  return true;
}

void Parser::fail_at_current(const std::string& message) const {
  const Token& t = peek();
  // ANTLR's EOF token has no position: Cassandra reports "line 0:-1" and quotes nothing.
  if (t.kind == TokenKind::kEof) throw SyntaxError("line 0:-1 " + message);
  throw SyntaxError(lexer::position_header(text_, t.offset) + " " + message +
                    snippet(text_, tokens_, std::min(pos_, tokens_.size() - 1)));
}

static std::string input_text(const Token& t) {
  return t.kind == TokenKind::kEof ? "<EOF>" : std::string(t.text);
}

void Parser::fail_mismatched(std::string_view expecting) const {
  fail_at_current("mismatched input '" + input_text(peek()) + "' expecting " +
                  std::string(expecting));
}

void Parser::fail_no_viable() const {
  fail_at_current("no viable alternative at input '" + input_text(peek()) + "'");
}

void Parser::fail_no_viable_after_previous() const {
  const Token& t = peek();
  std::string message = "no viable alternative at input '" + input_text(t) + "'";
  if (t.kind == TokenKind::kEof || pos_ == 0) fail_at_current(message);
  throw SyntaxError(lexer::position_header(text_, t.offset) + " " + message +
                    snippet(text_, tokens_, std::min(pos_ - 1, tokens_.size() - 1)));
}

Parser::NestingGuard::NestingGuard(Parser& parser, int levels) : parser_(parser) {
  for (int i = 0; i < levels; ++i) deepen();
}

void Parser::count_element() {
  if (++elements_ > kMaxElements) {
    fail_at_current("too many terms in one statement (the limit is " + std::to_string(kMaxElements) +
                    "; bind values have no such limit)");
  }
}

void Parser::NestingGuard::deepen() {
  if (parser_.depth_ >= kMaxNesting) {
    parser_.fail_at_current("too many nested expressions (the limit is " +
                            std::to_string(kMaxNesting) + ")");
  }
  ++parser_.depth_;
  ++levels_;
}

bool Parser::at_identifier(size_t ahead) const {
  const Token& t = peek(ahead);
  if (t.kind == TokenKind::kQuotedName) return t.text.size() > 2;  // "" names nothing
  if (t.kind != TokenKind::kIdent) return false;
  return !lexer::is_reserved_keyword(t.text) && !lexer::equals_keyword(t.text, "true") &&
         !lexer::equals_keyword(t.text, "false");
}

std::string Parser::identifier() {
  if (!at_identifier()) fail_no_viable();
  const Token& t = advance();
  if (t.kind == TokenKind::kQuotedName) return lexer::quoted_name_value(t);
  return folded(t.text);
}

ast::QualifiedName Parser::qualified_name() {
  ast::QualifiedName name;
  name.name = identifier();
  if (accept_symbol(".")) {
    name.keyspace = std::move(name.name);
    name.name = identifier();
  }
  return name;
}

std::string Parser::role_name() {
  if (peek().kind == TokenKind::kString) return lexer::string_value(advance());
  return identifier();
}

std::unique_ptr<ast::RawStatement> Parser::parse_whole_statement() {
  auto raw = std::make_unique<ast::RawStatement>(ast::RawStatement{statement(), 0, {}});
  accept_symbol(";");
  if (!at_eof()) fail_mismatched("EOF");
  raw->bind_marker_count = bind_count_;
  raw->bind_marker_names = std::move(bind_names_);
  return raw;
}

ast::RawType Parser::parse_whole_type() {
  ast::RawType t = type();
  if (!at_eof()) fail_mismatched("EOF");
  return t;
}

}  // namespace cqld::parser_detail
