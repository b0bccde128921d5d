// Listener tables kept outside the emitter, in a module-level WeakMap keyed by the emitter (as
// emittery 1.2.1 keeps them: `eventsMap`, `anyMap`). V8 writes each WeakMap entry as an internal
// edge from the key to the value (FindListeners() offers it as kWeakMapValueEdge):
//   emitter --internal "n / part of key (Room @1) -> value (Map @2) pair in WeakMap (table @3)"-->
//     [object] "Map" --internal table--> key [string] event, then [object] "Set" | "Array"
//       --(Set: internal table) element--> the user's function
//   emitter --internal "… pair in WeakMap …"--> [object] "Set" of functions: every event
//     (onAny()), read only when the same emitter also has a Map of event tables.
// The emitter is the key (its class names it: Emittery or the user's subclass); the holder is
// the Set or Array of one event; the function is its own registration.
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

// Calls visit(fn) for each function a Set (its internal `table`) or an Array (its elements)
// holds; returns how many. Other values (iterator producers, strings) are not listeners.
template <typename Visit>
uint32_t ForEachFunction(const Snapshot& snap, NodeIndex holder, Visit&& visit) {
  std::string_view kind = snap.NodeName(holder);
  NodeIndex store = kNoNode;
  EdgeType edge = EdgeType::kElement;
  if (kind == "Set") {
    store = NamedEdge(snap, holder, EdgeType::kInternal, "table");
    edge = EdgeType::kInternal;
  } else if (kind == "Array") {
    store = holder;
  }
  if (!store.valid()) return 0;
  uint32_t n = 0;
  for (uint32_t e = snap.EdgeBegin(store); e < snap.EdgeEnd(store); ++e) {
    if (snap.edge_type[e] != edge || snap.Type(snap.edge_to[e]) != NodeType::kClosure) continue;
    // A Set's table also names its bookkeeping with internal edges to non-closures only.
    ++n;
    visit(snap.edge_to[e]);
  }
  return n;
}

void AddHolder(const Snapshot& snap, NodeIndex emitter, NodeIndex holder, std::string_view event,
               ListenerShape self, std::vector<Listener>& out) {
  size_t first = out.size();
  uint32_t n = ForEachFunction(snap, holder, [&](NodeIndex fn) {
    bool once = false;
    NodeIndex user = UserFunction(snap, fn, &once);
    if (!user.valid()) return;
    NodeIndex bound = BoundFunction(snap, fn);
    out.push_back(Listener{emitter, holder, user, bound.valid() ? fn : kNoNode, event, self,
                           once, false, 0, bound, kNoNode});
  });
  for (size_t i = first; i < out.size(); ++i) out[i].holder_listeners = n;
}

// Whether a Map is a table of listener tables: some string key whose value is a Set or an
// Array holding a function.
bool IsEventTable(const Snapshot& snap, NodeIndex map) {
  bool found = false;
  ForEachStringKeyedEntry(snap, map, [&](std::string_view, NodeIndex value) {
    if (!found) found = ForEachFunction(snap, value, [](NodeIndex) {}) > 0;
  });
  return found;
}

void ReadWeakMapRegistry(const Snapshot& snap, NodeIndex emitter, NodeIndex value,
                         ListenerShape self, ShapeScratch&, std::vector<Listener>& out) {
  std::string_view kind = snap.NodeName(value);
  if (kind == "Map") {
    ForEachStringKeyedEntry(snap, value, [&](std::string_view event, NodeIndex holder) {
      AddHolder(snap, emitter, holder, event, self, out);
    });
    return;
  }
  if (kind != "Set") return;
  // A bare Set of functions is an every-event table only beside a Map of event tables under
  // the same key (emittery's anyMap beside its eventsMap); alone it is just a Set.
  bool beside_events = false;
  for (uint32_t e = snap.EdgeBegin(emitter); e < snap.EdgeEnd(emitter) && !beside_events; ++e) {
    NodeIndex other = snap.edge_to[e];
    beside_events = snap.edge_type[e] == EdgeType::kInternal && snap.NodeName(other) == "Map" &&
                    snap.EdgeName(EdgeIndex(e)).find(") pair in WeakMap (table @") !=
                        std::string_view::npos &&
                    IsEventTable(snap, other);
  }
  if (beside_events) AddHolder(snap, emitter, value, kAnyEvent, self, out);
}

}  // namespace

extern const ListenerShapeDef kWeakMapRegistryShape = {
    "WeakMap registry",
    NodeType::kObject,
    kWeakMapValueEdge,
    nullptr,
    ReadWeakMapRegistry,
    /*event_name=*/nullptr,
    /*emitter_class=*/nullptr,
    /*alive=*/nullptr,
    "WeakMap(key {emitter}) → {event}",
    "the function {emitter}.on('{event}', {handler}) returned, or {emitter}.off('{event}', "
    "{handler})",
    ""};

}  // namespace heapscope::leaks::internal
