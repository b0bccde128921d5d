// Closure clusters: the closures of the last snapshot grouped by source site, sized over the
// dominator tree with one SetSizer (scratch arrays shared by every site: linear in nodes +
// members, whatever the number of sites), the top ones described.
#include <algorithm>
#include <map>

#include "run/run_internal.h"

namespace heapscope::run_internal {
namespace {

struct Candidate {
  uint32_t site;
  size_t begin, end;  // range in the last snapshot's closures (sorted by site, id)
  uint64_t retained;
};

// Every site with two or more closures, sized; biggest first.
std::vector<Candidate> SizedSites(const std::vector<leaks::ClosureFact>& closures,
                                  const dominators::HeapAnalysis& analysis) {
  std::vector<Candidate> cands;
  std::vector<NodeIndex> members;
  leaks::SetSizer sizer(analysis);
  for (size_t i = 0; i < closures.size();) {
    size_t j = i;
    while (j < closures.size() && closures[j].site == closures[i].site) ++j;
    if (j - i >= 2) {
      members.clear();
      for (size_t x = i; x < j; ++x) members.push_back(closures[x].node);
      cands.push_back({closures[i].site.v, i, j, sizer.RetainedSize(members)});
    }
    i = j;
  }
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.retained != b.retained) return a.retained > b.retained;
    return a.site < b.site;
  });
  return cands;
}

// Normalized retainer paths of (at most 200, evenly sampled) members: the three most common,
// counts scaled back to the cluster's size.
std::vector<std::pair<std::string, uint64_t>> TopPaths(const LastSnapshot& last,
                                                       const std::vector<leaks::ClosureFact>& cl,
                                                       const Candidate& c) {
  std::map<std::string, uint64_t> paths_count;
  size_t total = c.end - c.begin;
  size_t stride = total > 200 ? total / 200 : 1;
  uint64_t sampled = 0;
  for (size_t x = c.begin; x < c.end; x += stride) {
    ++sampled;
    ++paths_count[paths::NormalizePath(last.snap, paths::PathTo(last.tree, cl[x].node))];
  }
  std::vector<std::pair<std::string, uint64_t>> top(paths_count.begin(), paths_count.end());
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (top.size() > 3) top.resize(3);
  if (stride > 1) {
    for (auto& [p, n] : top) n = n * total / sampled;
  }
  return top;
}

// The site's closure count in every snapshot of the series.
std::vector<uint64_t> SeriesCounts(const std::vector<leaks::SnapshotFacts>& series, uint32_t site) {
  std::vector<uint64_t> counts;
  for (const leaks::SnapshotFacts& f : series) {
    auto lo = std::lower_bound(f.closures.begin(), f.closures.end(), site,
                               [](const leaks::ClosureFact& a, uint32_t s) { return a.site.v < s; });
    auto hi = std::upper_bound(f.closures.begin(), f.closures.end(), site,
                               [](uint32_t s, const leaks::ClosureFact& a) { return s < a.site.v; });
    counts.push_back(static_cast<uint64_t>(hi - lo));
  }
  return counts;
}

}  // namespace

std::vector<report::Cluster> BuildClusters(const Context& c,
                                           const std::vector<leaks::SnapshotFacts>& series) {
  const auto& closures = series.back().closures;  // sorted by (site, id)
  const LastSnapshot& last = c.last;
  std::vector<Candidate> cands = SizedSites(closures, last.analysis);
  if (cands.size() > c.options.top_clusters) cands.resize(c.options.top_clusters);
  std::vector<report::Cluster> out;
  for (const Candidate& cand : cands) {
    report::Cluster cl;
    cl.site = SiteOf(c, leaks::SiteId(cand.site));
    cl.count = cand.end - cand.begin;
    cl.retained_size = cand.retained;
    for (size_t x = cand.begin; x < cand.end; ++x) {
      NodeIndex n = closures[x].node;
      cl.self_size += last.analysis.self_size.empty() ? last.snap.self_size[n.v]
                                                      : last.analysis.self_size[n.v];
    }
    cl.captured = leaks::CapturedVariables(last.snap, closures[cand.begin].node);
    cl.top_paths = TopPaths(last, closures, cand);
    if (series.size() > 1) cl.counts = SeriesCounts(series, cand.site);
    out.push_back(std::move(cl));
  }
  return out;
}

}  // namespace heapscope::run_internal
