// `heapscope metrics FILE... [--memory-limit BYTES] [--format text|json] [-o FILE]
//                            [--at TIME --range DURATION --window v2|v3 --predict SECONDS]`:
// reads metric exports (Prometheus text/OpenMetrics, Prometheus API JSON, Grafana CSV/DataFrame
// JSON), and prints per-series trends (deriv-equal slope, R², resets, increase), the time left
// to the memory limit, restarts and relations. docs/metrics.md describes inputs and outputs.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "heapscope/io/output.h"
#include "heapscope/metrics/analysis.h"

namespace heapscope::cli {
namespace {

struct MetricsCliOptions {
  std::vector<std::string> files;
  std::string memory_limit;
  std::string format = "text";
  std::string output = "-";
  std::string at;
  std::string range = "1m";
  std::string window = "v2";
  double predict = 3600;
};

// "60", "60s", "1m", "500ms", "2h", "1d" → milliseconds.
bool ParseDurationMs(const std::string& s, int64_t* out) {
  size_t end = 0;
  double v;
  try {
    v = std::stod(s, &end);
  } catch (...) {
    return false;
  }
  std::string unit = s.substr(end);
  double f = 0;
  if (unit.empty() || unit == "s")
    f = 1000;
  else if (unit == "ms")
    f = 1;
  else if (unit == "m")
    f = 60000;
  else if (unit == "h")
    f = 3600000;
  else if (unit == "d")
    f = 86400000;
  else
    return false;
  *out = std::llround(v * f);
  return *out > 0;
}

int RunMetrics(const MetricsCliOptions& o) {
  metrics::MetricsOptions mo;
  if (!o.memory_limit.empty()) {
    std::optional<double> b = metrics::ParseByteSize(o.memory_limit);
    if (!b)
      return Fail(
          Status::Usage("--memory-limit: expected bytes like 1395864371, 1.3GB or 1.25GiB, got '" +
                        o.memory_limit + "'"));
    mo.memory_limit_bytes = *b;
  }
  if (!o.at.empty()) {
    size_t end = 0;
    double t;
    try {
      t = std::stod(o.at, &end);
    } catch (...) {
      end = 0;
    }
    if (end == 0 || end != o.at.size() || !std::isfinite(t))
      return Fail(Status::Usage("--at: expected a Unix time in seconds, got '" + o.at + "'"));
    mo.eval_ms = std::llround(t * 1000);
  }
  if (!ParseDurationMs(o.range, &mo.range_ms))
    return Fail(
        Status::Usage("--range: expected a duration like 60s, 1m or 2h, got '" + o.range + "'"));
  mo.window = o.window == "v3" ? metrics::WindowSemantics::kV3LeftOpen
                               : metrics::WindowSemantics::kV2Closed;
  mo.predict_seconds = o.predict;
  Result<metrics::MetricsAnalysis> a = metrics::LoadMetrics(o.files, mo);
  if (!a.ok()) return Fail(a.status());
  std::string out =
      o.format == "json" ? metrics::RenderMetricsJson(*a) : metrics::RenderMetricsText(*a);
  Status st = io::WriteOutput(o.output, out);
  if (!st.ok()) return Fail(st);
  return 0;
}

Runner SetupMetrics(CLI::App& app) {
  auto opts = std::make_shared<MetricsCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "metrics", "Trends, time to the memory limit and relations from metric exports");
  sub->add_option("files", opts->files,
                  "Prometheus text/OpenMetrics, Prometheus API JSON, Grafana CSV or DataFrame JSON "
                  "(gzip allowed; - = stdin)")
      ->required();
  sub->add_option(
      "--memory-limit", opts->memory_limit,
      "Memory limit in bytes (1.3GB, 1.25GiB, …); overrides limits found in the metrics");
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  sub->add_option(
      "--at", opts->at,
      "Also evaluate deriv/predict_linear/rate/increase/resets like PromQL at this Unix "
      "time (seconds)");
  sub->add_option("--range", opts->range, "Range of the --at window (PromQL x[RANGE])")
      ->capture_default_str();
  sub->add_option("--window", opts->window,
                  "Window semantics of --at: v2 = [t-range, t] (Prometheus 2.x), v3 = (t-range, t]")
      ->check(CLI::IsMember({"v2", "v3"}))
      ->capture_default_str();
  sub->add_option("--predict", opts->predict, "predict_linear's horizon for --at, in seconds")
      ->capture_default_str();
  return [opts] { return RunMetrics(*opts); };
}

HS_REGISTER_COMMAND(60, SetupMetrics);

}  // namespace
}  // namespace heapscope::cli
