// The library calls behind `heapscope summary`, `retained`, `paths` and `metrics`: each takes a
// plain options struct and returns plain values; report/commands.h renders them. Like
// RunAnalysis (run.h), none of them prints, and every error is a Status.
#ifndef HEAPSCOPE_RUN_COMMANDS_H_
#define HEAPSCOPE_RUN_COMMANDS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/metrics/analysis.h"
#include "heapscope/paths/retainer_paths.h"
#include "heapscope/run/load.h"
#include "heapscope/snapshot/comparison.h"
#include "heapscope/snapshot/strings.h"
#include "heapscope/snapshot/summary.h"
#include "heapscope/status.h"

namespace heapscope {

// Byte progress while loading: (done, total); may be empty.
using LoadProgress = std::function<void(uint64_t, uint64_t)>;

// `summary`: DevTools' Summary view (objects per class) plus the snapshot's header figures.
struct SummaryOptions {
  std::string snapshot;
  uint32_t top = 20;     // rows shown; 0 = every class
  bool retained = true;  // DevTools' retained size and distance (runs the analysis)
  LoadProgress progress;
};
struct SummaryResult {
  snapshot::Snapshot snapshot;
  snapshot::ClassSummary classes;
  size_t shown = 0;  // rows of `classes` to show
};
Result<SummaryResult> RunSummary(const SummaryOptions& options);

// `retained`: nodes by retained size, with distance and dominator.
struct RetainedOptions {
  std::string snapshot;
  uint32_t top = 20;       // 0 = every node
  bool raw_sizes = false;  // skip DevTools' shallow-size reassignment
  LoadProgress progress;
};
struct RetainedResult {
  LoadedSnapshot loaded;
  std::vector<NodeIndex> rows;  // largest retained size first; ties by node id
};
Result<RetainedResult> RunRetained(const RetainedOptions& options);

// `paths`: retainer paths from the root to one node. Path 1 is the preferred path
// (BuildShortestPathTree); paths 2..max are the next shortest simple paths.
struct PathsOptions {
  std::string snapshot;
  uint64_t id = 0;   // node id (DevTools' @id)
  uint32_t max = 3;  // paths wanted
  LoadProgress progress;
};
struct PathsResult {
  LoadedSnapshot loaded;
  NodeIndex target;
  uint32_t max = 0;
  std::vector<paths::RetainerPath> paths;  // empty when the target is unreachable
};
Result<PathsResult> RunPaths(const PathsOptions& options);

// `diff`: DevTools' Comparison view (snapshot/comparison.h) for each consecutive pair of
// snapshots and, with three or more, for the first against the last. Every snapshot is loaded
// with DevTools' analysis (reassigned self sizes); the base of each pair is named with the
// target's interface definitions, as DevTools does.
struct DiffOptions {
  std::vector<std::string> snapshots;  // in time order; at least two
  // Drill-down: the new objects of this class between the first and the last snapshot. A class
  // name ("Order", "{id, name}", "Detached <div>": every class of that name) or a DevTools class
  // key ("12,4,7,Order" for one location-keyed class).
  std::string class_name;
  uint32_t top = 20;  // rows per comparison, and objects in the drill-down; 0 = all
  LoadProgress progress;
};
struct DiffComparison {
  uint32_t base = 0, target = 0;  // indices into DiffResult::snapshots
  snapshot::ClassComparison classes;
};
struct DiffObject {
  NodeIndex node;              // in the last snapshot
  paths::RetainerPath path;    // its preferred retainer path (empty when unreachable)
};
struct DiffDrillDown {
  std::string query;                   // as given
  uint32_t base = 0, target = 0;
  std::vector<snapshot::ClassKey> keys;  // the classes it selected
  uint64_t new_count = 0, alloc_size = 0;
  std::vector<DiffObject> objects;     // the largest retained sizes first, `top` of them
};
struct DiffSnapshot {
  std::string path;
  uint32_t node_count = 0, edge_count = 0;
  uint64_t total_size = 0;          // sum of (reassigned) self sizes
  Diagnostics diagnostics;
};
struct DiffResult {
  std::vector<DiffSnapshot> snapshots;
  std::vector<DiffComparison> comparisons;  // consecutive pairs, then first -> last
  uint32_t top = 0;
  bool shallow_sizes_reassigned = true;
  // Set with DiffOptions::class_name: the last snapshot, kept for the objects' names and paths.
  std::optional<DiffDrillDown> drill_down;
  std::optional<LoadedSnapshot> last;
};
Result<DiffResult> RunDiff(const DiffOptions& options);

// `strings`: duplicated string values (snapshot/strings.h), with DevTools' retained sizes and
// what holds the copies.
struct StringsOptions {
  std::string snapshot;
  uint32_t top = 20;        // groups shown, most wasted bytes first; 0 = all
  uint32_t retainers = 5;   // retainer kinds listed per shown group
  bool raw_sizes = false;   // the file's self sizes instead of DevTools' reassigned ones
  LoadProgress progress;
};
// One kind of reference to a group's copies: the holder's class and the edge, indices as "*"
// ("{headers, body}.content-type", "Array[*]", "system / Context->mime").
struct StringHolder {
  std::string holder;
  uint64_t count = 0;  // references of that kind to members of the group
};
struct StringGroupRow {
  snapshot::StringGroup group;
  uint64_t retained_size = 0;  // sum of the members' retained sizes (DevTools' column)
  std::vector<StringHolder> holders;  // filled for the shown groups, most references first
};
struct StringsResult {
  LoadedSnapshot loaded;
  std::vector<StringGroupRow> rows;  // every group: most wasted bytes, then retained size, then value
  size_t shown = 0;
  uint64_t strings = 0;                // members of all groups
  uint64_t self_size = 0, wasted = 0;  // over all groups
};
Result<StringsResult> RunStrings(const StringsOptions& options);

// `metrics`: metric exports read and analyzed. Options arrive as the user wrote them; each is
// checked here (a Usage error names the flag).
struct MetricsCommandOptions {
  std::vector<std::string> files;
  std::string memory_limit;  // bytes: "1395864371", "1.3GB", "1.25GiB"; empty = not given
  std::string at;            // Unix seconds; empty = no PromQL evaluation
  std::string range = "1m";  // "60s", "1m", "500ms", "2h", "1d"
  std::string window = "v2";
  double predict = 3600;     // predict_linear horizon, seconds
};
Result<metrics::MetricsAnalysis> RunMetrics(const MetricsCommandOptions& options);

}  // namespace heapscope

#endif  // HEAPSCOPE_RUN_COMMANDS_H_
