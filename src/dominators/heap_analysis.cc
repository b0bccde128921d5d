// DevTools' per-node figures, reproduced rule by rule from
// front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.ts (chrome-devtools-frontend
// 1.0.1705227; see docs/dominators.md). Every step works on flat arrays sized once; nothing
// recurses and nothing is allocated per node.
#include "heapscope/dominators/heap_analysis.h"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "heapscope/graph/bgl_view.h"
#include "heapscope/snapshot/classes.h"
#include "heapscope/io/parallel.h"

namespace heapscope::dominators {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

constexpr std::string_view kDocumentDomTrees = "(Document DOM trees)";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// JS parseInt(s, 10) for the descriptor-array filter: leading whitespace, optional sign, then
// decimal digits. Returns false for NaN.
bool ParseIntLikeJs(std::string_view s, int64_t* out) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i >= s.size() || !IsDigit(s[i])) return false;
  int64_t v = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (v < (int64_t{1} << 60)) v = v * 10 + (s[i] - '0');
  }
  *out = negative ? -v : v;
  return true;
}

// V8 names both edges of a WeakMap entry (key -> value and table -> value)
//   "<n> / part of key (<k> @<kid>) -> value (<v> @<vid>) pair in WeakMap (table @<tid>)"
// DevTools matches them with
//   /^\d+(?<duplicatedPart> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap
//    \(table @(?<tableId>\d+)\))$/
// Both edges of one entry share the part after the leading number. This is the same test,
// written out: `.` in the pattern excludes line terminators, so the free parts may not hold
// '\n' or '\r'.
bool MatchWeakMapEdgeName(std::string_view s, std::string_view* duplicated_part,
                          uint64_t* table_id) {
  static constexpr std::string_view kKey = " / part of key (";
  static constexpr std::string_view kValue = ") -> value (";
  static constexpr std::string_view kTable = ") pair in WeakMap (table @";
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == 0) return false;
  std::string_view rest = s.substr(i);
  if (!rest.starts_with(kKey)) return false;
  if (rest.find_first_of("\n\r") != std::string_view::npos) return false;
  // Tail: kTable <digits> ")" at the very end.
  if (rest.size() < kKey.size() + 2 || rest.back() != ')') return false;
  size_t d_end = rest.size() - 1;
  size_t d_begin = d_end;
  while (d_begin > 0 && IsDigit(rest[d_begin - 1])) --d_begin;
  if (d_begin == d_end || d_begin < kTable.size()) return false;
  if (rest.substr(d_begin - kTable.size(), kTable.size()) != kTable) return false;
  // Middle: "<k> @<kid>) -> value (<v> @<vid>" between kKey and kTable.
  const size_t mid_begin = kKey.size();
  if (d_begin - kTable.size() < mid_begin) return false;
  std::string_view mid = rest.substr(mid_begin, d_begin - kTable.size() - mid_begin);
  // mid must end with " @<digits>" ...
  size_t v_end = mid.size();
  size_t v_begin = v_end;
  while (v_begin > 0 && IsDigit(mid[v_begin - 1])) --v_begin;
  if (v_begin == v_end || v_begin < 2 || mid.substr(v_begin - 2, 2) != " @") return false;
  std::string_view head = mid.substr(0, v_begin - 2);  // "<k> @<kid>) -> value (<v>"
  // ... and hold, somewhere, " @<digits>) -> value (".
  bool found = false;
  for (size_t p = head.find(kValue); p != std::string_view::npos; p = head.find(kValue, p + 1)) {
    size_t q = p;
    while (q > 0 && IsDigit(head[q - 1])) --q;
    if (q < p && q >= 2 && head.substr(q - 2, 2) == " @") {
      found = true;
      break;
    }
  }
  if (!found) return false;
  uint64_t id = 0;
  for (size_t k = d_begin; k < d_end; ++k) {
    if (id < (uint64_t{1} << 40)) id = id * 10 + static_cast<uint64_t>(rest[k] - '0');
  }
  *duplicated_part = rest;
  *table_id = id;
  return true;
}

// The WeakMap-ness of the names of internal edges, worked out once per distinct string.
class WeakMapEdgeNames {
 public:
  explicit WeakMapEdgeNames(const Snapshot& snap) {
    const uint32_t string_count = snap.string_count();
    pair_.assign(string_count, kNone);
    table_id_.resize(string_count, 0);
    std::vector<uint8_t> seen(string_count, 0);
    std::unordered_map<std::string_view, uint32_t> pair_ids;
    const uint32_t edge_count = snap.edge_count();
    for (uint32_t e = 0; e < edge_count; ++e) {
      if (snap.edge_type[e] != EdgeType::kInternal) continue;
      const uint32_t s = snap.edge_name_or_index[e];
      if (s >= string_count || seen[s]) continue;
      seen[s] = 1;
      std::string_view part;
      uint64_t table_id = 0;
      if (!MatchWeakMapEdgeName(snap.String(StringId(s)), &part, &table_id)) continue;
      auto [it, inserted] = pair_ids.emplace(part, static_cast<uint32_t>(pair_ids.size()));
      pair_[s] = it->second;
      table_id_[s] = table_id;
    }
    pair_count_ = static_cast<uint32_t>(pair_ids.size());
  }

  // The entry (shared by the key's and the table's edge) an internal edge belongs to, or kNone.
  uint32_t Pair(const Snapshot& snap, uint32_t e) const {
    if (snap.edge_type[e] != EdgeType::kInternal) return kNone;
    const uint32_t s = snap.edge_name_or_index[e];
    return s < pair_.size() ? pair_[s] : kNone;
  }
  uint64_t TableId(const Snapshot& snap, uint32_t e) const {
    return table_id_[snap.edge_name_or_index[e]];
  }
  uint32_t pair_count() const { return pair_count_; }

 private:
  std::vector<uint32_t> pair_;      // per string id
  std::vector<uint64_t> table_id_;  // per string id, when pair_ is set
  uint32_t pair_count_ = 0;
};

// DevTools' isUserRoot for JSHeapSnapshot: any non-synthetic child of the root, or the
// synthetic "(Document DOM trees)".
bool IsUserRoot(const Snapshot& snap, NodeIndex n) {
  return snap.Type(n) != NodeType::kSynthetic || snap.NodeName(n) == kDocumentDomTrees;
}

bool HasUserRoots(const Snapshot& snap) {
  for (uint32_t e = snap.EdgeBegin(snap.root); e < snap.EdgeEnd(snap.root); ++e) {
    if (IsUserRoot(snap, snap.edge_to[e])) return true;
  }
  return false;
}

// What the distance filter needs to know about a node, decided once per visited node.
enum class NodeKind : uint8_t { kPlain, kNativeContext, kMapDescriptors };

NodeKind KindOf(const Snapshot& snap, uint32_t n) {
  const NodeType t = snap.node_type[n];
  if (t == NodeType::kHidden && snap.NodeName(NodeIndex(n)) == "system / NativeContext") {
    return NodeKind::kNativeContext;
  }
  if (t == NodeType::kArray && snap.NodeName(NodeIndex(n)) == "(map descriptors)") {
    return NodeKind::kMapDescriptors;
  }
  return NodeKind::kPlain;
}

// DevTools' edge name as a string, for parseInt(): the index for element/hidden edges.
bool EdgeNameAsInt(const Snapshot& snap, uint32_t e, int64_t* out) {
  if (!snap.EdgeHasName(EdgeIndex(e))) {
    *out = snap.edge_name_or_index[e];
    return true;
  }
  return ParseIntLikeJs(snap.EdgeName(EdgeIndex(e)), out);
}

// One breadth-first pass of HeapSnapshot.bfs() with JSHeapSnapshot's filter. `pending` is the
// filter's ephemeron state, shared by both passes as in DevTools.
void DistanceBfs(const Snapshot& snap, const WeakMapEdgeNames& weak_maps,
                 std::vector<uint32_t>& queue, size_t head, std::vector<uint8_t>& pending,
                 std::vector<int32_t>& distance) {
  while (head < queue.size()) {
    const uint32_t n = queue[head++];
    const int32_t d = distance[n] + 1;
    const NodeKind kind = KindOf(snap, n);
    const uint32_t end = snap.first_edge[n + 1];
    for (uint32_t e = snap.first_edge[n]; e < end; ++e) {
      const EdgeType type = snap.edge_type[e];
      if (type == EdgeType::kWeak) continue;
      const uint32_t child = snap.edge_to[e].v;
      if (distance[child] != kNoDistance) continue;
      // The filter, in DevTools' order.
      if (kind == NodeKind::kNativeContext && snap.EdgeHasName(EdgeIndex(e)) &&
          snap.EdgeName(EdgeIndex(e)) == "sloppy_function_map") {
        continue;
      }
      if (kind == NodeKind::kMapDescriptors) {
        // Descriptor arrays are shared between maps; skip every descriptor slot (crbug 413608).
        int64_t index = 0;
        if (EdgeNameAsInt(snap, e, &index) && !(index < 2 || index % 3 != 1)) continue;
      } else if (type == EdgeType::kInternal) {
        // WeakMap value: skip whichever of (key -> value, table -> value) comes first, so the
        // value's distance is max(key, table) + 1 (crbug 1290800).
        const uint32_t pair = weak_maps.Pair(snap, e);
        if (pair != kNone) {
          if (!pending[pair]) {
            pending[pair] = 1;
            continue;
          }
          pending[pair] = 0;
        }
      }
      distance[child] = d;
      queue.push_back(child);
    }
  }
}

}  // namespace

void ComputeDistances(const Snapshot& snap, HeapAnalysis& out) {
  const uint32_t node_count = snap.node_count();
  const WeakMapEdgeNames weak_maps(snap);
  std::vector<uint8_t> pending(weak_maps.pair_count(), 0);
  out.distance.assign(node_count, kNoDistance);
  out.user_roots.clear();

  std::vector<uint32_t> queue;
  queue.reserve(node_count + 2 * (snap.EdgeEnd(snap.root) - snap.EdgeBegin(snap.root)));
  // BFS from the user roots, at distance 1. DevTools queues a user root once per root edge to
  // it, and its second visit can matter: the WeakMap filter skipped a value on the first visit
  // and takes it on the second. A third visit cannot: after two, every child of the node has
  // its distance or is skipped for good. So each user root is queued at most twice, at the
  // places of its first two edges, which keeps DevTools' results and makes a root with a
  // million parallel edges cost no more than one with two.
  std::vector<uint8_t> queued(node_count, 0);
  for (uint32_t e = snap.EdgeBegin(snap.root); e < snap.EdgeEnd(snap.root); ++e) {
    const NodeIndex child = snap.edge_to[e];
    if (!IsUserRoot(snap, child)) continue;
    if (out.distance[child.v] != 1) out.user_roots.push_back(child);
    out.distance[child.v] = 1;
    if (queued[child.v] == 2) continue;
    ++queued[child.v];
    queue.push_back(child.v);
  }
  const bool has_user_roots = !queue.empty();
  DistanceBfs(snap, weak_maps, queue, 0, pending, out.distance);

  // BFS from the root for what user roots do not reach ("system" objects).
  out.distance[snap.root.v] = has_user_roots ? kBaseSystemDistance : 0;
  const size_t head = queue.size();
  queue.push_back(snap.root.v);
  DistanceBfs(snap, weak_maps, queue, head, pending, out.distance);
}

void ComputeShallowSizes(const Snapshot& snap, const AnalysisOptions& options, HeapAnalysis& out) {
  out.self_size = snap.self_size;
  out.shallow_sizes_reassigned = false;
  // No user roots means an "expose internals" snapshot: DevTools keeps the real sizes then.
  if (!options.reassign_shallow_sizes || !HasUserRoots(snap)) return;
  out.shallow_sizes_reassigned = true;

  const uint32_t node_count = snap.node_count();
  constexpr uint32_t kUnvisited = 0xffffffff;
  constexpr uint32_t kHasMultipleOwners = 0xfffffffe;
  std::vector<uint32_t> owners(node_count);
  std::vector<uint32_t> worklist;  // a stack: each node enters at most twice
  worklist.reserve(node_count);
  // DevTools tests the name after its detachedness propagation has renamed detached native
  // nodes "Detached …": a detached "system / ExternalStringData" owns itself.
  auto is_string_data = [&](uint32_t i) {
    return snap.node_type[i] == NodeType::kNative &&
           snap.NodeName(NodeIndex(i)) == "system / ExternalStringData";
  };
  std::vector<uint8_t> dom_state;
  if (snap.meta.has_detachedness) {
    for (uint32_t i = 0; i < node_count && dom_state.empty(); ++i) {
      if (is_string_data(i)) dom_state = snapshot::PropagateDetachedness(snap);
    }
  }
  for (uint32_t i = 0; i < node_count; ++i) {
    const NodeType t = snap.node_type[i];
    if (t == NodeType::kHidden || t == NodeType::kArray ||
        (is_string_data(i) &&
         (dom_state.empty() || !snapshot::HasDetachedPrefix(snap, dom_state, NodeIndex(i))))) {
      owners[i] = kUnvisited;
    } else {
      owners[i] = i;  // owns itself
      worklist.push_back(i);
    }
  }
  while (!worklist.empty()) {
    const uint32_t id = worklist.back();
    worklist.pop_back();
    const uint32_t owner = owners[id];
    const uint32_t end = snap.first_edge[id + 1];
    for (uint32_t e = snap.first_edge[id]; e < end; ++e) {
      if (snap.edge_type[e] == EdgeType::kWeak) continue;
      const uint32_t target = snap.edge_to[e].v;
      const uint32_t current = owners[target];
      // The order of these tests is DevTools' switch order: it matters when `owner` is itself
      // kHasMultipleOwners, which then spreads to unvisited targets.
      if (current == kUnvisited) {
        owners[target] = owner;
        worklist.push_back(target);
      } else if (current == target || current == owner || current == kHasMultipleOwners) {
        // Owned by itself, by the same owner, or already shared: nothing changes.
      } else {
        owners[target] = kHasMultipleOwners;
        worklist.push_back(target);
      }
    }
  }
  for (uint32_t i = 0; i < node_count; ++i) {
    const uint32_t owner = owners[i];
    if (owner == kUnvisited || owner == kHasMultipleOwners || owner == i) continue;
    // Moving size onto synthetic nodes or the root is not useful (DevTools).
    if (snap.node_type[owner] == NodeType::kSynthetic || owner == snap.root.v) continue;
    out.self_size[owner] += out.self_size[i];
    out.self_size[i] = 0;
  }
}

namespace {

// ---- Page-owned nodes (markPageOwnedNodes) --------------------------------------------------
// Everything reachable over non-weak edges from the root's shortcut targets (Windows, or the
// global object in Node ≤ 22) and from "(Document DOM trees)". A Boost.Graph BFS over the
// snapshot's own arrays.
std::vector<uint8_t> MarkPageOwnedNodes(const Snapshot& snap) {
  const uint32_t node_count = snap.node_count();
  std::vector<uint8_t> page(node_count, 0);
  std::vector<uint32_t> seeds;
  for (uint32_t e = snap.EdgeBegin(snap.root); e < snap.EdgeEnd(snap.root); ++e) {
    const NodeIndex to = snap.edge_to[e];
    const EdgeType t = snap.edge_type[e];
    if (t == EdgeType::kShortcut ||
        (t == EdgeType::kElement && snap.Type(to) == NodeType::kSynthetic &&
         snap.NodeName(to) == kDocumentDomTrees)) {
      seeds.push_back(to.v);
    }
  }
  if (!seeds.empty()) {
    graph::HeapGraphView g(snap, /*skip_weak=*/true);
    graph::VectorQueue queue(node_count);
    boost::two_bit_color_map<boost::identity_property_map> color(node_count);
    struct MarkVisitor : boost::default_bfs_visitor {
      std::vector<uint8_t>* page;
      void discover_vertex(uint32_t v, const graph::HeapGraphView&) const { (*page)[v] = 1; }
    } visitor;
    visitor.page = &page;
    boost::breadth_first_visit(g, seeds.begin(), seeds.end(), queue, visitor, color);
  }
  return page;
}

// ---- Essential edges (computeIsEssentialEdge) -----------------------------------------------
// Runs over 64-edge words in parallel: each task owns whole words of the bit vector, finds the
// source node of its first edge in first_edge and walks on from there.
void MarkEssentialEdges(const Snapshot& snap, const std::vector<uint8_t>& page,
                        std::vector<uint64_t>& essential) {
  const uint32_t node_count = snap.node_count();
  const uint32_t edge_count = snap.edge_count();
  const uint32_t root = snap.root.v;
  const WeakMapEdgeNames weak_maps(snap);
  const size_t words = (static_cast<size_t>(edge_count) + 63) / 64;
  essential.assign(words, 0);
  par::For(0, words, 4096, [&](uint64_t w0, uint64_t w1) {
    const uint32_t e_begin = static_cast<uint32_t>(w0 * 64);
    const uint32_t e_end = static_cast<uint32_t>(std::min<uint64_t>(w1 * 64, edge_count));
    // The node whose edges include e_begin: the last n with first_edge[n] <= e_begin.
    uint32_t n = static_cast<uint32_t>(
        std::upper_bound(snap.first_edge.begin(), snap.first_edge.begin() + node_count, e_begin) -
        snap.first_edge.begin() - 1);
    for (uint32_t e = e_begin; e < e_end; ++e) {
      while (snap.first_edge[n + 1] <= e) ++n;
      const EdgeType t = snap.edge_type[e];
      // A WeakMap value is retained by its key and its table together; keep key -> value.
      if (t == EdgeType::kInternal && weak_maps.Pair(snap, e) != kNone &&
          snap.node_id[n] == weak_maps.TableId(snap, e)) {
        continue;
      }
      if (t == EdgeType::kWeak) continue;  // weak edges never retain anything
      const uint32_t to = snap.edge_to[e].v;
      if (to == n) continue;  // self edges
      if (n != root) {
        // Shortcuts mean something (user globals) only at the root.
        if (t == EdgeType::kShortcut) continue;
        // Edges from non-page-owned to page-owned nodes (e.g. debugger handles) don't count.
        if (page[to] && !page[n]) continue;
      }
      essential[e >> 6] |= uint64_t{1} << (e & 63);
    }
  });
}

// ---- Lengauer–Tarjan ("simple" link/eval), as DevTools runs it ------------------------------
// The paper's steps (Number: DFS numbering; Semidominators: steps 2 and 3; ExplicitIdoms: step
// 4) on arrays indexed by DFS number, 1..n (0 means "none"), so that the main loop's walks up
// the DFS tree touch neighbouring slots instead of random node ordinals. Only `dfs_`
// (node -> number) and `vertex_` (number -> node) translate. The steps and their order are
// DevTools'; only the indexing differs, so every dominator is the same.
//
// Arrays: dfs_, vertex_, semi_, parent_ (which also serves as the forest's ancestor links: a
// vertex is linked exactly when its number is at least lo_, and its link starts as its parent),
// then label_, dom_ and the buckets (head and next; FIFO as DevTools' insertion-ordered Sets)
// for steps 2 and 3: 8 x 4 bytes per node at the peak.
class LengauerTarjan {
 public:
  LengauerTarjan(const Snapshot& snap, const graph::Retainers& retainers,
                 const std::vector<uint64_t>& essential)
      : snap_(snap), retainers_(retainers), essential_(essential), nodes_(snap.node_count()) {}

  void Run(HeapAnalysis& out) {
    const size_t size = static_cast<size_t>(nodes_) + 1;
    dfs_.assign(nodes_, 0);
    vertex_.assign(size, 0);
    semi_.assign(size, 0);
    parent_.assign(size, 0);
    Number(snap_.root.v);
    Semidominators();
    ExplicitIdoms();
    out.dominator.resize(nodes_);
    for (uint32_t o = 0; o < nodes_; ++o) out.dominator[o] = NodeIndex(vertex_[dom_[dfs_[o]]]);
    std::vector<uint32_t>().swap(dfs_);
    std::vector<uint32_t>().swap(dom_);
    std::vector<uint32_t>().swap(semi_);
    out.dominator_order.resize(n_);
    for (uint32_t i = 1; i <= n_; ++i) out.dominator_order[i - 1] = NodeIndex(vertex_[i]);
  }

 private:
  bool IsEssential(uint32_t e) const { return (essential_[e >> 6] >> (e & 63)) & 1; }

  void Visit(uint32_t node, uint32_t parent) {
    const uint32_t v = ++n_;
    dfs_[node] = v;
    vertex_[v] = node;
    semi_[v] = v;
    parent_[v] = parent;
  }

  // Step 1 from `start` (a node ordinal) under the vertex `parent`, iteratively: the stack holds
  // each open vertex's node and its next edge to look at.
  void Dfs(uint32_t start, uint32_t parent) {
    Visit(start, parent);
    stack_.clear();
    stack_.push_back({start, snap_.first_edge[start]});
    while (!stack_.empty()) {
      const uint32_t v = stack_.back().node;
      const uint32_t end = snap_.first_edge[v + 1];
      uint32_t e = stack_.back().next;
      for (; e < end; ++e) {
        if (!IsEssential(e)) continue;
        const uint32_t w = snap_.edge_to[e].v;
        if (dfs_[w] == 0) break;
      }
      if (e == end) {
        stack_.pop_back();
        continue;
      }
      stack_.back().next = e + 1;
      const uint32_t w = snap_.edge_to[e].v;
      Visit(w, dfs_[v]);
      stack_.push_back({w, snap_.first_edge[w]});
    }
  }

  bool HasOnlyWeakRetainers(uint32_t ordinal) const {
    for (uint32_t i = retainers_.first_retainer[ordinal];
         i < retainers_.first_retainer[ordinal + 1]; ++i) {
      if (IsEssential(retainers_.retainer_edge[i].v)) return false;
    }
    return true;
  }

  // Step 1: DFS numbering from the root; then nodes with only non-essential retainers hang
  // under the root, each with its own DFS; what is left is retained only by itself (cliques):
  // numbered one by one under the root.
  void Number(uint32_t root) {
    Dfs(root, 0);
    if (n_ < nodes_) {
      for (uint32_t o = 0; o < nodes_; ++o) {
        if (dfs_[o] == 0 && HasOnlyWeakRetainers(o)) Dfs(o, 1);
      }
    }
    if (n_ < nodes_) {
      for (uint32_t o = 0; o < nodes_; ++o) {
        if (dfs_[o] == 0) Visit(o, 1);
      }
    }
    std::vector<Frame>().swap(stack_);
  }

  // parent_ doubles as the ancestor links: linked vertices are those numbered lo_ and up.
  void Compress(uint32_t v) {
    std::vector<uint32_t>& stack = compress_;
    stack.clear();
    while (parent_[v] >= lo_) {
      stack.push_back(v);
      v = parent_[v];
    }
    while (!stack.empty()) {
      const uint32_t w = stack.back();
      stack.pop_back();
      const uint32_t a = parent_[w];
      if (semi_[label_[a]] < semi_[label_[w]]) label_[w] = label_[a];
      parent_[w] = parent_[a];
    }
  }

  uint32_t Eval(uint32_t v) {
    if (v < lo_) return v;  // not linked: the root of its tree in the forest
    Compress(v);
    return label_[v];
  }

  // Steps 2 and 3, vertices in decreasing DFS number.
  void Semidominators() {
    const size_t size = static_cast<size_t>(n_) + 1;
    label_.resize(size);
    for (uint32_t i = 0; i <= n_; ++i) label_[i] = i;
    dom_.assign(size, 0);
    std::vector<uint32_t> bucket_head(size, 0), bucket_next(size, 0);
    for (uint32_t w = n_; w >= 2; --w) {
      lo_ = w + 1;
      const uint32_t wo = vertex_[w];
      bool is_orphan = true;
      for (uint32_t ri = retainers_.first_retainer[wo]; ri < retainers_.first_retainer[wo + 1];
           ++ri) {
        if (!IsEssential(retainers_.retainer_edge[ri].v)) continue;
        is_orphan = false;
        const uint32_t u = Eval(dfs_[retainers_.retainer_node[ri].v]);
        if (semi_[u] < semi_[w]) semi_[w] = semi_[u];
      }
      // An orphan's only predecessor is (as if) the root, whose semi is smallest.
      if (is_orphan) semi_[w] = semi_[1];

      // Into the bucket of its semidominator (pushed at the head; read back reversed = FIFO).
      const uint32_t b = semi_[w];
      bucket_next[w] = bucket_head[b];
      bucket_head[b] = w;
      const uint32_t p = parent_[w];
      lo_ = w;  // link(parent[w], w): parent_[w] is already its ancestor link

      uint32_t v = bucket_head[p], first = 0;
      while (v != 0) {  // reverse the list: insertion order
        const uint32_t next = bucket_next[v];
        bucket_next[v] = first;
        first = v;
        v = next;
      }
      for (v = first; v != 0; v = bucket_next[v]) {
        const uint32_t u = Eval(v);
        dom_[v] = semi_[u] < semi_[v] ? u : p;
      }
      bucket_head[p] = 0;
    }
    std::vector<uint32_t>().swap(label_);
    std::vector<uint32_t>().swap(parent_);
    std::vector<uint32_t>().swap(compress_);
  }

  // Step 4 (implicit idoms made explicit). The root dominates itself, and dom[0] = root makes the
  // root the dominator of anything left unset (unreachable nodes).
  void ExplicitIdoms() {
    dom_[0] = dom_[1] = 1;
    for (uint32_t w = 2; w <= n_; ++w) {
      if (dom_[w] != semi_[w]) dom_[w] = dom_[dom_[w]];
    }
  }

  struct Frame {
    uint32_t node, next;
  };
  const Snapshot& snap_;
  const graph::Retainers& retainers_;
  const std::vector<uint64_t>& essential_;
  const uint32_t nodes_;
  std::vector<uint32_t> dfs_, vertex_, semi_, parent_, label_, dom_, compress_;
  std::vector<Frame> stack_;
  uint32_t n_ = 0;   // vertices numbered so far
  uint32_t lo_ = 0;  // vertices numbered lo_ and up are linked
};

}  // namespace

void ComputeEssentialEdges(const Snapshot& snap, HeapAnalysis& out) {
  const std::vector<uint8_t> page = MarkPageOwnedNodes(snap);
  MarkEssentialEdges(snap, page, out.essential_edge_bits);
}

void ComputeDominatorTree(const Snapshot& snap, const graph::Retainers& retainers,
                          HeapAnalysis& out) {
  LengauerTarjan(snap, retainers, out.essential_edge_bits).Run(out);
}

void ComputeDominators(const Snapshot& snap, const graph::Retainers& retainers, HeapAnalysis& out) {
  ComputeEssentialEdges(snap, out);
  ComputeDominatorTree(snap, retainers, out);
}

void ComputeRetainedSizes(const Snapshot& snap, HeapAnalysis& out) {
  const uint32_t node_count = snap.node_count();
  const std::vector<uint64_t>& self =
      out.self_size.size() == node_count ? out.self_size : snap.self_size;
  out.retained_size = self;
  uint64_t total = 0;
  for (uint64_t s : self) total += s;
  out.total_size = total;
  // Children before parents: reverse DFS preorder, skipping the root (first).
  for (size_t i = out.dominator_order.size(); i > 1; --i) {
    const uint32_t o = out.dominator_order[i - 1].v;
    out.retained_size[out.dominator[o].v] += out.retained_size[o];
  }
}

HeapAnalysis Analyze(const Snapshot& snap, const graph::Retainers& retainers,
                     const AnalysisOptions& options) {
  HeapAnalysis out;
  ComputeDistances(snap, out);
  ComputeShallowSizes(snap, options, out);
  ComputeDominators(snap, retainers, out);
  ComputeRetainedSizes(snap, out);
  return out;
}

}  // namespace heapscope::dominators
