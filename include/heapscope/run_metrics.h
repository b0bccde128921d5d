// The join of metric analysis to the heap report, done by the layer that builds the report
// (run/), so that metrics/ knows nothing of report/.
#ifndef HEAPSCOPE_RUN_METRICS_H_
#define HEAPSCOPE_RUN_METRICS_H_

#include <cstdint>
#include <vector>

#include "heapscope/metrics/analysis.h"
#include "heapscope/report/report.h"

namespace heapscope {

// For every Finding (and nested secondary finding) with a non-empty `event`: one Evidence
// "listener-gauge-growth" per listener gauge whose `event` label equals the finding's event and
// that grows (SeriesStats::grows); one "memory-growth" per memory series that grows or has a
// time to limit (with it); one "churn-mismatch" per churn-mismatch relation of that event or of
// no particular event. Also fills report.metric_files, report.metrics (ToReportSeries),
// report.relations, and adds the metric readers' damage counters (ParseStats: e.g.
// conflicting_samples) to report.diagnostics.
void AttachMetricEvidence(const metrics::MetricsAnalysis& analysis, report::Report& report);

// Report rows, one per series, points downsampled to at most `max_points`.
std::vector<report::MetricSeries> ToReportSeries(const metrics::MetricsAnalysis& analysis,
                                                 uint32_t max_points = 200);

}  // namespace heapscope

#endif  // HEAPSCOPE_RUN_METRICS_H_
