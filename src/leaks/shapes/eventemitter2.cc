// eventemitter2 (6.4.9). Its constructor is `function EventEmitter(conf)`, so instances are
// named "EventEmitter" (a subclass: its own name); they are told from Node's EventEmitter by
// the own properties the constructor always sets: `_newListener`, `_removeListener`,
// `verboseMemoryLeak`. Three stores, one registry entry each:
//   emitter --property _events--> [object] "Object" --property <event>--> fn | Array of fn
//   emitter --property listenerTree--> [object] "Object" --property <segment>--> "Object" …
//     --property _listeners--> fn | Array of fn       (wildcard: true; event = the dotted path
//                                                      "order.*.created", `delimiter` if set)
//   emitter --property _all--> [object] "Array" --element i--> fn      (onAny(); every event)
// once()/many() store [closure] "listener" --property _origin--> the user's function (the
// wrapper is the per-registration record); async/promisify wrappers also carry `_async`.
#include <string>

#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

bool IsEventEmitter2(const Snapshot& snap, NodeIndex emitter) {
  return NamedEdge(snap, emitter, EdgeType::kProperty, "_newListener").valid() &&
         NamedEdge(snap, emitter, EdgeType::kProperty, "_removeListener").valid() &&
         NamedEdge(snap, emitter, EdgeType::kProperty, "verboseMemoryLeak").valid();
}

namespace {

constexpr size_t kMaxTreeDepth = 32;

// Appends the listeners `value` holds (a function or an Array of functions).
void AddValue(const Snapshot& snap, NodeIndex emitter, NodeIndex table, std::string_view event,
              std::string_view event_text, NodeIndex value, ListenerShape self,
              std::vector<Listener>& out) {
  auto push = [&](NodeIndex holder, NodeIndex fn, bool warned, uint32_t n) {
    if (snap.Type(fn) != NodeType::kClosure) return;
    Listener l{emitter, holder, fn, kNoNode, event, self, false, warned, n, kNoNode, kNoNode};
    NodeIndex origin = NamedEdge(snap, fn, EdgeType::kProperty, "_origin");
    if (origin.valid() && snap.Type(origin) == NodeType::kClosure) {
      // once()/many() (or an async wrapper): the wrapper is this registration's own object.
      l.registration = fn;
      l.once = !NamedEdge(snap, fn, EdgeType::kProperty, "_async").valid();
      fn = origin;
    }
    bool wrapped = false;
    l.closure = UserFunction(snap, fn, &wrapped);
    if (!l.closure.valid()) return;
    l.bound = BoundFunction(snap, fn);
    if (l.bound.valid() && !l.registration.valid()) l.registration = l.bound;
    if (!event_text.empty()) l.event_text = event_text;
    out.push_back(std::move(l));
  };
  ForEachListenerValue(snap, table, value, push);
}

void ReadEvents(const Snapshot& snap, NodeIndex emitter, NodeIndex table, ListenerShape self,
                ShapeScratch&, std::vector<Listener>& out) {
  if (snap.NodeName(table) != "Object" || !IsEventEmitter2(snap, emitter)) return;
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != EdgeType::kProperty) continue;
    std::string_view event = snap.EdgeName(EdgeIndex(f));
    if (event == "__proto__") continue;
    AddValue(snap, emitter, table, event, {}, snap.edge_to[f], self, out);
  }
}

// Walks the listener tree without recursion, depth first; `path` holds the segments from the
// root to the node being read (a node's ancestors are read before it, its siblings after its
// subtree).
void ReadTree(const Snapshot& snap, NodeIndex emitter, NodeIndex root, ListenerShape self,
              ShapeScratch&, std::vector<Listener>& out) {
  if (snap.NodeName(root) != "Object" || !IsEventEmitter2(snap, emitter)) return;
  std::string_view delimiter = ".";
  NodeIndex d = NamedEdge(snap, emitter, EdgeType::kProperty, "delimiter");
  if (d.valid() && snap.Type(d) == NodeType::kString) delimiter = snap.NodeName(d);
  struct Step {
    NodeIndex node;
    uint32_t depth;
    std::string_view segment;
  };
  std::vector<Step> stack = {{root, 0, {}}};
  std::vector<std::string_view> path;
  std::string event_text;
  while (!stack.empty()) {
    Step step = stack.back();
    stack.pop_back();
    path.resize(step.depth);
    if (step.depth > 0) path[step.depth - 1] = step.segment;
    for (uint32_t e = snap.EdgeBegin(step.node); e < snap.EdgeEnd(step.node); ++e) {
      if (snap.edge_type[e] != EdgeType::kProperty) continue;
      std::string_view name = snap.EdgeName(EdgeIndex(e));
      NodeIndex to = snap.edge_to[e];
      if (name == "_listeners") {
        if (path.empty()) continue;  // listeners at the root have no event
        event_text.clear();
        for (size_t i = 0; i < path.size(); ++i) {
          if (i > 0) event_text += delimiter;
          event_text += path[i];
        }
        AddValue(snap, emitter, step.node, path.back(),
                 path.size() > 1 ? std::string_view(event_text) : std::string_view(), to, self,
                 out);
        continue;
      }
      if (name == "__proto__" || step.depth >= kMaxTreeDepth) continue;
      if (snap.Type(to) != NodeType::kObject || snap.NodeName(to) != "Object") continue;
      stack.push_back({to, step.depth + 1, name});
    }
  }
}

void ReadAny(const Snapshot& snap, NodeIndex emitter, NodeIndex all, ListenerShape self,
             ShapeScratch&, std::vector<Listener>& out) {
  if (snap.NodeName(all) != "Array" || !IsEventEmitter2(snap, emitter)) return;
  AddValue(snap, emitter, all, kAnyEvent, {}, all, self, out);
}

std::string ClassName(const Snapshot& snap, NodeIndex emitter) {
  std::string_view name = snap.NodeName(emitter);
  return name == "EventEmitter" ? std::string("EventEmitter2") : std::string(name);
}

}  // namespace

extern const ListenerShapeDef kEventEmitter2Shape = {"EventEmitter2",
                                                     NodeType::kObject,
                                                     "_events",
                                                     nullptr,
                                                     ReadEvents,
                                                     nullptr,
                                                     ClassName,
                                                     nullptr,
                                                     "{emitter}._events.{event}",
                                                     "{emitter}.off('{event}', {handler})",
                                                     "removeListener"};

extern const ListenerShapeDef kEventEmitter2TreeShape = {
    "EventEmitter2 wildcard",
    NodeType::kObject,
    "listenerTree",
    nullptr,
    ReadTree,
    nullptr,
    ClassName,
    nullptr,
    "{emitter}.listenerTree.{event}._listeners",
    "{emitter}.off('{event}', {handler})",
    "removeListener"};

extern const ListenerShapeDef kEventEmitter2AnyShape = {"EventEmitter2 onAny",
                                                        NodeType::kObject,
                                                        "_all",
                                                        nullptr,
                                                        ReadAny,
                                                        nullptr,
                                                        ClassName,
                                                        nullptr,
                                                        "{emitter}._all",
                                                        "{emitter}.offAny({handler})",
                                                        ""};

}  // namespace heapscope::leaks::internal
