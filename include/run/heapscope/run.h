// The whole analysis pipeline behind `heapscope analyze` and `heapscope check`:
// load each snapshot, analyze it, find leaks across the series, ingest metrics, join the
// evidence, and build the Report.
#ifndef HEAPSCOPE_RUN_H_
#define HEAPSCOPE_RUN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "heapscope/report/report.h"
#include "heapscope/status.h"

namespace heapscope {

namespace leaks {
enum class Level : uint8_t;
}  // namespace leaks

// A rule registry level (leaks/rules.h) as a report severity; the renderers describe rules with it.
report::Severity SeverityOf(leaks::Level level);

struct AnalyzeOptions {
  std::vector<std::string> snapshots;       // in time order (baseline, target, final, …)
  std::vector<std::string> metrics;         // metric export files
  std::vector<std::string> profiles;        // sampling heap profiles (.heapprofile), time order
  std::string source_root;                  // make script paths relative to this
  std::string source_maps;                  // --source-maps DIR: more places to find maps
  bool no_source_maps = false;              // report generated positions only
  std::optional<double> memory_limit_bytes; // overrides limits found in the metrics
  bool reassign_shallow_sizes = true;       // DevTools' shallow-size reassignment
  uint32_t top_classes = 20;                // rows of the class summary
  uint32_t top_clusters = 20;               // closure clusters listed
  // Rule thresholds (docs/rules.md).
  uint32_t min_listeners_per_site = 10;     // listener-accumulation threshold per (site, emitter, event)
  // Fill Report::class_growth: DevTools' Comparison view from the first to the last snapshot
  // (`check` sets it when the policy has class-growth limits). Keeps the first snapshot loaded.
  bool class_growth = false;
  // Progress callback: (phase, done, total); may be empty.
  std::function<void(const char*, uint64_t, uint64_t)> progress;
};

Result<report::Report> RunAnalysis(const AnalyzeOptions& options);

}  // namespace heapscope

#endif  // HEAPSCOPE_RUN_H_
