// Chrome DOM (HEAP-FORMAT.md §7): emitter (native, e.g. <div>) --> blink::EventTargetData -->
// one vector per event type --> backing --> blink::RegisteredEventListener --> EventListener -->
// V8EventListener --element--> closure. Every hop is a native node; the walk only enters nodes
// of that chain (vectors, backings, registered listeners), at most 8 hops deep. The event type
// is not in the graph: EventFromSource() reads it from the registering call in the script.
#include "heapscope/leaks/listeners.h"
#include "heapscope/snapshot/summary.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

bool IsListenerChainNode(std::string_view name) {
  return name.find("Vector") != std::string_view::npos ||
         name.find("RegisteredEventListener") != std::string_view::npos ||
         name == "EventListener" || name == "InternalNode";
}

std::string_view DomEvent(const Snapshot& snap, const Listener& l, uint32_t line,
                          uint32_t column) {
  return EventFromSource(snap, l.closure, line, column);
}

// DevTools' class name: "<div id=a>" is shown as "<div>".
std::string DomClass(const Snapshot& snap, NodeIndex emitter) {
  return snapshot::ClassName(snap, emitter);
}

}  // namespace

void ReadDomTable(const Snapshot& snap, NodeIndex emitter, NodeIndex data, ListenerShape self,
                  ShapeScratch& scratch, std::vector<Listener>& out) {
  auto& stack = scratch.stack;
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
          out.push_back(Listener{emitter, to, fn, to, {}, self, false, false, 1, kNoNode, kNoNode});
          break;
        }
      } else if (depth < 8 && IsListenerChainNode(name)) {
        stack.emplace_back(to, depth + 1);
      }
    }
  }
}

extern const ListenerShapeDef kDomListenerShape = {
    "DOM", NodeType::kNative, nullptr, "blink::EventTargetData", ReadDomTable, DomEvent,
    DomClass, nullptr,
    "{emitter} → EventTargetData → {event}", "{emitter}.removeEventListener('{event}', {handler})",
    ""};

}  // namespace heapscope::leaks::internal
