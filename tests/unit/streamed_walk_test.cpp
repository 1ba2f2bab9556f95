// Streamed GEMM plans (task_queue.h, gemm_walk.h): a tile's tasks made as it reaches them are
// the tasks the held walk lists, field by field, in order: read by index as a tile's threads
// read them (the loader ahead, the storer a window behind), read by iteration, read again from
// the start, and moved to other tensors (MovedPlan). So a run of a streamed plan does what a run
// of the held plan did.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/mapping/gemm_walk.h"
#include "sim/mapping/layer_mapper.h"
#include "sim/workload/workload.h"
#include "small_mesh_arch.h"

namespace pjsim {
namespace {

ArchConfig MeshOf16(bool multicast) {
  ArchConfig a = test::SmallMeshArch();
  a.mapping.multicast = multicast;
  return a;
}

Layer LayerOf(const std::string& fields) {
  const std::string yaml = "name: w\nlayers:\n  - {name: op, " + fields + ", dtype: int8}\n";
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml"))).graph->layers()[0];
}

LayerRegions RegionsAt(const Layer& l, std::uint64_t base) {
  LayerRegions r;
  const TensorShape in = l.InputShape(0);
  r.inputs = {{base, static_cast<std::uint64_t>(l.ActivationBytes(in.rows * in.cols))}};
  for (int i = 1; i < l.Arity(); ++i) {
    const TensorShape s = l.InputShape(i);
    r.inputs.push_back({base + (std::uint64_t{1} << 27),
                        static_cast<std::uint64_t>(l.ActivationBytes(s.rows * s.cols))});
  }
  r.operand_b = {base + (std::uint64_t{1} << 28),
                 static_cast<std::uint64_t>(l.OperandBStoredBytes())};
  r.output = {base + (std::uint64_t{1} << 29),
              static_cast<std::uint64_t>(l.ActivationBytes(l.OutputElements()))};
  return r;
}

void ExpectSameTask(const TileTask& a, const TileTask& b, const std::string& where) {
  const auto same = [](const Transfer& x, const Transfer& y) {
    return x.address == y.address && x.bytes == y.bytes && x.share == y.share;
  };
  EXPECT_TRUE(a.layer == b.layer && a.kind == b.kind && a.gemm.m == b.gemm.m &&
              a.gemm.k == b.gemm.k && a.gemm.n == b.gemm.n && a.elements == b.elements &&
              a.first_k == b.first_k && a.last_k == b.last_k &&
              a.accumulate_in_array == b.accumulate_in_array && a.reduction == b.reduction &&
              a.input_spikes == b.input_spikes && a.output_spikes == b.output_spikes &&
              a.weight_row_reads == b.weight_row_reads && same(a.input, b.input) &&
              same(a.second_input, b.second_input) && same(a.weights, b.weights) &&
              same(a.store, b.store) && a.weight_gather.empty() && b.weight_gather.empty())
      << where;
}

// Every tile's streamed queue against the held one: by index in the order a tile's threads
// read (each task once as the loader reaches it, the one a window's margin behind again), by
// iteration, and by index from the start again.
void ExpectSamePlans(const LayerPlan& streamed, const LayerPlan& held, const std::string& what) {
  ASSERT_EQ(streamed.per_tile.size(), held.per_tile.size()) << what;
  EXPECT_EQ(streamed.shares, held.shares) << what;
  EXPECT_EQ(streamed.tiling.tasks, held.tiling.tasks) << what;
  EXPECT_EQ(streamed.tiling.planned_dram_read_bytes, held.tiling.planned_dram_read_bytes) << what;
  EXPECT_EQ(streamed.tiling.planned_dram_write_bytes, held.tiling.planned_dram_write_bytes) << what;
  for (size_t t = 0; t < held.per_tile.size(); ++t) {
    const TaskQueue &s = streamed.per_tile[t], &h = held.per_tile[t];
    const std::string where = what + " tile " + std::to_string(t);
    ASSERT_EQ(s.size(), h.size()) << where;
    if (!h.empty()) {
      EXPECT_TRUE(s.streamed()) << where;
    }
    const size_t lag = 8;
    for (size_t i = 0; i < h.size(); ++i) {
      ExpectSameTask(s[i], h[i], where + " task " + std::to_string(i));
      if (i >= lag) ExpectSameTask(s[i - lag], h[i - lag], where + " behind");
    }
    size_t i = 0;
    for (const TileTask& task : s) ExpectSameTask(task, h[i++], where + " iterated");
    EXPECT_EQ(i, h.size()) << where;
    if (!h.empty()) ExpectSameTask(s[0], h[0], where + " from the start again");
  }
}

struct Case {
  std::string fields;
  GemmMapping mapping;
  bool multicast = true;
};

class StreamedWalk : public ::testing::TestWithParam<Case> {};

TEST_P(StreamedWalk, YieldsTheHeldWalksTasks) {
  const Case& c = GetParam();
  const ArchConfig arch = MeshOf16(c.multicast);
  const Layer layer = LayerOf(c.fields);
  MappingSearch search(arch, MappingPrices{});
  const LayerMapper mapper(arch, arch.TileCount(), 64 * 1024, search);
  const LayerRegions regions = RegionsAt(layer, 4096);
  const LayerPlan held = mapper.WalkGemm(3, layer, regions, c.mapping, true);
  const LayerPlan streamed = mapper.WalkGemm(3, layer, regions, c.mapping);
  ExpectSamePlans(streamed, held, c.fields);
  // Moved to other tensors, a streamed plan stays streamed and moves as the held one does.
  const LayerRegions to = RegionsAt(layer, std::uint64_t{1} << 32);
  ExpectSamePlans(MovedPlan(streamed, 5, regions, to), MovedPlan(held, 5, regions, to),
                  c.fields + " moved");
  // Made held again (to be edited), it holds the same tasks.
  LayerPlan edited = streamed;
  for (TaskQueue& q : edited.per_tile) q.Tasks();
  for (size_t t = 0; t < held.per_tile.size(); ++t) {
    ASSERT_EQ(edited.per_tile[t].size(), held.per_tile[t].size());
    EXPECT_FALSE(edited.per_tile[t].streamed());
    for (size_t i = 0; i < held.per_tile[t].size(); ++i)
      ExpectSameTask(edited.per_tile[t][i], held.per_tile[t][i], c.fields + " held again");
  }
}

GemmMapping Mapping(GemmBlocks blocks, std::int64_t gm, std::int64_t gn, LoopOrder order,
                    ResidentOperand resident = ResidentOperand::kNone) {
  GemmMapping m;
  m.blocks = blocks;
  m.grid_m = gm;
  m.grid_n = gn;
  m.order = order;
  m.resident = resident;
  return m;
}

// The same mapping with its products split into `groups` grids `stride` tiles apart.
GemmMapping Split(GemmMapping m, std::int64_t groups, std::int64_t stride) {
  m.grid_b = groups;
  m.group_stride = stride;
  return m;
}

const std::string kLinear = "op: linear, m: 200, k: 96, n: 136";
const std::string kBatched = "op: linear, batch: 7, m: 40, k: 64, n: 72";
const std::string kScores =
    "op: attention_scores, sequences: 2, heads: 4, kv_heads: 2, head_dim: 32, q_len: 48, "
    "kv_len: 80";
const std::string kContext =
    "op: attention_context, sequences: 1, heads: 4, kv_heads: 2, head_dim: 32, q_len: 48, "
    "kv_len: 80";

INSTANTIATE_TEST_SUITE_P(
    Walks, StreamedWalk,
    ::testing::Values(
        // Ragged edge blocks, a grid wider than the last super-block, both orders.
        Case{kLinear, Mapping({32, 32, 32}, 4, 4, LoopOrder::kNInner)},
        Case{kLinear, Mapping({32, 32, 32}, 3, 5, LoopOrder::kMInner)},
        Case{kLinear, Mapping({64, 96, 16}, 2, 8, LoopOrder::kNInner, ResidentOperand::kInput)},
        Case{kLinear, Mapping({16, 32, 64}, 8, 2, LoopOrder::kMInner, ResidentOperand::kWeights)},
        Case{kLinear, Mapping({32, 32, 32}, 4, 4, LoopOrder::kNInner), false},
        Case{kLinear, Mapping({32, 32, 32}, 1, 1, LoopOrder::kNInner)},
        // Attention: a batch of products (sequences x heads), K and V shared by query heads.
        Case{kScores, Mapping({16, 32, 32}, 2, 3, LoopOrder::kNInner)},
        Case{kScores, Mapping({48, 32, 16}, 1, 5, LoopOrder::kMInner, ResidentOperand::kWeights)},
        Case{kContext, Mapping({16, 16, 32}, 3, 1, LoopOrder::kNInner, ResidentOperand::kInput)},
        // Batch splits: each group's tiles walk their own products, share indices after every
        // earlier product's (groups of 2, 2 and 3 products: the last group is short).
        Case{kScores, Split(Mapping({16, 32, 32}, 2, 3, LoopOrder::kNInner), 2, 8)},
        Case{kBatched, Split(Mapping({16, 32, 32}, 2, 2, LoopOrder::kNInner), 3, 5)},
        Case{kBatched,
             Split(Mapping({32, 64, 16}, 1, 3, LoopOrder::kMInner, ResidentOperand::kWeights), 4,
                   4)}));

TEST(StreamedWalk, OnlyWalksWithoutKSplitSpikesOrGatherStream) {
  const ArchConfig arch = MeshOf16(true);
  const Layer layer = LayerOf(kLinear);
  const LayerRegions regions = RegionsAt(layer, 4096);
  GemmMapping split = Mapping({32, 32, 32}, 2, 2, LoopOrder::kNInner);
  split.grid_k = 2;
  EXPECT_FALSE(GemmTaskSource::Streams(GemmWalk(arch, 0, layer, regions, split)));
  EXPECT_TRUE(GemmTaskSource::Streams(
      GemmWalk(arch, 0, layer, regions, Mapping({32, 32, 32}, 2, 2, LoopOrder::kNInner))));
}

TEST(TaskQueue, AReadFurtherBackThanItsWindowIsRefused) {
  const ArchConfig arch = MeshOf16(true);
  const Layer layer = LayerOf("op: linear, m: 4096, k: 32, n: 32");
  MappingSearch search(arch, MappingPrices{});
  const LayerMapper mapper(arch, 1, 64 * 1024, search);
  const LayerPlan plan = mapper.WalkGemm(0, layer, RegionsAt(layer, 4096),
                                         Mapping({8, 32, 32}, 1, 1, LoopOrder::kNInner));
  const TaskQueue& q = plan.per_tile[0];
  ASSERT_TRUE(q.streamed());
  ASSERT_EQ(q.size(), 512u);
  const size_t window = q.source()->Window();
  ASSERT_LT(window + 1, q.size());
  (void)q[window + 1];
  EXPECT_THROW((void)q[1], std::logic_error);  // left the window: its reference could dangle
  EXPECT_NO_THROW((void)q[0]);                 // a new reading from the start
}

}  // namespace
}  // namespace pjsim
