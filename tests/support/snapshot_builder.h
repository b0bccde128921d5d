// SnapshotBuilder: readable in-code heap snapshots for unit tests.
//
//   SnapshotBuilder b;                                 // node 0 = synthetic root ""
//   NodeIndex gc = b.Node(NodeType::kSynthetic, "(GC roots)");
//   NodeIndex a = b.Node(NodeType::kObject, "A", /*self_size=*/10);
//   b.Element(b.root(), gc, 1);
//   b.Edge(gc, a, EdgeType::kInternal, "x");
//   Snapshot s = b.Build();          // the model directly
//   std::string json = b.ToJson();   // the same snapshot as V8 writes it
//
// Edges may be added in any order; they are grouped by source node, keeping insertion order
// within a node, as V8 does. Ids default to V8's odd sequence 1, 3, 5, …
#ifndef HEAPSCOPE_TESTS_SUPPORT_SNAPSHOT_BUILDER_H_
#define HEAPSCOPE_TESTS_SUPPORT_SNAPSHOT_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/snapshot/snapshot.h"

namespace heapscope::testing {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

enum class Layout {
  kNode20,      // 7 node fields (…, trace_node_id, detachedness), 4 location fields
  kOld6,        // 6 node fields with trace_node_id, no detachedness
  kNew6,        // 6 node fields with detachedness, no trace_node_id; 5 location fields
};

class SnapshotBuilder {
 public:
  SnapshotBuilder();  // adds the root: node 0, synthetic, name "", id 1

  NodeIndex root() const { return NodeIndex(0); }
  NodeIndex Node(NodeType type, std::string_view name, uint64_t self_size = 0,
                 uint32_t id = 0 /* 0 = next odd id */, uint8_t detachedness = 0);
  // A named edge (context, property, internal, shortcut, weak).
  void Edge(NodeIndex from, NodeIndex to, EdgeType type, std::string_view name);
  // An indexed edge (element or hidden).
  void Indexed(NodeIndex from, NodeIndex to, EdgeType type, uint32_t index);
  void Element(NodeIndex from, NodeIndex to, uint32_t index) {
    Indexed(from, to, EdgeType::kElement, index);
  }
  void Location(NodeIndex node, uint32_t script_id, uint32_t line, uint32_t column,
                NodeIndex script_node = kNoNode);
  void set_extra_native_bytes(uint64_t v) { extra_native_bytes_ = v; }

  // Common shapes -------------------------------------------------------------------------
  // Adds "(GC roots)" under the root (element 1) and returns it.
  NodeIndex GcRoots();

  Snapshot Build() const;
  std::string ToJson(Layout layout = Layout::kNode20) const;

  uint32_t id(NodeIndex n) const { return nodes_[n.v].id; }

 private:
  struct NodeRec {
    NodeType type;
    uint32_t name;
    uint32_t id;
    uint64_t self_size;
    uint8_t detachedness;
  };
  struct EdgeRec {
    uint32_t from;
    EdgeType type;
    uint32_t name_or_index;  // string id or index
    uint32_t to;
  };
  struct LocRec {
    uint32_t node, script_id, line, column, script_node;
  };
  uint32_t Intern(std::string_view s);
  std::vector<EdgeRec> SortedEdges() const;

  std::vector<std::string> strings_;
  std::vector<NodeRec> nodes_;
  std::vector<EdgeRec> edges_;
  std::vector<LocRec> locations_;
  uint32_t next_id_ = 1;
  uint64_t extra_native_bytes_ = 0;
};

}  // namespace heapscope::testing

#endif  // HEAPSCOPE_TESTS_SUPPORT_SNAPSHOT_BUILDER_H_
