#include "cel/checker.h"

#include <gtest/gtest.h>

#include "cel/test_util.h"

namespace salesradar::cel {
namespace {

class CheckerTest : public EvalFixture {
 protected:
  void SetUp() override {
    env_.DeclareMessage({"Opportunity",
                         {{"amount", Type::Money()},
                          {"stage", Type::String()},
                          {"close_date", Type::Timestamp()},
                          {"custom_region", Type::String()}}});
    env_.DeclareMessage({"Activity", {{"type", Type::String()}, {"at", Type::Timestamp()}}});
    env_.DeclareVariable("opp", Type::Message("Opportunity"));
    env_.DeclareVariable("activities", Type::List(Type::Message("Activity")));
  }

  Type ResultType(std::string_view source) {
    Result<ParsedExpr> parsed = Parse(source);
    EXPECT_TRUE(parsed.ok());
    Result<CheckedExpr> checked = Check(env_, *parsed);
    EXPECT_TRUE(checked.ok()) << checked.error().message_en();
    return checked.ok() ? checked->result_type : Type::Of(Type::Kind::kError);
  }
};

TEST_F(CheckerTest, InfersTypes) {
  EXPECT_EQ(ResultType("opp.amount").ToString(), "money");
  EXPECT_EQ(ResultType("activities.filter(a, a.type == 'visit')").ToString(), "list(Activity)");
  EXPECT_EQ(ResultType("activities.map(a, a.at)").ToString(), "list(google.protobuf.Timestamp)");
  EXPECT_EQ(ResultType("activities.size() > 3").ToString(), "bool");
  EXPECT_EQ(ResultType("{'a': 1}").ToString(), "map(string, int)");
  EXPECT_EQ(ResultType("[1, 'a']").ToString(), "list(dyn)");
  EXPECT_EQ(ResultType("opp.close_date - duration('1h')").ToString(), "google.protobuf.Timestamp");
}

TEST_F(CheckerTest, UnknownFieldNamesNearestFields) {
  EXPECT_EQ(CompileError("opp.amout > money(1, 'CNY')"),
            "line 1, column 4: type 'Opportunity' has no field 'amout'; did you mean 'amount'?\n"
            " | opp.amout > money(1, 'CNY')\n"
            " | ...^");
  EXPECT_EQ(CompileErrorZh("opp.amout > money(1, 'CNY')"),
            "第 1 行第 4 列：类型 'Opportunity' 没有字段 'amout'；最接近的字段：'amount'\n"
            " | opp.amout > money(1, 'CNY')\n"
            " | ...^");
}

TEST_F(CheckerTest, UnknownFieldWithoutNearNameListsFields) {
  std::string error = CompileError("opp.xyzzy_total == 1");
  EXPECT_NE(error.find("type 'Opportunity' has no field 'xyzzy_total'; its fields are 'amount', 'stage', "
                       "'close_date', 'custom_region'"),
            std::string::npos)
      << error;
}

TEST_F(CheckerTest, UnknownFieldInsideMacro) {
  std::string error = CompileError("activities.exists(a, a.typ == 'visit')");
  EXPECT_NE(error.find("line 1, column 23: type 'Activity' has no field 'typ'; did you mean 'type'?"),
            std::string::npos)
      << error;
}

TEST_F(CheckerTest, UndeclaredVariableNamesNearest) {
  std::string error = CompileError("activites.size() > 3");
  EXPECT_NE(error.find("undeclared reference to 'activites'; did you mean 'activities'?"), std::string::npos) << error;
  EXPECT_NE(CompileErrorZh("activites.size() > 3").find("未声明的变量 'activites'；最接近的名称：'activities'"),
            std::string::npos);
}

TEST_F(CheckerTest, TypeMismatchNamesOperandTypes) {
  std::string error = CompileError("opp.amount > 500000");
  EXPECT_NE(error.find("line 1, column 12: no matching overload for '_>_' applied to (money, int)"),
            std::string::npos)
      << error;
  std::string zh = CompileErrorZh("opp.stage + 1");
  EXPECT_NE(zh.find("'_+_' 的参数类型不匹配：(string, int)"), std::string::npos) << zh;
}

TEST_F(CheckerTest, RejectsNonBoolConditions) {
  EXPECT_NE(CompileError("opp.stage && true").find("no matching overload for '_&&_'"), std::string::npos);
  EXPECT_NE(CompileError("activities.all(a, a.type)").find("must be a bool"), std::string::npos);
  EXPECT_NE(CompileError("1 ? 2 : 3").find("'_?_:_'"), std::string::npos);
}

TEST_F(CheckerTest, UndeclaredFunction) {
  std::string error = CompileError("sizee(activities)");
  EXPECT_NE(error.find("undeclared reference to function 'sizee'; did you mean 'size'?"), std::string::npos) << error;
}

TEST_F(CheckerTest, FieldSelectionOnScalar) {
  EXPECT_NE(CompileError("opp.stage.name").find("type 'string' does not support field selection"),
            std::string::npos);
}

TEST_F(CheckerTest, DynDefersToRunTime) {
  EXPECT_EQ(CompileError("dyn(opp).anything == 1"), "");
  env_.DeclareVariable("payload", Type::Map(Type::String(), Type::Dyn()));
  EXPECT_EQ(CompileError("payload.total > 5 && payload.tags.exists(t, t == 'vip')"), "");
}

TEST_F(CheckerTest, ChecksHas) {
  EXPECT_EQ(CompileError("has(opp.custom_region)"), "");
  EXPECT_NE(CompileError("has(opp.custom_regoin)").find("did you mean 'custom_region'?"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::cel
