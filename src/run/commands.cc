// RunSummary, RunRetained, RunPaths, RunMetrics: the library calls behind the commands of the
// same names. Each loads through LoadSnapshot (run/load.h) and returns values to render.
#include "heapscope/run/commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "heapscope/text.h"

namespace heapscope {
namespace {

bool SamePath(const paths::RetainerPath& x, const paths::RetainerPath& y) {
  if (x.steps.size() != y.steps.size()) return false;
  for (size_t i = 0; i < x.steps.size(); ++i) {
    if (x.steps[i].edge != y.steps[i].edge) return false;
  }
  return true;
}

// "60", "60s", "1m", "500ms", "2h", "1d" -> milliseconds (> 0).
std::optional<int64_t> ParseDurationMs(const std::string& s) {
  size_t end = 0;
  double v;
  try {
    v = std::stod(s, &end);
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = s.substr(end);
  double f = 0;
  if (unit.empty() || unit == "s") {
    f = 1000;
  } else if (unit == "ms") {
    f = 1;
  } else if (unit == "m") {
    f = 60000;
  } else if (unit == "h") {
    f = 3600000;
  } else if (unit == "d") {
    f = 86400000;
  } else {
    return std::nullopt;
  }
  double ms = v * f;
  if (!std::isfinite(ms) || ms < 0.5 || ms > 9.2e18) return std::nullopt;
  return std::llround(ms);
}

}  // namespace

Result<SummaryResult> RunSummary(const SummaryOptions& o) {
  Result<LoadedSnapshot> loaded = LoadSnapshot({o.snapshot, o.retained, true, o.progress});
  if (!loaded.ok()) return loaded.status();
  LoadedSnapshot& l = *loaded;
  SummaryResult out;
  if (l.analyzed) {
    // DevTools' figures (docs/dominators.md): reassigned self sizes, class retained size over
    // the dominator tree, minimum distance.
    const dominators::HeapAnalysis& a = l.analysis;
    out.classes = snapshot::Summarize(l.snapshot,
                                      {&a.self_size, &a.retained_size, &a.dominator, &a.distance});
  } else {
    out.classes = snapshot::Summarize(l.snapshot);
  }
  out.shown = o.top == 0 ? out.classes.rows.size()
                         : std::min<size_t>(o.top, out.classes.rows.size());
  out.snapshot = std::move(l.snapshot);
  return out;
}

Result<RetainedResult> RunRetained(const RetainedOptions& o) {
  Result<LoadedSnapshot> loaded = LoadSnapshot({o.snapshot, true, !o.raw_sizes, o.progress});
  if (!loaded.ok()) return loaded.status();
  RetainedResult out{*std::move(loaded), {}};
  const snapshot::Snapshot& s = out.loaded.snapshot;
  const dominators::HeapAnalysis& a = out.loaded.analysis;
  if (s.node_count() == 0) {
    return Status::InvalidInput(fmt::format("{}: the snapshot has no nodes", o.snapshot));
  }
  std::vector<uint32_t> rows(s.node_count());
  std::iota(rows.begin(), rows.end(), 0u);
  auto before = [&](uint32_t x, uint32_t y) {
    if (a.retained_size[x] != a.retained_size[y]) return a.retained_size[x] > a.retained_size[y];
    return s.NodeId(NodeIndex(x)) < s.NodeId(NodeIndex(y));
  };
  if (o.top != 0 && o.top < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + o.top, rows.end(), before);
    rows.resize(o.top);
  } else {
    std::sort(rows.begin(), rows.end(), before);
  }
  out.rows.reserve(rows.size());
  for (uint32_t n : rows) out.rows.push_back(NodeIndex(n));
  return out;
}

Result<PathsResult> RunPaths(const PathsOptions& o) {
  // The target is checked before the analysis runs: a wrong id fails fast.
  Result<LoadedSnapshot> loaded = LoadSnapshot({o.snapshot, false, true, o.progress});
  if (!loaded.ok()) return loaded.status();
  PathsResult out{*std::move(loaded), NodeIndex(), o.max, {}};
  LoadedSnapshot& l = out.loaded;
  const snapshot::Snapshot& s = l.snapshot;
  for (uint32_t i = 0; i < s.node_count(); ++i) {
    if (s.NodeId(NodeIndex(i)) == o.id) {
      out.target = NodeIndex(i);
      break;
    }
  }
  if (!out.target.valid()) {
    return Status::Usage(fmt::format("{}: no node with id {}", o.snapshot, o.id));
  }
  l.retainers = graph::BuildRetainers(s);
  l.analysis = dominators::Analyze(s, l.retainers);
  l.analyzed = true;

  paths::ShortestPathTree tree = paths::BuildShortestPathTree(s);
  paths::RetainerPath preferred = paths::PathTo(tree, out.target);
  if (preferred.steps.empty() && out.target != s.root) return out;
  out.paths.push_back(std::move(preferred));
  if (o.max > 1) {
    for (paths::RetainerPath& p : paths::ShortestRetainerPaths(s, l.retainers, out.target, o.max)) {
      if (out.paths.size() >= o.max) break;
      if (!SamePath(p, out.paths.front())) out.paths.push_back(std::move(p));
    }
  }
  return out;
}

Result<metrics::MetricsAnalysis> RunMetrics(const MetricsCommandOptions& o) {
  metrics::MetricsOptions mo;
  if (!o.memory_limit.empty()) {
    std::optional<double> b = metrics::ParseByteSize(o.memory_limit);
    if (!b) {
      return Status::Usage(
          "--memory-limit: expected bytes like 1395864371, 1.3GB or 1.25GiB, got '" +
          o.memory_limit + "'");
    }
    mo.memory_limit_bytes = *b;
  }
  if (!o.at.empty()) {
    size_t end = 0;
    double t = 0;
    try {
      t = std::stod(o.at, &end);
    } catch (...) {
      end = 0;
    }
    if (end == 0 || end != o.at.size() || !std::isfinite(t) || std::fabs(t) > 9.2e15) {
      return Status::Usage("--at: expected a Unix time in seconds, got '" + o.at + "'");
    }
    mo.eval_ms = std::llround(t * 1000);
  }
  std::optional<int64_t> range = ParseDurationMs(o.range);
  if (!range) {
    return Status::Usage("--range: expected a duration like 60s, 1m or 2h, got '" + o.range + "'");
  }
  mo.range_ms = *range;
  if (o.window != "v2" && o.window != "v3") {
    return Status::Usage("--window: expected v2 or v3, got '" + o.window + "'");
  }
  mo.window = o.window == "v3" ? metrics::WindowSemantics::kV3LeftOpen
                               : metrics::WindowSemantics::kV2Closed;
  mo.predict_seconds = o.predict;
  return metrics::LoadMetrics(o.files, mo);
}

}  // namespace heapscope
