#include "heapscope/leaks/listeners.h"

#include "heapscope/leaks/sites.h"

namespace heapscope::leaks {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

const char* ListenerShapeName(ListenerShape s) {
  switch (s) {
    case ListenerShape::kEventEmitter:
      return "EventEmitter";
    case ListenerShape::kEventEmitterOnce:
      return "EventEmitter.once";
    case ListenerShape::kComponentEmitter:
      return "component-emitter";
    case ListenerShape::kEventTarget:
      return "EventTarget";
    case ListenerShape::kDomListener:
      return "DOM";
  }
  return "?";
}

namespace {

// Resolves a stored listener function to the user's function: once() stores
// onceWrapper.bind(state) (a "native_bind" closure) whose `listener` property is the user's.
NodeIndex UserFunction(const Snapshot& snap, NodeIndex fn, bool* once) {
  *once = false;
  if (snap.Type(fn) != NodeType::kClosure) return kNoNode;
  if (snap.NodeName(fn) == "native_bind") {
    NodeIndex user = NamedEdge(snap, fn, EdgeType::kProperty, "listener");
    if (user.valid() && snap.Type(user) == NodeType::kClosure) {
      *once = true;
      return user;
    }
    // A bound function registered directly: report the target function's site.
    NodeIndex target = NamedEdge(snap, fn, EdgeType::kInternal, "bound_function");
    if (target.valid() && snap.Type(target) == NodeType::kClosure) return target;
  }
  // component-emitter's once(): function on() { … } with on.fn = the user's function.
  NodeIndex wrapped = NamedEdge(snap, fn, EdgeType::kProperty, "fn");
  if (snap.NodeName(fn) == "on" && wrapped.valid() && snap.Type(wrapped) == NodeType::kClosure) {
    *once = true;
    return wrapped;
  }
  return fn;
}

bool IsArray(const Snapshot& snap, NodeIndex n) {
  return snap.Type(n) == NodeType::kObject && snap.NodeName(n) == "Array";
}

// Listeners of one event held by `value` (a function or an Array of functions).
void AddEventValue(const Snapshot& snap, NodeIndex emitter, NodeIndex table, std::string_view event,
                   NodeIndex value, bool component, std::vector<Listener>& out) {
  auto push = [&](NodeIndex holder, NodeIndex fn, bool warned, uint32_t n) {
    bool once = false;
    NodeIndex user = UserFunction(snap, fn, &once);
    if (!user.valid()) return;
    ListenerShape shape =
        component ? ListenerShape::kComponentEmitter
                  : (once ? ListenerShape::kEventEmitterOnce : ListenerShape::kEventEmitter);
    out.push_back(Listener{emitter, holder, user, event, shape, warned, n});
  };
  if (snap.Type(value) == NodeType::kClosure) {
    push(table, value, false, 1);
    return;
  }
  if (!IsArray(snap, value)) return;
  // Count the array's own element edges (its backing store points at the same closures).
  uint32_t n = 0;
  for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
    if (snap.edge_type[e] == EdgeType::kElement && snap.Type(snap.edge_to[e]) == NodeType::kClosure)
      ++n;
  }
  bool warned = BooleanProperty(snap, value, "warned") == 1;
  for (uint32_t e = snap.EdgeBegin(value); e < snap.EdgeEnd(value); ++e) {
    if (snap.edge_type[e] == EdgeType::kElement) push(value, snap.edge_to[e], warned, n);
  }
}

// Node's EventTarget: kEvents Map -> table; each key string is followed by the list head.
void AddEventTarget(const Snapshot& snap, NodeIndex target, NodeIndex map,
                    std::vector<Listener>& out) {
  NodeIndex table = NamedEdge(snap, map, EdgeType::kInternal, "table");
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
    size_t first = out.size();
    NodeIndex node = NamedEdge(snap, v, EdgeType::kProperty, "next");
    // The list is finite; the bound guards against a malformed cycle.
    for (uint32_t steps = 0; node.valid() && steps < snap.node_count(); ++steps) {
      if (snap.NodeName(node) != "Listener") break;
      NodeIndex fn = NamedEdge(snap, node, EdgeType::kProperty, "listener");
      if (!fn.valid() || snap.Type(fn) != NodeType::kClosure) {
        fn = NamedEdge(snap, node, EdgeType::kProperty, "callback");
      }
      if (fn.valid() && snap.Type(fn) == NodeType::kClosure) {
        bool once = false;
        NodeIndex user = UserFunction(snap, fn, &once);
        if (user.valid()) {
          out.push_back(Listener{target, node, user, key, ListenerShape::kEventTarget, false, 0});
        }
      }
      node = NamedEdge(snap, node, EdgeType::kProperty, "next");
    }
    uint32_t n = static_cast<uint32_t>(out.size() - first);
    for (size_t i = first; i < out.size(); ++i) {
      out[i].holder = v;
      out[i].holder_listeners = n;
    }
    key = {};
  }
}

// Chrome (HEAP-FORMAT.md §7): emitter --element--> blink::EventTargetData --element--> one
// vector per event type --> backing --> blink::RegisteredEventListener --> EventListener -->
// V8EventListener --element--> closure. Every hop is a native node; the walk only enters
// nodes of that chain (vectors, backings, registered listeners), at most 8 hops deep.
bool IsListenerChainNode(std::string_view name) {
  return name.find("Vector") != std::string_view::npos ||
         name.find("RegisteredEventListener") != std::string_view::npos ||
         name == "EventListener" || name == "InternalNode";
}

void AddDomTarget(const Snapshot& snap, NodeIndex emitter, NodeIndex data,
                  std::vector<std::pair<NodeIndex, uint32_t>>& stack, std::vector<Listener>& out) {
  stack.clear();
  stack.emplace_back(data, 0);
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    for (uint32_t e = snap.EdgeBegin(node); e < snap.EdgeEnd(node); ++e) {
      NodeIndex to = snap.edge_to[e];
      if (snap.Type(to) != NodeType::kNative || snap.edge_type[e] == EdgeType::kWeak) continue;
      std::string_view name = snap.NodeName(to);
      if (name == "V8EventListener") {
        for (uint32_t f = snap.EdgeBegin(to); f < snap.EdgeEnd(to); ++f) {
          NodeIndex fn = snap.edge_to[f];
          if (snap.Type(fn) != NodeType::kClosure || snap.edge_type[f] == EdgeType::kWeak) continue;
          out.push_back(Listener{emitter, to, fn, {}, ListenerShape::kDomListener, false, 1});
          break;
        }
      } else if (depth < 8 && IsListenerChainNode(name)) {
        stack.emplace_back(to, depth + 1);
      }
    }
  }
}

}  // namespace

std::vector<Listener> FindListeners(const Snapshot& snap) {
  std::vector<Listener> out;
  std::vector<std::pair<NodeIndex, uint32_t>> dom_stack;
  const uint32_t n = snap.node_count();
  for (uint32_t i = 0; i < n; ++i) {
    NodeIndex node(i);
    NodeType type = snap.Type(node);
    if (type == NodeType::kNative) {
      for (uint32_t e = snap.EdgeBegin(node); e < snap.EdgeEnd(node); ++e) {
        NodeIndex to = snap.edge_to[e];
        if (snap.Type(to) == NodeType::kNative && snap.NodeName(to) == "blink::EventTargetData") {
          AddDomTarget(snap, node, to, dom_stack, out);
        }
      }
      continue;
    }
    if (type != NodeType::kObject) continue;
    for (uint32_t e = snap.EdgeBegin(node); e < snap.EdgeEnd(node); ++e) {
      if (snap.edge_type[e] != EdgeType::kProperty) continue;
      std::string_view name = snap.EdgeName(EdgeIndex(e));
      NodeIndex value = snap.edge_to[e];
      if (snap.Type(value) != NodeType::kObject) continue;
      if (name == "_events") {
        for (uint32_t f = snap.EdgeBegin(value); f < snap.EdgeEnd(value); ++f) {
          if (snap.edge_type[f] != EdgeType::kProperty) continue;
          std::string_view event = snap.EdgeName(EdgeIndex(f));
          if (event == "__proto__") continue;
          AddEventValue(snap, node, value, event, snap.edge_to[f], /*component=*/false, out);
        }
      } else if (name == "_callbacks") {
        for (uint32_t f = snap.EdgeBegin(value); f < snap.EdgeEnd(value); ++f) {
          if (snap.edge_type[f] != EdgeType::kProperty) continue;
          std::string_view event = snap.EdgeName(EdgeIndex(f));
          if (!event.starts_with('$')) continue;
          event.remove_prefix(1);
          AddEventValue(snap, node, value, event, snap.edge_to[f], /*component=*/true, out);
        }
      } else if (name == "<symbol kEvents>" && snap.NodeName(value) == "Map") {
        AddEventTarget(snap, node, value, out);
      }
    }
  }
  return out;
}

}  // namespace heapscope::leaks

namespace heapscope::leaks {

std::string_view EventFromSource(const Snapshot& snap, NodeIndex closure, uint32_t line,
                                 uint32_t column) {
  NodeIndex shared = NamedEdge(snap, closure, EdgeType::kInternal, "shared");
  if (!shared.valid()) return {};
  NodeIndex script = NamedEdge(snap, shared, EdgeType::kInternal, "script");
  if (!script.valid())
    script = NamedEdge(snap, shared, EdgeType::kInternal, "script_or_debug_info");
  if (!script.valid()) return {};
  NodeIndex source = NamedEdge(snap, script, EdgeType::kInternal, "source");
  if (!source.valid() || snap.Type(source) != NodeType::kString) return {};
  std::string_view text = snap.NodeName(source);
  size_t pos = 0;
  for (uint32_t l = 0; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  pos += column;
  if (pos > text.size()) return {};
  // The call that registered the closure: the last addEventListener( within 200 bytes before
  // the function, with a quoted first argument.
  std::string_view before = text.substr(pos > 200 ? pos - 200 : 0, pos > 200 ? 200 : pos);
  constexpr std::string_view kCall = "addEventListener(";
  size_t call = before.rfind(kCall);
  if (call == std::string_view::npos) return {};
  std::string_view arg = before.substr(call + kCall.size());
  while (!arg.empty() && (arg.front() == ' ' || arg.front() == '\n')) arg.remove_prefix(1);
  if (arg.empty() || (arg.front() != '\'' && arg.front() != '"' && arg.front() != '`')) return {};
  char quote = arg.front();
  size_t end = arg.find(quote, 1);
  if (end == std::string_view::npos) return {};
  return arg.substr(1, end - 1);
}

}  // namespace heapscope::leaks
