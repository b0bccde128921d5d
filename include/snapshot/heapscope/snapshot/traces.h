// Allocation traces: what a snapshot taken with allocation tracking on (`node
// --track-heap-objects`, the inspector's HeapProfiler.startTrackingHeapObjects, DevTools'
// "Allocation instrumentation on timeline") says about where its objects were allocated.
//
// V8 writes three sections for it (HEAP-FORMAT.md §1.7), each with its field layout in meta:
//   trace_function_infos  one record per function seen on an allocation stack:
//                         function_id, name, script_name, script_id, line, column (1-based)
//   trace_tree            the allocation call tree, nested: id, function_info_index, count, size,
//                         [children…]; a node's `trace_node_id` is the id of its tree node
//   samples               timestamp_us, last_assigned_id pairs (the timeline)
// Loaded column by column, the tree flattened in pre-order with parent links. Nothing here is
// per heap node: the per-node `trace_node_id` column is in Snapshot.
#ifndef HEAPSCOPE_SNAPSHOT_TRACES_H_
#define HEAPSCOPE_SNAPSHOT_TRACES_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "heapscope/ids.h"

namespace heapscope::snapshot {

struct AllocationTraces {
  // trace_function_infos, one row per record (function_info_index is the row).
  std::vector<uint32_t> function_id;
  std::vector<StringId> function_name;    // "" for anonymous functions
  std::vector<StringId> function_script;  // script_name ("" for none)
  std::vector<uint32_t> function_script_id;
  std::vector<uint32_t> function_line;    // 1-based as V8 writes them; 0 = unknown
  std::vector<uint32_t> function_column;  // 1-based; 0 = unknown

  // trace_tree, flattened in pre-order (a parent before its children).
  std::vector<uint32_t> tree_id;        // V8's trace node id, what Snapshot::trace_node_id holds
  std::vector<uint32_t> tree_function;  // row of the function_* columns; kNone when invalid
  std::vector<uint32_t> tree_parent;    // index into tree_*; kNone for the tree's top node
  std::vector<uint64_t> tree_count;     // allocations at exactly this stack while tracking
  std::vector<uint64_t> tree_size;      // their bytes (live or since collected)

  // samples: one row per record.
  std::vector<uint64_t> sample_timestamp_us;
  std::vector<uint64_t> sample_last_assigned_id;

  // (tree_id, index) sorted by id, built once the tree is read.
  std::vector<std::pair<uint32_t, uint32_t>> by_id;

  uint32_t function_count() const { return static_cast<uint32_t>(function_id.size()); }
  uint32_t tree_nodes() const { return static_cast<uint32_t>(tree_id.size()); }
  uint32_t sample_count() const { return static_cast<uint32_t>(sample_timestamp_us.size()); }
  // True when the snapshot holds an allocation tree (allocation tracking was on).
  bool tracked() const { return !tree_id.empty(); }

  // The tree node with V8 id `id`; kNone when there is none (0 is "unknown" in V8).
  uint32_t FindNode(uint32_t id) const;
  // Sorts `by_id` (called by the loader; call again after editing the tree by hand).
  void IndexNodes();
};

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_TRACES_H_
