#include "heapscope/leaks/detect.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "heapscope/snapshot/summary.h"

namespace heapscope::leaks {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

const char* RuleId(Rule r) {
  switch (r) {
    case Rule::kListenerGrowth:
      return "listener-growth";
    case Rule::kListenerAccumulation:
      return "listener-accumulation";
    case Rule::kListenerDuplicateSite:
      return "listener-duplicate-site";
    case Rule::kListenerDeadEmitter:
      return "listener-dead-emitter";
    case Rule::kClosureGrowth:
      return "closure-growth";
    case Rule::kCollectionGrowth:
      return "collection-growth";
  }
  return "?";
}

bool IsUserScript(std::string_view script) {
  if (script.empty()) return false;
  if (script.starts_with("node:") || script.starts_with("internal/")) return false;
  if (script.starts_with("chrome-extension://") || script.starts_with("devtools://")) return false;
  return true;
}

SnapshotFacts ScanSnapshot(const Snapshot& snap, SiteTable& table) {
  SnapshotFacts facts;
  LocationIndex loc(snap);
  const uint32_t n = snap.node_count();
  // Odd ids are V8 heap objects, handed out in increasing order; even ids are embedder nodes
  // derived from addresses, which say nothing about allocation order (HEAP-FORMAT.md §6.5).
  for (uint32_t i = 0; i < n; ++i) {
    if (snap.node_id[i] % 2 == 1) facts.max_node_id = std::max(facts.max_node_id, snap.node_id[i]);
  }

  // Listeners.
  std::vector<Listener> listeners = FindListeners(snap);
  facts.listeners.reserve(listeners.size());
  // Emitter class and event names repeat: cache their name ids by string id / text.
  std::unordered_map<std::string_view, uint32_t> name_cache;
  auto name_id = [&](std::string_view s) {
    auto it = name_cache.find(s);
    if (it != name_cache.end()) return it->second;
    uint32_t id = table.InternName(s);
    name_cache.emplace(s, id);
    return id;
  };
  for (const Listener& l : listeners) {
    ListenerFact f;
    f.emitter_id = snap.node_id[l.emitter.v];
    f.closure_id = snap.node_id[l.closure.v];
    f.emitter = l.emitter;
    f.closure = l.closure;
    f.holder = l.holder;
    // DOM emitters are named like "<div id=a>": DevTools' class name drops the attributes.
    f.emitter_class = l.shape == ListenerShape::kDomListener
                          ? table.InternName(snapshot::ClassName(snap, l.emitter))
                          : name_id(snap.NodeName(l.emitter));
    f.site = loc.Resolve(l.closure, table);
    std::string_view event = l.event;
    if (l.shape == ListenerShape::kDomListener && loc.Row(l.closure) != kNone) {
      uint32_t row = loc.Row(l.closure);
      event = EventFromSource(snap, l.closure, snap.loc_line[row], snap.loc_column[row]);
    }
    f.event = name_id(event);
    f.shape = l.shape;
    f.warned = l.warned;
    f.emitter_connected = static_cast<int8_t>(BooleanProperty(snap, l.emitter, "connected"));
    f.holder_listeners = l.holder_listeners;
    facts.listeners.push_back(f);
  }

  // Closures of user scripts, and collections.
  uint32_t map_id = table.InternName("Map"), set_id = table.InternName("Set"),
           array_id = table.InternName("Array");
  for (uint32_t i = 0; i < n; ++i) {
    NodeIndex node(i);
    NodeType type = snap.Type(node);
    if (type == NodeType::kClosure) {
      if (loc.Row(node) == kNone) continue;
      SiteId site = loc.Resolve(node, table);
      if (!site.valid() || !IsUserScript(table.Get(site).file)) continue;
      facts.closures.push_back(ClosureFact{site, snap.node_id[i], node});
    } else if (type == NodeType::kObject) {
      std::string_view name = snap.NodeName(node);
      uint32_t kind = kNone, size = 0;
      if (name == "Array") {
        kind = array_id;
        for (uint32_t e = snap.EdgeBegin(node); e < snap.EdgeEnd(node); ++e) {
          if (snap.edge_type[e] == EdgeType::kElement) ++size;
        }
      } else if (name == "Map" || name == "Set") {
        kind = name == "Map" ? map_id : set_id;
        NodeIndex t = NamedEdge(snap, node, EdgeType::kInternal, "table");
        if (t.valid()) size = snap.EdgeEnd(t) - snap.EdgeBegin(t);
      }
      if (kind != kNone && size > 0)
        facts.collections.push_back({snap.node_id[i], node, kind, size});
    }
  }
  std::sort(facts.closures.begin(), facts.closures.end(),
            [](const ClosureFact& a, const ClosureFact& b) {
              return std::tie(a.site.v, a.id) < std::tie(b.site.v, b.id);
            });
  std::sort(facts.collections.begin(), facts.collections.end(),
            [](const CollectionFact& a, const CollectionFact& b) { return a.id < b.id; });
  return facts;
}

namespace {

// Counts rise in every interval and by at least `min_growth` overall.
bool GrowsEveryInterval(const std::vector<uint64_t>& counts, uint32_t min_growth) {
  if (counts.size() < 2) return false;
  for (size_t i = 1; i < counts.size(); ++i) {
    if (counts[i] <= counts[i - 1]) return false;
  }
  return counts.back() - counts.front() >= min_growth;
}

// memlab's baseline/target/final rule over ids: allocated after the baseline (id above the
// baseline's largest id), alive at target (in `target_ids`, sorted), alive at final.
uint64_t Survivors(const std::vector<uint32_t>& final_ids, const std::vector<uint32_t>& target_ids,
                   uint32_t baseline_max_id) {
  uint64_t n = 0;
  for (uint32_t id : final_ids) {
    if (id > baseline_max_id && std::binary_search(target_ids.begin(), target_ids.end(), id)) ++n;
  }
  return n;
}

struct ListenerKey {
  uint32_t site, event, cls;
  auto operator<=>(const ListenerKey&) const = default;
};

struct ListenerGroup {
  std::vector<uint64_t> counts;
  std::vector<uint32_t> target_ids, final_ids;
  std::vector<const ListenerFact*> last;  // facts of the last snapshot
};

}  // namespace

std::vector<Detection> Detect(const std::vector<SnapshotFacts>& series, const SiteTable& table,
                              const LeakOptions& options) {
  std::vector<Detection> out;
  if (series.empty()) return out;
  const size_t k = series.size();
  const SnapshotFacts& last = series.back();
  const bool memlab = k >= 3;
  const uint32_t baseline_max = series.front().max_node_id;

  // ---- Listener groups: (site, event, emitter class) ------------------------------------
  std::map<ListenerKey, ListenerGroup> groups;
  for (size_t s = 0; s < k; ++s) {
    for (const ListenerFact& f : series[s].listeners) {
      if (!f.site.valid()) continue;  // builtins and API functions have no site
      ListenerGroup& g = groups[ListenerKey{f.site.v, f.event, f.emitter_class}];
      if (g.counts.empty()) g.counts.assign(k, 0);
      ++g.counts[s];
      if (memlab && s == k - 2) g.target_ids.push_back(f.closure_id);
      if (s == k - 1) {
        g.final_ids.push_back(f.closure_id);
        g.last.push_back(&f);
      }
    }
  }
  for (auto& [key, g] : groups) {
    if (g.last.empty()) continue;  // gone by the last snapshot
    std::sort(g.target_ids.begin(), g.target_ids.end());
    Detection d;
    d.site = SiteId(key.site);
    d.event = key.event;
    d.emitter_class = key.cls;
    d.counts = g.counts;
    // Per emitter: listeners from this site for this event.
    std::vector<std::pair<uint32_t, const ListenerFact*>> per;  // (emitter id, fact)
    per.reserve(g.last.size());
    for (const ListenerFact* f : g.last) per.emplace_back(f->emitter_id, f);
    std::sort(per.begin(), per.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
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
      }
      if (c > 1) ++d.duplicate_emitters;
      if (f->emitter_connected == 0) ++d.dead_emitters;
      for (size_t x = i; x < j; ++x) d.warned = d.warned || (per[x].second->warned && c >= 2);
      i = j;
    }
    for (const ListenerFact* f : g.last) d.objects.push_back(f->closure);
    d.representative = g.last.front()->closure;
    // Containers: holders whose listeners all come from this group (the _events.<event> array).
    {
      std::vector<std::pair<uint32_t, uint32_t>> holders;  // (holder, count)
      for (const ListenerFact* f : g.last) holders.emplace_back(f->holder.v, f->holder_listeners);
      std::sort(holders.begin(), holders.end());
      for (size_t i = 0; i < holders.size();) {
        size_t j = i;
        while (j < holders.size() && holders[j].first == holders[i].first) ++j;
        if (holders[i].second == j - i && j - i > 1)
          d.containers.push_back(NodeIndex(holders[i].first));
        i = j;
      }
    }
    if (memlab) {
      d.has_survivors = true;
      d.survivors = Survivors(g.final_ids, g.target_ids, baseline_max);
    }
    const bool user_site = IsUserScript(table.Get(d.site).file);
    const bool growing =
        GrowsEveryInterval(d.counts, options.min_growth) && (!memlab || d.survivors > 0);
    const bool accumulating =
        d.max_per_emitter >= options.min_listeners_per_site || (d.warned && d.max_per_emitter >= 2);
    const bool duplicated =
        user_site && d.duplicate_emitters > 0 && (k == 1 || d.counts.back() > d.counts.front());
    if (growing) {
      d.rule = Rule::kListenerGrowth;
      d.level = Level::kError;
    } else if (accumulating) {
      d.rule = Rule::kListenerAccumulation;
      d.level = Level::kWarning;
    } else if (duplicated) {
      d.rule = Rule::kListenerDuplicateSite;
      d.level = Level::kWarning;
    } else {
      continue;
    }
    // Most emitters disconnected: the listeners are a symptom of whatever keeps them alive.
    if (d.dead_emitters > 0 && 2 * d.dead_emitters > d.emitters)
      d.rule = Rule::kListenerDeadEmitter;
    out.push_back(std::move(d));
  }

  // ---- Closures outside emitters, by site ------------------------------------------------
  {
    // Listener closures of each snapshot, to leave them out (the listener rules cover them).
    std::vector<std::vector<uint32_t>> listener_ids(k);
    for (size_t s = 0; s < k; ++s) {
      for (const ListenerFact& f : series[s].listeners) listener_ids[s].push_back(f.closure_id);
      std::sort(listener_ids[s].begin(), listener_ids[s].end());
    }
    struct SiteGroup {
      std::vector<uint64_t> counts;
      std::vector<uint32_t> target_ids, final_ids;
      std::vector<NodeIndex> nodes;
    };
    std::unordered_map<uint32_t, SiteGroup> sites;
    for (size_t s = 0; s < k; ++s) {
      for (const ClosureFact& c : series[s].closures) {
        if (std::binary_search(listener_ids[s].begin(), listener_ids[s].end(), c.id)) continue;
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
    for (auto& [site, g] : sites) {
      if (k < 2 || g.nodes.empty() || g.counts.back() < options.min_closures_per_site) continue;
      if (!GrowsEveryInterval(g.counts, options.min_growth)) continue;
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

  // ---- Collections (Map/Set/Array) growing in every interval ----------------------------
  if (k >= 2) {
    // Listener arrays are covered by the listener rules.
    std::vector<uint32_t> holders;
    for (const ListenerFact& f : last.listeners) holders.push_back(f.holder.v);
    std::sort(holders.begin(), holders.end());
    for (const CollectionFact& c : last.collections) {
      if (c.size < options.min_collection_size) continue;
      if (std::binary_search(holders.begin(), holders.end(), c.node.v)) continue;
      // Absent from a snapshot = 0 entries (allocated later: V8 ids are never reused).
      std::vector<uint64_t> counts(k, 0);
      for (size_t s = 0; s < k; ++s) {
        const auto& v = series[s].collections;
        auto it = std::lower_bound(v.begin(), v.end(), c.id,
                                   [](const CollectionFact& a, uint32_t id) { return a.id < id; });
        if (it != v.end() && it->id == c.id) counts[s] = it->size;
      }
      if (!GrowsEveryInterval(counts, options.min_growth)) continue;
      Detection d;
      d.rule = Rule::kCollectionGrowth;
      d.level = Level::kWarning;
      d.emitter_class = c.kind;
      d.emitter_id = c.id;
      d.emitter = c.node;
      d.counts = std::move(counts);
      d.objects = {c.node};
      d.representative = c.node;
      out.push_back(std::move(d));
    }
  }
  return out;
}

namespace {

// The nearest strict dominator satisfying a predicate, memoised with path compression: every
// node visited on the way up learns the answer, so a series of lookups under one predicate costs
// O(nodes) in total even on a 1,000,000-deep dominator chain. Generations make Reset() O(1).
class NearestDominator {
 public:
  explicit NearestDominator(const std::vector<NodeIndex>& dominator)
      : dom_(dominator), gen_(dominator.size(), 0), val_(dominator.size()) {}

  void Reset() { ++generation_; }

  template <typename Pred>
  NodeIndex Find(NodeIndex x, Pred marked) {
    path_.clear();
    NodeIndex cur = x, answer = kNoNode;
    for (;;) {
      NodeIndex p = dom_[cur.v];
      if (!p.valid() || p == cur) break;  // the root dominates itself
      if (marked(p)) {
        answer = p;
        break;
      }
      if (gen_[p.v] == generation_) {
        answer = val_[p.v];
        break;
      }
      path_.push_back(p);
      cur = p;
    }
    // Nodes passed on the way are unmarked, so they share the answer.
    for (NodeIndex q : path_) {
      gen_[q.v] = generation_;
      val_[q.v] = answer;
    }
    return answer;
  }

 private:
  const std::vector<NodeIndex>& dom_;
  std::vector<uint32_t> gen_;
  std::vector<NodeIndex> val_;
  std::vector<NodeIndex> path_;
  uint32_t generation_ = 1;
};

// Sum of retained sizes of the members (mark == self, each once) no other member dominates.
uint64_t RetainedWithMarks(const dominators::HeapAnalysis& a, std::span<const NodeIndex> members,
                           const std::vector<uint32_t>& mark, uint32_t self,
                           NearestDominator& nearest) {
  nearest.Reset();
  uint64_t total = 0;
  auto is_member = [&](NodeIndex p) { return mark[p.v] == self; };
  for (NodeIndex m : members) {
    if (!nearest.Find(m, is_member).valid()) total += a.retained_size[m.v];
  }
  return total;
}

}  // namespace

uint64_t SetRetainedSize(const dominators::HeapAnalysis& analysis,
                         std::span<const NodeIndex> members) {
  std::vector<uint32_t> mark(analysis.dominator.size(), kNone);
  std::vector<NodeIndex> unique;
  for (NodeIndex m : members) {
    if (mark[m.v] == 0) continue;
    mark[m.v] = 0;
    unique.push_back(m);
  }
  NearestDominator nearest(analysis.dominator);
  return RetainedWithMarks(analysis, unique, mark, 0, nearest);
}

void AttachRetention(const Snapshot& last, const dominators::HeapAnalysis& analysis,
                     std::vector<Detection>& detections) {
  const uint32_t n = last.node_count();
  std::vector<uint32_t> mark(n, kNone);
  NearestDominator nearest(analysis.dominator);
  // Retained and self sizes, one detection at a time (the mark array is reset after each).
  for (uint32_t i = 0; i < detections.size(); ++i) {
    Detection& d = detections[i];
    std::vector<NodeIndex> members;
    members.reserve(d.objects.size() + d.containers.size());
    for (NodeIndex m : d.objects) {
      if (mark[m.v] == i) continue;
      mark[m.v] = i;
      members.push_back(m);
      d.self_size += analysis.self_size.empty() ? last.self_size[m.v] : analysis.self_size[m.v];
    }
    for (NodeIndex m : d.containers) {
      if (mark[m.v] == i) continue;
      mark[m.v] = i;
      members.push_back(m);
    }
    d.retained_size = RetainedWithMarks(analysis, members, mark, i, nearest);
    for (NodeIndex m : members) mark[m.v] = kNone;
  }

  // Ownership marks for nesting: stronger detections first, so that a node shared by two
  // detections belongs to the one more likely to be the cause.
  std::vector<uint32_t> order(detections.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto stronger = [&](uint32_t a, uint32_t b) {
    const Detection& x = detections[a];
    const Detection& y = detections[b];
    if (x.level != y.level) return x.level > y.level;
    if (x.retained_size != y.retained_size) return x.retained_size > y.retained_size;
    return a < b;
  };
  std::sort(order.begin(), order.end(), stronger);
  for (uint32_t i : order) {
    for (NodeIndex m : detections[i].objects)
      if (mark[m.v] == kNone) mark[m.v] = i;
    for (NodeIndex m : detections[i].containers)
      if (mark[m.v] == kNone) mark[m.v] = i;
  }
  // B nests under A when more than half of B's anchors (sampled, at most 2000) are dominated
  // by A's objects or containers. Anchors are B's objects, except for collections: their
  // entries, seen through WeakRefs (a Set of WeakRefs grows only while the targets live, so it
  // belongs to whatever keeps the targets alive).
  std::vector<uint32_t> votes(detections.size(), 0);
  std::vector<NodeIndex> anchors;
  for (uint32_t b = 0; b < detections.size(); ++b) {
    const Detection& d = detections[b];
    std::fill(votes.begin(), votes.end(), 0);
    anchors.clear();
    nearest.Reset();
    auto owned_by_other = [&](NodeIndex p) { return mark[p.v] != kNone && mark[p.v] != b; };
    if (d.rule == Rule::kCollectionGrowth && !d.objects.empty()) {
      NodeIndex c = d.objects.front();
      NodeIndex table = NamedEdge(last, c, EdgeType::kInternal, "table");
      NodeIndex from = table.valid() ? table : c;
      for (uint32_t e = last.EdgeBegin(from); e < last.EdgeEnd(from); ++e) {
        if (last.edge_type[e] == EdgeType::kWeak) continue;
        if (!table.valid() && last.edge_type[e] != EdgeType::kElement) continue;
        NodeIndex x = last.edge_to[e];
        NodeType t = last.Type(x);
        if (t != NodeType::kObject && t != NodeType::kClosure) continue;
        if (last.NodeName(x) == "WeakRef") {
          for (uint32_t w = last.EdgeBegin(x); w < last.EdgeEnd(x); ++w) {
            if (last.EdgeName(EdgeIndex(w)) == "target") x = last.edge_to[w];
          }
        }
        anchors.push_back(x);
      }
    } else {
      anchors = d.objects;
    }
    size_t total = anchors.size();
    size_t stride = total > 2000 ? total / 2000 : 1;
    size_t sampled = 0;
    for (size_t i = 0; i < total; i += stride) {
      ++sampled;
      NodeIndex up = anchors[i];
      if (mark[up.v] != kNone && mark[up.v] != b) {
        ++votes[mark[up.v]];
        continue;
      }
      // The nearest dominator owned by another detection.
      NodeIndex p = nearest.Find(up, owned_by_other);
      if (p.valid()) ++votes[mark[p.v]];
    }
    // Only a stronger detection can be a parent: the order is total, so no cycles arise.
    uint32_t best = kNone;
    for (uint32_t a = 0; a < votes.size(); ++a) {
      if (a == b || !stronger(a, b)) continue;
      if (votes[a] * 2 > sampled && (best == kNone || votes[a] > votes[best])) best = a;
    }
    detections[b].parent = best;
  }
}

}  // namespace heapscope::leaks
