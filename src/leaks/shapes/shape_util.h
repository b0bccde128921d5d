// Helpers shared by the listener shapes (src/leaks/shapes/*.cc). Internal to leaks/.
#ifndef HEAPSCOPE_SRC_LEAKS_SHAPES_SHAPE_UTIL_H_
#define HEAPSCOPE_SRC_LEAKS_SHAPES_SHAPE_UTIL_H_

#include <initializer_list>
#include <string_view>
#include <vector>

#include "heapscope/leaks/shapes.h"
#include "heapscope/leaks/sites.h"

namespace heapscope::leaks::internal {

// Resolves a stored listener function to the user's function: once() wrappers (Node's
// onceWrapper.bind(state) "native_bind" closure with .listener; component-emitter's `on` with
// .fn) and functions registered bound (their bound_function). kNoNode when `fn` is not a
// closure.
NodeIndex UserFunction(const snapshot::Snapshot& snap, NodeIndex fn, bool* once);

// Calls push(holder, fn, warned, n) for each listener an event's slot holds: a function
// (holder = the table, n = 1), or an Array's elements (holder = the Array, n = its closures;
// only the Array's own element edges count: its backing store points at the same closures;
// `warned` = Node's max-listeners flag on the Array). Anything else holds none.
template <typename Push>
void ForEachListenerValue(const snapshot::Snapshot& snap, NodeIndex table, NodeIndex value,
                          Push&& push) {
  using snapshot::EdgeType;
  using snapshot::NodeType;
  if (snap.Type(value) == NodeType::kClosure) {
    push(table, value, false, 1u);
    return;
  }
  if (snap.Type(value) != NodeType::kObject || snap.NodeName(value) != "Array") return;
  uint32_t n = 0;
  for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
    if (snap.edge_type[e] == EdgeType::kElement && snap.Type(snap.edge_to[e]) == NodeType::kClosure)
      ++n;
  }
  const bool warned = BooleanProperty(snap, value, "warned") == 1;
  for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
    if (snap.edge_type[e] == EdgeType::kElement) push(value, snap.edge_to[e], warned, n);
  }
}

// Listeners of one event held by `value` in a property table (a function or an Array of
// functions, as EventEmitter and component-emitter store them).
void AddEventValue(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex table,
                   std::string_view event, NodeIndex value, ListenerShape shape,
                   std::vector<Listener>& out);

// Calls visit(key, value) for each entry of the Map `map` whose key is a string and whose value
// is an object: V8 writes a Map's entries as the edges of its internal `table`, each key
// followed by its value. Does nothing when `map` is not a Map.
template <typename Visit>
void ForEachStringKeyedEntry(const snapshot::Snapshot& snap, NodeIndex map, Visit&& visit) {
  using snapshot::NodeType;
  if (snap.NodeName(map) != "Map") return;
  NodeIndex table = NamedEdge(snap, map, snapshot::EdgeType::kInternal, "table");
  if (!table.valid()) return;
  std::string_view key;
  for (uint32_t e = snap.EdgeBegin(table); e < snap.EdgeEnd(table); ++e) {
    NodeIndex v = snap.edge_to[e];
    NodeType t = snap.Type(v);
    if (t == NodeType::kString || t == NodeType::kConsString || t == NodeType::kSlicedString) {
      key = snap.NodeName(v);
      continue;
    }
    if (t != NodeType::kObject || key.empty()) continue;
    visit(key, v);
    key = {};
  }
}

// `fn` when it is a function the program bound (fn.bind(…): a "native_bind" closure with a
// bound_function) and not Node's once wrapper; kNoNode otherwise.
NodeIndex BoundFunction(const snapshot::Snapshot& snap, NodeIndex fn);

// Whether `object` has own properties `names` that are all functions (a library's emitter
// object made as a literal: mitt's {on, off, emit}, nanoevents' {on, emit}).
bool HasMethods(const snapshot::Snapshot& snap, NodeIndex object,
                std::initializer_list<std::string_view> names);

// Whether `emitter` is an eventemitter2 instance (its constructor's own properties
// `_newListener`, `_removeListener`, `verboseMemoryLeak`): its `_events` is not Node's.
bool IsEventEmitter2(const snapshot::Snapshot& snap, NodeIndex emitter);

// Node's events.on()/events.once() helpers, recognised by the listener an EventEmitter stores.
enum class NodeHelper : uint8_t { kNone, kEventsOn, kEventsOnce };
// Which helper registered `fn` (an `_events` value); sets *registration to its per-registration
// record (the iterator's context; the once wrapper) and, when given, *companion to whether
// `fn` is one of the helper's companion listeners of the same registration (the iterator's
// errorHandler/closeHandler, once()'s errorListener on 'error') rather than its listener for
// the awaited event.
NodeHelper NodeHelperOf(const snapshot::Snapshot& snap, NodeIndex fn, NodeIndex* registration,
                        bool* companion = nullptr);
// The listeners of helper `kind` in a Node EventEmitter's `_events` table: one per
// registration (companions left out: they go with it), each with the user frame it keeps
// waiting (HelperFrame).
void ReadNodeHelperTable(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex table,
                         ListenerShape self, NodeHelper kind, ShapeScratch& scratch,
                         std::vector<Listener>& out);

// The nearest user code a helper's registration keeps waiting, searched forward from `start`
// (the helper's per-registration context) through the runtime's bookkeeping only: contexts'
// variables and `extension`, promises' reactions, plain objects and arrays (an iterator's
// queues), bound functions. Never through `emitter`, another emitter, a NativeContext or a
// context's `previous` (the module's shared scope). A suspended async function or generator
// whose function is a user script's (a "Generator" object) is preferred; else a user
// function a promise reaction will call (`once(…).then(fn)`); kNoNode when neither is found
// within a bounded number of nodes (the helper is held some other way, e.g. an iterator kept
// in a user's array).
NodeIndex HelperFrame(const snapshot::Snapshot& snap, NodeIndex start, NodeIndex emitter,
                      ShapeScratch& scratch);

}  // namespace heapscope::leaks::internal

#endif  // HEAPSCOPE_SRC_LEAKS_SHAPES_SHAPE_UTIL_H_
