// Internal to run/: the pieces RunAnalysis (run.cc) puts together to build the Report.
//   wording.cc      a Detection -> a report::Finding, words from the rule and shape registries
//   routes.cc       the retainer path shown for a detection (through the listener table)
//   ranking.cc      nesting, merging of same-path collections, ranking
//   fingerprints.cc stable fingerprints
//   clusters.cc     closure clusters by site
//   metrics_join.cc metric evidence joined to findings, damage counters (run_metrics.h)
#ifndef HEAPSCOPE_SRC_RUN_RUN_INTERNAL_H_
#define HEAPSCOPE_SRC_RUN_RUN_INTERNAL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/sites.h"
#include "heapscope/metrics/analysis.h"
#include "heapscope/paths/retainer_paths.h"
#include "heapscope/profile/profile.h"
#include "heapscope/report/report.h"
#include "heapscope/run.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::run_internal {

// The last snapshot of the series and what is computed on it.
struct LastSnapshot {
  snapshot::Snapshot snap;
  graph::Retainers retainers;
  dominators::HeapAnalysis analysis;
  paths::ShortestPathTree tree;
};

class SourceMapper;  // sourcemaps.h

// allocations.cc: one tracked snapshot's allocation stacks. V8 keeps an object's stack only
// until the next snapshot of the session (Node 20: of 120 listeners alive at the third snapshot,
// the third holds the stacks of the 45 made since the second), so every tracked snapshot of the
// series is a source: the last one by node, earlier ones by V8 id. An object's stack is taken from
// the earliest snapshot that gives it one: the one right after its allocation. A later snapshot's
// stack for an object it did not see allocated is what its tracker's address map says of the
// place the object has moved to, and is wrong when the object moved onto the range of one
// allocated since (seen on Node 20: 2 of 120 listeners given Socket's constructor in node:net).
struct AllocationSource {
  size_t snapshot_index = 0;  // which snapshot of the series
  std::vector<uint32_t> tree_function, tree_parent;
  std::vector<uint64_t> tree_count, tree_size;
  std::vector<std::pair<uint32_t, uint32_t>> by_tree_id;  // (trace node id, tree index)
  std::vector<std::string> function_name, function_script;
  std::vector<uint32_t> function_line, function_column;  // 1-based, 0 = unknown
  // Stacks from an earlier snapshot: (V8 node id, trace_node_id), sorted (by_id); the last
  // snapshot's are read by node.
  bool by_id = false;
  std::vector<std::pair<uint32_t, uint32_t>> by_node_id;

  static AllocationSource From(const snapshot::Snapshot& snap, size_t index, bool by_id);
  // The tree index of `n` (a node of the last snapshot), kNone when it has no stack.
  uint32_t TreeNodeOf(const snapshot::Snapshot& last, NodeIndex n) const;
};
// Every tracked snapshot of the series, in input order.
struct AllocationSources {
  std::vector<AllocationSource> sources;
  bool available() const { return !sources.empty(); }
};

// What every finding is worded from.
struct Context {
  const AnalyzeOptions& options;
  const leaks::SiteTable& table;
  const LastSnapshot& last;
  SourceMapper* mapper = nullptr;                  // sites through source maps (may be null)
  const AllocationSources* allocations = nullptr;  // allocation stacks (may be null)
  const profile::ProfileSeries* profiles = nullptr; // sampling heap profiles (may be null)
};

// run.cc: adds `counters` ("name", count) to `out`, summing counters of the same name, each
// name prefixed with `prefix`.
void AddCounters(const std::vector<std::pair<std::string, uint64_t>>& counters,
                 std::string_view prefix, std::vector<std::pair<std::string, uint64_t>>& out);

// wording.cc
report::Site SiteOf(const Context& c, leaks::SiteId id);
report::Site DisplaySite(const Context& c, const leaks::SourceSite& src);
std::string CountsText(const std::vector<uint64_t>& counts);
report::Finding ToFinding(const Context& c, const leaks::Detection& d);

// routes.cc: GC roots -> … -> emitter -> listener table -> … -> closure for listener
// detections (when that route exists), else the representative object's shortest path.
paths::RetainerPath PathFor(const Context& c, const leaks::Detection& d);

// ranking.cc
// Findings nested under their parents (Detection::parent), top level returned; a root takes
// the highest severity of its tree.
std::vector<report::Finding> NestFindings(const std::vector<leaks::Detection>& detections,
                                          std::vector<report::Finding> all);
// Growing collections reached by the same normalized path are one finding.
void MergeCollections(std::vector<report::Finding>& v);
// Notes last, then retained size, then severity, then total growth (recursively).
void SortFindings(std::vector<report::Finding>& v);

// fingerprints.cc
std::string StableFingerprint(const report::Finding& f);
void SetFingerprints(std::vector<report::Finding>& v);

// allocations.cc
// Fills f.allocated_at (top stacks of d.objects) when allocation stacks are available.
void AttachAllocationStacks(const Context& c, const leaks::Detection& d, report::Finding& f);
// A stack frame as a site: V8's 1-based line/column (0 = unknown), mapped and made relative.
report::Site FrameSite(const Context& c, std::string_view script, uint32_t line1, uint32_t column1,
                       std::string_view function);
// The report note for a series that mixes tracked and untracked snapshots ("" otherwise).
std::string AllocationNote(const std::vector<bool>& tracked);

// profiles.cc
// Reads the profiles, combined by the user's function each stack is attributed to; one
// SnapshotInfo-like input row per profile.
Status LoadProfiles(const std::vector<std::string>& paths, profile::ProfileSeries& out);
std::vector<leaks::ProfileFunctionFact> ProfileFacts(const profile::ProfileSeries& s,
                                                     leaks::SiteTable& table);
report::Site ProfileFrameSite(const Context& c, const profile::CallFrame& f);
// An allocation-growth finding's message and stacks.
void WordProfileFinding(const Context& c, const leaks::Detection& d, report::Finding& f);
// allocation-growth findings that explain a snapshot finding become its evidence.
void JoinProfileFindings(std::vector<report::Finding>& findings);
// The last profile's top stacks by self and total size.
void ProfileTables(const Context& c, size_t top, report::Report& rep);

// class_growth.cc: DevTools' Comparison view from `first` to the last snapshot, every class that
// changed, largest size delta first. `first` is the first snapshot of the series as loaded.
std::vector<report::ClassGrowth> ClassGrowthFirstToLast(const snapshot::Snapshot& first,
                                                        const LastSnapshot& last,
                                                        bool reassign_shallow_sizes);

// clusters.cc
std::vector<report::Cluster> BuildClusters(const Context& c,
                                           const std::vector<leaks::SnapshotFacts>& series);

}  // namespace heapscope::run_internal

#endif  // HEAPSCOPE_SRC_RUN_RUN_INTERNAL_H_
