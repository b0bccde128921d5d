// Node's events.on()/events.once() registrations inside an EventEmitter's `_events`, and
// helpers the library shapes share (bound functions, own methods).
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

NodeIndex BoundFunction(const Snapshot& snap, NodeIndex fn) {
  if (!fn.valid() || snap.Type(fn) != NodeType::kClosure || snap.NodeName(fn) != "native_bind")
    return kNoNode;
  // Node's once wrapper is onceWrapper.bind(state) with .listener: not a user's bind().
  if (NamedEdge(snap, fn, EdgeType::kProperty, "listener").valid()) return kNoNode;
  return NamedEdge(snap, fn, EdgeType::kInternal, "bound_function").valid() ? fn : kNoNode;
}

bool HasMethods(const Snapshot& snap, NodeIndex object,
                std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    NodeIndex fn = NamedEdge(snap, object, EdgeType::kProperty, name);
    if (!fn.valid() || snap.Type(fn) != NodeType::kClosure) return false;
  }
  return true;
}

NodeHelper NodeHelperOf(const Snapshot& snap, NodeIndex fn, NodeIndex* registration) {
  if (!fn.valid() || snap.Type(fn) != NodeType::kClosure) return NodeHelper::kNone;
  NodeIndex inner = fn;
  bool wrapper = false;
  if (snap.NodeName(fn) == "native_bind") {
    inner = NamedEdge(snap, fn, EdgeType::kProperty, "listener");
    if (!inner.valid() || snap.Type(inner) != NodeType::kClosure) return NodeHelper::kNone;
    wrapper = true;
  }
  if (ClosureScriptName(snap, inner) != "node:events") return NodeHelper::kNone;
  NodeIndex ctx = NamedEdge(snap, inner, EdgeType::kInternal, "context");
  if (!ctx.valid()) return NodeHelper::kNone;
  if (!wrapper && NamedEdge(snap, ctx, EdgeType::kContext, "unconsumedEvents").valid()) {
    *registration = ctx;
    return NodeHelper::kEventsOn;
  }
  if (wrapper && NamedEdge(snap, ctx, EdgeType::kContext, "resolve").valid() &&
      NamedEdge(snap, ctx, EdgeType::kContext, "resolver").valid()) {
    *registration = fn;
    return NodeHelper::kEventsOnce;
  }
  return NodeHelper::kNone;
}

void ReadNodeHelperTable(const Snapshot& snap, NodeIndex emitter, NodeIndex table,
                         ListenerShape self, NodeHelper kind, std::vector<Listener>& out) {
  if (snap.NodeName(table) != "Object") return;  // Node's _events (eventemitter3's is "Events")
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != EdgeType::kProperty) continue;
    std::string_view event = snap.EdgeName(EdgeIndex(f));
    NodeIndex value = snap.edge_to[f];
    auto add = [&](NodeIndex holder, NodeIndex fn, uint32_t n) {
      NodeIndex registration = kNoNode;
      if (NodeHelperOf(snap, fn, &registration) != kind) return;
      bool once = false;
      NodeIndex user = UserFunction(snap, fn, &once);
      if (!user.valid()) return;
      out.push_back(
          Listener{emitter, holder, user, registration, event, self, once, false, n, kNoNode});
    };
    if (snap.Type(value) == NodeType::kClosure) {
      add(table, value, 1);
      continue;
    }
    if (snap.Type(value) != NodeType::kObject || snap.NodeName(value) != "Array") continue;
    uint32_t n = 0;
    for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
      if (snap.edge_type[e] == EdgeType::kElement &&
          snap.Type(snap.edge_to[e]) == NodeType::kClosure)
        ++n;
    }
    for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
      if (snap.edge_type[e] == EdgeType::kElement) add(value, snap.edge_to[e], n);
    }
  }
}

}  // namespace heapscope::leaks::internal
