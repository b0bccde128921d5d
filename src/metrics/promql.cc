// PromQL range functions, following prometheus/prometheus promql/functions.go (v2.42, the
// installed version; unchanged in these parts through v3.x except the window's left end).
// The operations are kept in Prometheus' order so that results are bit-identical.
#include "heapscope/metrics/promql.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace heapscope::metrics {
namespace {

// kahanSumInc: Kahan summation with Neumaier's improvement (swap when the term is larger).
inline void KahanSumInc(double inc, double* sum, double* c) {
  double t = *sum + inc;
  if (std::fabs(*sum) >= std::fabs(inc)) {
    *c += (*sum - t) + inc;
  } else {
    *c += (inc - t) + *sum;
  }
  *sum = t;
}

}  // namespace

std::span<const Sample> SelectWindow(std::span<const Sample> sorted, int64_t eval_ms,
                                     int64_t range_ms, WindowSemantics semantics) {
  int64_t mint = eval_ms - range_ms;
  auto lo = semantics == WindowSemantics::kV2Closed
                ? std::lower_bound(sorted.begin(), sorted.end(), mint,
                                   [](const Sample& s, int64_t t) { return s.t_ms < t; })
                : std::upper_bound(sorted.begin(), sorted.end(), mint,
                                   [](int64_t t, const Sample& s) { return t < s.t_ms; });
  auto hi = std::upper_bound(lo, sorted.end(), eval_ms,
                             [](int64_t t, const Sample& s) { return t < s.t_ms; });
  return sorted.subspan(static_cast<size_t>(lo - sorted.begin()), static_cast<size_t>(hi - lo));
}

std::optional<LinearFit> LinearRegression(std::span<const Sample> samples, int64_t intercept_ms) {
  if (samples.size() < 2) return std::nullopt;
  double n = 0, sum_x = 0, c_x = 0, sum_y = 0, c_y = 0, sum_xy = 0, c_xy = 0, sum_x2 = 0, c_x2 = 0;
  const double init_y = samples[0].value;
  bool const_y = true;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    // `i > 0 && s.value != init_y`: a NaN compares unequal, so NaN series are never "constant".
    if (const_y && i > 0 && s.value != init_y) const_y = false;
    n += 1.0;
    double x = static_cast<double>(s.t_ms - intercept_ms) / 1e3;
    KahanSumInc(x, &sum_x, &c_x);
    KahanSumInc(s.value, &sum_y, &c_y);
    KahanSumInc(x * s.value, &sum_xy, &c_xy);
    KahanSumInc(x * x, &sum_x2, &c_x2);
  }
  if (const_y) {
    if (std::isinf(init_y)) {
      double nan = std::numeric_limits<double>::quiet_NaN();
      return LinearFit{nan, nan};
    }
    return LinearFit{0, init_y};
  }
  sum_x = sum_x + c_x;
  sum_y = sum_y + c_y;
  sum_xy = sum_xy + c_xy;
  sum_x2 = sum_x2 + c_x2;
  double cov_xy = sum_xy - sum_x * sum_y / n;
  double var_x = sum_x2 - sum_x * sum_x / n;
  LinearFit fit;
  fit.slope = cov_xy / var_x;
  fit.intercept = sum_y / n - fit.slope * sum_x / n;
  return fit;
}

std::optional<double> Deriv(std::span<const Sample> samples) {
  if (samples.size() < 2) return std::nullopt;
  // The first sample as x origin: Prometheus' workaround for float precision (prometheus#2674).
  return LinearRegression(samples, samples[0].t_ms)->slope;
}

std::optional<double> PredictLinear(std::span<const Sample> samples, int64_t eval_ms,
                                    double seconds) {
  std::optional<LinearFit> fit = LinearRegression(samples, eval_ms);
  if (!fit) return std::nullopt;
  return fit->slope * seconds + fit->intercept;
}

std::optional<double> ExtrapolatedRate(std::span<const Sample> samples, int64_t range_start_ms,
                                       int64_t range_end_ms, bool is_counter, bool is_rate) {
  if (samples.size() < 2) return std::nullopt;
  const Sample& first = samples.front();
  const Sample& last = samples.back();
  double result = last.value - first.value;
  if (is_counter) {
    double prev = first.value;
    for (size_t i = 1; i < samples.size(); ++i) {
      if (samples[i].value < prev) result += prev;  // a reset: the counter restarted from 0
      prev = samples[i].value;
    }
  }
  double duration_to_start = static_cast<double>(first.t_ms - range_start_ms) / 1000;
  double duration_to_end = static_cast<double>(range_end_ms - last.t_ms) / 1000;
  double sampled_interval = static_cast<double>(last.t_ms - first.t_ms) / 1000;
  double average_between = sampled_interval / static_cast<double>(samples.size() - 1);
  if (is_counter && result > 0 && first.value >= 0) {
    // Counters cannot be negative: never extrapolate below the zero point.
    double duration_to_zero = sampled_interval * (first.value / result);
    if (duration_to_zero < duration_to_start) duration_to_start = duration_to_zero;
  }
  double threshold = average_between * 1.1;
  double extrapolate_to = sampled_interval;
  extrapolate_to += duration_to_start < threshold ? duration_to_start : average_between / 2;
  extrapolate_to += duration_to_end < threshold ? duration_to_end : average_between / 2;
  double factor = extrapolate_to / sampled_interval;
  if (is_rate) factor /= static_cast<double>(range_end_ms - range_start_ms) / 1000;
  return result * factor;
}

uint64_t Resets(std::span<const Sample> samples) {
  uint64_t resets = 0;
  for (size_t i = 1; i < samples.size(); ++i)
    if (samples[i].value < samples[i - 1].value) ++resets;
  return resets;
}

double RawIncrease(std::span<const Sample> samples) {
  if (samples.size() < 2) return 0;
  double result = samples.back().value - samples.front().value;
  for (size_t i = 1; i < samples.size(); ++i)
    if (samples[i].value < samples[i - 1].value) result += samples[i - 1].value;
  return result;
}

}  // namespace heapscope::metrics
