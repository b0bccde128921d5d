// The retainer path shown for a detection: for listeners, through the emitter's listener table
// (its shape's table edge) to one of the detection's closures, so the path shows the
// accumulation point.
#include <unordered_map>
#include <unordered_set>

#include "heapscope/leaks/sites.h"

#include "heapscope/leaks/shapes.h"
#include "run/run_internal.h"

namespace heapscope::run_internal {
namespace {

using snapshot::EdgeType;
using snapshot::Snapshot;

// The first non-weak edge from `from` to `to`, or an invalid index.
EdgeIndex EdgeBetween(const Snapshot& snap, NodeIndex from, NodeIndex to) {
  for (uint32_t e = snap.EdgeBegin(from); e < snap.EdgeEnd(from); ++e) {
    if (snap.edge_to[e] == to && snap.edge_type[e] != EdgeType::kWeak) return EdgeIndex(e);
  }
  return EdgeIndex();
}

// Hops from `from` to `to`: one edge, or two through an intermediate node.
bool Hop(const Snapshot& snap, NodeIndex from, NodeIndex to, std::vector<paths::PathStep>& out) {
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
}

// Appends to `path` the hops from its last node (the emitter) to `target` through `holder`
// (at most one intermediate node on each side). Returns false when no such route exists.
bool AppendRoute(const Snapshot& snap, NodeIndex emitter, NodeIndex holder, NodeIndex target,
                 paths::RetainerPath& path) {
  std::vector<paths::PathStep> steps;
  if (!Hop(snap, emitter, holder, steps) || !Hop(snap, holder, target, steps)) return false;
  path.steps.insert(path.steps.end(), steps.begin(), steps.end());
  return true;
}

// A listener of `d` reachable within two hops of `holder` (the emitter's listener table).
// Linear in the edges looked at: the listeners are put in a hash set first.
NodeIndex RepresentativeOn(const Snapshot& snap, const leaks::Detection& d, NodeIndex holder) {
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

// An edge the runtime's bookkeeping between a listener and the code it resumes goes through:
// not a prototype, a hidden class, code or a function's shared declaration, nor a context's
// `previous` (the module's scope), nor into a NativeContext, a string or a number.
bool RuntimeEdge(const Snapshot& snap, EdgeIndex e) {
  if (snap.edge_type[e.v] == EdgeType::kInternal || snap.edge_type[e.v] == EdgeType::kProperty) {
    std::string_view name = snap.EdgeName(e);
    for (std::string_view skip : {"__proto__", "map", "shared", "code", "feedback_cell",
                                  "scope_info", "previous", "bound_function", "constructor",
                                  "native_context", "prototype"}) {
      if (name == skip) return false;
    }
  }
  NodeIndex to = snap.edge_to[e.v];
  switch (snap.Type(to)) {
    case snapshot::NodeType::kObject:
      return !snap.NodeName(to).starts_with("system / NativeContext");
    case snapshot::NodeType::kClosure:
    case snapshot::NodeType::kArray:
      return true;
    case snapshot::NodeType::kHidden:
      return snap.NodeName(to) == "system / PromiseReaction";
    default:
      return false;
  }
}

// The hops from `holder` (a listener table's array or the table itself) to `target`, a user
// frame a helper's listener keeps waiting (leaks::IsFrame): a breadth-first search over
// non-weak edges that does not pass through `emitter`, bounded (the helper's bookkeeping is a
// few dozen objects). False when not found within the bound.
bool RouteToFrame(const Snapshot& snap, NodeIndex emitter, NodeIndex holder, NodeIndex target,
                  std::vector<paths::PathStep>& out) {
  constexpr size_t kBudget = 20000;
  std::unordered_map<uint32_t, std::pair<NodeIndex, EdgeIndex>> parent;  // node -> (from, edge)
  std::vector<NodeIndex> queue{holder};
  parent.emplace(holder.v, std::make_pair(kNoNode, EdgeIndex()));
  for (size_t head = 0; head < queue.size() && queue.size() < kBudget; ++head) {
    NodeIndex x = queue[head];
    for (uint32_t e = snap.EdgeBegin(x); e < snap.EdgeEnd(x); ++e) {
      if (snap.edge_type[e] == EdgeType::kWeak || !RuntimeEdge(snap, EdgeIndex(e))) continue;
      NodeIndex to = snap.edge_to[e];
      if (to == emitter || !parent.emplace(to.v, std::make_pair(x, EdgeIndex(e))).second) continue;
      if (to == target) {
        std::vector<paths::PathStep> steps;
        for (NodeIndex cur = to; cur != holder;) {
          const auto& [from, edge] = parent.at(cur.v);
          steps.push_back({edge, cur});
          cur = from;
        }
        out.insert(out.end(), steps.rbegin(), steps.rend());
        return true;
      }
      queue.push_back(to);
    }
  }
  return false;
}

}  // namespace

paths::RetainerPath PathFor(const Context& c, const leaks::Detection& d) {
  const Snapshot& snap = c.last.snap;
  const char* table_edge = leaks::GetShape(d.shape).table_edge;
  if (d.event != kNone && table_edge && d.emitter.valid() &&
      c.last.tree.depth[d.emitter.v] != kNone) {
    NodeIndex holder = kNoNode;
    for (uint32_t e = snap.EdgeBegin(d.emitter); e < snap.EdgeEnd(d.emitter); ++e) {
      if (snap.EdgeName(EdgeIndex(e)) == table_edge) {
        holder = snap.edge_to[e];
        break;
      }
    }
    if (holder.valid()) {
      paths::RetainerPath p = paths::PathTo(c.last.tree, d.emitter);
      if (leaks::IsFrame(snap, d.representative)) {
        // A helper's registration (events.on(), events.once()): through the event's listeners
        // to the user frame they keep waiting.
        NodeIndex event_holder = d.holders.empty() ? kNoNode : d.holders.front();
        std::vector<paths::PathStep> steps;
        if (event_holder.valid() && Hop(snap, d.emitter, event_holder, steps) &&
            RouteToFrame(snap, d.emitter, event_holder, d.representative, steps)) {
          p.steps.insert(p.steps.end(), steps.begin(), steps.end());
          return p;
        }
      } else if (AppendRoute(snap, d.emitter, holder, RepresentativeOn(snap, d, holder), p)) {
        return p;
      }
    }
  }
  return paths::PathTo(c.last.tree, d.representative);
}

}  // namespace heapscope::run_internal
