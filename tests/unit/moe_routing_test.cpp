// MoE routing decisions: top-k distinct experts, skew, temporal reuse, determinism, traces.
#include "sim/workload/moe_routing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "sim/config/config_error.h"
#include "test_paths.h"

namespace pjsim {
namespace {

RoutingConfig Config(const std::string& source) {
  RoutingConfig c;
  c.source = source;
  c.num_experts = 8;
  c.top_k = 2;
  c.seed = 11;
  return c;
}

std::vector<double> Frequencies(MoeRouter& r, std::int64_t tokens) {
  std::vector<double> f(8, 0);
  for (const auto& experts : r.Route(0, 0, tokens)) {
    EXPECT_EQ(experts.size(), 2u);
    EXPECT_NE(experts[0], experts[1]);
    for (int e : experts) f[static_cast<size_t>(e)] += 1.0 / static_cast<double>(tokens * 2);
  }
  return f;
}

TEST(MoeRouting, PortableExpMatchesLibm) {
  for (double x : {-20.0, -1.5, -0.1, 0.0, 0.3, 1.0, 7.25, 40.0}) {
    EXPECT_NEAR(PortableExp(x), std::exp(x), 1e-14 * std::exp(x)) << x;
  }
}

TEST(MoeRouting, UniformSpreadsEvenlyAndConservesAssignments) {
  MoeRouter r(Config("uniform"));
  const auto f = Frequencies(r, 20000);
  for (double x : f) EXPECT_NEAR(x, 1.0 / 8, 0.01);
}

TEST(MoeRouting, ZipfAndDirichletAreSkewedAndDeterministic) {
  auto zipf = Config("zipf");
  zipf.params["zipf_exponent"] = 1.5;
  MoeRouter a(zipf), b(zipf);
  const auto fa = Frequencies(a, 5000);
  EXPECT_EQ(fa, Frequencies(b, 5000));
  EXPECT_GT(*std::max_element(fa.begin(), fa.end()), 0.25);
  auto dir = Config("dirichlet");
  dir.params["dirichlet_alpha"] = 0.2;
  MoeRouter d(dir);
  const auto& p = d.Popularity(0);
  double sum = 0;
  for (double x : p) sum += x;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_GT(*std::max_element(p.begin(), p.end()), 0.3);
  EXPECT_NE(d.Popularity(0), d.Popularity(1));  // each layer its own popularity
}

TEST(MoeRouting, FullReuseRepeatsThePreviousTokensExperts) {
  auto c = Config("uniform");
  c.reuse = 1.0;
  MoeRouter r(c);
  const auto routes = r.Route(0, 0, 50);
  for (const auto& experts : routes) EXPECT_EQ(experts, routes.front());
}

TEST(MoeRouting, TraceFileAndItsErrors) {
  const std::string dir = test::FreshDir("routing_trace");
  auto c = Config("trace");
  c.trace_path = dir + "/t.txt";
  std::ofstream(c.trace_path) << "# layer token experts\n0 0 3 5\n0 1 1 2\n";
  MoeRouter r(c);
  EXPECT_EQ(r.Route(0, 0, 2), (std::vector<std::vector<int>>{{3, 5}, {1, 2}}));
  EXPECT_THROW(r.Route(0, 2, 1), ConfigError);
  const auto error = [&](const std::string& text) -> std::string {
    std::ofstream(c.trace_path) << text;
    try {
      MoeRouter bad(c);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "<no error>";
  };
  EXPECT_NE(error("0 0 3\n").find("t.txt:1: routing trace: expected 'layer token' and 2 experts"),
            std::string::npos);
  EXPECT_NE(error("0 0 3 9\n").find("expert 9 is out of range"), std::string::npos);
  EXPECT_NE(error("0 0 3 3\n").find("must be distinct"), std::string::npos);
  EXPECT_NE(
      error("0 0 1 2\n\n0 0 1 3\n").find("t.txt:3: routing trace: layer 0 token 0 appears twice"),
      std::string::npos);
  EXPECT_NE(error("0 x 1 2\n").find("'x' is not a non-negative integer"), std::string::npos);
}

}  // namespace
}  // namespace pjsim
