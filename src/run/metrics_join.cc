// The join of metric analysis to the heap report (heapscope/run_metrics.h).
#include "heapscope/run_metrics.h"
#include "run/run_internal.h"

namespace heapscope {
namespace {

using metrics::MetricsAnalysis;
using metrics::Relation;
using metrics::Series;
using metrics::SeriesRole;
using metrics::SeriesStats;

report::Evidence GrowthEvidence(const Series& s, const SeriesStats& st, const char* kind) {
  report::Evidence e;
  e.series = metrics::SeriesId(s);
  e.kind = kind;
  e.slope_per_second = *st.slope;
  e.r2 = st.r2.value_or(0);
  e.text = metrics::GrowthSentence(s, st);
  return e;
}

// Evidence that does not depend on the finding's event: growing memory series.
std::vector<report::Evidence> MemoryEvidence(const MetricsAnalysis& a) {
  std::vector<report::Evidence> memory;
  for (size_t i = 0; i < a.set.series.size(); ++i) {
    const SeriesStats& st = a.stats[i];
    if (st.role != SeriesRole::kMemory || !(st.grows || st.time_to_limit)) continue;
    report::Evidence e = GrowthEvidence(a.set.series[i], st, "memory-growth");
    if (st.time_to_limit) {
      e.time_to_limit_seconds = st.time_to_limit->seconds;
      e.text += metrics::LimitSentence(st);
    }
    memory.push_back(std::move(e));
  }
  return memory;
}

// Listener gauges and churn relations of the finding's event, then the memory evidence.
void AttachToFinding(const MetricsAnalysis& a, const std::vector<report::Evidence>& memory,
                     report::Finding& f) {
  for (size_t i = 0; i < a.set.series.size(); ++i) {
    const SeriesStats& st = a.stats[i];
    if (st.role != SeriesRole::kListenerGauge || !st.grows) continue;
    const Series& s = a.set.series[i];
    const std::string* ev = metrics::SeriesLabel(s, "event");
    if (!ev || *ev != f.event) continue;
    f.evidence.push_back(GrowthEvidence(s, st, "listener-gauge-growth"));
  }
  for (const Relation& r : a.relations) {
    if (r.kind != "churn-mismatch" || (!r.event.empty() && r.event != f.event)) continue;
    report::Evidence e;
    e.series = r.series.empty() ? "" : metrics::SeriesId(a.set.series[r.series[0]]);
    e.kind = "churn-mismatch";
    e.text = r.text;
    f.evidence.push_back(std::move(e));
  }
  for (const report::Evidence& e : memory) f.evidence.push_back(e);
}

}  // namespace

std::vector<report::MetricSeries> ToReportSeries(const MetricsAnalysis& a, uint32_t max_points) {
  std::vector<report::MetricSeries> out;
  out.reserve(a.set.series.size());
  for (size_t i = 0; i < a.set.series.size(); ++i) {
    const Series& s = a.set.series[i];
    const SeriesStats& st = a.stats[i];
    report::MetricSeries m;
    m.name = s.name;
    m.labels = s.labels;
    m.samples = st.samples;
    bool timed = st.samples > 0 && st.first_ms != metrics::kNoTimestamp;
    m.first_time = timed ? static_cast<double>(st.first_ms) / 1e3 : 0;
    m.last_time = timed ? static_cast<double>(st.last_ms) / 1e3 : 0;
    m.slope_per_second = st.slope.value_or(0);
    m.intercept = st.intercept.value_or(st.samples ? st.first_value : 0);
    m.r2 = st.r2.value_or(0);
    m.resets = st.resets;
    m.increase = st.increase.value_or(0);
    if (st.time_to_limit) {
      m.time_to_limit_seconds = st.time_to_limit->seconds;
      m.limit_bytes = st.time_to_limit->limit_bytes;
    } else if (st.role == SeriesRole::kMemory && a.limit_bytes) {
      m.limit_bytes = a.limit_bytes;
    }
    if (timed && max_points > 0) {
      size_t n = s.samples.size();
      size_t stride = (n + max_points - 1) / max_points;
      for (size_t k = 0; k < n; k += stride)
        m.points.emplace_back(static_cast<double>(s.samples[k].t_ms) / 1e3, s.samples[k].value);
      if ((n - 1) % stride != 0)  // always end on the last sample
        m.points.emplace_back(static_cast<double>(s.samples[n - 1].t_ms) / 1e3,
                              s.samples[n - 1].value);
    }
    out.push_back(std::move(m));
  }
  return out;
}

void AttachMetricEvidence(const MetricsAnalysis& a, report::Report& report) {
  for (const metrics::InputFile& f : a.set.files) report.metric_files.push_back(f.path);
  std::vector<report::MetricSeries> rows = ToReportSeries(a);
  report.metrics.insert(report.metrics.end(), rows.begin(), rows.end());
  for (const Relation& r : a.relations) report.relations.push_back(r.text);
  // The metric readers' damage counters, as "metrics.<counter>" (docs/diagnostics.md).
  run_internal::AddCounters(a.set.stats.NonZero(), "metrics.", report.diagnostics);
  const std::vector<report::Evidence> memory = MemoryEvidence(a);
  // Every finding, nested ones included, without recursion.
  std::vector<report::Finding*> stack;
  for (report::Finding& f : report.findings) stack.push_back(&f);
  while (!stack.empty()) {
    report::Finding* f = stack.back();
    stack.pop_back();
    for (report::Finding& sub : f->secondary) stack.push_back(&sub);
    if (!f->event.empty()) AttachToFinding(a, memory, *f);
  }
}

}  // namespace heapscope
