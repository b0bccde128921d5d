#include "heapscope/leaks/detect.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "heapscope/leaks/rules.h"
#include "heapscope/leaks/shapes.h"
#include "leaks/rules/rule_util.h"

namespace heapscope::leaks {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

bool IsUserScript(std::string_view script) {
  if (script.empty()) return false;
  if (script.starts_with("node:") || script.starts_with("internal/")) return false;
  if (script.starts_with("chrome-extension://") || script.starts_with("devtools://")) return false;
  return true;
}

bool DeadWeakRef(const Snapshot& snap, NodeIndex x) {
  if (snap.Type(x) != NodeType::kObject || snap.NodeName(x) != "WeakRef") return false;
  NodeIndex target = NamedEdge(snap, x, EdgeType::kWeak, "target");
  if (!target.valid()) target = NamedEdge(snap, x, EdgeType::kInternal, "target");
  if (!target.valid()) target = NamedEdge(snap, x, EdgeType::kProperty, "target");
  if (!target.valid()) return true;
  NodeType t = snap.Type(target);
  return t == NodeType::kHidden || snap.NodeName(target) == "system / Oddball";
}

namespace {

// References a Map/Set hash table holds, WeakRefs whose target is gone left out: they are
// dropped by the registry's cleanup, which may lag the GC (memlab's fanout otherwise).
uint32_t LiveEntries(const Snapshot& snap, NodeIndex table) {
  uint32_t n = 0;
  for (uint32_t e = snap.EdgeBegin(table); e < snap.EdgeEnd(table); ++e) {
    if (!DeadWeakRef(snap, snap.edge_to[e])) ++n;
  }
  return n;
}

}  // namespace

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
    f.function_id = f.closure_id;
    f.emitter = l.emitter;
    f.closure = l.closure;
    f.holder = l.holder;
    const ListenerShapeDef& shape = GetShape(l.shape);
    // e.g. DOM emitters are named like "<div id=a>": DevTools' class name drops the attributes.
    f.emitter_class = shape.emitter_class
                          ? table.InternName(shape.emitter_class(snap, l.emitter))
                          : name_id(snap.NodeName(l.emitter));
    // A helper's registration (events.on(), events.once()) is reported at the user code it
    // keeps waiting: the suspended async function's (or the callback's) definition.
    f.frame = l.frame;
    NodeIndex sited = l.closure;
    if (l.frame.valid()) {
      NodeIndex fn = snap.Type(l.frame) == NodeType::kClosure
                         ? l.frame
                         : NamedEdge(snap, l.frame, EdgeType::kInternal, "function");
      if (fn.valid() && loc.Row(fn) != kNone) sited = fn;
    }
    f.site = loc.Resolve(sited, table);
    std::string_view event = l.event_text.empty() ? l.event : std::string_view(l.event_text);
    if (shape.event_name && loc.Row(l.closure) != kNone) {
      uint32_t row = loc.Row(l.closure);
      event = shape.event_name(snap, l, snap.loc_line[row], snap.loc_column[row]);
    }
    f.event = name_id(event);
    f.shape = l.shape;
    f.warned = l.warned;
    f.emitter_alive = static_cast<int8_t>(shape.alive ? shape.alive(snap, l.emitter)
                                                      : OwnerAlive(snap, l.emitter, nullptr));
    f.holder_listeners = l.holder_listeners;
    AddOwnerFacts(snap, l, table, facts, f);
    facts.listeners.push_back(f);
  }
  CountOwnerSharing(facts);

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
        if (t.valid()) size = LiveEntries(snap, t);
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

std::vector<Detection> Detect(const std::vector<SnapshotFacts>& series, const SiteTable& table,
                              const LeakOptions& options,
                              std::span<const ProfileFunctionFact> profile_functions) {
  std::vector<Detection> out;
  const DetectInput in{series, table, options, profile_functions};
  if (series.empty()) {  // profiles only
    GetRule(Rule::kAllocationGrowth).detect(in, out);
    return out;
  }
  internal::DetectListenerGroups(in, out);
  for (const RuleDef& r : Rules()) {
    if (r.detect) r.detect(in, out);
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

struct SetSizer::Scratch {
  explicit Scratch(const std::vector<NodeIndex>& dominator)
      : mark(dominator.size(), 0), nearest(dominator) {}
  std::vector<uint32_t> mark;  // == stamp: a member of the current set
  uint32_t stamp = 0;
  std::vector<NodeIndex> unique;
  NearestDominator nearest;
};

SetSizer::SetSizer(const dominators::HeapAnalysis& analysis)
    : analysis_(analysis), scratch_(std::make_unique<Scratch>(analysis.dominator)) {}

SetSizer::~SetSizer() = default;

uint64_t SetSizer::RetainedSize(std::span<const NodeIndex> members) {
  Scratch& s = *scratch_;
  if (++s.stamp == 0) {  // wrapped: clear once every 2^32 sets
    std::fill(s.mark.begin(), s.mark.end(), 0);
    s.stamp = 1;
  }
  s.unique.clear();
  for (NodeIndex m : members) {
    if (s.mark[m.v] == s.stamp) continue;
    s.mark[m.v] = s.stamp;
    s.unique.push_back(m);
  }
  return RetainedWithMarks(analysis_, s.unique, s.mark, s.stamp, s.nearest);
}

uint64_t SetRetainedSize(const dominators::HeapAnalysis& analysis,
                         std::span<const NodeIndex> members) {
  return SetSizer(analysis).RetainedSize(members);
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
  // Dominance decides, whatever the severities: a cause retains at least what its symptoms do,
  // so the order is by retained size first (severity, then input order break ties).
  auto stronger = [&](uint32_t a, uint32_t b) {
    const Detection& x = detections[a];
    const Detection& y = detections[b];
    if (x.retained_size != y.retained_size) return x.retained_size > y.retained_size;
    if (x.level != y.level) return x.level > y.level;
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
    // Only a stronger detection can be a parent: the order is total, so no cycles arise. A
    // note (growth with live owners) is no cause of anything.
    uint32_t best = kNone;
    for (uint32_t a = 0; a < votes.size(); ++a) {
      if (a == b || !stronger(a, b) || detections[a].level == Level::kNote) continue;
      if (votes[a] * 2 > sampled && (best == kNone || votes[a] > votes[best])) best = a;
    }
    detections[b].parent = best;
  }
}

}  // namespace heapscope::leaks
