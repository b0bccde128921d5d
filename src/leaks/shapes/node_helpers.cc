// Node's events.on()/events.once() registrations inside an EventEmitter's `_events`, and
// helpers the library shapes share (bound functions, own methods).
#include <algorithm>

#include "heapscope/leaks/detect.h"
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

NodeHelper NodeHelperOf(const Snapshot& snap, NodeIndex fn, NodeIndex* registration,
                        bool* companion) {
  if (companion) *companion = false;
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
  auto is_var = [&](std::string_view name) {
    return NamedEdge(snap, ctx, EdgeType::kContext, name) == inner;
  };
  if (!wrapper && NamedEdge(snap, ctx, EdgeType::kContext, "unconsumedEvents").valid()) {
    // The iterator registers its eventHandler (or a wrapper of it) for the event, and its
    // errorHandler on 'error' and closeHandler on the `close` events: one registration.
    *registration = ctx;
    if (companion) *companion = is_var("errorHandler") || is_var("closeHandler");
    return NodeHelper::kEventsOn;
  }
  if (wrapper && NamedEdge(snap, ctx, EdgeType::kContext, "resolve").valid() &&
      NamedEdge(snap, ctx, EdgeType::kContext, "resolver").valid()) {
    // once() registers its resolver for the event and its errorListener on 'error'.
    *registration = fn;
    if (companion) *companion = !is_var("resolver");
    return NodeHelper::kEventsOnce;
  }
  return NodeHelper::kNone;
}

namespace {

// An object with a listener table of its own (another emitter, an AbortSignal): its listeners
// belong to other registrations.
bool HasListenerTable(const Snapshot& snap, NodeIndex x) {
  for (uint32_t e = snap.EdgeBegin(x); e < snap.EdgeEnd(x); ++e) {
    if (snap.edge_type[e] != EdgeType::kProperty) continue;
    std::string_view name = snap.EdgeName(EdgeIndex(e));
    if (name == "_events" || name == "_callbacks" || name == "<symbol kEvents>") return true;
  }
  return false;
}

bool IsUserClosure(const Snapshot& snap, NodeIndex fn) {
  return fn.valid() && snap.Type(fn) == NodeType::kClosure &&
         IsUserScript(ClosureScriptName(snap, fn));
}

}  // namespace

NodeIndex HelperFrame(const Snapshot& snap, NodeIndex start, NodeIndex emitter,
                      ShapeScratch& scratch) {
  if (!start.valid()) return kNoNode;
  // Visit stamps: one uint32 per node, allocated on the first search of a snapshot.
  if (scratch.seen.size() != snap.node_count()) {
    scratch.seen.assign(snap.node_count(), 0);
    scratch.stamp = 0;
  }
  if (++scratch.stamp == 0) {
    std::fill(scratch.seen.begin(), scratch.seen.end(), 0);
    scratch.stamp = 1;
  }
  std::vector<std::pair<NodeIndex, bool>>& queue = scratch.queue;
  queue.clear();
  auto push = [&](NodeIndex n, bool from_reaction) {
    if (!n.valid() || n == emitter || scratch.seen[n.v] == scratch.stamp) return;
    scratch.seen[n.v] = scratch.stamp;
    queue.emplace_back(n, from_reaction);
  };
  auto push_edges = [&](NodeIndex x, auto&& follow) {
    for (uint32_t e = snap.EdgeBegin(x); e < snap.EdgeEnd(x); ++e) {
      if (follow(snap.edge_type[e], snap.EdgeName(EdgeIndex(e)))) push(snap.edge_to[e], false);
    }
  };
  // The runtime's bookkeeping between a listener and the code it resumes is a few dozen
  // objects (the iterator's queues, a promise chain); the bound keeps a listener whose
  // helper holds a large payload cheap.
  constexpr size_t kBudget = 1024;
  NodeIndex callback = kNoNode;
  push(start, false);
  for (size_t head = 0; head < queue.size() && head < kBudget; ++head) {
    const auto [x, from_reaction] = queue[head];
    const NodeType type = snap.Type(x);
    const std::string_view name = snap.NodeName(x);
    if (type == NodeType::kClosure) {
      if (IsUserClosure(snap, x)) {
        if (from_reaction && !callback.valid()) callback = x;
        continue;
      }
      if (name == "native_bind") {
        push_edges(x, [](EdgeType t, std::string_view n) {
          return (t == EdgeType::kInternal && n == "bound_this") ||
                 (t == EdgeType::kProperty && n == "listener") ||
                 (t == EdgeType::kShortcut && n.starts_with("bound_argument_"));
        });
        continue;
      }
      push(NamedEdge(snap, x, EdgeType::kInternal, "context"), false);
      continue;
    }
    if (type == NodeType::kHidden) {
      // A promise reaction: its handlers (what the promise calls) and its derived promise.
      if (name != "system / PromiseReaction") continue;
      for (uint32_t e = snap.EdgeBegin(x); e < snap.EdgeEnd(x); ++e) {
        if (snap.edge_type[e] == EdgeType::kHidden) push(snap.edge_to[e], true);
      }
      continue;
    }
    if (type != NodeType::kObject || name.starts_with("system / NativeContext")) continue;
    if (name == "system / Context") {
      push_edges(x, [](EdgeType t, std::string_view n) {
        return t == EdgeType::kContext || t == EdgeType::kHidden ||
               (t == EdgeType::kInternal && n == "extension");
      });
      continue;
    }
    if (name == "Generator") {
      if (IsUserClosure(snap, NamedEdge(snap, x, EdgeType::kInternal, "function"))) return x;
      // A runtime async function (its outer promise leads to whoever awaits it).
      push_edges(x, [](EdgeType t, std::string_view) { return t == EdgeType::kHidden; });
      continue;
    }
    if (name.starts_with("system / ") || HasListenerTable(snap, x)) continue;
    push_edges(x, [](EdgeType t, std::string_view n) {
      return (t == EdgeType::kProperty && n != "__proto__" && n != "constructor") ||
             t == EdgeType::kElement || (t == EdgeType::kInternal && n == "reactions_or_result");
    });
  }
  return callback;
}

void ReadNodeHelperTable(const Snapshot& snap, NodeIndex emitter, NodeIndex table,
                         ListenerShape self, NodeHelper kind, ShapeScratch& scratch,
                         std::vector<Listener>& out) {
  if (snap.NodeName(table) != "Object") return;  // Node's _events (eventemitter3's is "Events")
  for (uint32_t f = snap.EdgeBegin(table); f < snap.EdgeEnd(table); ++f) {
    if (snap.edge_type[f] != EdgeType::kProperty) continue;
    std::string_view event = snap.EdgeName(EdgeIndex(f));
    NodeIndex value = snap.edge_to[f];
    auto add = [&](NodeIndex holder, NodeIndex fn, uint32_t n) {
      NodeIndex registration = kNoNode;
      bool companion = false;
      if (NodeHelperOf(snap, fn, &registration, &companion) != kind || companion) return;
      bool once = false;
      NodeIndex user = UserFunction(snap, fn, &once);
      if (!user.valid()) return;
      Listener l{emitter, holder, user, registration, event, self, once, false, n, kNoNode, kNoNode};
      l.frame = HelperFrame(snap, NamedEdge(snap, user, EdgeType::kInternal, "context"), emitter,
                            scratch);
      out.push_back(l);
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
