// Schema statements: CREATE / ALTER / DROP of keyspaces, tables, views, indexes, types,
// functions, aggregates and triggers. Roles and users are dispatched to parser_admin.cc.
#include <utility>

#include "common/errors.h"
#include "cql/parser_impl.h"

namespace cqld::parser_detail {
namespace {

bool accept_table_word(Parser& p) {
  return p.accept_keyword("table") || p.accept_keyword("columnfamily");
}

bool accept_keyspace_word(Parser& p) {
  return p.accept_keyword("keyspace") || p.accept_keyword("schema");
}

}  // namespace

ast::Statement Parser::create_statement() {
  expect_keyword("create");
  bool or_replace = false;
  if (accept_keyword("or")) {
    expect_keyword("replace");
    or_replace = true;
    if (at_keyword("function")) return create_function(true);
    if (at_keyword("aggregate")) return create_aggregate(true);
    fail_no_viable();
  }
  if (at_keyword("keyspace") || at_keyword("schema")) return create_keyspace();
  if (at_keyword("table") || at_keyword("columnfamily")) return create_table();
  if (at_keyword("materialized")) return create_view();
  if (accept_keyword("custom")) return create_index(true);
  if (at_keyword("index")) return create_index(false);
  if (at_keyword("type")) return create_type();
  if (at_keyword("function")) return create_function(or_replace);
  if (at_keyword("aggregate")) return create_aggregate(or_replace);
  if (at_keyword("trigger")) return create_trigger();
  if (accept_keyword("role")) {
    ast::CreateRoleStatement s;
    s.if_not_exists = accept_if_not_exists();
    s.role = role_name();
    s.options = role_options(false);
    return s;
  }
  if (accept_keyword("user")) {
    ast::CreateUserStatement s;
    s.if_not_exists = accept_if_not_exists();
    s.user = role_name();
    s.options = role_options(true);
    return s;
  }
  fail_no_viable();
}

ast::CreateKeyspaceStatement Parser::create_keyspace() {
  ast::CreateKeyspaceStatement s;
  accept_keyspace_word(*this);
  s.if_not_exists = accept_if_not_exists();
  s.keyspace = identifier();
  expect_keyword("with");
  s.properties = properties_into(nullptr, nullptr);
  return s;
}

ast::ColumnDefinition Parser::column_definition() {
  ast::ColumnDefinition c;
  c.name = identifier();
  c.type = type();
  c.is_static = accept_keyword("static");
  if (at_keyword("masked")) c.mask = column_mask();
  if (accept_keyword("primary")) {
    expect_keyword("key");
    c.primary_key = true;
  }
  return c;
}

ast::ColumnMask Parser::column_mask() {
  ast::ColumnMask mask;
  expect_keyword("masked");
  expect_keyword("with");
  if (accept_keyword("default")) {
    mask.is_default = true;
    return mask;
  }
  mask.function = qualified_name();
  expect_symbol("(");
  while (!at_symbol(")")) {
    mask.arguments.push_back(term());
    if (!accept_symbol(",")) break;
  }
  expect_symbol(")");
  return mask;
}

// '(' partition_key_or_list (',' clustering)* ')' after PRIMARY KEY.
void Parser::primary_key_definition(std::vector<std::string>& partition,
                                    std::vector<std::string>& clustering) {
  expect_symbol("(");
  if (accept_symbol("(")) {
    do {
      partition.push_back(identifier());
    } while (accept_symbol(","));
    expect_symbol(")");
  } else {
    partition.push_back(identifier());
  }
  while (accept_symbol(",")) clustering.push_back(identifier());
  expect_symbol(")");
}

ast::CreateTableStatement Parser::create_table() {
  ast::CreateTableStatement s;
  accept_table_word(*this);
  s.if_not_exists = accept_if_not_exists();
  s.table = qualified_name();
  expect_symbol("(");
  do {
    if (at_symbol(")")) break;  // a trailing comma
    if (at_keyword("primary") && at_keyword("key", 1)) {
      pos_ += 2;
      primary_key_definition(s.partition_key, s.clustering_columns);
    } else {
      s.columns.push_back(column_definition());
    }
  } while (accept_symbol(","));
  expect_symbol(")");
  if (accept_keyword("with")) {
    s.properties = properties_into(&s.clustering_order, &s.compact_storage);
  }
  return s;
}

ast::CreateMaterializedViewStatement Parser::create_view() {
  ast::CreateMaterializedViewStatement s;
  expect_keyword("materialized");
  expect_keyword("view");
  s.if_not_exists = accept_if_not_exists();
  s.view = qualified_name();
  expect_keyword("as");
  expect_keyword("select");
  s.selectors = select_clause(s.select_all);
  expect_keyword("from");
  s.base_table = qualified_name();
  if (accept_keyword("where")) s.where = where_clause();
  expect_keyword("primary");
  expect_keyword("key");
  primary_key_definition(s.partition_key, s.clustering_columns);
  bool compact_storage = false;
  if (accept_keyword("with")) s.properties = properties_into(&s.clustering_order, &compact_storage);
  if (compact_storage) throw SyntaxError("COMPACT STORAGE tables are not allowed starting with version 4.0");
  return s;
}

ast::CreateIndexStatement Parser::create_index(bool custom) {
  ast::CreateIndexStatement s;
  s.custom = custom;
  expect_keyword("index");
  s.if_not_exists = accept_if_not_exists();
  if (!at_keyword("on")) s.name = qualified_name().name;
  expect_keyword("on");
  s.table = qualified_name();
  expect_symbol("(");
  static constexpr std::pair<std::string_view, ast::IndexTarget::Kind> kWrapped[] = {
      {"keys", ast::IndexTarget::Kind::kKeys},
      {"values", ast::IndexTarget::Kind::kValues},
      {"entries", ast::IndexTarget::Kind::kEntries},
      {"full", ast::IndexTarget::Kind::kFull}};
  while (!at_symbol(")")) {
    ast::IndexTarget target;
    for (const auto& [word, kind] : kWrapped) {
      if (at_keyword(word) && at_symbol("(", 1)) target.kind = kind;
    }
    if (target.kind != ast::IndexTarget::Kind::kSimple) {
      pos_ += 2;
      target.column = identifier();
      expect_symbol(")");
    } else {
      target.column = identifier();
    }
    s.targets.push_back(std::move(target));
    if (!accept_symbol(",")) break;
  }
  expect_symbol(")");
  if (accept_keyword("using")) {
    if (peek().kind != TokenKind::kString) fail_mismatched("STRING_LITERAL");
    s.using_class = lexer::string_value(advance());
  }
  if (accept_keyword("with")) s.properties = properties_into(nullptr, nullptr);
  return s;
}

ast::CreateTypeStatement Parser::create_type() {
  ast::CreateTypeStatement s;
  expect_keyword("type");
  s.if_not_exists = accept_if_not_exists();
  s.type = qualified_name();
  expect_symbol("(");
  do {
    if (at_symbol(")")) break;
    std::string field = identifier();
    s.fields.emplace_back(std::move(field), type());
  } while (accept_symbol(","));
  expect_symbol(")");
  return s;
}

ast::CreateFunctionStatement Parser::create_function(bool or_replace) {
  ast::CreateFunctionStatement s;
  s.or_replace = or_replace;
  expect_keyword("function");
  s.if_not_exists = accept_if_not_exists();
  s.function = qualified_name();
  expect_symbol("(");
  while (!at_symbol(")")) {
    std::string name = identifier();
    s.arguments.emplace_back(std::move(name), type());
    if (!accept_symbol(",")) break;
  }
  expect_symbol(")");
  if (accept_keyword("called")) {
    s.called_on_null_input = true;
  } else {
    expect_keyword("returns");
    expect_keyword("null");
  }
  expect_keyword("on");
  expect_keyword("null");
  expect_keyword("input");
  expect_keyword("returns");
  s.return_type = type();
  expect_keyword("language");
  s.language = identifier();
  expect_keyword("as");
  if (peek().kind != TokenKind::kString) fail_mismatched("STRING_LITERAL");
  s.body = lexer::string_value(advance());
  return s;
}

std::vector<ast::RawType> Parser::function_signature() {
  std::vector<ast::RawType> types;
  expect_symbol("(");
  while (!at_symbol(")")) {
    types.push_back(type());
    if (!accept_symbol(",")) break;
  }
  expect_symbol(")");
  return types;
}

ast::CreateAggregateStatement Parser::create_aggregate(bool or_replace) {
  ast::CreateAggregateStatement s;
  s.or_replace = or_replace;
  expect_keyword("aggregate");
  s.if_not_exists = accept_if_not_exists();
  s.aggregate = qualified_name();
  s.argument_types = function_signature();
  expect_keyword("sfunc");
  s.state_function = identifier();
  expect_keyword("stype");
  s.state_type = type();
  if (accept_keyword("finalfunc")) s.final_function = identifier();
  if (accept_keyword("initcond")) s.initial_condition = term();
  return s;
}

ast::CreateTriggerStatement Parser::create_trigger() {
  ast::CreateTriggerStatement s;
  expect_keyword("trigger");
  s.if_not_exists = accept_if_not_exists();
  s.name = identifier();
  expect_keyword("on");
  s.table = qualified_name();
  expect_keyword("using");
  if (peek().kind != TokenKind::kString) fail_mismatched("STRING_LITERAL");
  s.using_class = lexer::string_value(advance());
  return s;
}

ast::Statement Parser::alter_statement() {
  expect_keyword("alter");
  if (at_keyword("keyspace") || at_keyword("schema")) return alter_keyspace();
  if (at_keyword("table") || at_keyword("columnfamily")) return alter_table();
  if (at_keyword("type")) return alter_type();
  if (accept_keyword("materialized")) {
    expect_keyword("view");
    ast::AlterMaterializedViewStatement s;
    s.if_exists = accept_if_exists();
    s.view = qualified_name();
    expect_keyword("with");
    s.properties = properties_into(nullptr, nullptr);
    return s;
  }
  if (accept_keyword("role")) {
    ast::AlterRoleStatement s;
    s.if_exists = accept_if_exists();
    s.role = role_name();
    s.options = role_options(false);
    return s;
  }
  if (accept_keyword("user")) {
    ast::AlterUserStatement s;
    s.user = role_name();
    s.options = role_options(true);
    return s;
  }
  fail_no_viable();
}

ast::AlterKeyspaceStatement Parser::alter_keyspace() {
  ast::AlterKeyspaceStatement s;
  accept_keyspace_word(*this);
  s.if_exists = accept_if_exists();
  s.keyspace = identifier();
  expect_keyword("with");
  s.properties = properties_into(nullptr, nullptr);
  return s;
}

std::vector<std::pair<std::string, std::string>> Parser::renames() {
  std::vector<std::pair<std::string, std::string>> result;
  do {
    std::string from = identifier();
    expect_keyword("to");
    result.emplace_back(std::move(from), identifier());
  } while (accept_keyword("and"));
  return result;
}

ast::AlterTableStatement Parser::alter_table() {
  using Action = ast::AlterTableStatement::Action;
  ast::AlterTableStatement s;
  accept_table_word(*this);
  s.if_exists = accept_if_exists();
  s.table = qualified_name();
  if (accept_keyword("alter")) {
    s.if_column_exists = accept_if_exists();
    s.column = identifier();
    if (at_keyword("masked")) {
      s.action = Action::kAlterColumnMask;
      s.mask = column_mask();
    } else if (accept_keyword("drop")) {
      s.action = Action::kAlterColumnMask;
      expect_keyword("masked");
    } else {
      s.action = Action::kAlterColumnType;
      expect_keyword("type");
      s.type = type();
    }
  } else if (accept_keyword("add")) {
    s.action = Action::kAdd;
    s.if_column_exists = accept_if_not_exists();
    bool parenthesized = accept_symbol("(");
    do {
      s.add.push_back(column_definition());
    } while (accept_symbol(","));
    if (parenthesized) expect_symbol(")");
  } else if (accept_keyword("drop")) {
    if (at_keyword("compact") && at_keyword("storage", 1)) {
      pos_ += 2;
      s.action = Action::kDropCompactStorage;
      return s;
    }
    s.action = Action::kDrop;
    s.if_column_exists = accept_if_exists();
    bool parenthesized = accept_symbol("(");
    do {
      s.drop.push_back(identifier());
    } while (accept_symbol(","));
    if (parenthesized) expect_symbol(")");
    if (accept_keyword("using")) {
      expect_keyword("timestamp");
      s.drop_timestamp = int_value();
    }
  } else if (accept_keyword("rename")) {
    s.action = Action::kRename;
    s.if_column_exists = accept_if_exists();
    s.renames = renames();
  } else if (accept_keyword("with")) {
    s.action = Action::kWith;
    s.properties = properties_into(nullptr, nullptr);
  } else {
    fail_no_viable();
  }
  return s;
}

ast::AlterTypeStatement Parser::alter_type() {
  using Action = ast::AlterTypeStatement::Action;
  ast::AlterTypeStatement s;
  expect_keyword("type");
  s.if_exists = accept_if_exists();
  s.type = qualified_name();
  if (accept_keyword("alter")) {
    s.action = Action::kAlterFieldType;
    s.field = identifier();
    expect_keyword("type");
    s.field_type = type();
  } else if (accept_keyword("add")) {
    s.action = Action::kAdd;
    s.if_field_exists = accept_if_not_exists();
    s.field = identifier();
    s.field_type = type();
  } else if (accept_keyword("rename")) {
    s.action = Action::kRename;
    s.if_field_exists = accept_if_exists();
    s.renames = renames();
  } else {
    fail_no_viable();
  }
  return s;
}

ast::Statement Parser::drop_statement() {
  expect_keyword("drop");
  if (accept_keyspace_word(*this)) {
    bool if_exists = accept_if_exists();
    return ast::DropKeyspaceStatement{identifier(), if_exists};
  }
  if (accept_table_word(*this)) {
    bool if_exists = accept_if_exists();
    return ast::DropTableStatement{qualified_name(), if_exists};
  }
  if (accept_keyword("index")) {
    bool if_exists = accept_if_exists();
    return ast::DropIndexStatement{qualified_name(), if_exists};
  }
  if (accept_keyword("type")) {
    bool if_exists = accept_if_exists();
    return ast::DropTypeStatement{qualified_name(), if_exists};
  }
  if (accept_keyword("materialized")) {
    expect_keyword("view");
    bool if_exists = accept_if_exists();
    return ast::DropMaterializedViewStatement{qualified_name(), if_exists};
  }
  if (accept_keyword("function")) {
    ast::DropFunctionStatement s;
    s.if_exists = accept_if_exists();
    s.function = qualified_name();
    if (at_symbol("(")) s.argument_types = function_signature();
    return s;
  }
  if (accept_keyword("aggregate")) {
    ast::DropAggregateStatement s;
    s.if_exists = accept_if_exists();
    s.aggregate = qualified_name();
    if (at_symbol("(")) s.argument_types = function_signature();
    return s;
  }
  if (accept_keyword("trigger")) {
    ast::DropTriggerStatement s;
    s.if_exists = accept_if_exists();
    s.name = identifier();
    expect_keyword("on");
    s.table = qualified_name();
    return s;
  }
  if (accept_keyword("role")) {
    bool if_exists = accept_if_exists();
    return ast::DropRoleStatement{role_name(), if_exists};
  }
  if (accept_keyword("user")) {
    bool if_exists = accept_if_exists();
    return ast::DropUserStatement{role_name(), if_exists};
  }
  fail_no_viable();
}

}  // namespace cqld::parser_detail
