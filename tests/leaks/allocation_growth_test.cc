// allocation-growth (src/leaks/rules/allocation_growth.cc) on profile facts built in code: what
// survives every interval is found, and below the warning size it is a note.
#include <gtest/gtest.h>

#include <vector>

#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/sites.h"

namespace heapscope::leaks {
namespace {

// One function over three profiles: live bytes 0 -> `second` -> `third`, and `survived` bytes
// of what it allocated between the first and the second still held by the third.
ProfileFunctionFact Function(SiteTable& table, uint64_t second, uint64_t third, uint64_t survived) {
  ProfileFunctionFact f;
  f.site = table.Intern("src/handler.js", 12, 26, "onJoin");
  f.bytes = {0, second, third};
  f.survived = {0, survived, 0};
  f.user_code = true;
  f.bytes_per_sample = 2048;
  f.function = 0;
  return f;
}

std::vector<Detection> Grow(const SiteTable& table, const ProfileFunctionFact& f) {
  std::vector<ProfileFunctionFact> fs = {f};
  return Detect({}, table, LeakOptions{}, fs);
}

TEST(AllocationGrowth, SurvivorsOfAMebibyteAreAWarning) {
  SiteTable table;
  std::vector<Detection> d = Grow(table, Function(table, 1 << 20, 3 << 20, 1 << 20));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule, Rule::kAllocationGrowth);
  EXPECT_EQ(d[0].level, Level::kWarning);
  EXPECT_EQ(d[0].survivors, uint64_t{1} << 20);
  EXPECT_EQ(d[0].counts, (std::vector<uint64_t>{0, 1 << 20, 3 << 20}));
}

TEST(AllocationGrowth, TensOfKilobytesAreANote) {
  // The size prom-client's default metrics keep alive under a healthy server's /metrics handler
  // for a profile or two (20-75 kB), and the leaky reference server's handler at 6 cycles.
  SiteTable table;
  std::vector<Detection> d = Grow(table, Function(table, 28200, 64200, 19900));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].level, Level::kNote);
  EXPECT_EQ(d[0].survivors, 19900u);
}

TEST(AllocationGrowth, NoiseAndShrinkingAreNothing) {
  SiteTable table;
  EXPECT_TRUE(Grow(table, Function(table, 28200, 64200, 15 << 10)).empty());  // under 16 KiB
  EXPECT_TRUE(Grow(table, Function(table, 3 << 20, 2 << 20, 1 << 20)).empty());  // live shrinks
  EXPECT_TRUE(Grow(table, Function(table, 1 << 20, 3 << 20, 2048)).empty());  // one sample
}

}  // namespace
}  // namespace heapscope::leaks
