// The retainer path shown for a detection: for listeners, through the emitter's listener table
// (its shape's table edge) to one of the detection's closures, so the path shows the
// accumulation point.
#include <unordered_set>

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
      if (AppendRoute(snap, d.emitter, holder, RepresentativeOn(snap, d, holder), p)) return p;
    }
  }
  return paths::PathTo(c.last.tree, d.representative);
}

}  // namespace heapscope::run_internal
