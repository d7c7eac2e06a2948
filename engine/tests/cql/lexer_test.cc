#include "cql/lexer.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace cqld::lexer {
namespace {

std::vector<Token> lex(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, tokens);
  return tokens;
}

TokenKind only_kind(std::string_view text) {
  std::vector<Token> tokens = lex(text);
  EXPECT_EQ(tokens.size(), 2u) << text;
  EXPECT_EQ(tokens[0].text, text);
  return tokens[0].kind;
}

TEST(LexerTest, ClassifiesLiterals) {
  EXPECT_EQ(only_kind("123"), TokenKind::kInteger);
  EXPECT_EQ(only_kind("1.5"), TokenKind::kFloat);
  EXPECT_EQ(only_kind("1."), TokenKind::kFloat);
  EXPECT_EQ(only_kind("1e10"), TokenKind::kFloat);
  EXPECT_EQ(only_kind("2.5E-3"), TokenKind::kFloat);
  EXPECT_EQ(only_kind("0x0102ff"), TokenKind::kHex);
  EXPECT_EQ(only_kind("0x"), TokenKind::kHex);
  EXPECT_EQ(only_kind("11111111-2222-3333-4444-555555555555"), TokenKind::kUuid);
  EXPECT_EQ(only_kind("5d1c3f30-aaaa-11ee-8000-000000000000"), TokenKind::kUuid);
  EXPECT_EQ(only_kind("'it''s'"), TokenKind::kString);
  EXPECT_EQ(only_kind("$$a 'b' ; c$$"), TokenKind::kString);
  EXPECT_EQ(only_kind("\"Quoted\"\"Name\""), TokenKind::kQuotedName);
  EXPECT_EQ(only_kind("NaN"), TokenKind::kIdent);
  EXPECT_EQ(only_kind("user_name1"), TokenKind::kIdent);
}

TEST(LexerTest, Durations) {
  for (std::string_view d : {"1h30m", "2d", "12mo", "1y2mo3w4d5h6m7s8ms9us10ns", "3\xC2\xB5s",
                             "P1Y2M", "PT4H", "P1W", "P1DT2H", "p0001-02-03T04:05:06", "1MS"}) {
    EXPECT_EQ(only_kind(d), TokenKind::kDuration) << d;
  }
  // Not durations: identifiers and numbers followed by identifiers.
  EXPECT_EQ(only_kind("PT"), TokenKind::kIdent);
  EXPECT_EQ(only_kind("p1x"), TokenKind::kIdent);
  EXPECT_EQ(lex("1hx")[0].kind, TokenKind::kInteger);
}

TEST(LexerTest, SymbolsAndSlices) {
  std::vector<Token> t = lex("a<=b>=c!=d+=1-=2 s[1..3]");
  std::vector<std::string_view> texts;
  for (const Token& token : t) texts.push_back(token.text);
  std::vector<std::string_view> expected = {"a",  "<=", "b", ">=", "c", "!=", "d", "+=", "1",
                                            "-=", "2",  "s", "[",  "1", "..", "3", "]",  ""};
  EXPECT_EQ(texts, expected);
  EXPECT_EQ(t.back().kind, TokenKind::kEof);
  EXPECT_EQ(t.back().offset, 24u);
}

TEST(LexerTest, MinusIsSeparate) {
  std::vector<Token> t = lex("-5");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "-");
  EXPECT_EQ(t[1].kind, TokenKind::kInteger);
}

TEST(LexerTest, SkipsComments) {
  std::vector<Token> t = lex("SELECT -- one\n a // two\n /* three\n four */ FROM t");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[1].text, "a");
  EXPECT_EQ(t[2].text, "FROM");
}

TEST(LexerTest, Values) {
  std::vector<Token> t = lex("'O''Brien' $$x''y$$ \"A\"\"b\"");
  EXPECT_EQ(string_value(t[0]), "O'Brien");
  EXPECT_EQ(string_value(t[1]), "x''y");
  EXPECT_EQ(quoted_name_value(t[2]), "A\"b");
}

TEST(LexerTest, Errors) {
  try {
    lex("SELECT 'abc");
    FAIL();
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "line 1:11 mismatched character '<EOF>' expecting '''");
  }
  try {
    lex("SELECT\n  @ FROM t");
    FAIL();
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "line 2:2 no viable alternative at character '@'");
  }
}

TEST(LexerTest, Keywords) {
  EXPECT_TRUE(equals_keyword("SeLeCt", "select"));
  EXPECT_FALSE(equals_keyword("selects", "select"));
  EXPECT_TRUE(is_reserved_keyword("FROM"));
  EXPECT_TRUE(is_reserved_keyword("with"));
  EXPECT_TRUE(is_reserved_keyword("NaN"));
  EXPECT_FALSE(is_reserved_keyword("key"));
  EXPECT_FALSE(is_reserved_keyword("ttl"));
  EXPECT_FALSE(is_reserved_keyword("a_very_long_identifier"));
}

}  // namespace
}  // namespace cqld::lexer
