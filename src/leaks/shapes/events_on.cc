// Node's events.on(emitter, event) async iterators: emitter._events.<event> holds a node:events
// closure whose context is the iterator's state (unconsumedEvents, unconsumedPromises,
// finished, eventHandler, errorHandler, closeHandler, removeAll); `error` (and a `close` option's
// events) hold its errorHandler/closeHandler. The context is the per-registration record.
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

namespace {

void ReadEventsOnTable(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex table,
                       ListenerShape self, ShapeScratch& scratch, std::vector<Listener>& out) {
  ReadNodeHelperTable(snap, emitter, table, self, NodeHelper::kEventsOn, scratch, out);
}

}  // namespace

extern const ListenerShapeDef kEventsOnShape = {
    "events.on",
    snapshot::NodeType::kObject,
    "_events",
    nullptr,
    ReadEventsOnTable,
    nullptr,
    nullptr,
    nullptr,
    "{emitter}._events.{event}",
    "iterator.return() (iterator = events.on({emitter}, '{event}'), {handler})",
    "an AbortSignal passed as { signal }"};

}  // namespace heapscope::leaks::internal
