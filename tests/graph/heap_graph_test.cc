// Retainers (reverse CSR), edge sources, and the Boost.Graph view over the snapshot arrays.
#include "heapscope/graph/heap_graph.h"

#include <gtest/gtest.h>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <vector>

#include "heapscope/graph/bgl_view.h"
#include "support/snapshot_builder.h"

namespace heapscope::graph {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using testing::SnapshotBuilder;

std::vector<uint32_t> Values(const std::vector<NodeIndex>& v) {
  std::vector<uint32_t> out;
  for (NodeIndex n : v) out.push_back(n.v);
  return out;
}
std::vector<uint32_t> Values(const std::vector<EdgeIndex>& v) {
  std::vector<uint32_t> out;
  for (EdgeIndex n : v) out.push_back(n.v);
  return out;
}

//   0(root) -> 1, 2;  1 -> 2, 3 (weak);  2 -> 1, 3;  3 -> 3 (self)
snapshot::Snapshot Diamond() {
  SnapshotBuilder b;
  NodeIndex a = b.Node(NodeType::kObject, "A", 1);
  NodeIndex c = b.Node(NodeType::kObject, "C", 1);
  NodeIndex d = b.Node(NodeType::kObject, "D", 1);
  b.Edge(b.root(), a, EdgeType::kProperty, "a");  // e0
  b.Edge(b.root(), c, EdgeType::kProperty, "c");  // e1
  b.Edge(a, c, EdgeType::kProperty, "c");         // e2
  b.Edge(a, d, EdgeType::kWeak, "d");             // e3
  b.Edge(c, a, EdgeType::kProperty, "a");         // e4
  b.Edge(c, d, EdgeType::kProperty, "d");         // e5
  b.Edge(d, d, EdgeType::kProperty, "self");      // e6
  return b.Build();
}

TEST(RetainersTest, ReverseCsrOrderedBySourceThenEdge) {
  snapshot::Snapshot s = Diamond();
  Retainers r = BuildRetainers(s);
  EXPECT_EQ(r.first_retainer, (std::vector<uint32_t>{0, 0, 2, 4, 7}));
  EXPECT_EQ(Values(r.retainer_edge), (std::vector<uint32_t>{0, 4, 1, 2, 3, 5, 6}));
  EXPECT_EQ(Values(r.retainer_node), (std::vector<uint32_t>{0, 2, 0, 1, 1, 2, 3}));
  EXPECT_EQ(r.Begin(NodeIndex(3)), 4u);
  EXPECT_EQ(r.End(NodeIndex(3)), 7u);
}

TEST(RetainersTest, EmptySnapshotAndEdgeSources) {
  SnapshotBuilder b;
  snapshot::Snapshot s = b.Build();
  Retainers r = BuildRetainers(s);
  EXPECT_EQ(r.first_retainer, (std::vector<uint32_t>{0, 0}));
  EXPECT_TRUE(r.retainer_edge.empty());
  EXPECT_EQ(Values(BuildEdgeSources(Diamond())), (std::vector<uint32_t>{0, 0, 1, 1, 2, 2, 3}));
}

TEST(BglViewTest, ModelsIncidenceAndVertexListGraph) {
  BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<HeapGraphView>));
  BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<HeapGraphView>));
  snapshot::Snapshot s = Diamond();
  HeapGraphView all(s), strong(s, /*skip_weak=*/true);
  EXPECT_EQ(num_vertices(all), 4u);
  EXPECT_EQ(out_degree(1, all), 2u);
  EXPECT_EQ(out_degree(1, strong), 1u);
  std::vector<uint32_t> targets;
  for (auto [it, end] = out_edges(1, strong); it != end; ++it)
    targets.push_back(target(*it, strong));
  EXPECT_EQ(targets, (std::vector<uint32_t>{2}));
}

// Boost's own BFS over the view: hop counts over strong edges.
TEST(BglViewTest, BoostBreadthFirstSearchOverTheSnapshotArrays) {
  snapshot::Snapshot s = Diamond();
  HeapGraphView strong(s, /*skip_weak=*/true);
  std::vector<uint32_t> hops(s.node_count(), kNone);
  hops[0] = 0;
  struct Visitor : boost::default_bfs_visitor {
    std::vector<uint32_t>* hops;
    void tree_edge(const HeapEdge& e, const HeapGraphView& g) const {
      (*hops)[target(e, g)] = (*hops)[source(e, g)] + 1;
    }
  } visitor;
  visitor.hops = &hops;
  VectorQueue queue(s.node_count());
  boost::two_bit_color_map<boost::identity_property_map> color(s.node_count());
  boost::breadth_first_visit(strong, 0u, queue, visitor, color);
  EXPECT_EQ(hops, (std::vector<uint32_t>{0, 1, 1, 2}));
  EXPECT_EQ(queue.pushed(), 4u);
}

}  // namespace
}  // namespace heapscope::graph
