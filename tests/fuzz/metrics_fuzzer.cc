// One metrics format (HEAPSCOPE_FUZZ_FORMAT, set per target in CMakeLists.txt): its reader, then
// the analysis and both renderings of what it read, as `heapscope metrics` does. Inputs that the
// format detection gives to another reader are skipped, so each target stays on its format.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "fuzz_util.h"
#include "heapscope/metrics/analysis.h"
#include "heapscope/metrics/metrics.h"
#include "heapscope/report/commands.h"

namespace {

using heapscope::metrics::Format;

bool Wanted(Format f) {
  constexpr std::string_view kTarget = HEAPSCOPE_FUZZ_FORMAT;
  if (kTarget == "text") return f == Format::kPrometheusText || f == Format::kOpenMetrics;
  if (kTarget == "api") return f == Format::kPrometheusApi;
  if (kTarget == "csv") return f == Format::kGrafanaCsv;
  if (kTarget == "dataframe") return f == Format::kGrafanaDataFrame;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapscope::fuzz::InitBudget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace metrics = heapscope::metrics;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto format = metrics::DetectFormat(bytes);
  if (!format || !Wanted(*format)) return -1;  // not this target's format: keep out of the corpus
  metrics::MetricSet set;
  heapscope::Status st = metrics::ParseMetrics(bytes, "fuzz.metrics", &set);
  heapscope::fuzz::CheckError(st);
  if (!st.ok()) return 0;
  metrics::MetricsOptions options;
  // Evaluate the PromQL functions at the last time of the first series, as a query would.
  if (!set.series.empty() && !set.series[0].samples.empty() &&
      set.series[0].samples.back().t_ms != metrics::kNoTimestamp)
    options.eval_ms = set.series[0].samples.back().t_ms;
  if (size % 3 == 0) options.memory_limit_bytes = 1e9;
  metrics::MetricsAnalysis analysis = metrics::AnalyzeMetrics(std::move(set), options);
  (void)heapscope::report::RenderMetricsText(analysis);
  (void)heapscope::report::RenderMetricsJson(analysis);
  return 0;
}
