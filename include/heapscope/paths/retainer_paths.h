// Retainer paths from GC roots to a node, DevTools/memlab style, and their normalized form.
#ifndef HEAPSCOPE_PATHS_RETAINER_PATHS_H_
#define HEAPSCOPE_PATHS_RETAINER_PATHS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::paths {

// One hop: `edge` leads from the previous step's node (or from the root for the first step)
// to `node`.
struct PathStep {
  EdgeIndex edge;
  NodeIndex node;
};
// Root side first, target last. steps.front().node is a GC root or user root's child.
struct RetainerPath {
  std::vector<PathStep> steps;
};

// A shortest-path tree over the whole heap from the roots, skipping weak edges and preferring
// user roots (memlab's annotateShortestPaths order). Built once; PathTo() reads a path for any
// node in O(path length).
struct ShortestPathTree {
  std::vector<EdgeIndex> parent_edge;  // per node: the edge into it on its shortest path
  std::vector<NodeIndex> parent_node;  // per node: the source of that edge
  std::vector<uint32_t> depth;         // per node: hops from the root; kNone if unreachable
};
ShortestPathTree BuildShortestPathTree(const snapshot::Snapshot& snap);
RetainerPath PathTo(const ShortestPathTree& tree, NodeIndex target);

// Up to `max_paths` shortest simple retainer paths to `target` (skipping weak edges,
// preferring user roots), shortest first.
std::vector<RetainerPath> ShortestRetainerPaths(const snapshot::Snapshot& snap,
                                                const graph::Retainers& retainers,
                                                NodeIndex target, uint32_t max_paths);

// The display form of each step: "(GC roots)", "Socket._events.heartbeat[847]" style labels.
// Returns one string per node on the path: "<Class> --<edge>-->" pieces are joined by the
// renderers; see docs/paths.md for the grammar.
std::vector<std::string> PathLabels(const snapshot::Snapshot& snap, const RetainerPath& path);

// Normalized path: array indices become [*], node ids are dropped, class names kept, so that
// paths through different objects of the same shape compare equal. Used to cluster closures.
std::string NormalizePath(const snapshot::Snapshot& snap, const RetainerPath& path);

}  // namespace heapscope::paths

#endif  // HEAPSCOPE_PATHS_RETAINER_PATHS_H_
