// `heapscope metrics FILE... [--memory-limit BYTES] [--format text|json] [-o FILE]
//                            [--at TIME --range DURATION --window v2|v3 --predict SECONDS]`:
// reads metric exports (Prometheus text/OpenMetrics, Prometheus API JSON, Grafana CSV/DataFrame
// JSON), and prints per-series trends (deriv-equal slope, R², resets, increase), the time left
// to the memory limit, restarts and relations. docs/metrics.md describes inputs and outputs.
#include <memory>
#include <string>

#include "cli/command.h"
#include "heapscope/report/commands.h"
#include "heapscope/run/commands.h"

namespace heapscope::cli {
namespace {

struct MetricsCliOptions {
  MetricsCommandOptions metrics;
  std::string format = "text";
  std::string output = "-";
};

int RunMetricsCommand(const MetricsCliOptions& o) {
  Result<metrics::MetricsAnalysis> a = RunMetrics(o.metrics);
  if (!a.ok()) return Fail(a.status());
  return Emit(o.output, o.format == "json" ? report::RenderMetricsJson(*a)
                                           : report::RenderMetricsText(*a));
}

Runner SetupMetrics(CLI::App& app) {
  auto opts = std::make_shared<MetricsCliOptions>();
  MetricsCommandOptions& m = opts->metrics;
  CLI::App* sub = app.add_subcommand(
      "metrics", "Trends, time to the memory limit and relations from metric exports");
  sub->add_option("files", m.files,
                  "Prometheus text/OpenMetrics, Prometheus API JSON, Grafana CSV or DataFrame JSON "
                  "(gzip allowed; - = stdin)")
      ->required();
  sub->add_option(
      "--memory-limit", m.memory_limit,
      "Memory limit in bytes (1.3GB, 1.25GiB, …); overrides limits found in the metrics");
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  sub->add_option(
      "--at", m.at,
      "Also evaluate deriv/predict_linear/rate/increase/resets like PromQL at this Unix "
      "time (seconds)");
  sub->add_option("--range", m.range, "Range of the --at window (PromQL x[RANGE])")
      ->capture_default_str();
  sub->add_option("--window", m.window,
                  "Window semantics of --at: v2 = [t-range, t] (Prometheus 2.x), v3 = (t-range, t]")
      ->check(CLI::IsMember({"v2", "v3"}))
      ->capture_default_str();
  sub->add_option("--predict", m.predict, "predict_linear's horizon for --at, in seconds")
      ->capture_default_str();
  return [opts] { return RunMetricsCommand(*opts); };
}

HS_REGISTER_COMMAND(60, SetupMetrics);

}  // namespace
}  // namespace heapscope::cli
