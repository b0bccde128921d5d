// Node's events.once(emitter, event) promises: emitter._events.<event> holds a once wrapper
// (native_bind --property listener--> node:events "resolver") and `error` holds another
// (--> "errorListener"); both close over the pending promise's resolve/reject. The once wrapper
// is the per-registration record. They go when the event or `error` fires.
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

namespace {

void ReadEventsOnceTable(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex table,
                         ListenerShape self, ShapeScratch& scratch, std::vector<Listener>& out) {
  ReadNodeHelperTable(snap, emitter, table, self, NodeHelper::kEventsOnce, scratch, out);
}

}  // namespace

extern const ListenerShapeDef kEventsOnceShape = {
    "events.once",
    snapshot::NodeType::kObject,
    "_events",
    nullptr,
    ReadEventsOnceTable,
    nullptr,
    nullptr,
    nullptr,
    "{emitter}._events.{event}",
    "{emitter}.emit('{event}') or an AbortSignal (events.once({emitter}, '{event}', { signal }), "
    "{handler})",
    ""};

}  // namespace heapscope::leaks::internal
