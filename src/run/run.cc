// RunAnalysis: the pipeline behind `heapscope analyze`.
//
// For each snapshot, in time order: parse, scan for leak facts keyed by what is stable across
// snapshots (V8 ids, sites), free it. The last snapshot is kept: its retainers, dominators,
// shortest-path tree and class summary feed the findings' sizes, paths and nesting. Then the
// cross-snapshot rules (leaks/detect.h), then the metrics join. The jobs are in the other files of run/ (run_internal.h).
#include "heapscope/run.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <utility>

#include "heapscope/snapshot/parse.h"
#include "heapscope/snapshot/summary.h"
#include "heapscope/run_metrics.h"
#include "heapscope/run/load.h"
#include "run/run_internal.h"
#include "run/sourcemaps.h"

namespace heapscope {
namespace {

using run_internal::LastSnapshot;
using snapshot::Snapshot;

using Progress = std::function<void(const char*, uint64_t, uint64_t)>;

// Script names in snapshots are absolute; a relative --source-root means "from here".
void AbsoluteSourceRoot(std::string& root) {
  if (root.empty() || root.starts_with("file://")) return;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(root, ec);
  if (!ec) root = abs.lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
}

// Each snapshot in time order: parsed, scanned for facts, freed; the last one is kept.
Status LoadSeries(const AnalyzeOptions& options, const Progress& progress, leaks::SiteTable& table,
                  std::vector<leaks::SnapshotFacts>& series, LastSnapshot& last,
                  run_internal::AllocationSources& allocations, report::Report& rep,
                  std::optional<Snapshot>& first) {
  series.reserve(options.snapshots.size());
  std::vector<bool> tracked;
  for (size_t i = 0; i < options.snapshots.size(); ++i) {
    const std::string& path = options.snapshots[i];
    LoadOptions lo;
    lo.path = path;
    lo.analyze = false;  // only the last snapshot is analyzed, in AnalyzeLast
    lo.progress = [&](uint64_t done, uint64_t total) { progress("loading", done, total); };
    HS_ASSIGN_OR_RETURN(LoadedSnapshot loaded, LoadSnapshot(lo));
    Snapshot& snap = loaded.snapshot;
    report::SnapshotInfo info;
    info.path = path;
    info.node_count = snap.node_count();
    info.edge_count = snap.edge_count();
    info.format = snapshot::FormatDescription(snap.meta);
    for (uint64_t s : snap.self_size) info.total_size += s;
    run_internal::AddCounters(snap.diagnostics.NonZero(), "", rep.diagnostics);
    progress("scanning", i, options.snapshots.size());
    series.push_back(leaks::ScanSnapshot(snap, table));
    rep.snapshots.push_back(std::move(info));
    // Allocation stacks of every tracked snapshot: the last one's by node, earlier ones' by V8 id
    // (only nodes with a stack are kept).
    const bool is_last = i + 1 == options.snapshots.size();
    tracked.push_back(snap.traces.tracked());
    if (snap.traces.tracked())
      allocations.sources.push_back(run_internal::AllocationSource::From(snap, i, !is_last));
    if (is_last) last.snap = std::move(snap);
    else if (i == 0 && options.class_growth)
      first = std::move(snap);  // kept for the class comparison with the last
    // Earlier snapshots are freed here: only their facts are kept.
  }
  if (std::string note = run_internal::AllocationNote(tracked); !note.empty())
    rep.notes.push_back(std::move(note));
  return Status::Ok();
}

// Retainers, dominators, retained sizes and the shortest-path tree of the last snapshot.
void AnalyzeLast(const AnalyzeOptions& options, const Progress& progress, LastSnapshot& last,
                 report::Report& rep) {
  progress("dominators", 0, 1);
  LoadedSnapshot loaded;
  loaded.snapshot = std::move(last.snap);
  AnalyzeLoaded(loaded, options.reassign_shallow_sizes);
  last.snap = std::move(loaded.snapshot);
  last.retainers = std::move(loaded.retainers);
  last.analysis = std::move(loaded.analysis);
  if (!options.reassign_shallow_sizes) rep.notes.push_back("shallow-size reassignment off");
  progress("paths", 0, 1);
  last.tree = paths::BuildShortestPathTree(last.snap);
}

// The rules, their findings nested, merged and ranked.
std::vector<report::Finding> Findings(const run_internal::Context& ctx,
                                      const std::vector<leaks::SnapshotFacts>& series,
                                      const std::vector<leaks::ProfileFunctionFact>& profiles) {
  leaks::LeakOptions lo;
  lo.min_listeners_per_site = ctx.options.min_listeners_per_site;
  std::vector<leaks::Detection> detections = leaks::Detect(series, ctx.table, lo, profiles);
  if (!series.empty()) {
    leaks::JudgeOwnership(ctx.last.snap, ctx.last.analysis, lo, detections, &ctx.last.retainers);
    leaks::AttachRetention(ctx.last.snap, ctx.last.analysis, detections);
  }
  std::vector<report::Finding> all;
  all.reserve(detections.size());
  for (const leaks::Detection& d : detections) all.push_back(run_internal::ToFinding(ctx, d));
  std::vector<report::Finding> findings = run_internal::NestFindings(detections, std::move(all));
  run_internal::MergeCollections(findings);
  run_internal::JoinProfileFindings(findings);
  run_internal::SortFindings(findings);
  return findings;
}

// The class summary of the last snapshot, top rows.
std::vector<report::ClassRow> ClassRows(const LastSnapshot& last, uint32_t top) {
  snapshot::SummaryInputs si;
  si.self_size = &last.analysis.self_size;
  si.retained_size = &last.analysis.retained_size;
  si.dominator = &last.analysis.dominator;
  si.distance = &last.analysis.distance;
  snapshot::ClassSummary summary = snapshot::Summarize(last.snap, si);
  std::vector<report::ClassRow> rows;
  for (const snapshot::ClassRow& r : summary.rows) {
    if (rows.size() >= top) break;
    report::ClassRow row;
    row.name = r.name;
    row.count = r.count;
    row.self_size = r.self_size;
    row.retained_size = r.retained_size;
    row.distance = r.distance;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

Result<report::Report> RunAnalysis(const AnalyzeOptions& given) {
  AnalyzeOptions options = given;
  AbsoluteSourceRoot(options.source_root);
  // Sampling heap profiles may be given among the snapshots.
  std::vector<std::string> inputs = std::move(options.snapshots);
  options.snapshots.clear();
  for (std::string& p : inputs)
    (profile::LooksLikeHeapProfile(p) ? options.profiles : options.snapshots).push_back(std::move(p));
  if (options.snapshots.empty() && options.profiles.empty())
    return Status::Usage("analyze: at least one snapshot or sampling heap profile is required");
  const Progress progress = [&](const char* phase, uint64_t done, uint64_t total) {
    if (options.progress) options.progress(phase, done, total);
  };

  // Metrics first: a bad metrics file fails before minutes of snapshot loading.
  std::optional<metrics::MetricsAnalysis> metrics_analysis;
  if (!options.metrics.empty()) {
    metrics::MetricsOptions mo;
    mo.memory_limit_bytes = options.memory_limit_bytes;
    HS_ASSIGN_OR_RETURN(metrics_analysis, metrics::LoadMetrics(options.metrics, mo));
  }

  report::Report rep;
  rep.tool_version = "0.1.0";
  leaks::SiteTable table;
  std::vector<leaks::SnapshotFacts> series;
  // Profiles next: small, and a bad one fails before the snapshots load.
  profile::ProfileSeries profiles;
  if (!options.profiles.empty())
    HS_RETURN_IF_ERROR(run_internal::LoadProfiles(options.profiles, profiles));
  rep.profile_files = options.profiles;
  LastSnapshot last;
  run_internal::AllocationSources allocations;
  std::optional<Snapshot> first;
  const bool have_snapshots = !options.snapshots.empty();
  if (have_snapshots) {
    HS_RETURN_IF_ERROR(LoadSeries(options, progress, table, series, last, allocations, rep, first));
    AnalyzeLast(options, progress, last, rep);
    if (first) {
      rep.class_growth =
          run_internal::ClassGrowthFirstToLast(*first, last, options.reassign_shallow_sizes);
      first.reset();
    }
  }

  run_internal::SourceMapper mapper(options.source_root, options.source_maps);
  if (!options.no_source_maps && have_snapshots) mapper.AddScripts(last.snap);
  const run_internal::Context ctx{options,
                                  table,
                                  last,
                                  options.no_source_maps ? nullptr : &mapper,
                                  &allocations,
                                  options.profiles.empty() ? nullptr : &profiles};
  const std::vector<leaks::ProfileFunctionFact> profile_facts =
      run_internal::ProfileFacts(profiles, table);
  rep.findings = Findings(ctx, series, profile_facts);
  run_internal::ProfileTables(ctx, 10, rep);
  if (have_snapshots) {
    rep.clusters = run_internal::BuildClusters(ctx, series);
    rep.classes = ClassRows(last, options.top_classes);
    rep.snapshots.back().total_size = last.analysis.total_size;
  }

  for (const std::string& note : mapper.notes()) rep.notes.push_back(note);
  run_internal::AddCounters(mapper.Counters(), "", rep.diagnostics);
  if (metrics_analysis) AttachMetricEvidence(*metrics_analysis, rep);
  run_internal::SetFingerprints(rep.findings);
  progress("done", 1, 1);
  return rep;
}

namespace run_internal {

void AddCounters(const std::vector<std::pair<std::string, uint64_t>>& counters,
                 std::string_view prefix, std::vector<std::pair<std::string, uint64_t>>& out) {
  for (const auto& [counter, v] : counters) {
    std::string name = std::string(prefix) + counter;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
    if (it == out.end())
      out.emplace_back(name, v);
    else
      it->second += v;
  }
}

}  // namespace run_internal
}  // namespace heapscope
