// Clauses shared by statements: selectors, WHERE relations, IF conditions, USING, WITH.
#include <cctype>
#include <utility>

#include "common/errors.h"
#include "cql/parser_impl.h"

namespace cqld::parser_detail {
namespace {

ast::Selector with_child(ast::Selector::Kind kind, ast::Selector child) {
  ast::Selector s;
  s.kind = kind;
  s.children.push_back(std::move(child));
  return s;
}

ast::Selector term_selector(ast::Term term) {
  ast::Selector s;
  s.kind = ast::Selector::Kind::kTerm;
  s.term = std::move(term);
  return s;
}

bool starts_constant(const Token& t) {
  switch (t.kind) {
    case TokenKind::kString:
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kUuid:
    case TokenKind::kHex:
    case TokenKind::kDuration:
      return true;
    case TokenKind::kIdent:
      for (std::string_view word : {"true", "false", "null", "nan", "infinity"}) {
        if (lexer::equals_keyword(t.text, word)) return true;
      }
      return false;
    default:
      return false;
  }
}

bool is_numeric(const Token& t) {
  return t.kind == TokenKind::kInteger || t.kind == TokenKind::kFloat ||
         t.kind == TokenKind::kDuration ||
         (t.kind == TokenKind::kIdent &&
          (lexer::equals_keyword(t.text, "nan") || lexer::equals_keyword(t.text, "infinity")));
}

}  // namespace

std::vector<ast::SelectItem> Parser::select_clause(bool& select_all) {
  std::vector<ast::SelectItem> items;
  select_all = accept_symbol("*");
  if (select_all) return items;
  do {
    ast::SelectItem item;
    item.selector = selector();
    if (accept_keyword("as")) item.alias = identifier();
    items.push_back(std::move(item));
  } while (accept_symbol(","));
  return items;
}

ast::Selector Parser::selector() {
  NestingGuard chain(*this, 0);
  ast::Selector left = selector_product();
  while (at_symbol("+") || at_symbol("-")) {
    chain.deepen();
    ast::ArithmeticOp op = at_symbol("+") ? ast::ArithmeticOp::kAdd : ast::ArithmeticOp::kSubtract;
    advance();
    ast::Selector s = with_child(ast::Selector::Kind::kArithmetic, std::move(left));
    s.op = op;
    s.children.push_back(selector_product());
    left = std::move(s);
  }
  return left;
}

ast::Selector Parser::selector_product() {
  NestingGuard chain(*this, 0);
  ast::Selector left = selector_group();
  while (at_symbol("*") || at_symbol("/") || at_symbol("%")) {
    chain.deepen();
    ast::ArithmeticOp op = at_symbol("*")   ? ast::ArithmeticOp::kMultiply
                           : at_symbol("/") ? ast::ArithmeticOp::kDivide
                                            : ast::ArithmeticOp::kModulo;
    advance();
    ast::Selector s = with_child(ast::Selector::Kind::kArithmetic, std::move(left));
    s.op = op;
    s.children.push_back(selector_group());
    left = std::move(s);
  }
  return left;
}

ast::Selector Parser::selector_group() {
  NestingGuard nesting(*this);
  count_element();
  if (at_symbol("-")) {
    // A constant alone: the operators around it are the selection's (a type hint binds tighter).
    if (is_numeric(peek(1))) return term_selector(term_group());
    reject_partial_infinity();
    advance();
    return with_child(ast::Selector::Kind::kNegate, selector_group());
  }
  return selector_with_modifiers(simple_selector());
}

// Cassandra's lexer reads "-i" as the start of "-Infinity": a '-' touching a name that begins
// with 'i' but is not "infinity" is a lexing error there, not a negation.
void Parser::reject_partial_infinity() const {
  const Token& minus = peek();
  const Token& next = peek(1);
  if (next.kind != TokenKind::kIdent || next.offset != minus.offset + 1) return;
  static constexpr std::string_view kInfinity = "infinity";
  size_t i = 0;
  while (i < next.text.size() && i < kInfinity.size() &&
         std::tolower(static_cast<unsigned char>(next.text[i])) == kInfinity[i])
    ++i;
  if (i == 0 || i == kInfinity.size()) return;
  uint32_t offset = next.offset + static_cast<uint32_t>(i);
  std::string found = offset < text_.size() ? std::string(1, text_[offset]) : std::string("<EOF>");
  throw SyntaxError(lexer::position_header(text_, offset) + " mismatched character '" + found + "' expecting set null");
}

// Field access (.field), element selection ([key]) and slices ([from..to]), chained.
ast::Selector Parser::selector_with_modifiers(ast::Selector base) {
  NestingGuard chain(*this, 0);
  while (true) {
    if (at_symbol(".") || at_symbol("[")) chain.deepen();
    if (accept_symbol(".")) {
      base = with_child(ast::Selector::Kind::kFieldAccess, std::move(base));
      base.column = identifier();
    } else if (accept_symbol("[")) {
      std::optional<ast::Term> first;
      if (!at_symbol("..")) first = term();
      if (accept_symbol("..")) {
        base = with_child(ast::Selector::Kind::kSlice, std::move(base));
        base.slice_from = std::move(first);
        if (!at_symbol("]")) base.slice_to = term();
      } else {
        base = with_child(ast::Selector::Kind::kElement, std::move(base));
        base.term = std::move(first);
      }
      expect_symbol("]");
    } else {
      return base;
    }
  }
}

ast::Selector Parser::simple_selector() {
  if (at_symbol("(")) {
    if (peek(1).kind == TokenKind::kIdent && (at_symbol(")", 2) || at_symbol("<", 2))) {
      advance();
      ast::Selector hint;
      hint.kind = ast::Selector::Kind::kTypeHint;
      hint.type = type();
      expect_symbol(")");
      hint.children.push_back(selector_group());
      return hint;
    }
    advance();
    ast::Selector inner = selector();
    expect_symbol(")");
    inner.parenthesized = true;
    return inner;
  }
  if (starts_constant(peek()) || at_bind_marker() || at_symbol("[") || at_symbol("{")) {
    return term_selector(term_group());
  }
  bool call = at_symbol("(", 1);
  if (call && at_keyword("count") &&
      (at_symbol("*", 2) || (peek(2).kind == TokenKind::kInteger && peek(2).text == "1")) &&
      at_symbol(")", 3)) {
    pos_ += 4;
    ast::Selector count;
    count.kind = ast::Selector::Kind::kCountRows;
    return count;
  }
  if (call && at_keyword("writetime"))
    return column_function_selector(ast::Selector::Kind::kWritetime);
  if (call && at_keyword("maxwritetime")) {
    return column_function_selector(ast::Selector::Kind::kMaxWritetime);
  }
  if (call && at_keyword("ttl")) return column_function_selector(ast::Selector::Kind::kTtl);
  if (call && at_keyword("cast")) {
    pos_ += 2;
    ast::Selector cast = with_child(ast::Selector::Kind::kCast, selector());
    expect_keyword("as");
    // CAST takes a native type only: Cassandra's grammar has no alternative for other names.
    if (peek().kind != TokenKind::kIdent || primitive_type_by_name(peek().text) == nullptr) fail_no_viable();
    cast.type = type();
    expect_symbol(")");
    return cast;
  }
  bool qualified_call = at_symbol(".", 1) && at_symbol("(", 3);
  if (call || qualified_call) {
    if (!at_identifier() && !at_keyword("token")) fail_no_viable();
    ast::Selector fn;
    fn.kind = ast::Selector::Kind::kFunctionCall;
    if (at_keyword("token")) {
      advance();
      fn.function.name = "token";
    } else {
      fn.function = qualified_name();
    }
    expect_symbol("(");
    if (!at_symbol(")")) {
      do {
        fn.children.push_back(selector());
      } while (accept_symbol(","));
    }
    expect_symbol(")");
    return fn;
  }
  ast::Selector column;
  column.column = identifier();
  return column;
}

ast::Selector Parser::column_function_selector(ast::Selector::Kind kind) {
  pos_ += 2;
  ast::Selector column;
  column.column = identifier();
  ast::Selector s = with_child(kind, selector_with_modifiers(std::move(column)));
  expect_symbol(")");
  return s;
}

std::vector<ast::Relation> Parser::where_clause() {
  std::vector<ast::Relation> relations;
  do {
    relations.push_back(relation());
  } while (accept_keyword("and"));
  return relations;
}

ast::Operator Parser::relation_operator() {
  static constexpr std::pair<std::string_view, ast::Operator> kSymbols[] = {
      {"=", ast::Operator::kEq}, {"<", ast::Operator::kLt},   {"<=", ast::Operator::kLte},
      {">", ast::Operator::kGt}, {">=", ast::Operator::kGte}, {"!=", ast::Operator::kNeq}};
  for (const auto& [symbol, op] : kSymbols) {
    if (accept_symbol(symbol)) return op;
  }
  if (accept_keyword("in")) return ast::Operator::kIn;
  if (accept_keyword("like")) return ast::Operator::kLike;
  if (accept_keyword("contains")) {
    return accept_keyword("key") ? ast::Operator::kContainsKey : ast::Operator::kContains;
  }
  fail_no_viable();
}

void Parser::relation_rhs(ast::Operator op, std::optional<ast::Term>& value,
                          std::vector<ast::Term>& in_values, bool tuples) {
  if (op != ast::Operator::kIn) {
    value = term();
    return;
  }
  if (at_bind_marker()) {
    value = bind_marker();
    return;
  }
  expect_symbol("(");
  if (!at_symbol(")")) {
    do {
      if (tuples && !at_symbol("(") && !at_bind_marker()) fail_mismatched("'('");
      in_values.push_back(term());
    } while (accept_symbol(","));
  }
  expect_symbol(")");
}

ast::Relation Parser::relation() {
  NestingGuard nesting(*this);
  ast::Relation r;
  if (at_keyword("token") && at_symbol("(", 1)) {
    pos_ += 2;
    r.kind = ast::Relation::Kind::kToken;
    do {
      r.columns.push_back(identifier());
    } while (accept_symbol(","));
    expect_symbol(")");
    // Cassandra's grammar has no IN on token().
    if (at_keyword("in")) fail_no_viable();
    r.op = relation_operator();
    r.value = term();
    return r;
  }
  if (at_symbol("(")) {
    if (at_identifier(1) && (at_symbol(",", 2) || at_symbol(")", 2))) {
      return multi_column_relation();
    }
    advance();
    r = relation();
    expect_symbol(")");
    return r;
  }
  r.columns.push_back(identifier());
  if (accept_symbol("[")) {
    r.map_key = term();
    expect_symbol("]");
  }
  if (accept_keyword("is")) {
    expect_keyword("not");
    expect_keyword("null");
    r.op = ast::Operator::kIsNotNull;
    return r;
  }
  r.op = relation_operator();
  relation_rhs(r.op, r.value, r.in_values, false);
  return r;
}

ast::Relation Parser::multi_column_relation() {
  ast::Relation r;
  r.kind = ast::Relation::Kind::kMultiColumn;
  expect_symbol("(");
  do {
    r.columns.push_back(identifier());
  } while (accept_symbol(","));
  expect_symbol(")");
  r.op = relation_operator();
  // A tuple relation compares with a tuple literal or a marker, nothing else.
  if (r.op != ast::Operator::kIn && !at_symbol("(") && !at_bind_marker()) fail_no_viable_after_previous();
  relation_rhs(r.op, r.value, r.in_values, true);
  return r;
}

std::vector<ast::Condition> Parser::conditions() {
  std::vector<ast::Condition> result;
  do {
    ast::Condition c;
    c.column = identifier();
    if (accept_symbol("[")) {
      c.element = term();
      expect_symbol("]");
    } else if (accept_symbol(".")) {
      c.field = identifier();
    }
    c.op = relation_operator();
    if (c.op == ast::Operator::kLike) fail_no_viable();
    relation_rhs(c.op, c.value, c.in_values, false);
    result.push_back(std::move(c));
  } while (accept_keyword("and"));
  return result;
}

ast::UsingClause Parser::using_clause() {
  ast::UsingClause u;
  expect_keyword("using");
  do {
    if (accept_keyword("ttl")) {
      u.ttl = int_value();
    } else if (accept_keyword("timestamp")) {
      u.timestamp = int_value();
    } else {
      fail_no_viable();
    }
  } while (accept_keyword("and"));
  return u;
}

std::vector<ast::OrderingItem> Parser::ordering_list() {
  std::vector<ast::OrderingItem> items;
  do {
    ast::OrderingItem item;
    item.column = identifier();
    if (accept_keyword("ann")) {
      expect_keyword("of");
      item.ann_of = term();
      // Cassandra's grammar takes a direction after the vector, then refuses DESC.
      if (accept_keyword("desc")) item.descending = true;
      else accept_keyword("asc");
    } else if (accept_keyword("desc")) {
      item.descending = true;
    } else {
      accept_keyword("asc");
    }
    items.push_back(std::move(item));
  } while (accept_symbol(","));
  return items;
}

ast::Property Parser::property() {
  ast::Property p;
  p.name = identifier();
  expect_symbol("=");
  p.value = constant_or_map();
  return p;
}

// After WITH: property (AND property)*, where CLUSTERING ORDER BY and COMPACT STORAGE are
// accepted only when the caller passes somewhere to put them.
std::vector<ast::Property> Parser::properties_into(std::vector<ast::OrderingItem>* clustering_order,
                                                   bool* compact_storage) {
  std::vector<ast::Property> properties;
  do {
    if (clustering_order && at_keyword("clustering") && at_keyword("order", 1)) {
      pos_ += 2;
      expect_keyword("by");
      expect_symbol("(");
      *clustering_order = ordering_list();
      expect_symbol(")");
    } else if (compact_storage && at_keyword("compact") && at_keyword("storage", 1)) {
      pos_ += 2;
      *compact_storage = true;
    } else {
      ast::Property p = property();
      for (const ast::Property& earlier : properties) {
        if (earlier.name == p.name) {
          throw SyntaxError("Multiple definition for property '" + p.name + "'");
        }
      }
      properties.push_back(std::move(p));
    }
  } while (accept_keyword("and"));
  return properties;
}

}  // namespace cqld::parser_detail
