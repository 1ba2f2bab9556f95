// The NoC loads of a GEMM round's transfers (sim/mapping/grid_link_loads.h), worked out by hand on
// small meshes: XY routes, multicast trees that cross a link once, and channels that each serve
// an equal part of every transfer.
#include "sim/mapping/grid_link_loads.h"

#include <gtest/gtest.h>

#include <vector>

#include "sim/mapping/pass_link_loads.h"

namespace pjsim {
namespace {

ArchConfig Mesh(std::int64_t width, std::int64_t height,
                std::vector<DramChannelPosition> channels) {
  ArchConfig arch;
  arch.mesh_width = width;
  arch.mesh_height = height;
  arch.dram.channels = std::move(channels);
  return arch;
}

TEST(GridLinkLoads, AShareCrossesEachLinkOfItsTreeOnce) {
  // One channel at the west end of a 4 x 1 mesh, one grid row of four tiles: the shared A block
  // crosses every eastward link once, so the busiest link carries all of it; four own copies
  // put three of them on the first link (the tile at the channel takes none).
  const ArchConfig arch = Mesh(4, 1, {{0, 0}});
  const GridLinkLoads links(arch);
  GridLinkLoads::Round round{1, 4, 1, 1, 4, true, true};
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(round, 1000, 0, 0), 1000);
  round.share_a = false;
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(round, 1000, 0, 0), 750);
  // Operand B: each tile its own column's block (a column of one tile shares nothing).
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(round, 0, 1000, 0), 750);
  // Stores go west to the channel: the last link into it carries three tiles' blocks.
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(round, 0, 0, 1000), 750);
}

TEST(GridLinkLoads, ARowBelowTwoChannelsTakesBothChannelsPartsOfEveryShare) {
  // 8 x 8 mesh, channels at the four corners, an 8 x 8 grid sharing A along rows and B along
  // columns. A row r > 0 share from a top channel runs along row 0 and turns south at every
  // column, so each southward link out of row 0 carries the top two channels' parts (1/4 each)
  // of the seven lower rows' shares (1/8 of A each): 7/16 of A, and of B only its own column's
  // share from those channels: 2/4 * 1/8.
  const ArchConfig arch = Mesh(8, 8, {{0, 0}, {7, 0}, {0, 7}, {7, 7}});
  const GridLinkLoads links(arch);
  const GridLinkLoads::Round round{8, 8, 1, 8, 8, true, true};
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(round, 1600, 0, 0), 700);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(round, 1600, 1600, 0), 800);
  // The first-hop view (each channel's quarter spread over its two links) would say 1/8 of A.
  EXPECT_GT(links.BusiestLinkBytes(round, 1600, 0, 0), 1600.0 / 8 * 3);
}

TEST(GridLinkLoads, KRangesAndPartialGridsLoadOnlyTheirTiles) {
  // A 2 x 1 mesh with its channel at the west tile: a 1 x 1 grid in two K ranges puts range 1 on
  // the east tile, which takes half of A and of B over the one eastward link; stores come from
  // range 0's tile only, at the channel: no link.
  const ArchConfig arch = Mesh(2, 1, {{0, 0}});
  const GridLinkLoads links(arch);
  const GridLinkLoads::Round split{1, 1, 2, 1, 1, true, true};
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(split, 100, 60, 0), 80);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(split, 0, 0, 100), 0);
  // A 1 x 2 grid with one active column: its tile sits at the channel.
  const GridLinkLoads::Round edge{1, 2, 1, 1, 1, true, true};
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(edge, 100, 100, 100), 0);
}

TEST(GridLinkLoads, EveryRoundKeepsItsOwnLoadsAsTheTableGrows) {
  // Thousands of rounds looked up in one table (which grows many times) give what each gives
  // in a table of its own, and a Loads returned early stays valid and unchanged: every field of
  // the round is part of its key.
  const ArchConfig arch = Mesh(8, 8, {{0, 0}, {7, 0}, {0, 7}, {7, 7}});
  const GridLinkLoads all(arch);
  const GridLinkLoads::Loads& first = all.Of({1, 1, 1, 1, 1, false, false});
  const double first_out = first.out;
  const size_t first_links = first.links.size();
  int rounds = 0;
  for (std::int64_t pm = 1; pm <= 64; ++pm) {
    for (std::int64_t pn = 1; pm * pn <= 64; ++pn) {
      for (std::int64_t pk = 1; pm * pn * pk <= 64; ++pk) {
        for (const std::int64_t rows : {pm, std::int64_t{1}}) {
          for (const std::int64_t cols : {pn, std::int64_t{1}}) {
            for (int shares = 0; shares < 4; ++shares) {
              const GridLinkLoads::Round r{
                  pm, pn, pk, rows, cols, (shares & 1) != 0, (shares & 2) != 0};
              const GridLinkLoads alone(arch);
              ASSERT_EQ(all.BusiestLinkBytes(r, 3, 5, 7), alone.BusiestLinkBytes(r, 3, 5, 7))
                  << pm << "x" << pn << "x" << pk << " " << rows << "x" << cols << " " << shares;
              ASSERT_EQ(all.Of(r).LoadBytes(11, 13), alone.Of(r).LoadBytes(11, 13));
              ASSERT_EQ(all.Of(r).StoreBytes(17), alone.Of(r).StoreBytes(17));
              ++rounds;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(rounds, 2000);
  EXPECT_EQ(&all.Of({1, 1, 1, 1, 1, false, false}), &first);
  EXPECT_EQ(first.out, first_out);
  EXPECT_EQ(first.links.size(), first_links);
}

TEST(GridLinkLoads, AGridPlacedAwayFromTileZeroTakesTheRoutesFromWhereItSits) {
  // A 4 x 1 mesh, channel at the west end: a 1 x 1 grid at tile 0 sits at the channel (no
  // link); at tile 3 its loads cross all three eastward links, its stores the westward ones.
  const ArchConfig arch = Mesh(4, 1, {{0, 0}});
  GridLinkLoads links(arch);
  EXPECT_EQ(links.Placement({0}), 0);
  const int east = links.Placement({3});
  EXPECT_EQ(links.Placement({3}), east);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes({1, 1, 1, 1, 1, true, true}, 100, 100, 100), 0);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes({1, 1, 1, 1, 1, true, true, east}, 100, 60, 0), 160);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes({1, 1, 1, 1, 1, true, true, east}, 0, 0, 50), 50);
}

TEST(GridLinkLoads, ExpertsOnOneTileOfEachHomeMeetOnTheColumnLinks) {
  // 8 x 8 mesh, channels at the corners, eight homes of a mesh row each: one tile per home
  // (column 0) puts both top channels' parts of the seven lower homes' loads on the link south
  // out of (0, 0): 7/16 of all eight grids' bytes, in units of one grid's, 7/2. Eight tiles per
  // home (1 x 8 grids) spread them over the columns: the busiest link is then the first east of
  // a west channel, its quarter of the 7/8 of the bytes bound east of column 0.
  const ArchConfig arch = Mesh(8, 8, {{0, 0}, {7, 0}, {0, 7}, {7, 7}});
  GridLinkLoads links(arch);
  const int homes = links.Placement({0, 8, 16, 24, 32, 40, 48, 56});
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes({1, 1, 1, 1, 1, true, true, homes}, 0, 100, 0), 350);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes({1, 8, 1, 1, 8, true, true, homes}, 0, 100, 0), 175);
}

TEST(PassLinkLoads, LoadsTreesAndStoresTakeEachChannelsXyRoutes) {
  // A 4 x 1 mesh with channels at both ends: a 100-byte load to tile 1 sends 50 from the west
  // channel over one link and 50 from the east over two; a share to tiles 1 and 2 crosses the
  // middle links once from each side; a store from tile 3 sends 50 west over three links.
  const ArchConfig arch = Mesh(4, 1, {{0, 0}, {3, 0}});
  PassLinkLoads links(arch);
  links.AddLoad({1}, 100);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(), 50);
  links.AddLoad({1, 2}, 100);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(), 100);  // 2 -> 1 westward: both loads' east parts
  links.AddStore(3, 100);
  EXPECT_DOUBLE_EQ(links.BusiestLinkBytes(), 150);
  EXPECT_DOUBLE_EQ(links.DramBytes(), 300);
}

}  // namespace
}  // namespace pjsim
