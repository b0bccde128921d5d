// Per-node figures as Chrome DevTools computes them: distances, essential edges, dominators,
// retained sizes, and DevTools' shallow-size reassignment. See docs/dominators.md for the rules
// and for every deliberate difference from DevTools.
#ifndef HEAPSCOPE_DOMINATORS_HEAP_ANALYSIS_H_
#define HEAPSCOPE_DOMINATORS_HEAP_ANALYSIS_H_

#include <cstdint>
#include <vector>

#include "heapscope/graph/heap_graph.h"
#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"
#include "heapscope/status.h"

namespace heapscope::dominators {

// DevTools' distance constants.
inline constexpr int32_t kNoDistance = -5;                 // unreachable
inline constexpr int32_t kBaseSystemDistance = 100000000;  // reached only from the root

struct AnalysisOptions {
  // DevTools moves the self size of hidden/array nodes owned by exactly one object onto that
  // object before computing retained sizes. On by default to match DevTools' numbers.
  bool reassign_shallow_sizes = true;
};

struct HeapAnalysis {
  bool shallow_sizes_reassigned = false;
  std::vector<uint64_t> self_size;      // per node, after reassignment when it applied
  std::vector<int32_t> distance;        // per node, DevTools' distance
  std::vector<NodeIndex> dominator;     // immediate dominator; the root dominates itself
  std::vector<uint64_t> retained_size;  // per node, 64-bit
  std::vector<NodeIndex> user_roots;    // the root's children DevTools counts as user roots
  // Every node once, each after its immediate dominator (Lengauer–Tarjan's DFS preorder, root
  // first). ComputeRetainedSizes sums sizes up the tree in reverse of this order; other code
  // may use it for any top-down walk of the dominator tree.
  std::vector<NodeIndex> dominator_order;
  // Edges that may retain (DevTools' "essential" edges), one bit per edge ordinal.
  std::vector<uint64_t> essential_edge_bits;
  bool IsEssential(EdgeIndex e) const { return (essential_edge_bits[e.v >> 6] >> (e.v & 63)) & 1; }
  uint64_t total_size = 0;  // sum of self sizes (== retained size of the root)
};

// The steps, separately callable (the benchmark times them one by one). Each fills its part
// of `out`; later steps rely on earlier ones. No step recurses or allocates per node.
void ComputeDistances(const snapshot::Snapshot& snap, HeapAnalysis& out);
void ComputeShallowSizes(const snapshot::Snapshot& snap, const AnalysisOptions& options,
                         HeapAnalysis& out);
// ComputeEssentialEdges (page-owned nodes, essential_edge_bits; no retainers needed) then
// ComputeDominatorTree (Lengauer–Tarjan over the essential edges).
void ComputeDominators(const snapshot::Snapshot& snap, const graph::Retainers& retainers,
                       HeapAnalysis& out);
void ComputeEssentialEdges(const snapshot::Snapshot& snap, HeapAnalysis& out);
void ComputeDominatorTree(const snapshot::Snapshot& snap, const graph::Retainers& retainers,
                          HeapAnalysis& out);
void ComputeRetainedSizes(const snapshot::Snapshot& snap, HeapAnalysis& out);

// All of the above in order.
HeapAnalysis Analyze(const snapshot::Snapshot& snap, const graph::Retainers& retainers,
                     const AnalysisOptions& options = {});

}  // namespace heapscope::dominators

#endif  // HEAPSCOPE_DOMINATORS_HEAP_ANALYSIS_H_
