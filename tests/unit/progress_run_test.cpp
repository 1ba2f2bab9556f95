// Run progress (sim/report/run_progress.h) on a stream: share of the work done weighted by the
// layers' work, the rate limit, a terminal's line redrawn and erased, a plain stream's lines.
#include <gtest/gtest.h>

#include <sstream>

#include "sim/report/run_progress.h"

namespace pjsim {
namespace {

RunProgress::Options Plain(double interval_s) {
  RunProgress::Options o;
  o.terminal = false;
  o.interval_s = interval_s;
  return o;
}

TEST(RunProgress, ShareDoneIsWeightedByTheLayersWork) {
  std::ostringstream out;
  RunProgress p(out, Plain(0), 2, {1, 3}, {"small", "big"});
  p.LayerFinished(0, 0, 0, 10);
  EXPECT_NE(out.str().find("pass 1/2  layer small   12.5%"), std::string::npos) << out.str();
  p.LayerFinished(0, 1, 10, 20);
  EXPECT_NE(out.str().find("pass 1/2  layer big   50.0%"), std::string::npos) << out.str();
  p.PassFinished(0, 20);
  EXPECT_EQ(p.lines(), 2);
}

TEST(RunProgress, RateLimitedAndFinishedWithALastLine) {
  std::ostringstream out;
  RunProgress p(out, Plain(3600), 10, {1, 1, 1}, {"a", "b", "c"});
  for (int pass = 0; pass < 10; ++pass) {
    for (int l = 0; l < 3; ++l) p.LayerFinished(pass, l, 0, 1);
    p.PassFinished(pass, 1);
  }
  EXPECT_EQ(p.lines(), 1);  // the first update only: the rest fall within the interval
  p.Finish(true);
  EXPECT_EQ(p.lines(), 2);
  EXPECT_NE(out.str().find("progress: pass 10/10  100.0%"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
}

TEST(RunProgress, NothingBeforeTheFirstDelayAndNoLastLineOnFailure) {
  std::ostringstream out;
  RunProgress::Options o = Plain(0);
  o.first_after_s = 3600;
  RunProgress p(out, o, 1, {1}, {"a"});
  p.LayerFinished(0, 0, 0, 1);
  p.Finish(true);
  EXPECT_EQ(out.str(), "");
  std::ostringstream failed;
  RunProgress q(failed, Plain(0), 1, {1, 1}, {"a", "b"});
  q.LayerFinished(0, 0, 0, 1);
  q.Finish(false);
  EXPECT_EQ(q.lines(), 1);
}

TEST(RunProgress, ALayerNameWithALineBreakStaysOnOneLine) {
  std::ostringstream out;
  RunProgress p(out, Plain(0), 1, {1, 1}, {"k\r\nproj", "b"});
  p.LayerFinished(0, 0, 0, 1);
  EXPECT_EQ(out.str(), "progress: layer k  proj   50.0%  elapsed 0:00  ETA 0:00\n");
}

TEST(RunProgress, TerminalLineIsRedrawnInPlaceAndErased) {
  std::ostringstream out;
  RunProgress::Options o;
  o.terminal = true;
  o.interval_s = 0;
  RunProgress p(out, o, 1, {1, 1}, {"a", "b"});
  p.LayerFinished(0, 0, 0, 1);
  p.LayerFinished(0, 1, 1, 2);
  p.Finish(true);
  const std::string s = out.str();
  EXPECT_EQ(s.find('\n'), std::string::npos) << s;
  EXPECT_EQ(s.rfind("\r\033[K"), s.size() - 4);  // ends erased
  EXPECT_NE(s.find("\r\033[Klayer b  100.0%"), std::string::npos) << s;
}

}  // namespace
}  // namespace pjsim
