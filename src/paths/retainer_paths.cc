// Retainer paths: a preference-aware BFS tree from the root (one path per node, memlab style)
// and the K shortest simple paths to one node (A* over retainer edges, guided by exact BFS
// hop counts). Labels and the normalized form follow the grammar in docs/cmd-paths.md.
#include "heapscope/paths/retainer_paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <queue>
#include <string_view>

namespace heapscope::paths {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Nodes that connect everything to everything and make paths meaningless when taken early
// (memlab's blocklist: NativeContext, PropertyCell, descriptor arrays, code).
bool IsDetourNode(const Snapshot& snap, uint32_t n) {
  const NodeType t = snap.node_type[n];
  if (t == NodeType::kCode) return true;
  if (t == NodeType::kHidden || t == NodeType::kArray) {
    std::string_view name = snap.NodeName(NodeIndex(n));
    return name == "system / NativeContext" || name == "system / PropertyCell" ||
           name == "(map descriptors)";
  }
  return false;
}

// Edges memlab never walks first: internal `code` and `feedback_cell`, and WeakMap entries
// ("… part of key (…) -> value (…) pair in WeakMap …", also "ephemeron table").
bool IsDetourEdge(const Snapshot& snap, uint32_t e) {
  if (snap.edge_type[e] != EdgeType::kInternal) return false;
  std::string_view name = snap.EdgeName(EdgeIndex(e));
  return name == "code" || name == "feedback_cell" ||
         name.find(" / part of key (") != std::string_view::npos;
}

// DevTools' HeapSnapshotEdge.toString() accessor for an edge.
std::string Accessor(const Snapshot& snap, uint32_t e, bool star_indices) {
  const EdgeType t = snap.edge_type[e];
  if (!snap.EdgeHasName(EdgeIndex(e))) {
    const std::string index =
        star_indices ? std::string("*") : fmt::format("{}", snap.edge_name_or_index[e]);
    return t == EdgeType::kElement ? "[" + index + "]" : "{" + index + "}";
  }
  std::string name(snap.EdgeName(EdgeIndex(e)));
  if (star_indices) {
    // "<n> / description" handle and WeakMap names: the number is an index too.
    size_t i = 0;
    while (i < name.size() && IsDigit(name[i])) ++i;
    if (i > 0 && (i == name.size() || name[i] == ' ')) name.replace(0, i, "*");
  }
  switch (t) {
    case EdgeType::kContext:
      return "->" + name;
    case EdgeType::kWeak:
      return "[[" + name + "]]";
    case EdgeType::kProperty:
    case EdgeType::kShortcut:
      return name.find(' ') == std::string::npos ? "." + name : "[\"" + name + "\"]";
    default:
      return "{" + name + "}";
  }
}

}  // namespace

ShortestPathTree BuildShortestPathTree(const Snapshot& snap) {
  const uint32_t node_count = snap.node_count();
  ShortestPathTree tree;
  tree.parent_edge.assign(node_count, EdgeIndex());
  tree.parent_node.assign(node_count, kNoNode);
  tree.depth.assign(node_count, kNone);
  if (node_count == 0) return tree;

  // Breadth-first from the root's children in two phases: first the user roots (non-synthetic
  // children: the global object in Node <= 22, Windows in Chrome), then the rest ((GC roots),
  // embedder roots). So a node reachable from a user root always gets a path from one, as
  // DevTools' distances (user roots first, then "system"). Within a phase, edges into detour
  // nodes or along detour edges are parked in `postponed` and taken only when the preferred
  // frontier runs dry (memlab's postpone queue); a node gets a detour path only when nothing
  // else reaches it.
  std::vector<uint32_t> queue;
  queue.reserve(node_count);
  std::vector<uint32_t> postponed;    // edge ordinals
  std::vector<uint32_t> edge_source;  // their sources
  const uint32_t root = snap.root.v;
  tree.depth[root] = 0;
  auto visit = [&](uint32_t from, uint32_t e) {
    const uint32_t to = snap.edge_to[e].v;
    tree.depth[to] = tree.depth[from] + 1;
    tree.parent_edge[to] = EdgeIndex(e);
    tree.parent_node[to] = NodeIndex(from);
    queue.push_back(to);
  };
  size_t head = 0;
  auto search = [&]() {
    while (true) {
      while (head < queue.size()) {
        const uint32_t n = queue[head++];
        const uint32_t end = snap.first_edge[n + 1];
        for (uint32_t e = snap.first_edge[n]; e < end; ++e) {
          if (snap.edge_type[e] == EdgeType::kWeak) continue;
          const uint32_t to = snap.edge_to[e].v;
          if (to == n || tree.depth[to] != kNone) continue;
          if (IsDetourEdge(snap, e) || IsDetourNode(snap, to)) {
            postponed.push_back(e);
            edge_source.push_back(n);
            continue;
          }
          visit(n, e);
        }
      }
      // Take the shallowest postponed edges whose targets are still unreached.
      uint32_t best = kNone;
      for (size_t i = 0; i < postponed.size(); ++i) {
        if (tree.depth[snap.edge_to[postponed[i]].v] == kNone) {
          best = std::min(best, tree.depth[edge_source[i]]);
        }
      }
      if (best == kNone) break;
      size_t keep = 0;
      for (size_t i = 0; i < postponed.size(); ++i) {
        const uint32_t e = postponed[i];
        if (tree.depth[snap.edge_to[e].v] != kNone) continue;  // reached meanwhile: drop
        if (tree.depth[edge_source[i]] == best) {
          visit(edge_source[i], e);
        } else {
          postponed[keep] = e;
          edge_source[keep] = edge_source[i];
          ++keep;
        }
      }
      postponed.resize(keep);
      edge_source.resize(keep);
    }
  };
  for (int phase = 0; phase < 2; ++phase) {
    const bool user_phase = phase == 0;
    for (uint32_t e = snap.EdgeBegin(snap.root); e < snap.EdgeEnd(snap.root); ++e) {
      if (snap.edge_type[e] == EdgeType::kWeak) continue;
      const NodeIndex to = snap.edge_to[e];
      if ((snap.Type(to) != NodeType::kSynthetic) != user_phase) continue;
      if (tree.depth[to.v] == kNone) visit(root, e);
    }
    search();
  }
  return tree;
}

RetainerPath PathTo(const ShortestPathTree& tree, NodeIndex target) {
  RetainerPath path;
  if (!target.valid() || target.v >= tree.depth.size() || tree.depth[target.v] == kNone) {
    return path;
  }
  for (NodeIndex n = target; tree.parent_node[n.v].valid(); n = tree.parent_node[n.v]) {
    path.steps.push_back({tree.parent_edge[n.v], n});
  }
  std::reverse(path.steps.begin(), path.steps.end());
  return path;
}

std::vector<RetainerPath> ShortestRetainerPaths(const Snapshot& snap,
                                                const graph::Retainers& retainers, NodeIndex target,
                                                uint32_t max_paths) {
  std::vector<RetainerPath> result;
  const uint32_t node_count = snap.node_count();
  if (max_paths == 0 || !target.valid() || target.v >= node_count) return result;
  const uint32_t root = snap.root.v;

  // Exact hop counts from the root over strong edges: the A* heuristic (consistent, so
  // complete paths come out shortest first).
  std::vector<uint32_t> hops(node_count, kNone);
  {
    std::vector<uint32_t> queue;
    queue.reserve(node_count);
    hops[root] = 0;
    queue.push_back(root);
    for (size_t head = 0; head < queue.size(); ++head) {
      const uint32_t n = queue[head];
      for (uint32_t e = snap.first_edge[n]; e < snap.first_edge[n + 1]; ++e) {
        if (snap.edge_type[e] == EdgeType::kWeak) continue;
        const uint32_t to = snap.edge_to[e].v;
        if (hops[to] != kNone) continue;
        hops[to] = hops[n] + 1;
        queue.push_back(to);
      }
    }
  }
  if (hops[target.v] == kNone) return result;
  if (target.v == root) {
    result.push_back({});
    return result;
  }

  // Partial paths grow backwards from the target; each entry is one step with a link to the
  // entry it extends (a tree of shared suffixes, no per-path vectors).
  struct Partial {
    uint32_t node;    // the path's current first node
    uint32_t edge;    // edge from `node` to the next node (kNone for the target itself)
    uint32_t next;    // index of the partial this extends (kNone for the target)
    uint32_t length;  // hops from `node` to the target
  };
  std::vector<Partial> partials;
  partials.push_back({target.v, kNone, kNone, 0});
  using Item = std::pair<uint64_t, uint32_t>;  // (f << 32 | sequence, partial index)
  std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
  uint32_t sequence = 0;
  auto push = [&](uint32_t index) {
    const Partial& p = partials[index];
    const uint64_t f = uint64_t{p.length} + hops[p.node];
    open.push({(f << 32) | sequence++, index});
  };
  push(0);
  // "Is this node on the partial path being extended?" in O(1): the nodes of the last popped
  // partial path are marked, and moving to the next popped partial unmarks and marks only
  // the steps where the two paths differ (their distance in the tree of partials). Walking the
  // whole path per expansion made a 100k-node chain quadratic.
  std::vector<uint8_t> on_path(node_count, 0);
  std::vector<uint8_t> partial_marked;  // per partial: its node is marked as on the path
  std::vector<uint32_t> marked;         // the marked partials, target first
  std::vector<uint32_t> climb;
  auto mark_path_of = [&](uint32_t index) {
    partial_marked.resize(partials.size(), 0);
    climb.clear();
    uint32_t i = index;
    while (i != kNone && !partial_marked[i]) {
      climb.push_back(i);
      i = partials[i].next;
    }
    // `i` is the deepest marked partial shared with the new path (or none): unmark above it.
    while (!marked.empty() && marked.back() != i) {
      partial_marked[marked.back()] = 0;
      on_path[partials[marked.back()].node] = 0;
      marked.pop_back();
    }
    for (auto it = climb.rbegin(); it != climb.rend(); ++it) {
      partial_marked[*it] = 1;
      on_path[partials[*it].node] = 1;
      marked.push_back(*it);
    }
  };
  constexpr size_t kMaxPartials = 4'000'000;  // bounds work on pathological graphs
  while (!open.empty() && result.size() < max_paths) {
    const uint32_t index = open.top().second;
    open.pop();
    const Partial p = partials[index];
    if (p.node == root) {
      RetainerPath path;
      for (uint32_t i = index; partials[i].next != kNone; i = partials[i].next) {
        path.steps.push_back(
            {EdgeIndex(partials[i].edge), NodeIndex(partials[partials[i].next].node)});
      }
      result.push_back(std::move(path));
      continue;
    }
    if (partials.size() > kMaxPartials) break;
    mark_path_of(index);
    for (uint32_t ri = retainers.Begin(NodeIndex(p.node)); ri < retainers.End(NodeIndex(p.node));
         ++ri) {
      const uint32_t e = retainers.retainer_edge[ri].v;
      const uint32_t from = retainers.retainer_node[ri].v;
      if (snap.edge_type[e] == EdgeType::kWeak || hops[from] == kNone) continue;
      // Simple paths only: `from` must not already be on this partial path.
      if (on_path[from]) continue;
      partials.push_back({from, e, index, p.length + 1});
      push(static_cast<uint32_t>(partials.size() - 1));
    }
  }
  return result;
}

std::string NodeTitle(const Snapshot& snap, NodeIndex n) {
  const NodeType t = snap.Type(n);
  std::string_view name = snap.NodeName(n);
  switch (t) {
    case NodeType::kClosure:
      return name.empty() ? std::string("(closure)") : fmt::format("{}()", name);
    case NodeType::kString:
    case NodeType::kConsString:
    case NodeType::kSlicedString: {
      constexpr size_t kMax = 40;
      std::string s(name.substr(0, kMax));
      for (char& c : s) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      }
      return fmt::format("\"{}{}\"", s, name.size() > kMax ? "…" : "");
    }
    case NodeType::kNumber:
      return "(number)";
    default:
      return name.empty() ? fmt::format("({})", snapshot::NodeTypeName(t)) : std::string(name);
  }
}

std::string EdgeAccessor(const Snapshot& snap, EdgeIndex e) { return Accessor(snap, e.v, false); }

std::vector<std::string> PathLabels(const Snapshot& snap, const RetainerPath& path) {
  std::vector<std::string> labels;
  labels.reserve(path.steps.size());
  for (const PathStep& s : path.steps) {
    labels.push_back(fmt::format("{} {} @{}", Accessor(snap, s.edge.v, false),
                                 NodeTitle(snap, s.node), snap.NodeId(s.node)));
  }
  return labels;
}

namespace {
// Objects that only hold things (plain Object, Array and V8's backing stores): the compact
// form folds them into the accessor chain.
bool IsContainer(const Snapshot& snap, NodeIndex n) {
  const NodeType t = snap.Type(n);
  if (t == NodeType::kArray) return true;
  if (t == NodeType::kObject) {
    std::string_view name = snap.NodeName(n);
    return name == "Object" || name == "Array";
  }
  return false;
}

// Every step as "<accessor> → <Title>", indices starred, ids never shown.
std::string Normalized(const Snapshot& snap, const RetainerPath& path) {
  std::string out;
  for (size_t i = 0; i < path.steps.size(); ++i) {
    const PathStep& s = path.steps[i];
    if (i > 0) {
      out += Accessor(snap, s.edge.v, /*star_indices=*/true);
      out += " → ";
    }
    out += NodeTitle(snap, s.node);
  }
  return out;
}
}  // namespace

std::string RenderCompactPath(const Snapshot& snap, const RetainerPath& path) {
  // "(GC roots) → … → Socket._events.heartbeat[847] → (closure)": each non-container node
  // starts a segment; containers are folded into the accessor chain of the segment.
  std::string out;
  for (size_t i = 0; i < path.steps.size(); ++i) {
    const PathStep& s = path.steps[i];
    const bool last = i + 1 == path.steps.size();
    if (i == 0) {
      out += NodeTitle(snap, s.node);
      continue;
    }
    out += Accessor(snap, s.edge.v, false);
    if (last || !IsContainer(snap, s.node)) {
      out += " → ";
      out += NodeTitle(snap, s.node);
    }
  }
  return out;
}

std::string NormalizePath(const Snapshot& snap, const RetainerPath& path) {
  return Normalized(snap, path);
}

}  // namespace heapscope::paths
