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

  // Allocation traces (snapshot/traces.h). TraceFunction returns its function_info_index;
  // TraceNode adds a trace_tree node under `parent` (a TraceNode id, 0 = top) and returns its
  // id (1, 2, …); Traced sets a node's trace_node_id. line/column are 1-based, as V8 writes them.
  uint32_t TraceFunction(std::string_view name, std::string_view script, uint32_t script_id,
                         uint32_t line, uint32_t column);
  uint32_t TraceNode(uint32_t parent, uint32_t function, uint64_t count, uint64_t size);
  void Traced(NodeIndex node, uint32_t trace_node_id) { nodes_[node.v].trace = trace_node_id; }
  void Sample(uint64_t timestamp_us, uint64_t last_assigned_id) {
    samples_.push_back({timestamp_us, last_assigned_id});
  }
  // The header's trace_function_count; by default the number of TraceFunction records.
  void set_trace_function_count(uint32_t n) { trace_function_count_ = n; }

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
    uint32_t trace = 0;
  };
  struct TraceFn {
    uint32_t name, script, script_id, line, column;
  };
  struct TraceRec {
    uint32_t id, parent, function;
    uint64_t count, size;
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
  std::vector<TraceFn> trace_functions_;
  std::vector<TraceRec> trace_nodes_;
  std::vector<std::pair<uint64_t, uint64_t>> samples_;
  int64_t trace_function_count_ = -1;
  void TraceTreeJson(uint32_t parent, std::string& out) const;
};

}  // namespace heapscope::testing

#endif  // HEAPSCOPE_TESTS_SUPPORT_SNAPSHOT_BUILDER_H_
