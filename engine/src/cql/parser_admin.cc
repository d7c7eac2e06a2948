// Roles, users, permissions (GRANT / REVOKE / LIST) and DESCRIBE.
#include <utility>

#include "common/errors.h"
#include "cql/parser_impl.h"

namespace cqld::parser_detail {
namespace {

constexpr std::string_view kPermissions[] = {"create", "alter",        "drop",     "select",
                                             "modify", "authorize",    "describe", "execute",
                                             "unmask", "select_masked"};

std::string upper(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool boolean_value(Parser& p) {
  if (p.accept_keyword("true")) return true;
  if (p.accept_keyword("false")) return false;
  p.fail_mismatched("BOOLEAN");
}

// Each role option may be given once.
template <typename T>
void set_once(std::optional<T>& option, T value, std::string_view name) {
  if (option) throw SyntaxError("Multiple definition for property '" + std::string(name) + "'");
  option = std::move(value);
}

std::string string_literal(Parser& p) {
  if (p.peek().kind != TokenKind::kString) p.fail_mismatched("STRING_LITERAL");
  return lexer::string_value(p.advance());
}

}  // namespace

// ROLE syntax: WITH option (AND option)*. USER syntax: [WITH [HASHED] PASSWORD 'p']
// [SUPERUSER | NOSUPERUSER].
ast::RoleOptions Parser::role_options(bool user_syntax) {
  ast::RoleOptions options;
  if (user_syntax) {
    if (accept_keyword("with")) {
      bool hashed = accept_keyword("hashed");
      expect_keyword("password");
      (hashed ? options.hashed_password : options.password) = string_literal(*this);
    }
    if (accept_keyword("superuser")) {
      options.superuser = true;
    } else if (accept_keyword("nosuperuser")) {
      options.superuser = false;
    }
    return options;
  }
  if (!accept_keyword("with")) return options;
  do {
    role_option(options);
  } while (accept_keyword("and"));
  return options;
}

void Parser::role_option(ast::RoleOptions& options) {
  if (accept_keyword("access")) {
    if (accept_keyword("from")) {
      std::vector<std::string> groups;
      if (accept_keyword("all")) {
        expect_keyword("cidrs");
      } else {
        expect_keyword("cidrs");
        expect_symbol("{");
        do {
          groups.push_back(string_literal(*this));
        } while (accept_symbol(","));
        expect_symbol("}");
      }
      set_once(options.cidr_groups, std::move(groups), "ACCESS FROM CIDRS");
      return;
    }
    expect_keyword("to");
    std::vector<std::string> datacenters;
    if (accept_keyword("all")) {
      expect_keyword("datacenters");
    } else {
      expect_keyword("datacenters");
      expect_symbol("{");
      do {
        datacenters.push_back(string_literal(*this));
      } while (accept_symbol(","));
      expect_symbol("}");
    }
    set_once(options.datacenters, std::move(datacenters), "ACCESS TO DATACENTERS");
    return;
  }
  bool hashed = accept_keyword("hashed");
  if (accept_keyword("password")) {
    expect_symbol("=");
    set_once(hashed ? options.hashed_password : options.password, string_literal(*this),
             hashed ? "HASHED_PASSWORD" : "PASSWORD");
  } else if (hashed) {
    fail_mismatched("K_PASSWORD");
  } else if (accept_keyword("login")) {
    expect_symbol("=");
    set_once(options.login, boolean_value(*this), "LOGIN");
  } else if (accept_keyword("superuser")) {
    expect_symbol("=");
    set_once(options.superuser, boolean_value(*this), "SUPERUSER");
  } else if (accept_keyword("options")) {
    expect_symbol("=");
    set_once(options.options, constant_or_map(), "OPTIONS");
  } else {
    fail_no_viable();
  }
}

bool Parser::at_permission() const {
  bool word = at_keyword("all");
  for (std::string_view p : kPermissions) word = word || at_keyword(p);
  if (!word) return false;
  return at_keyword("on", 1) || at_keyword("permission", 1) || at_keyword("permissions", 1) ||
         at_symbol(",", 1) || at_keyword("of", 1) || at_keyword("norecursive", 1) ||
         peek(1).kind == TokenKind::kEof || at_symbol(";", 1);
}

std::vector<std::string> Parser::permissions() {
  std::vector<std::string> result;
  if (accept_keyword("all")) {
    accept_keyword("permissions");
    return result;
  }
  do {
    bool known = false;
    for (std::string_view p : kPermissions) known = known || at_keyword(p);
    if (!known) fail_no_viable();
    result.push_back(upper(advance().text));
    if (!accept_keyword("permission")) accept_keyword("permissions");
  } while (accept_symbol(","));
  return result;
}

ast::Resource Parser::resource() {
  using Kind = ast::Resource::Kind;
  ast::Resource r;
  if (accept_keyword("all")) {
    if (accept_keyword("keyspaces")) {
      r.kind = Kind::kAllKeyspaces;
    } else if (accept_keyword("roles")) {
      r.kind = Kind::kAllRoles;
    } else if (accept_keyword("mbeans")) {
      r.kind = Kind::kAllMbeans;
    } else {
      expect_keyword("functions");
      r.kind = Kind::kAllFunctions;
      if (accept_keyword("in")) {
        expect_keyword("keyspace");
        r.name.keyspace = identifier();
      }
    }
  } else if (accept_keyword("keyspace")) {
    r.kind = Kind::kKeyspace;
    r.name.keyspace = identifier();
  } else if (accept_keyword("role")) {
    r.kind = Kind::kRole;
    r.name.name = role_name();
  } else if (at_keyword("function") && !at_keyword("on", 1)) {
    advance();
    r.kind = Kind::kFunction;
    r.name = qualified_name();
    r.argument_types = function_signature();
  } else if (accept_keyword("mbean") || accept_keyword("mbeans")) {
    r.kind = Kind::kMbean;
    r.name.name = string_literal(*this);
  } else {
    accept_keyword("table");
    r.kind = Kind::kTable;
    r.name = qualified_name();
  }
  return r;
}

ast::Statement Parser::grant_statement() {
  expect_keyword("grant");
  if (at_permission()) {
    ast::GrantPermissionsStatement s;
    s.permissions = permissions();
    expect_keyword("on");
    s.resource = resource();
    expect_keyword("to");
    s.grantee = role_name();
    return s;
  }
  ast::GrantRoleStatement s;
  s.role = role_name();
  expect_keyword("to");
  s.grantee = role_name();
  return s;
}

ast::Statement Parser::revoke_statement() {
  expect_keyword("revoke");
  if (at_permission()) {
    ast::RevokePermissionsStatement s;
    s.permissions = permissions();
    expect_keyword("on");
    s.resource = resource();
    expect_keyword("from");
    s.revokee = role_name();
    return s;
  }
  ast::RevokeRoleStatement s;
  s.role = role_name();
  expect_keyword("from");
  s.revokee = role_name();
  return s;
}

ast::Statement Parser::list_statement() {
  expect_keyword("list");
  if (accept_keyword("users")) return ast::ListUsersStatement{};
  if (accept_keyword("roles")) {
    ast::ListRolesStatement s;
    if (accept_keyword("of")) s.role = role_name();
    s.recursive = !accept_keyword("norecursive");
    return s;
  }
  if (!at_permission()) fail_no_viable();
  ast::ListPermissionsStatement s;
  s.permissions = permissions();
  if (accept_keyword("on")) s.resource = resource();
  if (accept_keyword("of")) s.role = role_name();
  s.recursive = !accept_keyword("norecursive");
  return s;
}

namespace {

// A plural DESCRIBE word (KEYSPACES, TABLES, ...) is the keyword when nothing names an object
// after it; otherwise "DESCRIBE tables" could name a table called "tables".
bool at_listing(const Parser& p, std::string_view word) {
  if (!p.at_keyword(word)) return false;
  return p.peek(1).kind == TokenKind::kEof || p.at_symbol(";", 1) || p.at_keyword("with", 1);
}

}  // namespace

ast::DescribeStatement Parser::describe_statement() {
  using Kind = ast::DescribeStatement::Kind;
  if (!accept_keyword("describe")) expect_keyword("desc");
  ast::DescribeStatement s;
  static constexpr std::pair<std::string_view, Kind> kListings[] = {
      {"cluster", Kind::kCluster},     {"keyspaces", Kind::kKeyspaces},
      {"tables", Kind::kTables},       {"types", Kind::kTypes},
      {"functions", Kind::kFunctions}, {"aggregates", Kind::kAggregates}};
  static constexpr std::pair<std::string_view, Kind> kNamed[] = {
      {"table", Kind::kTable},       {"columnfamily", Kind::kTable},  {"type", Kind::kType},
      {"function", Kind::kFunction}, {"aggregate", Kind::kAggregate}, {"index", Kind::kIndex}};
  bool matched = false;
  for (const auto& [word, kind] : kListings) {
    if (!matched && at_listing(*this, word)) {
      advance();
      s.kind = kind;
      matched = true;
    }
  }
  for (const auto& [word, kind] : kNamed) {
    if (!matched && at_keyword(word) && (at_identifier(1) || word == "index")) {
      advance();
      s.kind = kind;
      s.name = qualified_name();
      matched = true;
    }
  }
  if (matched) {
    // done
  } else if (accept_keyword("full")) {
    expect_keyword("schema");
    s.kind = Kind::kSchema;
    s.full = true;
  } else if (accept_keyword("schema")) {
    s.kind = Kind::kSchema;
  } else if (at_keyword("only") || at_keyword("keyspace")) {
    s.only = accept_keyword("only");
    expect_keyword("keyspace");
    s.kind = Kind::kKeyspace;
    if (at_identifier()) s.name.keyspace = identifier();
  } else if (accept_keyword("materialized")) {
    expect_keyword("view");
    s.kind = Kind::kMaterializedView;
    s.name = qualified_name();
  } else {
    s.kind = Kind::kGeneric;
    s.name = qualified_name();
  }
  if (accept_keyword("with")) {
    expect_keyword("internals");
    s.with_internals = true;
  }
  return s;
}

}  // namespace cqld::parser_detail
