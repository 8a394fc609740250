#include <gtest/gtest.h>

#include "cel/test_util.h"

namespace salesradar::cel {
namespace {

class MoneyTest : public EvalFixture {};

TEST_F(MoneyTest, ConstructionAndAccessors) {
  Value m = Eval("money(150000, 'CNY')");
  ASSERT_EQ(m.kind(), ValueKind::kMoney);
  EXPECT_EQ(m.money().minor_units, 150000);
  EXPECT_EQ(m.money().currency_code(), "CNY");
  EXPECT_EQ(Eval("money(150000, 'CNY').amount()").int_value(), 150000);
  EXPECT_EQ(Eval("money(150000, 'USD').currency()").string_value(), "USD");
}

TEST_F(MoneyTest, RejectsInvalidCurrencyCodes) {
  for (const char* source : {"money(1, 'cny')", "money(1, 'CN')", "money(1, 'CNYY')", "money(1, '人民币')"}) {
    Value v = Eval(source);
    ASSERT_TRUE(v.is_error()) << source;
    EXPECT_NE(v.error_message().find("invalid currency code"), std::string_view::npos) << source;
  }
}

TEST_F(MoneyTest, ArithmeticInOneCurrency) {
  EXPECT_EQ(Eval("money(100, 'CNY') + money(250, 'CNY')").money().minor_units, 350);
  EXPECT_EQ(Eval("money(100, 'CNY') - money(250, 'CNY')").money().minor_units, -150);
  EXPECT_EQ(Eval("money(100, 'CNY') * 3").money().minor_units, 300);
  EXPECT_EQ(Eval("3 * money(100, 'CNY')").money().minor_units, 300);
  EXPECT_EQ(Eval("-money(100, 'CNY')").money().minor_units, -100);
  // Division truncates toward zero, as integer division does.
  EXPECT_EQ(Eval("money(100, 'CNY') / 3").money().minor_units, 33);
  EXPECT_EQ(Eval("money(-100, 'CNY') / 3").money().minor_units, -33);
  EXPECT_EQ(Eval("(money(100, 'CNY') / 3).currency()").string_value(), "CNY");
}

TEST_F(MoneyTest, ArithmeticErrors) {
  EXPECT_EQ(Eval("money(1, 'CNY') / 0").error_message(), "divide by zero");
  EXPECT_TRUE(Eval("money(9223372036854775807, 'CNY') + money(1, 'CNY')").is_error());
  EXPECT_TRUE(Eval("money(9223372036854775807, 'CNY') * 2").is_error());
  EXPECT_TRUE(Eval("-money(-9223372036854775808, 'CNY')").is_error());
}

TEST_F(MoneyTest, MixingCurrenciesIsAnError) {
  Value sum = Eval("money(1, 'CNY') + money(1, 'USD')");
  ASSERT_TRUE(sum.is_error());
  EXPECT_EQ(sum.error_message(), "cannot add money in different currencies: CNY and USD");
  EXPECT_TRUE(Eval("money(1, 'CNY') - money(1, 'USD')").is_error());
  EXPECT_TRUE(Eval("money(1, 'CNY') < money(1, 'USD')").is_error());
  EXPECT_TRUE(Eval("money(1, 'CNY') >= money(1, 'USD')").is_error());
  // Equality is defined across currencies: different currencies are simply unequal.
  EXPECT_FALSE(Eval("money(1, 'CNY') == money(1, 'USD')").bool_value());
}

TEST_F(MoneyTest, Comparisons) {
  EXPECT_TRUE(Eval("money(50000001, 'CNY') > money(50000000, 'CNY')").bool_value());
  EXPECT_TRUE(Eval("money(5, 'CNY') <= money(5, 'CNY')").bool_value());
  EXPECT_TRUE(Eval("money(5, 'CNY') == money(5, 'CNY')").bool_value());
  EXPECT_TRUE(Eval("money(5, 'CNY') != money(6, 'CNY')").bool_value());
}

TEST_F(MoneyTest, CheckerRejectsMoneyAgainstInt) {
  std::string error = CompileError("money(5, 'CNY') > 5");
  EXPECT_NE(error.find("no matching overload for '_>_' applied to (money, int)"), std::string::npos) << error;
}

}  // namespace
}  // namespace salesradar::cel
