// The listener-shape registry: every event-listener layout heapscope recognises in a snapshot.
//
// One file per shape in src/leaks/shapes/ defines a ListenerShapeDef; src/leaks/shapes/
// registry.cc lists them. FindListeners() (listeners.h) walks the snapshot once and hands each
// candidate listener table to the shapes that claim it; every Listener it yields records its
// shape, and the finding's wording (accumulation point, how to remove the listener) comes from
// that shape. docs/architecture.md, "How to add a listener shape", walks through adding one.
#ifndef HEAPSCOPE_LEAKS_SHAPES_H_
#define HEAPSCOPE_LEAKS_SHAPES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::leaks {

// Index of a shape in Shapes(). The built-in ones are named; a new shape needs no value here
// (its index is its registry position).
enum class ListenerShape : uint8_t {
  kEventEmitter,      // Node EventEmitter (on(), once())
  kComponentEmitter,  // @socket.io/component-emitter _callbacks
  kEventTarget,       // Node EventTarget / AbortSignal
  kDomListener,       // Chrome DOM event listener (V8EventListener)
  kEventEmitter3,       // eventemitter3 _events: EE {fn, context, once}
  kRxSubject,           // RxJS Subject observers (event: the owning property)
  kRxBehaviorSubject,   // RxJS BehaviorSubject observers
  kMitt,                // mitt `all` Map of arrays
  kNanoEvents,          // nanoevents `events` object of arrays
  kTinyEmitter,         // tiny-emitter `e` object of {fn, ctx} arrays
  kEventsOn,            // Node events.on() async iterators
  kEventsOnce,          // Node events.once() promises
  kWeakMapRegistry,     // a module WeakMap keyed by the emitter (emittery's eventsMap/anyMap)
  kEventEmitter2,       // eventemitter2 _events (its own class, not Node's)
  kEventEmitter2Tree,   // eventemitter2 wildcard listenerTree (event: the dotted path)
  kEventEmitter2Any,    // eventemitter2 onAny() listeners (_all)
};

struct Listener {
  NodeIndex emitter;       // the object that holds the listener table
  NodeIndex holder;        // what holds the listener directly: the Array, the _events object, …
  NodeIndex closure;       // the user's function (once() wrappers resolved)
  NodeIndex registration;  // the per-registration object (EventTarget Listener, …); may be none
  std::string_view event;  // event name (a view into the snapshot's strings); "" if unknown
  ListenerShape shape = ListenerShape::kEventEmitter;
  bool once = false;              // registered through a once() wrapper
  bool warned = false;            // Node set `warned` on the event's listener array
  uint32_t holder_listeners = 0;  // listeners the holder holds for this event (all sites)
  // Registered as fn.bind(…): the per-registration native_bind (`closure` is its target, the
  // shared function whose site is reported); kNoNode otherwise.
  NodeIndex bound;
  // Registered by a library or runtime helper on behalf of user code (events.on() iterators,
  // events.once() promises): the nearest user code the registration keeps waiting — a
  // suspended async function or generator (a "Generator" object) or a user function a promise
  // reaction will call. Its function is the site reported, and its state what the ownership
  // test judges. kNoNode otherwise.
  NodeIndex frame;
  // An event name the graph does not hold as one string (eventemitter2's wildcard tree path
  // "order.*.created"); when set it is the event and `event` is its last segment.
  std::string event_text = {};
};

// The name of the edge FindListeners() offers for a WeakMap entry whose key is the emitter:
// V8 writes one internal edge key -> value per entry, named "part of key (…) -> value (…) pair
// in WeakMap (table @…)"; a shape with this `table_edge` reads the value as the table.
inline constexpr const char* kWeakMapValueEdge = "(WeakMap value)";

// The event name shown for listeners of every event (emittery's onAny(), eventemitter2's
// onAny()).
inline constexpr std::string_view kAnyEvent = "(any)";

// Scratch buffers FindListeners() lends to the shapes (nothing is allocated per node).
struct ShapeScratch {
  std::vector<std::pair<NodeIndex, uint32_t>> stack;
  // The helper-frame search (shape_util.h, HelperFrame): its queue (node, reached from a
  // promise reaction) and visit stamps per node, allocated on the first search only.
  std::vector<std::pair<NodeIndex, bool>> queue;
  std::vector<uint32_t> seen;
  uint32_t stamp = 0;
};

struct ListenerShapeDef {
  const char* name;  // "EventEmitter", shown in tests and docs

  // Recognition. FindListeners() calls `read_table` for every edge emitter -> table where the
  // emitter has type `emitter_type` and either the edge is named `table_edge` (when set) or the
  // table node is named `table_node` (when set). It appends the listeners it finds, with
  // `shape` set to this entry; it must reject tables that are not its own (two shapes may share
  // an edge name, e.g. `_events`). An emitter's WeakMap entries are offered as edges named
  // kWeakMapValueEdge.
  snapshot::NodeType emitter_type;
  const char* table_edge;  // e.g. "_events"; nullptr when recognised by `table_node`
  const char* table_node;  // e.g. "blink::EventTargetData"; nullptr when by `table_edge`
  void (*read_table)(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex table,
                     ListenerShape self, ShapeScratch& scratch, std::vector<Listener>& out);

  // Optional: the event name when the graph does not hold it (DOM: from the script source).
  std::string_view (*event_name)(const snapshot::Snapshot& snap, const Listener& l,
                                 uint32_t line, uint32_t column);
  // Optional: the emitter's class as shown (DOM: DevTools' class name without attributes);
  // nullptr = the emitter node's name.
  std::string (*emitter_class)(const snapshot::Snapshot& snap, NodeIndex emitter);
  // Optional liveness signal of the emitter: 1 alive, 0 dead, -1 unknown. nullptr = the generic
  // `connected` boolean property (Socket.IO sockets); per-owner signals (ws readyState,
  // net.Socket destroyed, …) go here.
  int (*alive)(const snapshot::Snapshot& snap, NodeIndex emitter);

  // Vocabulary. "{emitter}", "{event}" and "{handler}" are replaced.
  const char* accumulation_point;  // "{emitter}._events.{event}"
  const char* remove;              // "{emitter}.off('{event}', {handler})"
  const char* remove_aka;          // another name of the removal call ("removeListener") or ""
};

std::span<const ListenerShapeDef> Shapes();
const ListenerShapeDef& GetShape(ListenerShape s);
const char* ListenerShapeName(ListenerShape s);

// The shape's accumulation point / removal call for one emitter class, event and handler name.
std::string ShapeAccumulationPoint(ListenerShape s, std::string_view emitter,
                                   std::string_view event);
std::string ShapeRemoveCall(ListenerShape s, std::string_view emitter, std::string_view event,
                            std::string_view handler, bool with_aka);

}  // namespace heapscope::leaks

#endif  // HEAPSCOPE_LEAKS_SHAPES_H_
