#include "heapscope/graph/heap_graph.h"

namespace heapscope::graph {

// Counting sort of the edges by target: one pass counts, a prefix sum places, a second pass
// fills. Sources are visited in node order and edges in edge order, so each node's retainers
// come out ordered by (source node, edge ordinal).
Retainers BuildRetainers(const snapshot::Snapshot& snap) {
  const uint32_t node_count = snap.node_count();
  const uint32_t edge_count = snap.edge_count();
  Retainers r;
  r.first_retainer.assign(static_cast<size_t>(node_count) + 1, 0);
  r.retainer_edge.resize(edge_count);
  r.retainer_node.resize(edge_count);

  // Counts go one slot to the right so that the prefix sum directly yields the begin offsets.
  for (uint32_t e = 0; e < edge_count; ++e) ++r.first_retainer[snap.edge_to[e].v + 1];
  for (uint32_t n = 0; n < node_count; ++n) r.first_retainer[n + 1] += r.first_retainer[n];

  // `cursor[n]` is the next free slot of node n; borrow first_retainer and shift back after.
  std::vector<uint32_t>& cursor = r.first_retainer;
  for (uint32_t src = 0; src < node_count; ++src) {
    const uint32_t end = snap.first_edge[src + 1];
    for (uint32_t e = snap.first_edge[src]; e < end; ++e) {
      const uint32_t to = snap.edge_to[e].v;
      const uint32_t slot = cursor[to]++;
      r.retainer_edge[slot] = EdgeIndex(e);
      r.retainer_node[slot] = NodeIndex(src);
    }
  }
  // Now cursor[n] == end of n == begin of n+1: shift right by one.
  for (uint32_t n = node_count; n > 0; --n) cursor[n] = cursor[n - 1];
  cursor[0] = 0;
  return r;
}

std::vector<NodeIndex> BuildEdgeSources(const snapshot::Snapshot& snap) {
  std::vector<NodeIndex> sources(snap.edge_count());
  const uint32_t node_count = snap.node_count();
  for (uint32_t n = 0; n < node_count; ++n) {
    const uint32_t end = snap.first_edge[n + 1];
    for (uint32_t e = snap.first_edge[n]; e < end; ++e) sources[e] = NodeIndex(n);
  }
  return sources;
}

}  // namespace heapscope::graph
