// Types, terms (constants, bind markers, collections, function calls, arithmetic) and the
// conversion of constant terms into Literals.
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "common/errors.h"
#include "cql/parser.h"
#include "cql/parser_impl.h"
#include "types/bignum.h"

namespace cqld {
namespace parser_detail {
namespace {

// Native type names come from the type module, so both stages agree on them.
bool native_type(std::string_view word, TypeKind& kind) {
  TypePtr type = primitive_type_by_name(word);
  if (type == nullptr) return false;
  kind = type->kind;
  return true;
}

ast::Term literal_term(Literal::Kind kind, std::string text) {
  ast::Term term;
  term.kind = ast::Term::Kind::kLiteral;
  term.literal.kind = kind;
  term.literal.text = std::move(text);
  return term;
}

ast::Term arithmetic(ast::ArithmeticOp op, ast::Term left, ast::Term right) {
  ast::Term term;
  term.kind = ast::Term::Kind::kArithmetic;
  term.op = op;
  term.children.push_back(std::move(left));
  term.children.push_back(std::move(right));
  return term;
}

bool is_keyword_token(const Token& t, std::string_view keyword) {
  return t.kind == TokenKind::kIdent && lexer::equals_keyword(t.text, keyword);
}

bool is_special_float(const Token& t) {
  return is_keyword_token(t, "nan") || is_keyword_token(t, "infinity");
}

std::optional<Literal::Kind> collection_literal_kind(ast::Term::Kind kind) {
  switch (kind) {
    case ast::Term::Kind::kList:
      return Literal::Kind::kList;
    case ast::Term::Kind::kSet:
      return Literal::Kind::kSet;
    case ast::Term::Kind::kMap:
      return Literal::Kind::kMap;
    case ast::Term::Kind::kTuple:
      return Literal::Kind::kTuple;
    case ast::Term::Kind::kUdt:
      return Literal::Kind::kUdt;
    default:
      return std::nullopt;
  }
}

}  // namespace

ast::RawType Parser::type() {
  NestingGuard nesting(*this);
  const Token& t = peek();
  ast::RawType result;
  if (t.kind == TokenKind::kString) {
    result.kind = TypeKind::kCustom;
    result.custom_class = lexer::string_value(advance());
    return result;
  }
  if (t.kind == TokenKind::kIdent && at_symbol("<", 1)) {
    if (is_keyword_token(t, "frozen")) {
      advance();
      advance();
      result = type();
      expect_symbol(">");
      result.frozen = true;
      return result;
    }
    if (is_keyword_token(t, "list")) return collection_or_tuple_type(TypeKind::kList);
    if (is_keyword_token(t, "set")) return collection_or_tuple_type(TypeKind::kSet);
    if (is_keyword_token(t, "map")) return collection_or_tuple_type(TypeKind::kMap);
    if (is_keyword_token(t, "tuple")) return collection_or_tuple_type(TypeKind::kTuple);
    if (is_keyword_token(t, "vector")) {
      advance();
      advance();
      result.kind = TypeKind::kVector;
      result.params.push_back(type());
      expect_symbol(",");
      // Cassandra's INTEGER token takes a leading minus: vector<float, -1> parses, then is refused.
      bool negative = peek().kind == TokenKind::kSymbol && peek().text == "-" && peek(1).kind == TokenKind::kInteger;
      if (negative) advance();
      if (peek().kind != TokenKind::kInteger || peek().text.size() > 9) fail_mismatched("INTEGER");
      result.vector_dimension = std::stoi(std::string(advance().text)) * (negative ? -1 : 1);
      expect_symbol(">");
      return result;
    }
  }
  if (t.kind == TokenKind::kIdent && native_type(t.text, result.kind)) {
    advance();
    return result;
  }
  result.kind = TypeKind::kUdt;
  result.udt = qualified_name();
  return result;
}

ast::RawType Parser::collection_or_tuple_type(TypeKind kind) {
  advance();
  advance();
  ast::RawType result;
  result.kind = kind;
  result.params.push_back(type());
  if (kind == TypeKind::kMap) {
    expect_symbol(",");
    result.params.push_back(type());
  } else if (kind == TypeKind::kTuple) {
    while (accept_symbol(",")) result.params.push_back(type());
  }
  expect_symbol(">");
  return result;
}

bool Parser::at_bind_marker() const {
  return at_symbol("?") || (at_symbol(":") && at_identifier(1));
}

ast::Term Parser::bind_marker() {
  ast::Term term;
  term.kind = ast::Term::Kind::kBindMarker;
  if (accept_symbol("?")) {
    // "?" has no name
  } else {
    expect_symbol(":");
    term.bind_name = identifier();
  }
  term.bind_index = bind_count_++;
  bind_names_.push_back(term.bind_name);
  return term;
}

ast::Term Parser::int_value() {
  if (at_bind_marker()) return bind_marker();
  bool negative = accept_symbol("-");
  if (peek().kind != TokenKind::kInteger) fail_no_viable();
  std::string text(advance().text);
  if (negative) text.insert(0, 1, '-');
  return literal_term(Literal::Kind::kInteger, std::move(text));
}

ast::Term Parser::term() {
  NestingGuard nesting(*this);
  count_element();
  ast::Term left = term_product();
  while ((at_symbol("+") || at_symbol("-")) && !at_column_after_operator()) {
    nesting.deepen();
    ast::ArithmeticOp op = at_symbol("+") ? ast::ArithmeticOp::kAdd : ast::ArithmeticOp::kSubtract;
    advance();
    left = arithmetic(op, std::move(left), term_product());
  }
  return left;
}

// "x + col" in "SET col = x + col": the column ends the term, the assignment takes it.
bool Parser::at_column_after_operator() const {
  if (!at_identifier(1)) return false;
  return !at_symbol("(", 2) && !at_symbol(".", 2);
}

ast::Term Parser::term_product() {
  NestingGuard chain(*this, 0);
  ast::Term left = term_group();
  while (true) {
    ast::ArithmeticOp op;
    if (at_symbol("*")) {
      op = ast::ArithmeticOp::kMultiply;
    } else if (at_symbol("/")) {
      op = ast::ArithmeticOp::kDivide;
    } else if (at_symbol("%")) {
      op = ast::ArithmeticOp::kModulo;
    } else {
      return left;
    }
    advance();
    chain.deepen();
    left = arithmetic(op, std::move(left), term_group());
  }
}

ast::Term Parser::term_group() {
  if (!accept_symbol("-")) return simple_term();
  const Token& t = peek();
  if (t.kind == TokenKind::kInteger || t.kind == TokenKind::kFloat ||
      t.kind == TokenKind::kDuration || is_special_float(t)) {
    ast::Term term = simple_term();
    term.literal.text.insert(0, 1, '-');
    return term;
  }
  ast::Term term;
  term.kind = ast::Term::Kind::kNegate;
  term.children.push_back(simple_term());
  return term;
}

// Cassandra types a float constant as it parses it, through BigDecimal: first the decimal's own
// range, then the double's, whose overflow (1e309, Infinity) BigDecimal cannot take either.
std::string Parser::float_literal_text() {
  std::string text(advance().text);
  auto fail = [this](const std::string& error) {
    throw SyntaxError("Failed parsing statement: [" + std::string(text_) + "] reason: NumberFormatException " + error);
  };
  if (auto error = decimal_range_error(text)) fail(*error);
  if (std::isinf(std::strtod(text.c_str(), nullptr)))
    fail("Character I is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark.");
  return text;
}

ast::Term Parser::simple_term() {
  const Token& t = peek();
  switch (t.kind) {
    case TokenKind::kString:
      return literal_term(Literal::Kind::kString, lexer::string_value(advance()));
    case TokenKind::kInteger:
      return literal_term(Literal::Kind::kInteger, std::string(advance().text));
    case TokenKind::kFloat:
      return literal_term(Literal::Kind::kFloat, float_literal_text());
    case TokenKind::kUuid:
      return literal_term(Literal::Kind::kUuid, std::string(advance().text));
    case TokenKind::kHex:
      return literal_term(Literal::Kind::kHex, std::string(advance().text.substr(2)));
    case TokenKind::kDuration:
      return literal_term(Literal::Kind::kDuration, std::string(advance().text));
    case TokenKind::kQuotedName:
      return function_call_term();
    case TokenKind::kIdent:
      break;
    case TokenKind::kSymbol:
      if (at_bind_marker()) return bind_marker();
      if (at_symbol("[")) {
        advance();
        ast::Term list;
        list.kind = ast::Term::Kind::kList;
        list.children.reserve(list_length());
        if (!at_symbol("]")) {
          do {
            list.children.push_back(term());
          } while (accept_symbol(","));
        }
        expect_symbol("]");
        return list;
      }
      if (at_symbol("{")) return brace_literal();
      if (at_symbol("(")) return parenthesized_term();
      fail_no_viable();
    case TokenKind::kEof:
      fail_no_viable();
  }
  if (is_keyword_token(t, "true") || is_keyword_token(t, "false")) {
    return literal_term(Literal::Kind::kBoolean,
                        is_keyword_token(advance(), "true") ? "true" : "false");
  }
  if (is_keyword_token(t, "null")) {
    advance();
    return literal_term(Literal::Kind::kNull, "");
  }
  if (is_special_float(t)) return literal_term(Literal::Kind::kFloat, std::string(advance().text));
  return function_call_term();
}

// [keyspace.]name(args): the name may be any identifier, TOKEN, or COUNT.
ast::Term Parser::function_call_term() {
  bool callable = at_symbol("(", 1) || (at_symbol(".", 1) && at_symbol("(", 3));
  bool name_ok = at_identifier() || at_keyword("token");
  if (!callable || !name_ok) fail_no_viable();
  ast::Term call;
  call.kind = ast::Term::Kind::kFunctionCall;
  if (at_keyword("token") && at_symbol("(", 1)) {
    advance();
    call.function.name = "token";
  } else {
    call.function = qualified_name();
  }
  call.children.reserve(list_length());
  expect_symbol("(");
  if (!at_symbol(")")) {
    do {
      call.children.push_back(term());
    } while (accept_symbol(","));
  }
  expect_symbol(")");
  return call;
}

ast::Term Parser::brace_literal() {
  ast::Term result;
  result.children.reserve(list_length() * 2);
  expect_symbol("{");
  if (accept_symbol("}")) {
    result.kind = ast::Term::Kind::kMap;
    return result;
  }
  if (at_identifier() && at_symbol(":", 1)) {
    result.kind = ast::Term::Kind::kUdt;
    do {
      result.field_names.push_back(identifier());
      expect_symbol(":");
      result.children.push_back(term());
    } while (accept_symbol(","));
    expect_symbol("}");
    return result;
  }
  result.children.push_back(term());
  if (accept_symbol(":")) {
    result.kind = ast::Term::Kind::kMap;
    result.children.push_back(term());
    while (accept_symbol(",")) {
      result.children.push_back(term());
      expect_symbol(":");
      result.children.push_back(term());
    }
  } else {
    result.kind = ast::Term::Kind::kSet;
    while (accept_symbol(",")) result.children.push_back(term());
  }
  expect_symbol("}");
  return result;
}

// "(type) term" when a type name is closed right away; otherwise a tuple literal.
bool Parser::at_type_hint() const {
  if (!at_identifier(1)) return false;
  if (at_symbol(")", 2) || at_symbol("<", 2)) return true;
  return at_symbol(".", 2) && at_identifier(3) && at_symbol(")", 4);
}

ast::Term Parser::parenthesized_term() {
  if (at_type_hint()) {
    advance();
    ast::Term hint;
    hint.kind = ast::Term::Kind::kTypeHint;
    hint.type = type();
    expect_symbol(")");
    hint.children.push_back(term_group());
    return hint;
  }
  ast::Term tuple;
  tuple.kind = ast::Term::Kind::kTuple;
  tuple.children = parenthesized_terms();
  return tuple;
}

std::vector<ast::Term> Parser::parenthesized_terms() {
  std::vector<ast::Term> terms;
  terms.reserve(list_length());
  expect_symbol("(");
  do {
    terms.push_back(term());
  } while (accept_symbol(","));
  expect_symbol(")");
  return terms;
}

Literal Parser::constant_or_map() {
  const Token& t = peek();
  if (t.kind == TokenKind::kIdent && !lexer::is_reserved_keyword(t.text) &&
      !is_keyword_token(t, "true") && !is_keyword_token(t, "false")) {
    // Cassandra takes an unreserved keyword as a string value here (e.g. "= none").
    Literal word;
    word.kind = Literal::Kind::kString;
    word.text = std::string(advance().text);
    return word;
  }
  ast::Term value = at_symbol("{") ? brace_literal() : term_group();
  std::optional<Literal> literal = term_to_literal(value);
  if (!literal) fail_no_viable();
  if (literal->kind == Literal::Kind::kMap) {
    const std::vector<Literal>& e = literal->elements;
    for (size_t i = 0; i < e.size(); i += 2) {
      for (size_t j = 0; j < i; j += 2) {
        if (e[i].text == e[j].text) {
          throw SyntaxError("Multiple definition for property " + e[i].text);
        }
      }
    }
  }
  return std::move(*literal);
}

}  // namespace parser_detail

std::optional<Literal> term_to_literal(const ast::Term& term) {
  if (term.kind == ast::Term::Kind::kLiteral) return term.literal;
  std::optional<Literal::Kind> kind = parser_detail::collection_literal_kind(term.kind);
  if (!kind) return std::nullopt;
  Literal result;
  result.kind = *kind;
  result.field_names = term.field_names;
  result.elements.reserve(term.children.size());
  for (const ast::Term& child : term.children) {
    std::optional<Literal> element = term_to_literal(child);
    if (!element) return std::nullopt;
    result.elements.push_back(std::move(*element));
  }
  return result;
}

}  // namespace cqld
