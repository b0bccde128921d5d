// Boost.Graph view of a Snapshot's forward edges: the snapshot's own CSR arrays seen as a BGL
// IncidenceGraph + VertexListGraph, with nothing copied and nothing allocated per node.
//
//   graph::HeapGraphView g(snap, /*skip_weak=*/true);
//   boost::breadth_first_visit(g, sources.begin(), sources.end(), queue, visitor, color_map);
//
// Vertices are node ordinals (uint32_t); an edge descriptor is (source ordinal, edge ordinal).
// With `skip_weak` the out-edge iterator steps over `weak` edges, so BGL algorithms see the
// strong graph only (out_degree then counts strong edges, in O(degree)).
//
// Only Boost headers are used here (Boost is a public dependency of heapscope_core).
#ifndef HEAPSCOPE_GRAPH_BGL_VIEW_H_
#define HEAPSCOPE_GRAPH_BGL_VIEW_H_

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "heapscope/snapshot/snapshot.h"

namespace heapscope::graph {

struct HeapEdge {
  uint32_t source = 0;
  uint32_t edge = 0;  // edge ordinal into the Snapshot's edge arrays
  bool operator==(const HeapEdge& o) const { return edge == o.edge; }
  bool operator!=(const HeapEdge& o) const { return edge != o.edge; }
};

class HeapGraphView {
 public:
  struct traversal_tag : boost::incidence_graph_tag, boost::vertex_list_graph_tag {};

  using vertex_descriptor = uint32_t;
  using edge_descriptor = HeapEdge;
  using directed_category = boost::directed_tag;
  using edge_parallel_category = boost::allow_parallel_edge_tag;
  using traversal_category = traversal_tag;
  using vertices_size_type = uint32_t;
  using edges_size_type = uint32_t;
  using degree_size_type = uint32_t;
  using vertex_iterator = boost::counting_iterator<uint32_t>;

  // Walks the edges of one node, optionally stepping over weak edges.
  class out_edge_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = HeapEdge;
    using difference_type = std::ptrdiff_t;
    using pointer = const HeapEdge*;
    using reference = HeapEdge;

    out_edge_iterator() = default;
    out_edge_iterator(const HeapGraphView* g, uint32_t source, uint32_t e, uint32_t end)
        : g_(g), source_(source), e_(e), end_(end) {
      SkipFiltered();
    }
    HeapEdge operator*() const { return HeapEdge{source_, e_}; }
    out_edge_iterator& operator++() {
      ++e_;
      SkipFiltered();
      return *this;
    }
    out_edge_iterator operator++(int) {
      out_edge_iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const out_edge_iterator& o) const { return e_ == o.e_; }
    bool operator!=(const out_edge_iterator& o) const { return e_ != o.e_; }

   private:
    void SkipFiltered() {
      if (!g_ || !g_->skip_weak_) return;
      while (e_ < end_ && g_->snap_->edge_type[e_] == snapshot::EdgeType::kWeak) ++e_;
    }
    const HeapGraphView* g_ = nullptr;
    uint32_t source_ = 0;
    uint32_t e_ = 0;
    uint32_t end_ = 0;
  };

  explicit HeapGraphView(const snapshot::Snapshot& snap, bool skip_weak = false)
      : snap_(&snap), skip_weak_(skip_weak) {}

  static vertex_descriptor null_vertex() { return kNone; }
  const snapshot::Snapshot& snap() const { return *snap_; }
  bool skip_weak() const { return skip_weak_; }

 private:
  const snapshot::Snapshot* snap_;
  bool skip_weak_;
};

// ---- BGL free functions (found by argument-dependent lookup) ---------------------------------

inline uint32_t num_vertices(const HeapGraphView& g) { return g.snap().node_count(); }

inline std::pair<HeapGraphView::vertex_iterator, HeapGraphView::vertex_iterator> vertices(
    const HeapGraphView& g) {
  return {HeapGraphView::vertex_iterator(0u), HeapGraphView::vertex_iterator(num_vertices(g))};
}

inline std::pair<HeapGraphView::out_edge_iterator, HeapGraphView::out_edge_iterator> out_edges(
    uint32_t v, const HeapGraphView& g) {
  const uint32_t begin = g.snap().first_edge[v];
  const uint32_t end = g.snap().first_edge[v + 1];
  return {HeapGraphView::out_edge_iterator(&g, v, begin, end),
          HeapGraphView::out_edge_iterator(&g, v, end, end)};
}

inline uint32_t out_degree(uint32_t v, const HeapGraphView& g) {
  if (!g.skip_weak()) return g.snap().first_edge[v + 1] - g.snap().first_edge[v];
  auto [it, end] = out_edges(v, g);
  uint32_t n = 0;
  for (; it != end; ++it) ++n;
  return n;
}

inline uint32_t source(const HeapEdge& e, const HeapGraphView&) { return e.source; }
inline uint32_t target(const HeapEdge& e, const HeapGraphView& g) {
  return g.snap().edge_to[e.edge].v;
}

// A FIFO over one pre-sized vector, for BGL searches in which each vertex is pushed at most
// once (BFS): no allocation while the search runs.
class VectorQueue {
 public:
  using value_type = uint32_t;
  explicit VectorQueue(uint32_t capacity) { items_.reserve(capacity); }
  void push(uint32_t v) { items_.push_back(v); }
  uint32_t& top() { return items_[head_]; }
  const uint32_t& top() const { return items_[head_]; }
  void pop() { ++head_; }
  bool empty() const { return head_ == items_.size(); }
  size_t pushed() const { return items_.size(); }

 private:
  std::vector<uint32_t> items_;
  size_t head_ = 0;
};

}  // namespace heapscope::graph

#endif  // HEAPSCOPE_GRAPH_BGL_VIEW_H_
