// Statement dispatch and the data manipulation statements: SELECT, INSERT, UPDATE, DELETE,
// BATCH, USE and TRUNCATE.
#include <utility>

#include "common/errors.h"
#include "cql/parser_impl.h"

namespace cqld::parser_detail {
namespace {

// JSON and DISTINCT are unreserved: "SELECT json FROM t" selects a column named json.
bool keyword_starts_clause(const Parser& p) {
  if (p.at_keyword("from", 1) || p.at_keyword("as", 1)) return false;
  if (p.at_symbol("*", 1)) return p.at_keyword("from", 2);
  for (std::string_view s : {",", ".", "[", "(", "+", "-", "/", "%"}) {
    if (p.at_symbol(s, 1)) return false;
  }
  return true;
}

}  // namespace

ast::Statement Parser::statement() {
  if (at_keyword("select")) return select_statement();
  if (at_keyword("insert")) return insert_statement();
  if (at_keyword("update")) return update_statement();
  if (at_keyword("delete")) return delete_statement();
  if (at_keyword("begin")) return batch_statement();
  if (at_keyword("use")) return use_statement();
  if (at_keyword("truncate")) return truncate_statement();
  if (at_keyword("create")) return create_statement();
  if (at_keyword("alter")) return alter_statement();
  if (at_keyword("drop")) return drop_statement();
  if (at_keyword("grant")) return grant_statement();
  if (at_keyword("revoke")) return revoke_statement();
  if (at_keyword("list")) return list_statement();
  if (at_keyword("describe") || at_keyword("desc")) return describe_statement();
  fail_no_viable();
}

ast::SelectStatement Parser::select_statement() {
  ast::SelectStatement s;
  expect_keyword("select");
  if (at_keyword("json") && keyword_starts_clause(*this)) {
    advance();
    s.json = true;
  }
  if (at_keyword("distinct") && keyword_starts_clause(*this)) {
    advance();
    s.distinct = true;
  }
  s.selectors = select_clause(s.select_all);
  expect_keyword("from");
  s.table = qualified_name();
  if (accept_keyword("where")) s.where = where_clause();
  if (accept_keyword("group")) {
    expect_keyword("by");
    do {
      // A column, or a function of one (floor(ts, 1h)) kept as written: the statement's
      // binding parses such an item again as a selector.
      size_t start = peek().offset;
      ast::Selector item = selector();
      const Token& last = tokens_[pos_ - 1];
      s.group_by.push_back(item.kind == ast::Selector::Kind::kColumn
                               ? item.column
                               : std::string(text_.substr(start, last.offset + last.text.size() - start)));
    } while (accept_symbol(","));
  }
  if (accept_keyword("order")) {
    expect_keyword("by");
    s.order_by = ordering_list();
  }
  if (accept_keyword("per")) {
    expect_keyword("partition");
    expect_keyword("limit");
    s.per_partition_limit = int_value();
  }
  if (accept_keyword("limit")) s.limit = int_value();
  if (accept_keyword("allow")) {
    expect_keyword("filtering");
    s.allow_filtering = true;
  }
  return s;
}

ast::InsertStatement Parser::insert_statement() {
  ast::InsertStatement s;
  expect_keyword("insert");
  expect_keyword("into");
  s.table = qualified_name();
  if (accept_keyword("json")) {
    if (at_bind_marker()) {
      s.json = bind_marker();
    } else if (peek().kind == TokenKind::kString) {
      s.json = term();
    } else {
      fail_no_viable();
    }
    if (accept_keyword("default")) {
      if (accept_keyword("unset")) {
        s.json_default_unset = true;
      } else {
        expect_keyword("null");
      }
    }
  } else {
    s.columns.reserve(list_length());
    expect_symbol("(");
    do {
      s.columns.push_back(identifier());
    } while (accept_symbol(","));
    expect_symbol(")");
    expect_keyword("values");
    s.values = parenthesized_terms();
  }
  s.if_not_exists = accept_if_not_exists();
  if (at_keyword("using")) s.using_clause = using_clause();
  return s;
}

namespace {

// "sign" is the operator written ("+" or "-"), which Cassandra's message repeats as is.
void check_same_column(const std::string& column, const std::string& other, bool prepend, const std::string& sign) {
  if (column == other) return;
  throw SyntaxError(prepend ? "Only expressions of the form X = <value> + X are supported."
                            : "Only expressions of the form X = X " + sign + "<value> are supported.");
}

ast::Assignment assignment(Parser& p) {
  ast::Assignment a;
  a.column = p.identifier();
  if (p.accept_symbol("[")) {
    a.kind = ast::Assignment::Kind::kSetElement;
    a.key = p.term();
    p.expect_symbol("]");
    p.expect_symbol("=");
  } else if (p.accept_symbol(".")) {
    a.kind = ast::Assignment::Kind::kSetField;
    a.field = p.identifier();
    p.expect_symbol("=");
  } else if (p.accept_symbol("+=")) {
    a.kind = ast::Assignment::Kind::kAdd;
  } else if (p.accept_symbol("-=")) {
    a.kind = ast::Assignment::Kind::kSubtract;
  } else {
    p.expect_symbol("=");
    if (p.at_identifier() && (p.at_symbol("+", 1) || p.at_symbol("-", 1))) {
      std::string other = p.identifier();
      check_same_column(a.column, other, false, p.at_symbol("+") ? "+" : "-");
      a.kind = p.accept_symbol("+") ? ast::Assignment::Kind::kAdd
                                    : (p.advance(), ast::Assignment::Kind::kSubtract);
    } else {
      a.value = p.term();
      if (p.at_symbol("+") && p.at_identifier(1)) {
        p.advance();
        check_same_column(a.column, p.identifier(), true, "+");
        a.kind = ast::Assignment::Kind::kPrepend;
      }
      return a;
    }
  }
  a.value = p.term();
  return a;
}

void if_clause(Parser& p, bool& if_exists, std::vector<ast::Condition>& conditions) {
  if (!p.accept_keyword("if")) return;
  if (p.accept_keyword("exists")) {
    if_exists = true;
  } else {
    conditions = p.conditions();
  }
}

}  // namespace

ast::UpdateStatement Parser::update_statement() {
  ast::UpdateStatement s;
  expect_keyword("update");
  s.table = qualified_name();
  if (at_keyword("using")) s.using_clause = using_clause();
  expect_keyword("set");
  do {
    s.assignments.push_back(assignment(*this));
  } while (accept_symbol(","));
  expect_keyword("where");
  s.where = where_clause();
  if_clause(*this, s.if_exists, s.conditions);
  return s;
}

ast::DeleteStatement Parser::delete_statement() {
  ast::DeleteStatement s;
  expect_keyword("delete");
  if (!at_keyword("from")) {
    do {
      ast::Deletion d;
      d.column = identifier();
      if (accept_symbol("[")) {
        d.key = term();
        expect_symbol("]");
      } else if (accept_symbol(".")) {
        d.field = identifier();
      }
      s.deletions.push_back(std::move(d));
    } while (accept_symbol(","));
  }
  expect_keyword("from");
  s.table = qualified_name();
  if (at_keyword("using")) {
    advance();
    expect_keyword("timestamp");
    s.using_clause.timestamp = int_value();
  }
  expect_keyword("where");
  s.where = where_clause();
  if_clause(*this, s.if_exists, s.conditions);
  return s;
}

ast::BatchStatement Parser::batch_statement() {
  ast::BatchStatement s;
  expect_keyword("begin");
  if (accept_keyword("unlogged")) {
    s.type = ast::BatchStatement::Type::kUnlogged;
  } else if (accept_keyword("counter")) {
    s.type = ast::BatchStatement::Type::kCounter;
  }
  expect_keyword("batch");
  if (at_keyword("using")) s.using_clause = using_clause();
  while (!at_keyword("apply")) {
    if (at_keyword("insert")) {
      s.statements.emplace_back(insert_statement());
    } else if (at_keyword("update")) {
      s.statements.emplace_back(update_statement());
    } else if (at_keyword("delete")) {
      s.statements.emplace_back(delete_statement());
    } else {
      fail_mismatched("K_APPLY");
    }
    accept_symbol(";");
  }
  expect_keyword("apply");
  expect_keyword("batch");
  return s;
}

ast::UseStatement Parser::use_statement() {
  expect_keyword("use");
  return ast::UseStatement{identifier()};
}

ast::TruncateStatement Parser::truncate_statement() {
  expect_keyword("truncate");
  if (!accept_keyword("table")) accept_keyword("columnfamily");
  return ast::TruncateStatement{qualified_name()};
}

}  // namespace cqld::parser_detail
