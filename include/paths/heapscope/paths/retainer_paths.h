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
// Root side first, target last: steps.front() is an edge out of the root (to a user root such
// as the global object, or to a synthetic root such as "(GC roots)"). Empty for the root.
struct RetainerPath {
  std::vector<PathStep> steps;
};

// A shortest-path tree over the whole heap from the root, skipping weak edges: first from the
// user roots (non-synthetic children of the root), then from the other children; memlab's
// detour nodes/edges (NativeContext, PropertyCell, map descriptors, code, feedback_cell,
// WeakMap entry edges) only when nothing else reaches a node. Built once; PathTo() reads a path
// for any node in O(path length). See docs/cmd-paths.md.
struct ShortestPathTree {
  std::vector<EdgeIndex> parent_edge;  // per node: the edge into it on its shortest path
  std::vector<NodeIndex> parent_node;  // per node: the source of that edge
  std::vector<uint32_t> depth;         // per node: hops from the root; kNone if unreachable
};
ShortestPathTree BuildShortestPathTree(const snapshot::Snapshot& snap);
RetainerPath PathTo(const ShortestPathTree& tree, NodeIndex target);

// Up to `max_paths` shortest simple retainer paths from the root to `target` (skipping weak
// edges; no node twice), shortest first; among equally long paths, the first found (A* over
// retainer edges, guided by exact hop counts). Empty when `target` is unreachable.
std::vector<RetainerPath> ShortestRetainerPaths(const snapshot::Snapshot& snap,
                                                const graph::Retainers& retainers, NodeIndex target,
                                                uint32_t max_paths);

// The display form of each step (grammar in docs/cmd-paths.md): one string per step,
// "<accessor> <title> @<id>", where <accessor> is DevTools' edge notation for the step's edge
// (".name", "[\"a b\"]", "[3]", "->ctxvar", "{internal}", "{7}", "[[weak]]") and <title> is
// NodeTitle(). E.g. for (GC roots) → … → heartbeat array → closure:
//   "[1] (GC roots) @3", …, "._events Object @2011", ".heartbeat Array @2013",
//   "[847] (closure) @2015".
std::vector<std::string> PathLabels(const snapshot::Snapshot& snap, const RetainerPath& path);

// The one-line form: "(GC roots)[12] → (Global handles){3 / x} → Socket._events.heartbeat[847]
// → (closure)". Each node that is not a plain container (Object, Array, V8 array internals)
// starts a segment; containers fold into the accessor chain; the last node is always shown.
std::string RenderCompactPath(const snapshot::Snapshot& snap, const RetainerPath& path);

// Normalized path: every step as "<accessor> → <title>", element/hidden indices and leading
// handle numbers replaced by "*", node ids dropped, class names kept, so that paths through
// different objects of the same shape compare equal. Used to cluster closures. E.g.
//   "(GC roots){*} → … → Socket._events → Object.heartbeat → Array[*] → (closure)"
std::string NormalizePath(const snapshot::Snapshot& snap, const RetainerPath& path);

// Building blocks of the forms above.
// Node title: the node's name; "(closure)" / "name()" for closures; a quoted, truncated value
// for strings; "(<type>)" for unnamed nodes.
std::string NodeTitle(const snapshot::Snapshot& snap, NodeIndex n);
// DevTools' HeapSnapshotEdge.toString() notation for one edge.
std::string EdgeAccessor(const snapshot::Snapshot& snap, EdgeIndex e);

}  // namespace heapscope::paths

#endif  // HEAPSCOPE_PATHS_RETAINER_PATHS_H_
