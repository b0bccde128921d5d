// The listener pass shared by the listener rules: listeners of every snapshot grouped by
// (site, event, emitter class); one candidate Detection per group alive in the last snapshot,
// with its per-emitter statistics, judged by the rules' `claims` and `refines` hooks.
#include <algorithm>
#include <map>

#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {
namespace {

struct ListenerKey {
  uint32_t site, event, cls;
  auto operator<=>(const ListenerKey&) const = default;
};

struct ListenerGroup {
  std::vector<uint64_t> counts;
  std::vector<uint32_t> target_ids, final_ids;
  std::vector<const ListenerFact*> last;  // facts of the last snapshot
};

std::map<ListenerKey, ListenerGroup> GroupListeners(const std::vector<SnapshotFacts>& series) {
  const size_t k = series.size();
  const bool memlab = k >= 3;
  std::map<ListenerKey, ListenerGroup> groups;
  for (size_t s = 0; s < k; ++s) {
    for (const ListenerFact& f : series[s].listeners) {
      if (!f.site.valid()) continue;  // builtins and API functions have no site
      ListenerGroup& g = groups[ListenerKey{f.site.v, f.event, f.emitter_class}];
      if (g.counts.empty()) g.counts.assign(k, 0);
      ++g.counts[s];
      // Survivors are counted per registration: a bound method's function is shared.
      if (memlab && s == k - 2) g.target_ids.push_back(f.registration_id);
      if (s == k - 1) {
        g.final_ids.push_back(f.registration_id);
        g.last.push_back(&f);
      }
    }
  }
  return groups;
}

// Per emitter: listeners from the group's site for its event; the busiest emitter, duplicates,
// dead emitters and Node's warning flag.
void PerEmitterStats(const ListenerGroup& g, Detection& d) {
  std::vector<std::pair<uint32_t, const ListenerFact*>> per;  // (emitter id, fact)
  per.reserve(g.last.size());
  for (const ListenerFact* f : g.last) per.emplace_back(f->emitter_id, f);
  std::sort(per.begin(), per.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < per.size();) {
    size_t j = i;
    while (j < per.size() && per[j].first == per[i].first) ++j;
    uint32_t c = static_cast<uint32_t>(j - i);
    const ListenerFact* f = per[i].second;
    ++d.emitters;
    if (c > d.max_per_emitter) {
      d.max_per_emitter = c;
      d.emitter_id = f->emitter_id;
      d.emitter = f->emitter;
      d.shape = f->shape;
    }
    if (c > 1) ++d.duplicate_emitters;
    if (f->emitter_alive == 0) ++d.dead_emitters;
    for (size_t x = i; x < j; ++x) d.warned = d.warned || (per[x].second->warned && c >= 2);
    i = j;
  }
}

// Holders whose listeners all come from this group (the _events.<event> array).
void Containers(const ListenerGroup& g, Detection& d) {
  std::vector<std::pair<uint32_t, uint32_t>> holders;  // (holder, count)
  for (const ListenerFact* f : g.last) holders.emplace_back(f->holder.v, f->holder_listeners);
  std::sort(holders.begin(), holders.end());
  for (size_t i = 0; i < holders.size();) {
    size_t j = i;
    while (j < holders.size() && holders[j].first == holders[i].first) ++j;
    if (holders[i].second == j - i && j - i > 1) d.containers.push_back(NodeIndex(holders[i].first));
    i = j;
  }
}

// The first rule (registry order) that claims the candidate, then any rule that refines it.
bool Judge(const DetectInput& in, Detection& d) {
  const RuleDef* claimed = nullptr;
  for (const RuleDef& r : Rules()) {
    if (r.claims && r.claims(d, in)) {
      claimed = &r;
      break;
    }
  }
  if (!claimed) return false;
  d.rule = claimed->rule;
  d.level = claimed->default_level;
  for (const RuleDef& r : Rules()) {
    if (r.refines && r.refines(d, in)) {
      d.rule = r.rule;
      if (!r.level_from_group) d.level = r.default_level;
      break;
    }
  }
  return true;
}

}  // namespace

void DetectListenerGroups(const DetectInput& in, std::vector<Detection>& out) {
  const bool memlab = in.series.size() >= 3;
  const uint32_t baseline_max = in.series.front().max_node_id;
  std::map<ListenerKey, ListenerGroup> groups = GroupListeners(in.series);
  for (auto& [key, g] : groups) {
    if (g.last.empty()) continue;  // gone by the last snapshot
    std::sort(g.target_ids.begin(), g.target_ids.end());
    Detection d;
    d.site = SiteId(key.site);
    d.event = key.event;
    d.emitter_class = key.cls;
    d.counts = g.counts;
    PerEmitterStats(g, d);
    // A bound listener's own object is its native_bind (its target is shared); a helper's
    // registration's is the user frame it keeps waiting.
    for (const ListenerFact* f : g.last) {
      d.objects.push_back(f->frame.valid()   ? f->frame
                          : f->bound.valid() ? f->bound
                                             : f->closure);
      d.holders.push_back(f->holder);
      d.emitter_dead.push_back(f->emitter_alive == 0);
      d.emitter_of.push_back(f->emitter);
      d.closure_of.push_back(f->closure);
      d.registration_of.push_back(f->registration);
    }
    d.representative = d.objects.front();
    Containers(g, d);
    if (memlab) {
      d.has_survivors = true;
      d.survivors = Survivors(g.final_ids, g.target_ids, baseline_max);
    }
    if (Judge(in, d)) out.push_back(std::move(d));
  }
}

}  // namespace heapscope::leaks::internal
