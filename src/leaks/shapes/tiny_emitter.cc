// tiny-emitter (2.1.0): emitter --property e--> [object] "Object" --property <event>-->
// [object] "Array" --element i--> [object] "Object" {fn, ctx}. once(): fn is a closure
// "listener" --property _--> the user's function. The {fn, ctx} record is the per-registration
// object; ctx is a captured owner.
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

void ReadTinyEmitterTable(const Snapshot& snap, NodeIndex emitter, NodeIndex table,
                          ListenerShape self, ShapeScratch&, std::vector<Listener>& out) {
  if (snap.NodeName(table) != "Object") return;
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != EdgeType::kProperty) continue;
    NodeIndex array = snap.edge_to[f];
    if (snap.Type(array) != NodeType::kObject || snap.NodeName(array) != "Array") continue;
    std::string_view event = snap.EdgeName(EdgeIndex(f));
    size_t first = out.size();
    for (uint32_t e = snap.EdgeBegin(array); e < snap.EdgeEnd(array); ++e) {
      if (snap.edge_type[e] != EdgeType::kElement) continue;
      NodeIndex record = snap.edge_to[e];
      NodeIndex fn = NamedEdge(snap, record, EdgeType::kProperty, "fn");
      if (!fn.valid() || snap.Type(fn) != NodeType::kClosure) continue;
      bool once = false;
      NodeIndex user = fn;
      NodeIndex wrapped = NamedEdge(snap, fn, EdgeType::kProperty, "_");
      if (snap.NodeName(fn) == "listener" && wrapped.valid() &&
          snap.Type(wrapped) == NodeType::kClosure) {
        once = true;
        user = wrapped;
      }
      bool unused = false;
      NodeIndex resolved = UserFunction(snap, user, &unused);
      if (!resolved.valid()) continue;
      Listener l{emitter, array, resolved, record, event, self, once, false, 0, kNoNode, kNoNode};
      l.bound = BoundFunction(snap, user);
      out.push_back(l);
    }
    for (size_t i = first; i < out.size(); ++i)
      out[i].holder_listeners = static_cast<uint32_t>(out.size() - first);
  }
}

}  // namespace

extern const ListenerShapeDef kTinyEmitterShape = {"tiny-emitter",
                                                   NodeType::kObject,
                                                   "e",
                                                   nullptr,
                                                   ReadTinyEmitterTable,
                                                   nullptr,
                                                   nullptr,
                                                   nullptr,
                                                   "{emitter}.e.{event}",
                                                   "{emitter}.off('{event}', {handler})",
                                                   ""};

}  // namespace heapscope::leaks::internal
