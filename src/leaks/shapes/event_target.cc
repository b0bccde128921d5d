// Node EventTarget (also AbortSignal): target --property <symbol kEvents>--> Map --internal
// table--> table: key string, then the list head Object --property next--> Listener
// --property next--> Listener …; each Listener --property listener|callback--> closure.
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

// The Listener records of one event's list, starting at the list head `head`.
void ReadList(const Snapshot& snap, NodeIndex target, NodeIndex head, std::string_view key,
              ListenerShape self, std::vector<Listener>& out) {
  size_t first = out.size();
  NodeIndex node = NamedEdge(snap, head, EdgeType::kProperty, "next");
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
      if (user.valid())
        out.push_back(Listener{target, head, user, node, key, self, once, false, 0, kNoNode, kNoNode});
    }
    node = NamedEdge(snap, node, EdgeType::kProperty, "next");
  }
  uint32_t n = static_cast<uint32_t>(out.size() - first);
  for (size_t i = first; i < out.size(); ++i) out[i].holder_listeners = n;
}

}  // namespace

void ReadEventTargetTable(const Snapshot& snap, NodeIndex target, NodeIndex map,
                          ListenerShape self, ShapeScratch&, std::vector<Listener>& out) {
  ForEachStringKeyedEntry(snap, map, [&](std::string_view key, NodeIndex head) {
    ReadList(snap, target, head, key, self, out);
  });
}

extern const ListenerShapeDef kEventTargetShape = {
    "EventTarget", NodeType::kObject, "<symbol kEvents>", nullptr, ReadEventTargetTable,
    nullptr, nullptr, nullptr,
    "{emitter}[kEvents].{event}", "{emitter}.removeEventListener('{event}', {handler})", ""};

}  // namespace heapscope::leaks::internal
