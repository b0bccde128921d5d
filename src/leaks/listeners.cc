#include "heapscope/leaks/listeners.h"

#include <span>

#include "heapscope/leaks/sites.h"

namespace heapscope::leaks {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

// V8's name for the edge from a WeakMap entry's key to its value (heap-snapshot-generator.cc,
// ExtractEphemeronHashTableReferences): "<n> / part of key (K @id) -> value (V @id) pair in
// WeakMap (table @id)".
bool IsWeakMapValueEdge(const Snapshot& snap, uint32_t e) {
  std::string_view name = snap.EdgeName(EdgeIndex(e));
  return name.find("part of key (") != std::string_view::npos &&
         name.find(") pair in WeakMap (table @") != std::string_view::npos;
}

}  // namespace

std::vector<Listener> FindListeners(const Snapshot& snap) {
  std::vector<Listener> out;
  ShapeScratch scratch;
  const std::span<const ListenerShapeDef> shapes = Shapes();
  const uint32_t n = snap.node_count();
  for (uint32_t i = 0; i < n; ++i) {
    NodeIndex node(i);
    NodeType type = snap.Type(node);
    if (type != NodeType::kObject && type != NodeType::kNative) continue;
    for (uint32_t e = snap.EdgeBegin(node); e < snap.EdgeEnd(node); ++e) {
      NodeIndex to = snap.edge_to[e];
      NodeType to_type = snap.Type(to);
      // Object emitters: a property edge to an object table (`_events`, …). Native emitters:
      // an edge to a native table node (`blink::EventTargetData`).
      bool by_edge = type == NodeType::kObject && snap.edge_type[e] == EdgeType::kProperty &&
                     to_type == NodeType::kObject;
      // An entry of a WeakMap keyed by this object (a module-level registry of per-emitter
      // listener tables, as emittery keeps them): V8 writes it as an internal edge key -> value.
      bool weak_map_value = type == NodeType::kObject && !by_edge &&
                            snap.edge_type[e] == EdgeType::kInternal &&
                            to_type == NodeType::kObject && IsWeakMapValueEdge(snap, e);
      by_edge = by_edge || weak_map_value;
      // Object emitters may also be recognised by the table's class (an RxJS Subject held by a
      // property, which names the event).
      bool by_node = (type == NodeType::kNative && to_type == NodeType::kNative) || by_edge;
      if (!by_edge && !by_node) continue;
      std::string_view edge_name = weak_map_value ? std::string_view(kWeakMapValueEdge)
                                   : by_edge      ? snap.EdgeName(EdgeIndex(e))
                                                  : std::string_view();
      std::string_view node_name = snap.NodeName(to);
      for (size_t k = 0; k < shapes.size(); ++k) {
        const ListenerShapeDef& shape = shapes[k];
        if (shape.emitter_type != type) continue;
        bool match = (by_edge && shape.table_edge && edge_name == shape.table_edge) ||
                     (by_node && shape.table_node && node_name == shape.table_node);
        if (match)
          shape.read_table(snap, node, to, static_cast<ListenerShape>(k), scratch, out);
      }
    }
  }
  return out;
}

}  // namespace heapscope::leaks

namespace heapscope::leaks {

std::string_view EventFromSource(const Snapshot& snap, NodeIndex closure, uint32_t line,
                                 uint32_t column) {
  std::string_view text = ClosureScriptSource(snap, closure);
  if (text.empty()) return {};
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
