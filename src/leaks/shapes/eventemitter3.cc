// eventemitter3 (5.0.4): emitter --property _events--> [object] "Events" --property <event>-->
// [object] "EE" (one listener) | Array --element i--> "EE" (two or more);
// EE {fn: the listener, context: the `context` argument or the emitter, once: Oddball}.
// The EE is the per-registration record; a context other than the emitter is a captured owner.
#include "heapscope/leaks/owners.h"
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

bool IsEE(const Snapshot& snap, NodeIndex n) {
  return snap.Type(n) == NodeType::kObject && snap.NodeName(n) == "EE";
}

void AddEE(const Snapshot& snap, NodeIndex emitter, NodeIndex holder, std::string_view event,
           NodeIndex ee, ListenerShape self, uint32_t n, std::vector<Listener>& out) {
  NodeIndex fn = NamedEdge(snap, ee, EdgeType::kProperty, "fn");
  if (!fn.valid()) return;
  bool wrapped = false;
  NodeIndex user = UserFunction(snap, fn, &wrapped);
  if (!user.valid()) return;
  Listener l{emitter, holder, user, ee, event, self, false, false, n, kNoNode, kNoNode};
  l.once = OddballProperty(snap, ee, "once") == "true";
  l.bound = BoundFunction(snap, fn);
  out.push_back(l);
}

void ReadEventEmitter3Table(const Snapshot& snap, NodeIndex emitter, NodeIndex table,
                            ListenerShape self, ShapeScratch&, std::vector<Listener>& out) {
  if (snap.NodeName(table) != "Events") return;
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != EdgeType::kProperty) continue;
    std::string_view event = snap.EdgeName(EdgeIndex(f));
    NodeIndex value = snap.edge_to[f];
    if (IsEE(snap, value)) {
      AddEE(snap, emitter, table, event, value, self, 1, out);
      continue;
    }
    if (snap.Type(value) != NodeType::kObject || snap.NodeName(value) != "Array") continue;
    uint32_t n = 0;
    for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
      if (snap.edge_type[e] == EdgeType::kElement && IsEE(snap, snap.edge_to[e])) ++n;
    }
    for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
      if (snap.edge_type[e] == EdgeType::kElement && IsEE(snap, snap.edge_to[e]))
        AddEE(snap, emitter, value, event, snap.edge_to[e], self, n, out);
    }
  }
}

}  // namespace

extern const ListenerShapeDef kEventEmitter3Shape = {"eventemitter3",
                                                     NodeType::kObject,
                                                     "_events",
                                                     nullptr,
                                                     ReadEventEmitter3Table,
                                                     nullptr,
                                                     nullptr,
                                                     nullptr,
                                                     "{emitter}._events.{event}",
                                                     "{emitter}.off('{event}', {handler})",
                                                     "removeListener"};

}  // namespace heapscope::leaks::internal
