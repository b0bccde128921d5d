// Metric analysis: per-series trend statistics, the memory limit and the time left until it,
// process restarts, and the relations a person would check on a dashboard. The join of all of it
// to heap findings lives with the report builder (heapscope/run_metrics.h).
//
// Whole-series numbers treat the series as one PromQL window that starts at its first sample and
// ends at its last: slope = deriv(), increase = increase() (no extrapolation happens then),
// resets = resets(). With `eval_ms` set, the PromQL functions are also evaluated exactly as
// Prometheus would at that time over `range_ms` (see PromqlAt).
#ifndef HEAPSCOPE_METRICS_ANALYSIS_H_
#define HEAPSCOPE_METRICS_ANALYSIS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/metrics/metrics.h"
#include "heapscope/metrics/promql.h"
#include "heapscope/status.h"

namespace heapscope::metrics {

struct MetricsOptions {
  std::optional<double> memory_limit_bytes;  // overrides limits found in the series
  // Evaluate deriv/predict_linear/rate/increase/resets at this time (ms), like a PromQL query
  // `f(x[range])` with `&time=`. Unset: no PromqlAt rows.
  std::optional<int64_t> eval_ms;
  int64_t range_ms = 60000;
  WindowSemantics window = WindowSemantics::kV2Closed;  // the installed Prometheus is 2.42
  double predict_seconds = 3600;                        // predict_linear's second argument
  // A series is "flat" when its fitted change over its own span is below this fraction of its
  // mean absolute value (and below `flat_absolute` in absolute terms when the mean is ~0).
  double flat_fraction = 0.01;
  double flat_absolute = 1.0;
  // A series "grows" (listener-growth and growth-vs-load relations, growth evidence) when its
  // slope is > 0, it is not flat, and its fit explains at least this much of its variance.
  double growth_r2 = 0.8;
};

// What a series means to the relations, recognised by name and labels (docs/metrics.md).
enum class SeriesRole : uint8_t {
  kOther,
  kMemory,  // process_resident_memory_bytes, container_memory_*_bytes, nodejs_heap_size_used_bytes
            // …
  kMemoryLimit,        // container_spec_memory_limit_bytes,
                       // kube_pod_container_resource_limits{resource="memory"}
  kListenerGauge,      // a *listener* gauge with an `event` label
  kActiveConnections,  // *active_connections*, *connections_active*, *connection_active*
  kDisconnects,        // counter *disconnect*
  kListenerRemovals,   // counter *listener*remov* / *listeners_removed*
  kStartTime,          // process_start_time_seconds
};
const char* SeriesRoleName(SeriesRole r);

struct TimeToLimit {
  double limit_bytes = 0;
  std::string limit_source;  // "--memory-limit", or the series id it came from
  int64_t from_ms = 0;       // projected from the last sample's time
  double seconds = 0;        // (limit − fit(last)) / slope; 0 if already at or above the limit
  // From slope ± 1.96 standard errors (a ~95% range for the slope; intercept error ignored).
  // seconds_high is unset when slope − 1.96·se ≤ 0 (the data cannot rule out "never").
  std::optional<double> seconds_low, seconds_high;
};

// PromQL functions evaluated at MetricsOptions::eval_ms over MetricsOptions::range_ms.
struct PromqlAt {
  int64_t eval_ms = 0;
  uint64_t window_samples = 0;
  std::optional<double> deriv;
  std::optional<double> predict_linear;
  std::optional<double> rate;      // counters; delta()/range for gauges is not reported
  std::optional<double> increase;  // counters
  std::optional<double> delta;     // gauges
  uint64_t resets = 0;
};

struct SeriesStats {
  SeriesRole role = SeriesRole::kOther;
  uint64_t samples = 0;
  int64_t first_ms = 0, last_ms = 0;
  double first_value = 0, last_value = 0, min_value = 0, max_value = 0;
  std::optional<double> slope;         // per second (= deriv over the whole series)
  std::optional<double> intercept;     // fitted value at first_ms
  std::optional<double> r2;            // unset when all values are equal
  std::optional<double> slope_stderr;  // unset with fewer than 3 samples
  bool flat = false;                   // see MetricsOptions::flat_fraction
  bool grows = false;                  // see MetricsOptions::growth_r2
  uint64_t resets = 0;
  std::optional<double> increase;  // counters: counter-corrected last − first
  std::optional<TimeToLimit> time_to_limit;
  std::optional<PromqlAt> at;
};

struct Restart {
  std::string series;  // the series it was seen in
  int64_t t_ms = 0;    // first sample after the restart
  std::string reason;  // "process_start_time_seconds changed 1700000000 → 1700000900", …
};

struct Relation {
  std::string kind;  // "growth-regardless-of-load", "churn-mismatch", "listener-growth", …
  std::string text;  // one sentence with the numbers
  std::vector<uint32_t> series;  // indices into MetricSet::series
  std::string event;             // the `event` label it concerns ("" = none in particular)
};

struct MetricsAnalysis {
  MetricSet set;
  std::vector<SeriesStats> stats;  // parallel to set.series
  std::optional<double> limit_bytes;
  std::string limit_source;
  std::vector<Restart> restarts;
  std::vector<Relation> relations;
};

MetricsAnalysis AnalyzeMetrics(MetricSet set, const MetricsOptions& options);

// Reads every file (ParseMetricsFile) and analyzes them together.
Result<MetricsAnalysis> LoadMetrics(const std::vector<std::string>& files,
                                    const MetricsOptions& options);

// Evidence sentences for the join to heap findings (heapscope/run_metrics.h):
// "<series> grew <first> → <last> over <span> (<rate>, R² <r2>)" for a series with a slope, and
// "; reaches the <limit> limit in <time>" for one with a time to limit ("" without).
std::string GrowthSentence(const Series& s, const SeriesStats& st);
std::string LimitSentence(const SeriesStats& st);
// The value of label `key` of `s`, or nullptr.
const std::string* SeriesLabel(const Series& s, std::string_view key);

// `heapscope metrics` outputs: an aligned table plus relations, or JSON
// {"series":[{name, labels, samples, slope_per_second, r2, resets, increase,
//             time_to_limit_seconds, …}], "relations":[…], …} (docs/metrics.md).
std::string RenderMetricsText(const MetricsAnalysis& analysis);
std::string RenderMetricsJson(const MetricsAnalysis& analysis);

}  // namespace heapscope::metrics

#endif  // HEAPSCOPE_METRICS_ANALYSIS_H_
