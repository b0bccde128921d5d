// nanoevents (9.1.0): emitter [object] "Object" {on, emit: closures} --property events-->
// [object] "Object" --property <event>--> [object] "Array" --element i--> the user's function.
// nanoevents has no off(): on() returns the unbind function.
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

void ReadNanoEventsTable(const Snapshot& snap, NodeIndex emitter, NodeIndex table,
                         ListenerShape self, ShapeScratch&, std::vector<Listener>& out) {
  if (snap.NodeName(table) != "Object" || !HasMethods(snap, emitter, {"on", "emit"})) return;
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != EdgeType::kProperty) continue;
    NodeIndex value = snap.edge_to[f];
    if (snap.Type(value) != NodeType::kObject || snap.NodeName(value) != "Array") continue;
    AddEventValue(snap, emitter, table, snap.EdgeName(EdgeIndex(f)), value, self, out);
  }
}

}  // namespace

extern const ListenerShapeDef kNanoEventsShape = {
    "nanoevents",
    NodeType::kObject,
    "events",
    nullptr,
    ReadNanoEventsTable,
    nullptr,
    nullptr,
    nullptr,
    "{emitter}.events.{event}",
    "unbind() (unbind = {emitter}.on('{event}', {handler}))",
    ""};

}  // namespace heapscope::leaks::internal
