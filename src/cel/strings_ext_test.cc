#include <gtest/gtest.h>

#include "cel/test_util.h"

namespace salesradar::cel {
namespace {

class StringsExtensionTest : public EvalFixture {
 protected:
  std::string Str(std::string_view source) {
    Value v = Eval(source);
    EXPECT_EQ(v.kind(), ValueKind::kString) << source << " gave " << DebugString(v);
    return v.kind() == ValueKind::kString ? std::string(v.string_value()) : "";
  }
};

TEST_F(StringsExtensionTest, CodePointIndexes) {
  EXPECT_EQ(Str("'销售雷达'.charAt(1)"), "售");
  EXPECT_EQ(Str("'abc'.charAt(3)"), "");
  EXPECT_TRUE(Eval("'abc'.charAt(4)").is_error());
  EXPECT_EQ(Eval("'销售雷达'.indexOf('雷')").int_value(), 2);
  EXPECT_EQ(Eval("'abcabc'.indexOf('c', 3)").int_value(), 5);
  EXPECT_EQ(Eval("'abcabc'.lastIndexOf('b')").int_value(), 4);
  EXPECT_EQ(Eval("'abcabc'.lastIndexOf('b', 3)").int_value(), 1);
  EXPECT_EQ(Eval("'abc'.indexOf('z')").int_value(), -1);
  EXPECT_EQ(Str("'销售雷达'.substring(2)"), "雷达");
  EXPECT_EQ(Str("'销售雷达'.substring(1, 3)"), "售雷");
  EXPECT_TRUE(Eval("'abc'.substring(2, 1)").is_error());
}

TEST_F(StringsExtensionTest, CaseReplaceSplitJoinTrim) {
  EXPECT_EQ(Str("'Hello 世界'.lowerAscii()"), "hello 世界");
  EXPECT_EQ(Str("'Hello'.upperAscii()"), "HELLO");
  EXPECT_EQ(Str("'a-b-c'.replace('-', '+')"), "a+b+c");
  EXPECT_EQ(Str("'a-b-c'.replace('-', '+', 1)"), "a+b-c");
  EXPECT_EQ(Eval("'a,b,,c'.split(',').size()").int_value(), 4);
  EXPECT_EQ(Eval("'a,b,c'.split(',', 2)[1]").string_value(), "b,c");
  EXPECT_EQ(Str("['a', 'b'].join()"), "ab");
  EXPECT_EQ(Str("['a', 'b'].join(', ')"), "a, b");
  EXPECT_EQ(Str("' \\t 销售 \\u3000'.trim()"), "销售");
}

TEST_F(StringsExtensionTest, Format) {
  EXPECT_EQ(Str("'%s: %d of %.2f'.format(['quota', 3, 2.5])"), "quota: 3 of 2.50");
  EXPECT_EQ(Str("'%x %X %o %b'.format([255, 255, 8, 5])"), "ff FF 10 101");
  EXPECT_EQ(Str("'100%%'.format([])"), "100%");
  EXPECT_EQ(Str("'%s'.format([[1, 'a']])"), "[1, a]");
  EXPECT_TRUE(Eval("'%d'.format(['x'])").is_error());
  EXPECT_TRUE(Eval("'%s %s'.format(['x'])").is_error());
}

TEST_F(StringsExtensionTest, StandardStringFunctions) {
  EXPECT_TRUE(Eval("'opportunity'.startsWith('opp') && 'opportunity'.endsWith('ity')").bool_value());
  EXPECT_TRUE(Eval("'合规声明.pdf'.contains('合规')").bool_value());
  EXPECT_TRUE(Eval("'ORDER-2026-001'.matches('^ORDER-\\\\d{4}-\\\\d+$')").bool_value());
  EXPECT_TRUE(Eval("matches('abc', 'b')").bool_value());
  EXPECT_TRUE(Eval("'x'.matches('(')").is_error());
  EXPECT_EQ(Eval("size('销售')").int_value(), 2);
}

}  // namespace
}  // namespace salesradar::cel
