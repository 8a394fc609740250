#include "cel/parser.h"

#include <gtest/gtest.h>

#include "cel/test_util.h"

namespace salesradar::cel {
namespace {

class ParserTest : public EvalFixture {};

TEST_F(ParserTest, StringLiteralForms) {
  EXPECT_EQ(Eval("'a\\tb'").string_value(), "a\tb");
  EXPECT_EQ(Eval("\"\\\"q\\\"\"").string_value(), "\"q\"");
  EXPECT_EQ(Eval("r'a\\tb'").string_value(), "a\\tb");
  EXPECT_EQ(Eval("R\"x\\y\"").string_value(), "x\\y");
  EXPECT_EQ(Eval("'''two\nlines'''").string_value(), "two\nlines");
  EXPECT_EQ(Eval("\"\"\"has \"quotes\" inside\"\"\"").string_value(), "has \"quotes\" inside");
  EXPECT_EQ(Eval("'\\u00e9\\U0001F431\\x41\\101\\a\\b\\f\\n\\r\\v\\\\\\?\\`'").string_value(),
            "é\U0001F431AA\a\b\f\n\r\v\\?`");
  EXPECT_EQ(Eval("'\\uD83D\\uDE00'").string_value(), "\U0001F600");
}

TEST_F(ParserTest, BytesLiterals) {
  Value bytes = Eval("b'\\xff\\000a'");
  ASSERT_EQ(bytes.kind(), ValueKind::kBytes);
  EXPECT_EQ(bytes.bytes_value(), std::string_view("\xff\0a", 3));
  EXPECT_EQ(Eval("B'ÿ'").bytes_value(), "\xc3\xbf");
  EXPECT_EQ(Eval("rb'\\x'").bytes_value(), "\\x");
  EXPECT_EQ(Eval("bR'\\x'").bytes_value(), "\\x");
}

TEST_F(ParserTest, NumberLiterals) {
  EXPECT_EQ(Eval("-9223372036854775808").int_value(), INT64_MIN);
  EXPECT_EQ(Eval("0x7fffffffffffffff").int_value(), INT64_MAX);
  EXPECT_EQ(Eval("-0x10").int_value(), -16);
  EXPECT_EQ(Eval("18446744073709551615u").uint_value(), UINT64_MAX);
  EXPECT_EQ(Eval("0xFFU").uint_value(), 255u);
  EXPECT_DOUBLE_EQ(Eval("1.5e3").double_value(), 1500.0);
  EXPECT_DOUBLE_EQ(Eval(".5").double_value(), 0.5);
  EXPECT_DOUBLE_EQ(Eval("2e-1").double_value(), 0.2);
}

TEST_F(ParserTest, Precedence) {
  EXPECT_EQ(Eval("1 + 2 * 3").int_value(), 7);
  EXPECT_EQ(Eval("(1 + 2) * 3").int_value(), 9);
  EXPECT_EQ(Eval("10 - 4 - 3").int_value(), 3);
  EXPECT_EQ(Eval("-2 * -3").int_value(), 6);
  EXPECT_TRUE(Eval("1 < 2 == true").bool_value());
  EXPECT_TRUE(Eval("true || false && false").bool_value());
  EXPECT_EQ(Eval("false ? 1 : true ? 2 : 3").int_value(), 2);
  EXPECT_TRUE(Eval("!false && !!true").bool_value());
  EXPECT_EQ(Eval("[1, 2, 3][1] + {'a': 4}['a']").int_value(), 6);
  EXPECT_TRUE(Eval("2 in [1, 2] && 'a' in {'a': 1}").bool_value());
}

TEST_F(ParserTest, TrailingCommasAndComments) {
  EXPECT_EQ(Eval("[1, 2,].size() // two elements\n + {'a': 1,}.size()").int_value(), 3);
}

TEST_F(ParserTest, QuotedFieldSelection) {
  EXPECT_EQ(Eval("{'content-type': 'json'}.`content-type`").string_value(), "json");
}

TEST_F(ParserTest, MessageConstructionParsesButDoesNotCompile) {
  Result<ParsedExpr> parsed = Parse("pkg.Msg{a: 1, b: 'x'}");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->root->kind, ExprKind::kStruct);
  EXPECT_EQ(parsed->root->name, "pkg.Msg");
  EXPECT_NE(CompileError("pkg.Msg{a: 1}", false).find("not supported"), std::string::npos);
}

TEST_F(ParserTest, ErrorNamesLineColumnAndCaret) {
  Result<ParsedExpr> parsed = Parse("a +\n  (b * )");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message_en(), "line 2, column 8: unexpected ')'\n |   (b * )\n | .......^");
  EXPECT_EQ(parsed.error().message_zh(), "第 2 行第 8 列：意外的 ')'\n |   (b * )\n | .......^");
}

TEST_F(ParserTest, ErrorColumnsCountCodePoints) {
  Result<ParsedExpr> parsed = Parse("'销售' + ");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message_en(), "line 1, column 8: unexpected end of expression\n | '销售' + \n | .......^");
}

TEST_F(ParserTest, InvalidEscapes) {
  EXPECT_NE(Parse("'\\q'").error().message_en().find("invalid escape sequence"), std::string::npos);
  EXPECT_NE(Parse("b'\\u00e9'").error().message_en().find("not allowed in bytes"), std::string::npos);
  EXPECT_NE(Parse("'\\uD800'").error().message_en().find("not a valid code point"), std::string::npos);
  EXPECT_NE(Parse("'unterminated").error().message_en().find("unrecognized input"), std::string::npos);
}

TEST_F(ParserTest, RejectsReservedWordsAndBadMacros) {
  EXPECT_NE(Parse("while + 1").error().message_en().find("reserved word 'while'"), std::string::npos);
  EXPECT_NE(Parse("[1].all(1, true)").error().message_en().find("simple variable name"), std::string::npos);
  EXPECT_NE(Parse("has(a)").error().message_en().find("field selection"), std::string::npos);
  EXPECT_NE(Parse("9223372036854775808").error().message_en().find("out of range"), std::string::npos);
  EXPECT_NE(Parse("a = b").error().message_en().find("unrecognized input '='"), std::string::npos);
}

TEST_F(ParserTest, DepthLimit) {
  std::string deep(250, '(');
  deep += "1";
  deep += std::string(250, ')');
  Result<ParsedExpr> parsed = Parse(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message_en().find("nested too deeply"), std::string::npos);

  std::string chain = "1";
  for (int i = 0; i < 300; ++i) chain += " + 1";
  EXPECT_FALSE(Parse(chain).ok());

  std::string nots(1000, '!');
  EXPECT_FALSE(Parse(nots + "true").ok());
}

TEST_F(ParserTest, AcceptsModerateNesting) {
  std::string nested(60, '(');
  nested += "1";
  nested += std::string(60, ')');
  EXPECT_TRUE(Parse(nested).ok());
}

TEST_F(ParserTest, SourceSizeLimit) {
  ParseOptions options;
  options.max_source_bytes = 10;
  EXPECT_NE(Parse("1 + 2 + 3 + 4", options).error().message_en().find("too long"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::cel
