// PromQL math on hand-computed cases. (Equality with a real Prometheus on 120-sample series is
// checked by tests/metrics/prometheus_check.js.)
#include "heapscope/metrics/promql.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace heapscope::metrics {
namespace {

std::vector<Sample> S(std::initializer_list<std::pair<int64_t, double>> xs) {
  std::vector<Sample> out;
  for (auto [t, v] : xs) out.push_back({t, v});
  return out;
}

TEST(LinearRegression, ThreePoints) {
  // x = 0, 1, 2 s; y = 1, 3, 2: Σx 3, Σy 6, Σxy 7, Σx² 5 → slope (7−6)/(5−3) = 0.5,
  // intercept 2 − 0.5·1 = 1.5 at the first sample.
  auto xs = S({{1000, 1}, {2000, 3}, {3000, 2}});
  auto fit = LinearRegression(xs, 1000);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->slope, 0.5);
  EXPECT_EQ(fit->intercept, 1.5);
  EXPECT_EQ(Deriv(xs), 0.5);
}

TEST(LinearRegression, PredictLinearUsesTheEvaluationTimeAsOrigin) {
  // Origin at 5 s: x = −4, −3, −2; slope 0.5, intercept 2 + 0.5·3 = 3.5; 10 s later: 8.5.
  auto xs = S({{1000, 1}, {2000, 3}, {3000, 2}});
  EXPECT_EQ(PredictLinear(xs, 5000, 10), 8.5);
}

TEST(LinearRegression, ConstantInfiniteAndTooFew) {
  auto flat = S({{0, 5}, {1000, 5}, {2000, 5}});
  auto fit = LinearRegression(flat, 0);
  EXPECT_EQ(fit->slope, 0);
  EXPECT_EQ(fit->intercept, 5);
  double inf = std::numeric_limits<double>::infinity();
  auto infinite = S({{0, inf}, {1000, inf}});
  EXPECT_TRUE(std::isnan(LinearRegression(infinite, 0)->slope));
  EXPECT_FALSE(Deriv(S({{0, 1}})));
  EXPECT_FALSE(PredictLinear({}, 0, 1));
}

TEST(ExtrapolatedRate, CounterWithResetExtrapolatesHalfAnIntervalAtTheFarEnd) {
  // Window [0, 60 s]. Increase 15 − 10 + 20 (reset after 20) = 25 over 30 s sampled.
  // Start gap 5 s < 1.1·10 s: extrapolated fully; end gap 25 s: half an interval (5 s).
  // 25 · 40/30.
  auto xs = S({{5000, 10}, {15000, 20}, {25000, 5}, {35000, 15}});
  EXPECT_DOUBLE_EQ(*ExtrapolatedRate(xs, 0, 60000, true, false), 100.0 / 3);
  EXPECT_DOUBLE_EQ(*ExtrapolatedRate(xs, 0, 60000, true, true), 100.0 / 3 / 60);
  EXPECT_EQ(Resets(xs), 1u);
  EXPECT_EQ(RawIncrease(xs), 25);
}

TEST(ExtrapolatedRate, CounterNeverExtrapolatesBelowZero) {
  // 1 → 11 in the last 10 s of [0, 60 s]: the zero point is 1 s before the first sample, so the
  // start extends by 1 s (not 5 s): 10 · 11/10.
  auto xs = S({{50000, 1}, {60000, 11}});
  EXPECT_DOUBLE_EQ(*ExtrapolatedRate(xs, 0, 60000, true, false), 11);
}

TEST(ExtrapolatedRate, GaugeDelta) {
  // delta(): no reset handling; −5 over 20 s sampled, extended by 5 s at each end: −5 · 30/20.
  auto xs = S({{5000, 10}, {15000, 20}, {25000, 5}});
  EXPECT_DOUBLE_EQ(*ExtrapolatedRate(xs, 0, 60000, false, false), -7.5);
  EXPECT_FALSE(ExtrapolatedRate(S({{5000, 1}}), 0, 60000, true, false));
}

TEST(Resets, AnyDecrease) {
  auto xs = S({{0, 1}, {1, 2}, {2, 1}, {3, 0}, {4, 5}, {5, 5}, {6, 4}});
  EXPECT_EQ(Resets(xs), 3u);
  EXPECT_EQ(RawIncrease(xs), 4 - 1 + 2 + 1 + 5);
}

TEST(SelectWindow, V2IsClosedV3IsLeftOpen) {
  std::vector<Sample> xs;
  for (int i = 0; i <= 10; ++i) xs.push_back({i * 1000, static_cast<double>(i)});
  auto v2 = SelectWindow(xs, 10000, 5000, WindowSemantics::kV2Closed);
  ASSERT_EQ(v2.size(), 6u);
  EXPECT_EQ(v2.front().t_ms, 5000);
  auto v3 = SelectWindow(xs, 10000, 5000, WindowSemantics::kV3LeftOpen);
  ASSERT_EQ(v3.size(), 5u);
  EXPECT_EQ(v3.front().t_ms, 6000);
  // A sample exactly on the left edge: in for v2, out for v3.
  EXPECT_EQ(SelectWindow(xs, 10500, 500, WindowSemantics::kV2Closed).size(), 1u);
  EXPECT_EQ(SelectWindow(xs, 10500, 500, WindowSemantics::kV3LeftOpen).size(), 0u);
  EXPECT_EQ(SelectWindow(xs, 9500, 1000, WindowSemantics::kV2Closed).size(), 1u);
}

}  // namespace
}  // namespace heapscope::metrics
