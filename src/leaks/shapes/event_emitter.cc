// Node EventEmitter: emitter --property _events--> Object --property <event>--> closure | Array
// --element i--> closure. once(): a "native_bind" closure --property listener--> the user's
// closure. Array --property warned--> true: Node printed MaxListenersExceededWarning.
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

void ReadEventEmitterTable(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex table,
                           ListenerShape self, ShapeScratch&, std::vector<Listener>& out) {
  if (IsEventEmitter2(snap, emitter)) return;  // eventemitter2.cc
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != snapshot::EdgeType::kProperty) continue;
    std::string_view event = snap.EdgeName(EdgeIndex(f));
    if (event == "__proto__") continue;
    AddEventValue(snap, emitter, table, event, snap.edge_to[f], self, out);
  }
}

extern const ListenerShapeDef kEventEmitterShape = {
    "EventEmitter", snapshot::NodeType::kObject, "_events", nullptr, ReadEventEmitterTable,
    nullptr, nullptr, nullptr,
    "{emitter}._events.{event}", "{emitter}.off('{event}', {handler})", "removeListener"};

}  // namespace heapscope::leaks::internal
