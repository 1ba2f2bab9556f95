// The sweep expression language: precedence, comparisons, logic, strings, unknown values, type
// errors, and syntax errors located at the offending column of the spec file.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "sim/sweep/expression.h"

namespace pjsim::sweep {
namespace {

std::optional<Value> Eval(const std::string& text, const std::map<std::string, Value>& names = {}) {
  const Expression e = Expression::Parse(text, {"spec.yaml", 3, 12}, "'filters.0.require'");
  return e.Evaluate([&names](const std::string& name) -> std::optional<Value> {
    const auto it = names.find(name);
    if (it == names.end()) return std::nullopt;
    return it->second;
  });
}

double Num(const std::string& text, const std::map<std::string, Value>& names = {}) {
  const auto v = Eval(text, names);
  EXPECT_TRUE(v.has_value()) << text;
  return v ? std::get<double>(*v) : -1;
}

std::string ParseError(const std::string& text) {
  try {
    Expression::Parse(text, {"spec.yaml", 3, 12}, "'derived.1.expr'");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(SweepExpression, ArithmeticPrecedenceAndParentheses) {
  EXPECT_EQ(Num("1 + 2 * 3"), 7);
  EXPECT_EQ(Num("(1 + 2) * 3"), 9);
  EXPECT_EQ(Num("-2 * 3 + +1"), -5);
  EXPECT_EQ(Num("10 / 4 - 1"), 1.5);
  EXPECT_EQ(Num("2 - 3 - 4"), -5);  // left associative
  EXPECT_EQ(Num("1e-12 * 1e12"), 1);
  EXPECT_EQ(Num(".5 * 4"), 2);
}

TEST(SweepExpression, ComparisonsLogicAndNames) {
  const std::map<std::string, Value> p = {{"arch.tile.rows", 64.0},
                                          {"arch.tile.cols", 128.0},
                                          {"arch.dram.type", std::string("hbm2e")},
                                          {"workload.layers.0.m", 128.0}};
  EXPECT_EQ(Num("arch.tile.rows * arch.tile.cols <= 4096", p), 0);
  EXPECT_EQ(Num("arch.tile.rows * arch.tile.cols <= 8192", p), 1);
  EXPECT_EQ(Num("arch.dram.type == 'hbm2e' and not (arch.tile.rows > 64)", p), 1);
  EXPECT_EQ(Num("arch.dram.type != \"hbm2e\" or workload.layers.0.m == 128", p), 1);
  EXPECT_EQ(Num("arch.tile.rows > 100 || !(arch.tile.cols < 100) && true", p), 1);
  EXPECT_EQ(Num("false or 0"), 0);
  EXPECT_EQ(Num("not 0 and 2 >= 2 and 1 < 2 and 3 > 2"), 1);
}

TEST(SweepExpression, UnknownValuesPropagateUnlessLogicDecides) {
  EXPECT_FALSE(Eval("total.energy_pj / 128").has_value());
  EXPECT_FALSE(Eval("1 < total.seconds").has_value());
  EXPECT_EQ(Num("1 == 1 or total.seconds > 0"), 1);  // decided by the known side
  EXPECT_EQ(Num("total.seconds > 0 and 1 == 2"), 0);
  EXPECT_FALSE(Eval("total.seconds > 0 and 1 == 1").has_value());
}

TEST(SweepExpression, DivisionByZeroIsNotFinite) { EXPECT_TRUE(std::isinf(Num("1 / 0"))); }

TEST(SweepExpression, TypeErrorsNameTheOperatorColumn) {
  const std::map<std::string, Value> p = {{"t", std::string("ddr4")}, {"n", 3.0}};
  const auto offset_of = [&p](const std::string& text) -> size_t {
    try {
      Eval(text, p);
    } catch (const ExpressionError& e) {
      return e.offset();
    }
    return 999;
  };
  EXPECT_EQ(offset_of("n + t * 2"), 6u);
  EXPECT_EQ(offset_of("t < 'x'"), 2u);
  EXPECT_EQ(offset_of("n == t"), 2u);
  EXPECT_EQ(offset_of("not t"), 4u);
  EXPECT_EQ(offset_of("-t"), 0u);
  try {
    Eval("t * 2", p);
    FAIL();
  } catch (const ExpressionError& e) {
    EXPECT_NE(std::string(e.what()).find("'ddr4' is a string"), std::string::npos) << e.what();
  }
}

TEST(SweepExpression, SyntaxErrorsAreLocatedInTheSpecFile) {
  // The expression starts at column 12 of line 3; errors point at the offending character.
  EXPECT_EQ(ParseError("1 +"),
            "spec.yaml:3:15: 'derived.1.expr': unexpected end of expression in expression '1 +'");
  EXPECT_NE(ParseError("(1 + 2").find("spec.yaml:3:18: 'derived.1.expr': missing ')' to close "
                                      "the '(' at column 1"),
            std::string::npos)
      << ParseError("(1 + 2");
  EXPECT_NE(ParseError("a = 3").find("spec.yaml:3:14: 'derived.1.expr': use '==' to compare"),
            std::string::npos);
  EXPECT_NE(ParseError("1 < 2 < 3")
                .find("spec.yaml:3:18: 'derived.1.expr': comparisons do not "
                      "chain"),
            std::string::npos);
  EXPECT_NE(ParseError("3 $ 4").find("spec.yaml:3:14: 'derived.1.expr': unexpected character '$'"),
            std::string::npos);
  EXPECT_NE(ParseError("'abc").find("spec.yaml:3:12: 'derived.1.expr': unterminated string"),
            std::string::npos);
  EXPECT_NE(ParseError("2 3").find("spec.yaml:3:14: 'derived.1.expr': unexpected '3' after a "
                                   "complete expression"),
            std::string::npos);
  EXPECT_NE(ParseError("1.2.3").find("malformed number"), std::string::npos);
  EXPECT_NE(ParseError("   ").find("empty expression"), std::string::npos);
  EXPECT_NE(ParseError("* 2").find("spec.yaml:3:12: 'derived.1.expr': expected a number, a name "
                                   "or '(' but found '*'"),
            std::string::npos);
}

TEST(SweepExpression, ReferencesListNamesWithOffsets) {
  const Expression e =
      Expression::Parse("energy_by_category.dram.read / total.energy_pj", {"s.yaml", 1, 1}, "x");
  ASSERT_EQ(e.references().size(), 2u);
  EXPECT_EQ(e.references()[0].name, "energy_by_category.dram.read");
  EXPECT_EQ(e.references()[0].offset, 0u);
  EXPECT_EQ(e.references()[1].name, "total.energy_pj");
  EXPECT_EQ(e.references()[1].offset, 31u);
  EXPECT_EQ(Expression::Parse("workload.layers.0.m", {"s", 1, 1}, "x").references()[0].name,
            "workload.layers.0.m");
}

TEST(SweepExpression, ValueTextIsShortest) {
  EXPECT_EQ(ValueText(Value(64.0)), "64");
  EXPECT_EQ(ValueText(Value(0.1)), "0.1");
  EXPECT_EQ(ValueText(Value(std::string("hbm2e"))), "hbm2e");
}

// Parsing, evaluation and destruction recurse: hostile nesting is refused with a located error
// instead of overflowing the stack, while the deepest allowed expression still evaluates.
TEST(SweepExpression, NestingIsBoundedAndLocated) {
  const std::string deep_parens = std::string(10000, '(') + "1" + std::string(10000, ')');
  EXPECT_NE(ParseError(deep_parens)
                .find("spec.yaml:3:268: 'derived.1.expr': expression nests "
                      "deeper than 256 levels"),
            std::string::npos)
      << ParseError(deep_parens);
  EXPECT_NE(ParseError(std::string(200000, '-') + "1").find("nests deeper than 256"),
            std::string::npos);
  EXPECT_NE(ParseError(std::string(200000, '+') + "1").find("nests deeper than 256"),
            std::string::npos);
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_NE(ParseError(nots + "1").find("nests deeper than 256"), std::string::npos);
  std::string chain = "1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  EXPECT_NE(ParseError(chain).find("nests deeper than 256"), std::string::npos);
  // Within the bound everything still works.
  EXPECT_EQ(Num(std::string(255, '(') + "7" + std::string(255, ')')), 7.0);
  EXPECT_EQ(Num(std::string(254, '-') + "7"), 7.0);
  std::string sum = "1";
  for (int i = 0; i < 200; ++i) sum += " + 1";
  EXPECT_EQ(Num(sum), 201.0);
}

}  // namespace
}  // namespace pjsim::sweep
