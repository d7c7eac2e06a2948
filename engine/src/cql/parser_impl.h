// Internal to the parser: the recursive-descent Parser shared by parser_*.cc. One Parser parses
// one text; it owns the token vector and numbers bind markers as it meets them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cql/ast.h"
#include "cql/lexer.h"

namespace cqld::parser_detail {

using lexer::Token;
using lexer::TokenKind;

// Deeper nesting is refused with a SyntaxError, so hostile input cannot exhaust the stack.
constexpr int kMaxNesting = 128;
// So are statements of more terms and selectors than this: each takes hundreds of bytes once
// parsed, and a frame of literals must not turn into gigabytes (bind values have no such cost).
constexpr int kMaxElements = 1 << 18;

class Parser {
 public:
  explicit Parser(std::string_view text);

  // The entry points: each consumes the whole text (an optional trailing ';' included).
  std::unique_ptr<ast::RawStatement> parse_whole_statement();
  ast::RawType parse_whole_type();

  // ---- Tokens (parser_base.cc) ----
  const Token& peek(size_t ahead = 0) const;
  const Token& advance();
  bool at_eof() const { return peek().kind == TokenKind::kEof; }
  bool at_keyword(std::string_view keyword, size_t ahead = 0) const;
  bool accept_keyword(std::string_view keyword);
  void expect_keyword(std::string_view keyword);
  bool at_symbol(std::string_view symbol, size_t ahead = 0) const;
  bool accept_symbol(std::string_view symbol);
  // At an opening bracket: how many comma-separated items precede its closing bracket (used to
  // size vectors before filling them).
  size_t list_length() const;
  void expect_symbol(std::string_view symbol);
  // IF NOT EXISTS / IF EXISTS: consumes and returns true when present.
  bool accept_if_not_exists();
  bool accept_if_exists();

  // Errors at the current token, in ANTLR's words, with Cassandra's snippet appended.
  [[noreturn]] void fail_mismatched(std::string_view expecting) const;
  [[noreturn]] void fail_no_viable() const;
  // ANTLR's decision failed at the current token, but its snippet marks the one before, where
  // the alternatives began (a multi-column relation's operator before a non-tuple value).
  [[noreturn]] void fail_no_viable_after_previous() const;
  [[noreturn]] void fail_at_current(const std::string& message) const;

  // Counts levels of nesting for its lifetime; throws SyntaxError beyond kMaxNesting. A guard
  // made at a recursive call counts one level; a loop that wraps the node it built in a new one
  // (a + b + c, m[1][2], a.b.c) calls deepen() per wrap, since the tree it builds is as deep as a
  // recursion and everything that walks it later (preparation, execution, destruction) recurses.
  class NestingGuard {
   public:
    explicit NestingGuard(Parser& parser, int levels = 1);
    ~NestingGuard() { parser_.depth_ -= levels_; }
    void deepen();
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
    int levels_ = 0;
  };

  // ---- Names (parser_base.cc) ----
  // An identifier: unquoted and not reserved (folded to lower case) or "quoted".
  bool at_identifier(size_t ahead = 0) const;
  std::string identifier();
  ast::QualifiedName qualified_name();
  // Role and user names also accept 'string' literals.
  std::string role_name();

  // ---- Types and terms (parser_terms.cc) ----
  ast::RawType type();
  ast::Term term();
  ast::Term bind_marker();
  // The text of the floating-point literal at the current token, checked as Cassandra's
  // parser checks it (it converts the literal to a Java BigDecimal).
  std::string float_literal_text();
  bool at_bind_marker() const;
  // LIMIT / TTL / TIMESTAMP values: an integer (optionally negative) or a bind marker.
  ast::Term int_value();
  Literal constant_or_map();  // property values
  std::vector<ast::Term> parenthesized_terms();

  // ---- Selectors, relations, conditions (parser_clauses.cc) ----
  std::vector<ast::SelectItem> select_clause(bool& select_all);
  std::vector<ast::Relation> where_clause();
  std::vector<ast::Condition> conditions();
  ast::UsingClause using_clause();
  std::vector<ast::Property> properties_into(std::vector<ast::OrderingItem>* clustering_order,
                                             bool* compact_storage);
  std::vector<ast::OrderingItem> ordering_list();

  // ---- Statements (parser_dml.cc, parser_ddl.cc, parser_admin.cc) ----
  ast::Statement statement();
  ast::SelectStatement select_statement();
  ast::InsertStatement insert_statement();
  ast::UpdateStatement update_statement();
  ast::DeleteStatement delete_statement();
  ast::BatchStatement batch_statement();
  ast::Statement create_statement();
  ast::Statement alter_statement();
  ast::Statement drop_statement();
  ast::TruncateStatement truncate_statement();
  ast::UseStatement use_statement();
  ast::Statement grant_statement();
  ast::Statement revoke_statement();
  ast::Statement list_statement();
  ast::DescribeStatement describe_statement();

 private:
  // parser_terms.cc
  ast::Term term_product();
  ast::Term term_group();
  ast::Term simple_term();
  ast::Term brace_literal();
  ast::Term parenthesized_term();
  ast::Term function_call_term();
  bool at_type_hint() const;
  bool at_column_after_operator() const;
  ast::RawType collection_or_tuple_type(TypeKind kind);

  // parser_clauses.cc
  ast::Selector selector();
  ast::Selector selector_product();
  ast::Selector selector_group();
  void reject_partial_infinity() const;
  ast::Selector selector_with_modifiers(ast::Selector base);
  ast::Selector simple_selector();
  ast::Selector column_function_selector(ast::Selector::Kind kind);
  ast::Relation relation();
  ast::Relation multi_column_relation();
  void relation_rhs(ast::Operator op, std::optional<ast::Term>& value,
                    std::vector<ast::Term>& in_values, bool tuples);
  ast::Operator relation_operator();
  ast::Property property();

  // parser_ddl.cc / parser_admin.cc
  ast::Statement create_table_or_view(bool view);
  ast::CreateTableStatement create_table();
  ast::CreateMaterializedViewStatement create_view();
  ast::CreateKeyspaceStatement create_keyspace();
  ast::CreateIndexStatement create_index(bool custom);
  ast::CreateTypeStatement create_type();
  ast::CreateFunctionStatement create_function(bool or_replace);
  ast::CreateAggregateStatement create_aggregate(bool or_replace);
  ast::CreateTriggerStatement create_trigger();
  ast::AlterTableStatement alter_table();
  ast::AlterTypeStatement alter_type();
  ast::AlterKeyspaceStatement alter_keyspace();
  void primary_key_definition(std::vector<std::string>& partition,
                              std::vector<std::string>& clustering);
  ast::ColumnDefinition column_definition();
  ast::ColumnMask column_mask();
  std::vector<std::pair<std::string, std::string>> renames();
  std::vector<ast::RawType> function_signature();
  ast::RoleOptions role_options(bool user_syntax);
  void role_option(ast::RoleOptions& options);
  ast::Resource resource();
  std::vector<std::string> permissions();
  bool at_permission() const;

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int elements_ = 0;  // terms and selectors parsed so far (kMaxElements)
  void count_element();  // current nesting of terms, selectors, types and relations
  int bind_count_ = 0;
  std::vector<std::string> bind_names_;
};

}  // namespace cqld::parser_detail
