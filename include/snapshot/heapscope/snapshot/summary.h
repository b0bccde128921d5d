// The Chrome DevTools "Summary" view as data: objects grouped by class, with count and total
// self size, and (when a later stage has computed them) retained size and distance.
//
// Classes are DevTools' (heapscope/snapshot/classes.h): "(system)", "(compiled code)",
// "Function", "RegExp", "(string)"…, object and native nodes by name ("<div id=x>" -> "<div>"),
// "Detached " before native nodes that DevTools' propagation finds detached, "{a, b, …}"
// interface names for plain Objects, and `object` classes with a location keyed by it, so two
// constructors of one name in different scripts are two rows. As in DevTools, nodes with self
// size 0 are not counted.
#ifndef HEAPSCOPE_SNAPSHOT_SUMMARY_H_
#define HEAPSCOPE_SNAPSHOT_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/classes.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::snapshot {

// Per-node figures computed by later stages (graph/dominators); null = not computed yet.
// Each vector, when given, has one entry per node.
struct SummaryInputs {
  const std::vector<uint64_t>* self_size = nullptr;      // e.g. after DevTools' reassignment
  const std::vector<uint64_t>* retained_size = nullptr;  // needs `dominator` too
  const std::vector<NodeIndex>* dominator = nullptr;     // immediate dominators
  const std::vector<int32_t>* distance = nullptr;        // DevTools distance (-5 = unreachable)
  const NodeClasses* classes = nullptr;                  // null = ClassifyNodes(s)
};

struct ClassRow {
  std::string name;        // DevTools class name
  uint32_t count = 0;      // nodes with a non-zero self size
  uint64_t self_size = 0;  // sum of their self sizes
  // DevTools' class "Retained Size": the sum of the retained sizes of the class's outermost
  // instances (members not dominated by another member of the same class). 0 unless
  // ClassSummary::has_retained_size.
  uint64_t retained_size = 0;
  int32_t distance = 0;  // minimum distance of a member; 0 unless has_distance
  // For `object` classes keyed by location (0-based, as in the file); script_id == kNone
  // when the class has no location.
  uint32_t script_id = kNone;
  uint32_t line = 0;
  uint32_t column = 0;
  NodeIndex first_node;  // the member with the lowest ordinal (for examples)
  uint32_t class_index = kNone;  // index into NodeClasses::keys
};

struct ClassSummary {
  std::vector<ClassRow> rows;  // by self size descending, then name, then location
  uint32_t node_count = 0;     // all nodes, including those of self size 0
  uint32_t edge_count = 0;
  uint64_t total_self_size = 0;  // sum over all nodes (DevTools' "Total size")
  bool has_retained_size = false;
  bool has_distance = false;
};

// The class name of one node from its type and name alone: DevTools' calculateObjectNames
// without the snapshot-wide steps (no "Detached " from propagation, no "{a, b}" interface names;
// NodeClasses has those). Cheap, for naming a single node.
std::string ClassName(const Snapshot& s, NodeIndex n);

// Groups every node by class. O(nodes) time, no per-node allocation.
ClassSummary Summarize(const Snapshot& s, const SummaryInputs& inputs = {});

// The snapshot format as read from meta, e.g. "V8 7-field nodes (trace_node_id, detachedness),
// 4-field locations". V8 writes no version number; the generation is inferred from the layout
// (docs/snapshot-format.md).
std::string FormatDescription(const Meta& meta);

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_SUMMARY_H_
