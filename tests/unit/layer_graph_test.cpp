// Layer graph validation: cycles name the ops on them, shape mismatches name both ends, and
// attention ops derive their GEMM shapes (grouped-query heads share their KV head's block).
#include "sim/graph/layer_graph.h"

#include <gtest/gtest.h>

#include "config_error_text.h"

namespace pjsim {
namespace {

Layer Linear(const std::string& name, std::int64_t m, std::int64_t k, std::int64_t n,
             std::vector<std::string> inputs) {
  Layer l;
  l.name = name;
  l.m = m;
  l.k = k;
  l.n = n;
  l.inputs = std::move(inputs);
  l.where = {"w.yaml", 3, 5};
  return l;
}

std::string ErrorOf(std::vector<Layer> layers) {
  return test::ErrorOf([&] { LayerGraph g(std::move(layers)); });
}

TEST(LayerGraph, CycleErrorNamesTheOps) {
  const std::string e = ErrorOf(
      {Linear("a", 4, 8, 8, {"c"}), Linear("b", 4, 8, 8, {"a"}), Linear("c", 4, 8, 8, {"b"})});
  EXPECT_NE(e.find("cycle"), std::string::npos) << e;
  for (const char* op : {"a", "b", "c"}) EXPECT_NE(e.find(op), std::string::npos) << e;
}

TEST(LayerGraph, ShapeMismatchNamesBothEnds) {
  const std::string e = ErrorOf({Linear("up", 4, 8, 16, {}), Linear("down", 4, 32, 8, {"up"})});
  EXPECT_EQ(e, "w.yaml:3:5: shape mismatch: 'up' produces 4x16 but 'down' reads 4x32 as input 0");
}

TEST(LayerGraph, UnknownInputAndDuplicateName) {
  EXPECT_NE(ErrorOf({Linear("a", 4, 8, 8, {"ghost"})}).find("unknown layer 'ghost'"),
            std::string::npos);
  EXPECT_NE(ErrorOf({Linear("a", 4, 8, 8, {}), Linear("a", 4, 8, 8, {})})
                .find("duplicate layer name 'a'"),
            std::string::npos);
}

TEST(LayerGraph, TopologicalOrderKeepsFileOrderAmongReadyOps) {
  LayerGraph g({Linear("x", 4, 8, 8, {"y"}), Linear("y", 4, 8, 8, {}), Linear("z", 4, 8, 8, {})});
  EXPECT_EQ(g.topological_order(), (std::vector<int>{1, 0, 2}));
}

TEST(LayerGraph, AfterOrdersWithoutCarryingATensor) {
  // "experts" reads nothing from "router" (another shape) but must wait for it.
  Layer experts = Linear("experts", 2, 8, 32, {});
  experts.after = {"router"};
  const LayerGraph g({experts, Linear("x", 1, 8, 8, {}), Linear("router", 1, 8, 4, {"x"})});
  EXPECT_TRUE(g.producers(0).empty());  // no input region comes from the router
  EXPECT_EQ(g.predecessors(0), std::vector<int>{2});
  EXPECT_EQ(g.topological_order(), (std::vector<int>{1, 2, 0}));
  Layer lost = Linear("lost", 1, 8, 8, {});
  lost.after = {"nobody"};
  EXPECT_EQ(ErrorOf({lost}), "w.yaml:3:5: layer 'lost' runs after unknown layer 'nobody'");
  Layer a = Linear("a", 1, 8, 8, {"b"}), b = Linear("b", 1, 8, 8, {});
  b.after = {"a"};
  EXPECT_NE(ErrorOf({a, b}).find("cycle"), std::string::npos);
}

TEST(Attention, GroupedQueryShapesAndGrowth) {
  Layer s;
  s.kind = OpKind::kAttentionScores;
  s.attention = {2, 32, 8, 128, 16, 100};  // 2 sequences, 32 heads, 8 KV heads, d 128
  s.DeriveAttentionGemm();
  EXPECT_EQ(s.batch, 16);  // one GEMM per (sequence, KV head)
  EXPECT_EQ(s.m, 16 * 4);  // the group's 4 query heads stacked
  EXPECT_EQ(s.k, 128);
  EXPECT_EQ(s.n, 100);
  EXPECT_EQ(s.Macs(), 2LL * 32 * 16 * 100 * 128);
  EXPECT_EQ(s.OutputShape(), (TensorShape{2 * 32 * 16, 100}));
  EXPECT_EQ(s.InputShape(1), (TensorShape{2 * 16, 8 * 128}));
  const Layer later = s.AtDecodeStep(5);
  EXPECT_EQ(later.n, 105);
  EXPECT_EQ(later.OutputShape().cols, 105);
}

}  // namespace
}  // namespace pjsim
