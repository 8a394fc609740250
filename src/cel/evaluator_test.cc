#include <gtest/gtest.h>

#include "cel/containers.h"
#include "cel/test_util.h"

namespace salesradar::cel {
namespace {

class EvaluatorTest : public EvalFixture {
 protected:
  bool IsError(std::string_view source, bool check = false) { return Eval(source, check).is_error(); }
  bool IsTrue(std::string_view source, bool check = false) {
    Value v = Eval(source, check);
    return v.kind() == ValueKind::kBool && v.bool_value();
  }
  bool IsFalse(std::string_view source, bool check = false) {
    Value v = Eval(source, check);
    return v.kind() == ValueKind::kBool && !v.bool_value();
  }
};

// && and || let a decisive side win over an error on the other side, in either order.
TEST_F(EvaluatorTest, LogicAbsorbsErrorsCommutatively) {
  EXPECT_TRUE(IsFalse("1/0 == 1 && false"));
  EXPECT_TRUE(IsFalse("false && 1/0 == 1"));
  EXPECT_TRUE(IsTrue("1/0 == 1 || true"));
  EXPECT_TRUE(IsTrue("true || 1/0 == 1"));
  EXPECT_TRUE(IsError("1/0 == 1 && true"));
  EXPECT_TRUE(IsError("true && 1/0 == 1"));
  EXPECT_TRUE(IsError("1/0 == 1 || false"));
  EXPECT_TRUE(IsError("false || 1/0 == 1"));
  EXPECT_TRUE(IsFalse("'text' && false"));
  EXPECT_TRUE(IsError("'text' && true"));
  EXPECT_TRUE(IsTrue("undefined_variable || true"));
}

TEST_F(EvaluatorTest, ErrorsPropagateThroughStrictFunctions) {
  EXPECT_TRUE(IsError("(1/0 == 1) == true"));
  EXPECT_TRUE(IsError("[1, 1/0].size() == 2"));
  EXPECT_TRUE(IsError("1/0 > 0 ? 1 : 2"));
  EXPECT_TRUE(IsError("'x' ? 1 : 2"));
  EXPECT_EQ(Eval("true ? 1 : 1/0").int_value(), 1);
  EXPECT_EQ(Eval("1/0").error_message(), "divide by zero");
  EXPECT_EQ(Eval("5 % 0").error_message(), "modulus by zero");
}

TEST_F(EvaluatorTest, MacrosAbsorbErrorsLikeLogic) {
  EXPECT_TRUE(IsFalse("[0, 1, 2].all(x, 2 / x > 1)"));
  EXPECT_TRUE(IsError("[0, 1, 2].all(x, 2 / x >= 1)"));
  EXPECT_TRUE(IsTrue("[0, 1, 2].exists(x, 2 / x == 1)"));
  EXPECT_TRUE(IsError("[0, 1].exists(x, 2 / x == 5)"));
  EXPECT_TRUE(IsError("[0, 1].exists_one(x, 2 / x == 2)"));
  EXPECT_TRUE(IsError("[0, 1].map(x, 2 / x)"));
}

TEST_F(EvaluatorTest, IntegerOverflowIsAnError) {
  EXPECT_EQ(Eval("9223372036854775807 + 1").error_message(), "return error for overflow");
  EXPECT_TRUE(IsError("-9223372036854775808 - 1"));
  EXPECT_TRUE(IsError("-(-9223372036854775808)"));
  EXPECT_TRUE(IsError("-9223372036854775808 / -1"));
  EXPECT_TRUE(IsError("5000000000 * 5000000000"));
  EXPECT_TRUE(IsError("0u - 1u"));
  EXPECT_TRUE(IsError("18446744073709551615u + 1u"));
  EXPECT_EQ(Eval("9223372036854775806 + 1").int_value(), INT64_MAX);
}

TEST_F(EvaluatorTest, HeterogeneousNumericEquality) {
  EXPECT_TRUE(IsTrue("1 == 1u && 1u == 1.0 && 1.0 == 1"));
  EXPECT_TRUE(IsTrue("dyn(2) in [1.0, 2.0]"));
  EXPECT_TRUE(IsTrue("{1: 'a'}[1u] == 'a' && {1u: 'b'}[1.0] == 'b'"));
  EXPECT_TRUE(IsFalse("-1 == 18446744073709551615u"));
  EXPECT_TRUE(IsTrue("1 < 1.5 && 2u > 1 && -1 < 0u"));
  EXPECT_TRUE(IsFalse("0.0/0.0 == 0.0/0.0"));
  EXPECT_TRUE(IsFalse("1 == 'one'"));
  EXPECT_TRUE(IsTrue("[1, 'a'] == [1.0, 'a'] && {'k': [1]} == {'k': [1u]}"));
}

TEST_F(EvaluatorTest, MacrosAndComprehensionScopes) {
  EXPECT_EQ(Eval("[1, 2, 3].map(x, x * 2)[2]").int_value(), 6);
  EXPECT_EQ(Eval("[1, 2, 3, 4].map(x, x % 2 == 0, x * 10)").list().size(), 2u);
  EXPECT_EQ(Eval("[1, 2, 3].filter(x, x > 1).size()").int_value(), 2);
  EXPECT_TRUE(IsTrue("[1, 2, 3].exists_one(x, x == 2)"));
  EXPECT_TRUE(IsTrue("{'a': 1, 'b': 2}.all(k, k in ['a', 'b'])"));
  EXPECT_TRUE(IsTrue("[[1], [2]].all(x, x.all(x, x > 0))"));
  EXPECT_TRUE(IsTrue("[1].exists(x, [2].exists(y, x + y == 3))"));
}

TEST_F(EvaluatorTest, IterationLimit) {
  CompileOptions options;
  options.max_iterations = 100;
  Result<Program> program =
      Compile(env_, "[1,2,3,4,5,6,7,8,9,10].all(x, [1,2,3,4,5,6,7,8,9,10].all(y, y > 0))", options);
  ASSERT_TRUE(program.ok());
  Value result = program->Evaluate(activation_, arena_);
  ASSERT_TRUE(result.is_error());
  EXPECT_NE(result.error_message().find("iteration limit"), std::string_view::npos);
}

TEST_F(EvaluatorTest, MapLiteralErrors) {
  EXPECT_TRUE(IsError("{1: 'a', 1u: 'b'}"));
  EXPECT_TRUE(IsError("{[1]: 2}"));
  EXPECT_TRUE(IsError("{'a': 1}.b"));
  EXPECT_TRUE(IsTrue("has({'a': 1}.a) && !has({'a': 1}.b)"));
}

TEST_F(EvaluatorTest, ConversionsAndTypes) {
  EXPECT_EQ(Eval("int('-42')").int_value(), -42);
  EXPECT_TRUE(IsError("int('4x')"));
  EXPECT_TRUE(IsError("int(1e20)"));
  EXPECT_EQ(Eval("uint(3.9)").uint_value(), 3u);
  EXPECT_EQ(Eval("string(1.5)").string_value(), "1.5");
  EXPECT_EQ(Eval("string(b'abc')").string_value(), "abc");
  EXPECT_TRUE(IsError("string(b'\\xff')"));
  EXPECT_TRUE(IsTrue("type(1) == int && type('a') == string && type(type(1)) == type"));
  EXPECT_TRUE(IsTrue("type(money(1, 'CNY')) == money"));
  EXPECT_TRUE(IsTrue("dyn([1, 'a']).size() == 2"));
}

TEST_F(EvaluatorTest, UndeclaredVariableAtRunTime) {
  Value result = Eval("missing + 1", false);
  ASSERT_TRUE(result.is_error());
  EXPECT_EQ(result.error_message(), "undeclared reference to 'missing'");
}

// An object that counts how often the evaluator reads its fields, to show lazy access.
class CountingObject final : public ObjectValue {
 public:
  std::string_view TypeName() const override { return "Lead"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    ++reads;
    if (name == "score") return Value::Int(80);
    if (name == "source") return Value::String("web");
    return std::nullopt;
  }
  mutable int reads = 0;
};

TEST_F(EvaluatorTest, ObjectFieldsAreReadLazily) {
  CountingObject lead;
  activation_.Bind("lead", Value::Object(&lead));
  env_.DeclareMessage({"Lead", {{"score", Type::Int()}, {"source", Type::String()}}});
  env_.DeclareVariable("lead", Type::Message("Lead"));

  EXPECT_TRUE(Eval("lead.score > 50 || lead.source == 'x'").bool_value());
  EXPECT_EQ(lead.reads, 1);
  EXPECT_TRUE(Eval("has(lead.source) && type(lead) == Lead").bool_value());
  EXPECT_NE(Eval("lead.owner", false).error_message().find("no such field"), std::string_view::npos);
}

TEST_F(EvaluatorTest, ContainerResolution) {
  env_.SetContainer("com.example");
  env_.DeclareVariable("com.example.y", Type::Int());
  env_.DeclareVariable("y", Type::Int());
  activation_.Bind("com.example.y", Value::Int(1));
  activation_.Bind("y", Value::Int(2));
  EXPECT_EQ(Eval("y").int_value(), 1);
  EXPECT_EQ(Eval(".y").int_value(), 2);
  EXPECT_EQ(Eval("y", false).int_value(), 1);
  EXPECT_EQ(Eval("[5].map(y, y)[0]").int_value(), 5);
}

}  // namespace
}  // namespace salesradar::cel
