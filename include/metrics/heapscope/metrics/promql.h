// PromQL's range-vector math, reproduced so heapscope's numbers equal Prometheus' own.
//
// Each function mirrors the Prometheus function of the same name (promql/functions.go): the same
// x origin, the same Kahan–Neumaier compensated sums, the same order of floating-point operations.
// Validated against a real Prometheus 2.42 (tests/metrics/prometheus_check.js), relative error
// ≤ 1e-9 required (observed: 0, bit-identical).
//
// Windows: Prometheus 2.x selects the samples of `x[r]` evaluated at T with both ends closed,
// [T-r, T]; Prometheus 3.x excludes the left end, (T-r, T]. SelectWindow() implements both.
#ifndef HEAPSCOPE_METRICS_PROMQL_H_
#define HEAPSCOPE_METRICS_PROMQL_H_

#include <cstdint>
#include <optional>
#include <span>

#include "heapscope/metrics/metrics.h"

namespace heapscope::metrics {

enum class WindowSemantics : uint8_t {
  kV2Closed,    // Prometheus 2.x: [T-r, T]
  kV3LeftOpen,  // Prometheus 3.x: (T-r, T]
};

// The samples of `sorted` that `x[range_ms]` evaluated at `eval_ms` sees.
std::span<const Sample> SelectWindow(std::span<const Sample> sorted, int64_t eval_ms,
                                     int64_t range_ms, WindowSemantics semantics);

struct LinearFit {
  double slope = 0;      // per second
  double intercept = 0;  // value at intercept_ms
};

// Prometheus' linearRegression(): OLS on x = (t - intercept_ms)/1000 with compensated sums.
// All-equal values give slope 0 and intercept = the value (NaN, NaN if that value is ±Inf).
// nullopt with fewer than two samples.
std::optional<LinearFit> LinearRegression(std::span<const Sample> samples, int64_t intercept_ms);

// deriv(v[r]): the slope with the first sample as x origin.
std::optional<double> Deriv(std::span<const Sample> samples);

// predict_linear(v[r], seconds) evaluated at eval_ms: the fit with eval_ms as x origin.
std::optional<double> PredictLinear(std::span<const Sample> samples, int64_t eval_ms,
                                    double seconds);

// extrapolatedRate(): rate()/increase() (counter) and delta() (gauge) over the window
// [range_start_ms, range_end_ms]. nullopt with fewer than two samples.
std::optional<double> ExtrapolatedRate(std::span<const Sample> samples, int64_t range_start_ms,
                                       int64_t range_end_ms, bool is_counter, bool is_rate);

// resets(v[r]): how many times a value is lower than the one before it.
uint64_t Resets(std::span<const Sample> samples);

// Counter-corrected increase with no extrapolation: last − first, plus the value before every
// decrease. Equals increase() over a window that starts at the first and ends at the last sample.
double RawIncrease(std::span<const Sample> samples);

}  // namespace heapscope::metrics

#endif  // HEAPSCOPE_METRICS_PROMQL_H_
