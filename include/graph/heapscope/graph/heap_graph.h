// The retainer graph: forward edges as loaded (Snapshot's CSR arrays) plus reverse edges
// (retainers) built once, also in CSR form. Nothing is allocated per node.
#ifndef HEAPSCOPE_GRAPH_HEAP_GRAPH_H_
#define HEAPSCOPE_GRAPH_HEAP_GRAPH_H_

#include <cstdint>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::graph {

// Retainers of node n are retainer_edge[first_retainer[n] .. first_retainer[n+1]), each the
// ordinal of an edge whose target is n, with retainer_node[i] its source node. Ordered by
// source node, then by edge ordinal. (DevTools fills each node's slots back to front, so its
// order is the reverse; no figure heapscope computes depends on the order.)
struct Retainers {
  std::vector<uint32_t> first_retainer;  // node_count + 1
  std::vector<EdgeIndex> retainer_edge;  // edge_count
  std::vector<NodeIndex> retainer_node;  // edge_count

  uint32_t Begin(NodeIndex n) const { return first_retainer[n.v]; }
  uint32_t End(NodeIndex n) const { return first_retainer[n.v + 1]; }
};

Retainers BuildRetainers(const snapshot::Snapshot& snap);

// Source node of every edge (edge_count entries): the inverse of first_edge.
std::vector<NodeIndex> BuildEdgeSources(const snapshot::Snapshot& snap);

}  // namespace heapscope::graph

#endif  // HEAPSCOPE_GRAPH_HEAP_GRAPH_H_
