// @socket.io/component-emitter: emitter --property _callbacks--> Object --property $<event>-->
// Array --element i--> closure. once(): a closure `on` --property fn--> the user's closure.
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

void ReadComponentEmitterTable(const snapshot::Snapshot& snap, NodeIndex emitter,
                               NodeIndex table, ListenerShape self, ShapeScratch&,
                               std::vector<Listener>& out) {
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != snapshot::EdgeType::kProperty) continue;
    std::string_view event = snap.EdgeName(EdgeIndex(f));
    if (!event.starts_with('$')) continue;
    event.remove_prefix(1);
    AddEventValue(snap, emitter, table, event, snap.edge_to[f], self, out);
  }
}

extern const ListenerShapeDef kComponentEmitterShape = {
    "component-emitter", snapshot::NodeType::kObject, "_callbacks", nullptr,
    ReadComponentEmitterTable, nullptr, nullptr, nullptr,
    "{emitter}._callbacks.${event}", "{emitter}.off('{event}', {handler})", "removeListener"};

}  // namespace heapscope::leaks::internal
