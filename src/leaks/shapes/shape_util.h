// Helpers shared by the listener shapes (src/leaks/shapes/*.cc). Internal to leaks/.
#ifndef HEAPSCOPE_SRC_LEAKS_SHAPES_SHAPE_UTIL_H_
#define HEAPSCOPE_SRC_LEAKS_SHAPES_SHAPE_UTIL_H_

#include <string_view>
#include <vector>

#include "heapscope/leaks/shapes.h"

namespace heapscope::leaks::internal {

// Resolves a stored listener function to the user's function: once() wrappers (Node's
// onceWrapper.bind(state) "native_bind" closure with .listener; component-emitter's `on` with
// .fn) and functions registered bound (their bound_function). kNoNode when `fn` is not a
// closure.
NodeIndex UserFunction(const snapshot::Snapshot& snap, NodeIndex fn, bool* once);

// Listeners of one event held by `value` in a property table (a function or an Array of
// functions, as EventEmitter and component-emitter store them).
void AddEventValue(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex table,
                   std::string_view event, NodeIndex value, ListenerShape shape,
                   std::vector<Listener>& out);

}  // namespace heapscope::leaks::internal

#endif  // HEAPSCOPE_SRC_LEAKS_SHAPES_SHAPE_UTIL_H_
