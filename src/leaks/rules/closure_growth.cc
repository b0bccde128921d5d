// closure-growth: closures from one user-script site that are not listeners grow in every
// interval and number at least --min-closures at the end.
#include <algorithm>
#include <unordered_map>

#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {
namespace {

struct SiteGroup {
  std::vector<uint64_t> counts;
  std::vector<uint32_t> target_ids, final_ids;
  std::vector<NodeIndex> nodes;
};

// Closures by site, listener closures left out (the listener rules cover them).
std::unordered_map<uint32_t, SiteGroup> GroupBySite(const std::vector<SnapshotFacts>& series) {
  const size_t k = series.size();
  const bool memlab = k >= 3;
  std::unordered_map<uint32_t, SiteGroup> sites;
  std::vector<uint32_t> listener_ids;
  for (size_t s = 0; s < k; ++s) {
    listener_ids.clear();
    for (const ListenerFact& f : series[s].listeners) {
      listener_ids.push_back(f.closure_id);
      listener_ids.push_back(f.function_id);  // the user's function behind a wrapper
    }
    std::sort(listener_ids.begin(), listener_ids.end());
    for (const ClosureFact& c : series[s].closures) {
      if (std::binary_search(listener_ids.begin(), listener_ids.end(), c.id)) continue;
      SiteGroup& g = sites[c.site.v];
      if (g.counts.empty()) g.counts.assign(k, 0);
      ++g.counts[s];
      if (memlab && s == k - 2) g.target_ids.push_back(c.id);
      if (s == k - 1) {
        g.final_ids.push_back(c.id);
        g.nodes.push_back(c.node);
      }
    }
  }
  return sites;
}

}  // namespace

void DetectClosureGrowth(const DetectInput& in, std::vector<Detection>& out) {
  const size_t k = in.series.size();
  if (k < 2) return;
  const bool memlab = k >= 3;
  const uint32_t baseline_max = in.series.front().max_node_id;
  std::unordered_map<uint32_t, SiteGroup> sites = GroupBySite(in.series);
  for (auto& [site, g] : sites) {
    if (g.nodes.empty() || g.counts.back() < in.options.min_closures_per_site) continue;
    if (!GrowsEveryInterval(g.counts, in.options.min_growth)) continue;
    Detection d;
    d.rule = Rule::kClosureGrowth;
    d.level = Level::kWarning;
    d.site = SiteId(site);
    d.counts = g.counts;
    if (memlab) {
      std::sort(g.target_ids.begin(), g.target_ids.end());
      d.has_survivors = true;
      d.survivors = Survivors(g.final_ids, g.target_ids, baseline_max);
      if (d.survivors == 0) continue;
    }
    d.objects = g.nodes;
    d.representative = g.nodes.front();
    out.push_back(std::move(d));
  }
}

std::string ClosureGrowthTitle(const Detection&, const FindingWords& w) {
  return "Closures from " + w.site + " keep growing";
}

extern const RuleDef kClosureGrowth = {
    Rule::kClosureGrowth, "closure-growth", "ClosureGrowth", Level::kWarning, false,
    "Closures created at one site keep growing across snapshots.",
    "Closures allocated at one source site are still alive in later snapshots and their count "
    "grows between snapshots. What retains them is shown by the retainer path.",
    "Find the collection or emitter on the retainer path that keeps the closures and remove "
    "them from it when they are no longer needed.",
    "Find the timer, cache or collection on the retainer path that keeps these closures and "
    "clear it (clearInterval/clearTimeout, delete the cache entry).",
    ClosureGrowthTitle, DetectClosureGrowth, nullptr, nullptr};

}  // namespace heapscope::leaks::internal
