// Listener discovery: every event listener a snapshot shows, as (emitter, event, closure).
//
// Shapes recognised (each confirmed on snapshots written by Node 20; see docs/rules.md):
//   Node EventEmitter   emitter --property _events--> Object --property <event>-->
//                         closure | Array --element i--> closure
//                       once(): closure "native_bind" --property listener--> user closure
//                       Array --property warned--> Oddball true: Node printed
//                         MaxListenersExceededWarning for this event
//   component-emitter   emitter --property _callbacks--> Object --property $<event>--> Array
//                         --element i--> closure        (@socket.io/component-emitter)
//   Node EventTarget    target --property <symbol kEvents>--> Map --internal table--> table:
//                         key string, then the list head Object --property next--> Listener
//                         --property next--> Listener …; each Listener --property listener|
//                         callback--> closure       (also AbortSignal, which is an EventTarget)
//   Chrome DOM          emitter (native, e.g. <div>) --> blink::EventTargetData --> vector per
//                         event type --> … --> blink::RegisteredEventListener --> EventListener
//                         --> V8EventListener --> closure. The event type is not in the graph:
//                         EventFromSource() reads it from the registering call in the script.
// One pass over the nodes; nothing is allocated per node.
#ifndef HEAPSCOPE_LEAKS_LISTENERS_H_
#define HEAPSCOPE_LEAKS_LISTENERS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::leaks {

enum class ListenerShape : uint8_t {
  kEventEmitter,      // Node EventEmitter, on()
  kEventEmitterOnce,  // Node EventEmitter, once() wrapper resolved to the user's function
  kComponentEmitter,  // @socket.io/component-emitter _callbacks
  kEventTarget,       // Node EventTarget / AbortSignal
  kDomListener,       // Chrome DOM event listener (V8EventListener)
};
const char* ListenerShapeName(ListenerShape s);

struct Listener {
  NodeIndex emitter;       // the object that holds the listener table
  NodeIndex holder;        // what holds the listener directly: the Array, the _events object, …
  NodeIndex closure;       // the user's function (once() wrappers resolved)
  std::string_view event;  // event name (a view into the snapshot's strings); "" if unknown
  ListenerShape shape = ListenerShape::kEventEmitter;
  bool warned = false;            // Node set `warned` on the event's listener array
  uint32_t holder_listeners = 0;  // listeners the holder holds for this event (all sites)
};

// The event name of a DOM listener from its script's source text: the quoted first argument
// of the last `addEventListener(` within 200 bytes before the closure's position (0-based line
// and column). "" when not found (handler defined away from the call, inline script with a line
// offset, source not in the snapshot).
std::string_view EventFromSource(const snapshot::Snapshot& snap, NodeIndex closure, uint32_t line,
                                 uint32_t column);

// All listeners in `snap`, in node order of their emitter.
std::vector<Listener> FindListeners(const snapshot::Snapshot& snap);

}  // namespace heapscope::leaks

#endif  // HEAPSCOPE_LEAKS_LISTENERS_H_
