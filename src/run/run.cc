// RunAnalysis: the pipeline behind `heapscope analyze`.
//
// For each snapshot, in time order: parse, scan for leak facts keyed by what is stable across
// snapshots (V8 ids, sites), free it. The last snapshot is kept: its retainers, dominators,
// shortest-path tree and class summary feed the findings' sizes, paths and nesting. Then the
// cross-snapshot rules (leaks/detect.h), then the metrics join.
#include "heapscope/run.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/sites.h"
#include "heapscope/metrics/analysis.h"
#include "heapscope/paths/retainer_paths.h"
#include "heapscope/report/fingerprint.h"
#include "heapscope/snapshot/parse.h"
#include "heapscope/snapshot/summary.h"

namespace heapscope {
namespace {

using leaks::Detection;
using leaks::Rule;
using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

report::Severity ToSeverity(leaks::Level l) {
  switch (l) {
    case leaks::Level::kNote:
      return report::Severity::kNote;
    case leaks::Level::kWarning:
      return report::Severity::kWarning;
    case leaks::Level::kError:
      return report::Severity::kError;
  }
  return report::Severity::kWarning;
}

std::string WithCommas(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string CountsText(const std::vector<uint64_t>& counts) {
  std::string s;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i) s += " -> ";
    s += WithCommas(counts[i]);
  }
  return s;
}

// The first non-weak edge from `from` to `to`, or an invalid index.
EdgeIndex EdgeBetween(const Snapshot& snap, NodeIndex from, NodeIndex to) {
  for (uint32_t e = snap.EdgeBegin(from); e < snap.EdgeEnd(from); ++e) {
    if (snap.edge_to[e] == to && snap.edge_type[e] != EdgeType::kWeak) return EdgeIndex(e);
  }
  return EdgeIndex();
}

// Appends to `path` the hops from its last node (the emitter) to `target` through `holder`
// (at most one intermediate node on each side). Returns false when no such route exists.
bool AppendRoute(const Snapshot& snap, NodeIndex emitter, NodeIndex holder, NodeIndex target,
                 paths::RetainerPath& path) {
  auto hop = [&](NodeIndex from, NodeIndex to, std::vector<paths::PathStep>& out) {
    if (from == to) return true;
    EdgeIndex e = EdgeBetween(snap, from, to);
    if (e.valid()) {
      out.push_back({e, to});
      return true;
    }
    for (uint32_t x = snap.EdgeBegin(from); x < snap.EdgeEnd(from); ++x) {
      if (snap.edge_type[x] == EdgeType::kWeak) continue;
      NodeIndex mid = snap.edge_to[x];
      EdgeIndex y = EdgeBetween(snap, mid, to);
      if (y.valid()) {
        out.push_back({EdgeIndex(x), mid});
        out.push_back({y, to});
        return true;
      }
    }
    return false;
  };
  std::vector<paths::PathStep> steps;
  if (!hop(emitter, holder, steps) || !hop(holder, target, steps)) return false;
  path.steps.insert(path.steps.end(), steps.begin(), steps.end());
  return true;
}

struct LastSnapshot {
  Snapshot snap;
  graph::Retainers retainers;
  dominators::HeapAnalysis analysis;
  paths::ShortestPathTree tree;
};

class Builder {
 public:
  Builder(const AnalyzeOptions& o, const leaks::SiteTable& t, LastSnapshot& l)
      : options_(o), table_(t), last_(l) {}

  report::Site SiteOf(leaks::SiteId id) const {
    report::Site s;
    if (!id.valid()) return s;
    const leaks::SourceSite& src = table_.Get(id);
    s.file = leaks::DisplayPath(src.file, options_.source_root);
    s.line = src.line + 1;
    s.column = src.column + 1;
    s.function = src.function;
    return s;
  }

  std::string SiteText(const report::Site& s) const {
    return s.file + ":" + std::to_string(s.line) + ":" + std::to_string(s.column);
  }

  // For listeners: GC roots -> … -> emitter -> _events -> <event> [-> i] -> closure, so that
  // the path shows the accumulation point; otherwise (or when that route is not found) the
  // representative object's shortest path.
  paths::RetainerPath PathFor(const Detection& d) const {
    const Snapshot& snap = last_.snap;
    if (d.event != kNone && d.emitter.valid() && last_.tree.depth[d.emitter.v] != kNone) {
      NodeIndex holder = kNoNode;
      for (uint32_t e = snap.EdgeBegin(d.emitter); e < snap.EdgeEnd(d.emitter); ++e) {
        std::string_view n = snap.EdgeName(EdgeIndex(e));
        if (n == "_events" || n == "_callbacks" || n == "<symbol kEvents>") {
          holder = snap.edge_to[e];
          break;
        }
      }
      if (holder.valid()) {
        paths::RetainerPath p = paths::PathTo(last_.tree, d.emitter);
        if (AppendRoute(snap, d.emitter, holder, RepresentativeOn(d, holder), p)) return p;
      }
    }
    return paths::PathTo(last_.tree, d.representative);
  }

  // A listener of `d` reachable within two hops of `holder` (the emitter's listener table).
  // Linear in the edges looked at: the listeners are put in a hash set first.
  NodeIndex RepresentativeOn(const Detection& d, NodeIndex holder) const {
    const Snapshot& snap = last_.snap;
    std::unordered_set<uint32_t> mine;
    for (NodeIndex c : d.objects) mine.insert(c.v);
    for (uint32_t e = snap.EdgeBegin(holder); e < snap.EdgeEnd(holder); ++e) {
      NodeIndex x = snap.edge_to[e];
      if (mine.count(x.v)) return x;
      for (uint32_t f = snap.EdgeBegin(x); f < snap.EdgeEnd(x); ++f) {
        if (mine.count(snap.edge_to[f].v)) return snap.edge_to[f];
      }
    }
    return d.representative;
  }

  report::Finding ToFinding(const Detection& d) const {
    const Snapshot& snap = last_.snap;
    report::Finding f;
    f.rule = leaks::RuleId(d.rule);
    f.severity = ToSeverity(d.level);
    f.site = SiteOf(d.site);
    if (d.event != kNone) f.event = table_.Name(d.event);
    if (d.emitter_class != kNone) f.emitter = table_.Name(d.emitter_class);
    f.emitter_id = d.emitter_id;
    f.count = d.counts.empty() ? d.objects.size() : d.counts.back();
    if (d.counts.size() > 1) {
      f.counts = d.counts;
      for (size_t i = 1; i < d.counts.size(); ++i) {
        f.growth.push_back(static_cast<int64_t>(d.counts[i]) -
                           static_cast<int64_t>(d.counts[i - 1]));
      }
    }
    f.retained_size = d.retained_size;
    f.self_size = d.self_size;
    if (d.representative.valid() && snap.Type(d.representative) == NodeType::kClosure) {
      f.captured = leaks::CapturedVariables(snap, d.representative);
    }
    paths::RetainerPath path = PathFor(d);
    f.retainer_path = paths::PathLabels(snap, path);
    const std::string site = SiteText(f.site);
    const std::string fn = f.site.function.empty() ? "anonymous function" : f.site.function + "()";
    const std::string counts = d.counts.size() > 1 ? CountsText(d.counts) : WithCommas(f.count);
    switch (d.rule) {
      case Rule::kListenerGrowth:
      case Rule::kListenerAccumulation:
      case Rule::kListenerDuplicateSite:
      case Rule::kListenerDeadEmitter: {
        f.accumulation_point = f.emitter + "._events." + f.event;
        if (d.emitter.valid() && NamedHolder(d.emitter) == "_callbacks") {
          f.accumulation_point = f.emitter + "._callbacks.$" + f.event;
        } else if (d.emitter.valid() && snap.Type(d.emitter) == NodeType::kNative) {
          f.accumulation_point = f.emitter + " → EventTargetData → " + f.event;
        } else if (d.emitter.valid() && NamedHolder(d.emitter) == "<symbol kEvents>") {
          f.accumulation_point = f.emitter + "[kEvents]." + f.event;
        }
        switch (d.rule) {
          case Rule::kListenerGrowth:
            f.title = "'" + f.event + "' listeners from " + site + " grow on " + f.emitter + ": " +
                      counts;
            break;
          case Rule::kListenerDuplicateSite:
            f.title = "'" + f.event + "' listener from " + site + " registered " +
                      WithCommas(d.max_per_emitter) + " times on one " + f.emitter;
            break;
          case Rule::kListenerDeadEmitter:
            f.title = "'" + f.event + "' listeners from " + site + " on " +
                      std::to_string(d.dead_emitters) + " disconnected " + f.emitter + " objects";
            break;
          default:
            f.title = "'" + f.event + "' listeners from " + site + " accumulate on " + f.emitter +
                      " (" + WithCommas(d.max_per_emitter) + " on one)";
            break;
        }
        f.message = WithCommas(f.count) + " '" + f.event + "' listeners created by " + fn + " at " +
                    site + " are registered on " + std::to_string(d.emitters) + " " + f.emitter +
                    (d.emitters == 1 ? " object" : " objects") + " (at most " +
                    WithCommas(d.max_per_emitter) + " on one, accumulation point " +
                    f.accumulation_point + ").";
        if (d.counts.size() > 1) f.message += " Count per snapshot: " + counts + ".";
        if (d.has_survivors) {
          f.message += " " + WithCommas(d.survivors) +
                       " were allocated after the baseline snapshot and are still alive in the "
                       "target and final snapshots.";
        }
        if (d.duplicate_emitters > 0) {
          f.message += " The same site is registered more than once for this event on " +
                       std::to_string(d.duplicate_emitters) +
                       (d.duplicate_emitters == 1 ? " emitter" : " emitters") +
                       ": every registration adds another closure (stale captured state).";
        }
        if (d.warned) f.message += " Node printed MaxListenersExceededWarning for this event.";
        if (d.dead_emitters > 0) {
          f.message += " " + std::to_string(d.dead_emitters) +
                       " of the emitters are disconnected "
                       "(connected = false) and alive only because something else retains them.";
        }
        if (!f.captured.empty()) {
          std::string vars;
          for (size_t i = 0; i < f.captured.size() && i < 8; ++i)
            vars += (i ? ", " : "") + f.captured[i];
          f.message += " The closures capture: " + vars + ".";
        }
        f.fix =
            "Remove the listener when its owner goes away: keep a reference to the handler "
            "and call " +
            f.emitter + ".off('" + f.event +
            "', handler) (removeListener) on "
            "leave/disconnect, or register it once per owner instead of on every call.";
        if (d.rule == Rule::kListenerDuplicateSite) {
          f.fix =
              "Each registration from this site adds another listener with its own captured "
              "state. Remove the previous handler before registering again (" +
              f.emitter + ".off('" + f.event +
              "', previous)), or register one handler per owner that "
              "reads the current state when it runs.";
        }
        if (d.rule == Rule::kListenerDeadEmitter) {
          f.fix =
              "These emitters are already disconnected; fix the finding that retains them, and "
              "remove listeners on 'disconnect'.";
        }
        break;
      }
      case Rule::kClosureGrowth:
        f.title = "Closures from " + site + " keep growing";
        f.message = "Closures created by " + fn + " at " + site +
                    " (not event listeners) grow in "
                    "every snapshot: " +
                    counts + ".";
        if (d.has_survivors) {
          f.message += " " + WithCommas(d.survivors) +
                       " were allocated after the baseline and are "
                       "still alive at target and final.";
        }
        if (path.steps.size() >= 2) {
          const paths::PathStep& s = path.steps.back();
          const paths::PathStep& p = path.steps[path.steps.size() - 2];
          f.accumulation_point = paths::NodeTitle(snap, p.node) + paths::EdgeAccessor(snap, s.edge);
        }
        f.fix =
            "Find the timer, cache or collection on the retainer path that keeps these closures "
            "and clear it (clearInterval/clearTimeout, delete the cache entry).";
        break;
      case Rule::kCollectionGrowth: {
        f.title = f.emitter + " keeps growing";
        if (path.steps.size() >= 2) {
          const paths::PathStep& s = path.steps.back();
          const paths::PathStep& p = path.steps[path.steps.size() - 2];
          f.accumulation_point = paths::NodeTitle(snap, p.node) + paths::EdgeAccessor(snap, s.edge);
          f.title = f.accumulation_point + " (" + f.emitter + ") keeps growing";
        }
        f.message = "A " + f.emitter + " (@" + std::to_string(d.emitter_id) +
                    ") holds more entries "
                    "in every snapshot: " +
                    counts + " references.";
        f.fix =
            "Delete entries when their owner goes away, bound the collection, or key it weakly "
            "(WeakMap/WeakRef).";
        break;
      }
    }
    return f;
  }

  std::string_view NamedHolder(NodeIndex emitter) const {
    const Snapshot& snap = last_.snap;
    for (uint32_t e = snap.EdgeBegin(emitter); e < snap.EdgeEnd(emitter); ++e) {
      std::string_view n = snap.EdgeName(EdgeIndex(e));
      if (n == "_events" || n == "_callbacks" || n == "<symbol kEvents>") return n;
    }
    return {};
  }

 private:
  const AnalyzeOptions& options_;
  const leaks::SiteTable& table_;
  LastSnapshot& last_;
};

// Ranking: severity, then retained size, then total growth.
bool RankBefore(const report::Finding& a, const report::Finding& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  if (a.retained_size != b.retained_size) return a.retained_size > b.retained_size;
  int64_t ga = 0, gb = 0;
  for (int64_t g : a.growth) ga += g;
  for (int64_t g : b.growth) gb += g;
  if (ga != gb) return ga > gb;
  return a.title < b.title;
}

// A retainer-path step with every digit run replaced by '#': node ids, element indices and
// the numeric internal edges of hash tables ("{9} Object") all vary between objects of one shape
// and between runs.
std::string Shape(std::string_view step) {
  std::string out;
  bool digits = false;
  for (char c : step) {
    bool d = c >= '0' && c <= '9';
    if (d && !digits) out += '#';
    if (!d) out += c;
    digits = d;
  }
  return out;
}

// The finding's fingerprint (report::ComputeFingerprint) over what is the same in every run.
// The path from the GC roots is not: which of several equally short routes reaches an emitter
// differs between runs of one program (seen on two runs of the presence server: process →
// SIGINT handler vs setInterval → timer list). So listener findings use their accumulation
// point (the emitter class, `_events`, the event) and other findings the shape of the last
// four steps of their path (every digit run removed).
std::string StableFingerprint(const report::Finding& f) {
  report::Finding copy;
  copy.rule = f.rule;
  copy.site = f.site;
  copy.event = f.event;
  copy.emitter = f.emitter;
  copy.accumulation_point = f.accumulation_point;
  if (f.event.empty()) {
    size_t from = f.retainer_path.size() > 4 ? f.retainer_path.size() - 4 : 0;
    for (size_t i = from; i < f.retainer_path.size(); ++i) {
      copy.retainer_path.push_back(Shape(f.retainer_path[i]));
    }
  }
  return report::ComputeFingerprint(copy);
}

void SetFingerprints(std::vector<report::Finding>& v) {
  for (report::Finding& f : v) {
    f.fingerprint = StableFingerprint(f);
    SetFingerprints(f.secondary);
  }
}

// Growing collections reached by the same normalized path (e.g. the `cursors` Map of every
// board) are one finding: same fingerprint, counts and sizes summed.
void MergeCollections(std::vector<report::Finding>& v) {
  std::vector<report::Finding> out;
  std::unordered_map<std::string, size_t> seen;
  std::unordered_map<std::string, uint64_t> members;
  for (report::Finding& f : v) {
    MergeCollections(f.secondary);
    if (f.rule != "collection-growth") {
      out.push_back(std::move(f));
      continue;
    }
    std::string key = StableFingerprint(f);
    auto [it, inserted] = seen.try_emplace(key, out.size());
    ++members[key];
    if (inserted) {
      out.push_back(std::move(f));
      continue;
    }
    report::Finding& g = out[it->second];
    for (size_t i = 0; i < g.counts.size() && i < f.counts.size(); ++i) g.counts[i] += f.counts[i];
    for (size_t i = 0; i < g.growth.size() && i < f.growth.size(); ++i) g.growth[i] += f.growth[i];
    g.count += f.count;
    g.retained_size += f.retained_size;
    g.self_size += f.self_size;
    for (report::Finding& s : f.secondary) g.secondary.push_back(std::move(s));
  }
  for (report::Finding& g : out) {
    if (g.rule != "collection-growth") continue;
    uint64_t n = members[StableFingerprint(g)];
    if (n < 2) continue;
    g.title = std::to_string(n) + " " + g.emitter + " objects at " + g.accumulation_point +
              " keep growing";
    g.message = std::to_string(n) + " " + g.emitter + " objects reached by the same path (" +
                g.accumulation_point +
                ") hold more entries in every snapshot: " + CountsText(g.counts) +
                " references in total.";
  }
  v = std::move(out);
}

void SortFindings(std::vector<report::Finding>& v) {
  std::sort(v.begin(), v.end(), RankBefore);
  for (report::Finding& f : v) SortFindings(f.secondary);
}

std::vector<report::Cluster> BuildClusters(const AnalyzeOptions& options,
                                           const leaks::SiteTable& table,
                                           const leaks::SnapshotFacts& last_facts,
                                           const std::vector<leaks::SnapshotFacts>& series,
                                           const LastSnapshot& last, const Builder& builder) {
  const auto& closures = last_facts.closures;  // sorted by (site, id)
  struct Candidate {
    uint32_t site;
    size_t begin, end;
    uint64_t retained;
  };
  std::vector<Candidate> cands;
  std::vector<NodeIndex> members;
  for (size_t i = 0; i < closures.size();) {
    size_t j = i;
    while (j < closures.size() && closures[j].site == closures[i].site) ++j;
    if (j - i >= 2) {
      members.clear();
      for (size_t x = i; x < j; ++x) members.push_back(closures[x].node);
      cands.push_back({closures[i].site.v, i, j, leaks::SetRetainedSize(last.analysis, members)});
    }
    i = j;
  }
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.retained != b.retained) return a.retained > b.retained;
    return a.site < b.site;
  });
  if (cands.size() > options.top_clusters) cands.resize(options.top_clusters);
  std::vector<report::Cluster> out;
  const Snapshot& snap = last.snap;
  for (const Candidate& c : cands) {
    report::Cluster cl;
    cl.site = builder.SiteOf(leaks::SiteId(c.site));
    cl.count = c.end - c.begin;
    cl.retained_size = c.retained;
    for (size_t x = c.begin; x < c.end; ++x) {
      NodeIndex n = closures[x].node;
      cl.self_size +=
          last.analysis.self_size.empty() ? snap.self_size[n.v] : last.analysis.self_size[n.v];
    }
    cl.captured = leaks::CapturedVariables(snap, closures[c.begin].node);
    // Normalized retainer paths of (at most 200, evenly sampled) members.
    std::map<std::string, uint64_t> paths_count;
    size_t total = c.end - c.begin;
    size_t stride = total > 200 ? total / 200 : 1;
    uint64_t sampled = 0;
    for (size_t x = c.begin; x < c.end; x += stride) {
      ++sampled;
      ++paths_count[paths::NormalizePath(snap, paths::PathTo(last.tree, closures[x].node))];
    }
    std::vector<std::pair<std::string, uint64_t>> top(paths_count.begin(), paths_count.end());
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (top.size() > 3) top.resize(3);
    // Scale sampled counts back to the cluster's size.
    if (stride > 1) {
      for (auto& [p, n] : top) n = n * total / sampled;
    }
    cl.top_paths = std::move(top);
    if (series.size() > 1) {
      for (const leaks::SnapshotFacts& f : series) {
        auto lo =
            std::lower_bound(f.closures.begin(), f.closures.end(), c.site,
                             [](const leaks::ClosureFact& a, uint32_t s) { return a.site.v < s; });
        auto hi =
            std::upper_bound(f.closures.begin(), f.closures.end(), c.site,
                             [](uint32_t s, const leaks::ClosureFact& a) { return s < a.site.v; });
        cl.counts.push_back(static_cast<uint64_t>(hi - lo));
      }
    }
    (void)table;
    out.push_back(std::move(cl));
  }
  return out;
}

void AddDiagnostics(const Diagnostics& d, std::vector<std::pair<std::string, uint64_t>>& out) {
  for (auto& [name, v] : d.NonZero()) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
    if (it == out.end())
      out.emplace_back(name, v);
    else
      it->second += v;
  }
}

}  // namespace

Result<report::Report> RunAnalysis(const AnalyzeOptions& given) {
  AnalyzeOptions options = given;
  // Script names in snapshots are absolute; a relative --source-root means "from here".
  if (!options.source_root.empty() && !options.source_root.starts_with("file://")) {
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(options.source_root, ec);
    if (!ec) options.source_root = abs.lexically_normal().string();
    while (options.source_root.size() > 1 && options.source_root.back() == '/')
      options.source_root.pop_back();
  }
  if (options.snapshots.empty()) return Status::Usage("analyze: at least one snapshot is required");
  auto progress = [&](const char* phase, uint64_t done, uint64_t total) {
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
  series.reserve(options.snapshots.size());
  LastSnapshot last;
  for (size_t i = 0; i < options.snapshots.size(); ++i) {
    const std::string& path = options.snapshots[i];
    const bool is_last = i + 1 == options.snapshots.size();
    snapshot::ParseOptions po;
    po.progress = [&](uint64_t done, uint64_t total) { progress("loading", done, total); };
    HS_ASSIGN_OR_RETURN(Snapshot snap, snapshot::ParseSnapshotFile(path, po));
    report::SnapshotInfo info;
    info.path = path;
    info.node_count = snap.node_count();
    info.edge_count = snap.edge_count();
    info.format = snapshot::FormatDescription(snap.meta);
    for (uint64_t s : snap.self_size) info.total_size += s;
    AddDiagnostics(snap.diagnostics, rep.diagnostics);
    progress("scanning", i, options.snapshots.size());
    series.push_back(leaks::ScanSnapshot(snap, table));
    rep.snapshots.push_back(std::move(info));
    if (is_last) last.snap = std::move(snap);
    // Earlier snapshots are freed here: only their facts are kept.
  }

  Snapshot& snap = last.snap;
  progress("dominators", 0, 1);
  last.retainers = graph::BuildRetainers(snap);
  dominators::AnalysisOptions ao;
  ao.reassign_shallow_sizes = options.reassign_shallow_sizes;
  last.analysis = dominators::Analyze(snap, last.retainers, ao);
  if (!options.reassign_shallow_sizes) rep.notes.push_back("shallow-size reassignment off");
  progress("paths", 0, 1);
  last.tree = paths::BuildShortestPathTree(snap);

  leaks::LeakOptions lo;
  lo.min_listeners_per_site = options.min_listeners_per_site;
  std::vector<Detection> detections = leaks::Detect(series, table, lo);
  leaks::AttachRetention(snap, last.analysis, detections);

  Builder builder(options, table, last);
  // Findings, nested under their parents (children before parents are attached: build all,
  // then move each child into its parent, deepest first).
  std::vector<report::Finding> all;
  all.reserve(detections.size());
  for (const Detection& d : detections) all.push_back(builder.ToFinding(d));
  std::vector<uint32_t> depth(detections.size(), 0);
  for (uint32_t i = 0; i < detections.size(); ++i) {
    for (uint32_t p = detections[i].parent; p != kNone && depth[i] <= detections.size();
         p = detections[p].parent) {
      ++depth[i];
    }
  }
  std::vector<uint32_t> order(detections.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return depth[a] > depth[b]; });
  for (uint32_t i : order) {
    uint32_t p = detections[i].parent;
    if (p == kNone) continue;
    all[p].secondary.push_back(std::move(all[i]));
  }
  for (uint32_t i = 0; i < detections.size(); ++i) {
    if (detections[i].parent == kNone) rep.findings.push_back(std::move(all[i]));
  }
  MergeCollections(rep.findings);
  SortFindings(rep.findings);

  rep.clusters = BuildClusters(options, table, series.back(), series, last, builder);

  // Class summary of the last snapshot.
  snapshot::SummaryInputs si;
  si.self_size = &last.analysis.self_size;
  si.retained_size = &last.analysis.retained_size;
  si.dominator = &last.analysis.dominator;
  si.distance = &last.analysis.distance;
  snapshot::ClassSummary summary = snapshot::Summarize(snap, si);
  for (const snapshot::ClassRow& r : summary.rows) {
    if (rep.classes.size() >= options.top_classes) break;
    report::ClassRow row;
    row.name = r.name;
    row.count = r.count;
    row.self_size = r.self_size;
    row.retained_size = r.retained_size;
    row.distance = r.distance;
    rep.classes.push_back(std::move(row));
  }
  rep.snapshots.back().total_size = last.analysis.total_size;

  if (metrics_analysis) metrics::AttachMetricEvidence(*metrics_analysis, rep);
  SetFingerprints(rep.findings);
  progress("done", 1, 1);
  return rep;
}

}  // namespace heapscope
