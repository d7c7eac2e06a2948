// The lexer and the parser on arbitrary text: tokenize, parse one statement (and the constants
// of its terms), split a script into statements, parse a type name. Bad text must be refused
// with a CqlError (SyntaxError, or InvalidRequest for limits such as nesting depth); any other
// exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "cql/lexer.h"
#include "cql/parser.h"

using namespace cqld;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    std::vector<lexer::Token> tokens;
    lexer::tokenize(text, tokens);
    for (const auto& t : tokens) {
      if (t.kind == lexer::TokenKind::kString) lexer::string_value(t);
      if (t.kind == lexer::TokenKind::kQuotedName) lexer::quoted_name_value(t);
    }
  } catch (const CqlError&) {
  }
  try {
    parse_statement(text);
  } catch (const CqlError&) {
  }
  try {
    for (std::string_view piece : split_statements(text)) {
      try {
        parse_statement(piece);
      } catch (const CqlError&) {
      }
    }
  } catch (const CqlError&) {
  }
  try {
    parse_type(text);
  } catch (const CqlError&) {
  }
  return 0;
}
