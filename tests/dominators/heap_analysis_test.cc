// DevTools-rule tests for distances, essential edges, dominators, shallow-size reassignment and
// retained sizes, on small graphs built in code. Expectations are tables of exact values.
#include "heapscope/dominators/heap_analysis.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "heapscope/graph/heap_graph.h"
#include "support/snapshot_builder.h"

namespace heapscope::dominators {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;
using testing::SnapshotBuilder;

HeapAnalysis AnalyzeAll(const Snapshot& s, AnalysisOptions options = {}) {
  graph::Retainers r = graph::BuildRetainers(s);
  return Analyze(s, r, options);
}

// name -> (idom name, retained size, distance); names must be unique in the snapshot.
struct Expect {
  std::string idom;
  uint64_t retained;
  int32_t distance;
};
void ExpectTable(const Snapshot& s, const HeapAnalysis& a,
                 const std::map<std::string, Expect>& table) {
  std::map<std::string, uint32_t> by_name;
  for (uint32_t i = 0; i < s.node_count(); ++i) by_name[std::string(s.NodeName(NodeIndex(i)))] = i;
  for (const auto& [name, want] : table) {
    ASSERT_TRUE(by_name.count(name)) << name;
    const uint32_t n = by_name[name];
    EXPECT_EQ(std::string(s.NodeName(a.dominator[n])), want.idom) << "idom of " << name;
    EXPECT_EQ(a.retained_size[n], want.retained) << "retained size of " << name;
    EXPECT_EQ(a.distance[n], want.distance) << "distance of " << name;
  }
}

// The flowgraph of Lengauer & Tarjan (1979), figure 1, with R as the snapshot root.
//   R→A,B,C  A→D  B→A,D,E  C→F,G  D→L  E→H  F→I  G→I,J  H→E,K  I→K  J→I  K→I,R  L→H
TEST(DominatorsTest, LengauerTarjanPaperGraph) {
  SnapshotBuilder b;
  std::map<char, NodeIndex> n;
  n['R'] = b.root();
  uint64_t size = 1;
  for (char c : std::string("ABCDEFGHIJKL")) {
    n[c] = b.Node(NodeType::kObject, std::string(1, c), size);
    size *= 2;  // A=1, B=2, C=4, … L=2048: every sum is unique
  }
  const std::vector<std::pair<char, std::string>> edges = {
      {'R', "ABC"}, {'A', "D"},  {'B', "ADE"}, {'C', "FG"}, {'D', "L"},  {'E', "H"}, {'F', "I"},
      {'G', "IJ"},  {'H', "EK"}, {'I', "K"},   {'J', "I"},  {'K', "IR"}, {'L', "H"}};
  for (const auto& [from, tos] : edges) {
    for (char to : tos) b.Edge(n[from], n[to], EdgeType::kProperty, std::string(1, to));
  }
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  ExpectTable(s, a,
              {{"", {"", 4095, 100000000}},
               {"A", {"", 1, 1}},
               {"B", {"", 2, 1}},
               {"C", {"", 4 + 32 + 64 + 512, 1}},
               {"D", {"", 8 + 2048, 2}},
               {"E", {"", 16, 2}},
               {"F", {"C", 32, 2}},
               {"G", {"C", 64 + 512, 2}},
               {"H", {"", 128, 3}},
               {"I", {"", 256, 3}},
               {"J", {"G", 512, 3}},
               {"K", {"", 1024, 4}},
               {"L", {"D", 2048, 3}}});
  EXPECT_EQ(a.total_size, 4095u);
  EXPECT_EQ(a.user_roots.size(), 3u);
  EXPECT_EQ(a.dominator_order.size(), s.node_count());
  EXPECT_EQ(a.dominator_order[0], s.root);
}

// root → a → b → … (1,000,000 objects), each also pointing back at its predecessor (a
// doubly linked list): deep DFS, and the longest possible path compressions.
TEST(DominatorsTest, MillionNodeDoublyLinkedListDoesNotRecurse) {
  constexpr uint32_t kCount = 1'000'000;
  SnapshotBuilder b;
  NodeIndex prev = b.root();
  for (uint32_t i = 0; i < kCount; ++i) {
    NodeIndex cur = b.Node(NodeType::kObject, "Link", 16);
    b.Edge(prev, cur, EdgeType::kProperty, "next");
    if (i > 0) b.Edge(cur, prev, EdgeType::kProperty, "prev");
    prev = cur;
  }
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  for (uint32_t i = 1; i <= kCount; ++i) {
    ASSERT_EQ(a.dominator[i].v, i - 1) << i;
    ASSERT_EQ(a.distance[i], static_cast<int32_t>(i)) << i;
    ASSERT_EQ(a.retained_size[i], uint64_t{16} * (kCount - i + 1)) << i;
  }
  EXPECT_EQ(a.retained_size[0], uint64_t{16} * kCount);
}

// root → hub → 1,000,000 leaves, and every leaf → the next leaf: leaves are dominated by the
// hub (the first leaf by the hub alone), not by their left neighbour.
TEST(DominatorsTest, MillionWideFan) {
  constexpr uint32_t kCount = 1'000'000;
  SnapshotBuilder b;
  NodeIndex hub = b.Node(NodeType::kObject, "Hub", 100);
  b.Edge(b.root(), hub, EdgeType::kProperty, "hub");
  NodeIndex prev = kNoNode;
  for (uint32_t i = 0; i < kCount; ++i) {
    NodeIndex leaf = b.Node(NodeType::kObject, "Leaf", 8);
    b.Indexed(hub, leaf, EdgeType::kElement, i);
    if (prev.valid()) b.Edge(prev, leaf, EdgeType::kProperty, "sibling");
    prev = leaf;
  }
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  for (uint32_t i = 2; i < s.node_count(); ++i) {
    ASSERT_EQ(a.dominator[i], hub) << i;
    ASSERT_EQ(a.retained_size[i], 8u) << i;
    ASSERT_EQ(a.distance[i], 2) << i;
  }
  EXPECT_EQ(a.retained_size[hub.v], 100u + uint64_t{8} * kCount);
}

// Unreachable nodes: one with only a weak retainer, one with no retainer, and a clique of two
// retaining each other. All hang under the root; distances stay "unreachable" (-5).
TEST(DominatorsTest, UnreachableNodesAndCliquesHangUnderTheRoot) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  b.Edge(b.root(), g, EdgeType::kShortcut, "global");
  NodeIndex weak_only = b.Node(NodeType::kObject, "WeakOnly", 10);
  b.Edge(g, weak_only, EdgeType::kWeak, "w");
  NodeIndex weak_child = b.Node(NodeType::kObject, "WeakChild", 100);
  b.Edge(weak_only, weak_child, EdgeType::kProperty, "c");
  b.Node(NodeType::kObject, "Lonely", 1000);
  NodeIndex x = b.Node(NodeType::kObject, "X", 10000);
  NodeIndex y = b.Node(NodeType::kObject, "Y", 100000);
  b.Edge(x, y, EdgeType::kProperty, "y");
  b.Edge(y, x, EdgeType::kProperty, "x");
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  ExpectTable(s, a,
              {{"", {"", 111111, 100000000}},
               {"G", {"", 1, 1}},
               {"WeakOnly", {"", 110, kNoDistance}},
               {"WeakChild", {"WeakOnly", 100, kNoDistance}},
               {"Lonely", {"", 1000, kNoDistance}},
               {"X", {"", 10000, kNoDistance}},
               {"Y", {"", 100000, kNoDistance}}});
}

// Weak edges and non-root shortcut edges never retain; self edges are ignored.
TEST(DominatorsTest, WeakShortcutAndSelfEdgesDoNotRetain) {
  SnapshotBuilder b;
  NodeIndex p = b.Node(NodeType::kObject, "P", 1);
  NodeIndex q = b.Node(NodeType::kObject, "Q", 2);
  NodeIndex t = b.Node(NodeType::kObject, "T", 4);
  NodeIndex u = b.Node(NodeType::kObject, "U", 8);
  b.Indexed(b.root(), p, EdgeType::kElement, 1);
  b.Indexed(b.root(), q, EdgeType::kElement, 2);
  b.Edge(q, t, EdgeType::kWeak, "t");  // weak: ignored
  b.Edge(p, t, EdgeType::kProperty, "t");
  b.Edge(q, u, EdgeType::kShortcut, "u");  // shortcut off the root: ignored
  b.Edge(p, u, EdgeType::kProperty, "u");
  b.Edge(u, u, EdgeType::kProperty, "self");
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  ExpectTable(s, a,
              {{"P", {"", 13, 1}}, {"Q", {"", 2, 1}}, {"T", {"P", 4, 2}}, {"U", {"P", 8, 2}}});
}

// Page-owned rule: with a root shortcut to the global, everything the global reaches is
// "page-owned"; edges from non-page nodes (e.g. a global handle under (GC roots)) into it do not
// retain, so the handle does not steal the object from the page.
//   root -shortcut-> Global -> Holder -> Obj
//   root -> (GC roots) -> (Global handles) -> Obj
TEST(DominatorsTest, EdgesFromNonPageNodesIntoThePageDoNotRetain) {
  SnapshotBuilder b;
  NodeIndex global = b.Node(NodeType::kObject, "Global", 1);
  b.Edge(b.root(), global, EdgeType::kShortcut, "global");
  NodeIndex gc = b.GcRoots();
  NodeIndex handles = b.Node(NodeType::kSynthetic, "(Global handles)");
  b.Indexed(gc, handles, EdgeType::kElement, 1);
  NodeIndex holder = b.Node(NodeType::kObject, "Holder", 2);
  NodeIndex obj = b.Node(NodeType::kObject, "Obj", 4);
  b.Edge(global, holder, EdgeType::kProperty, "holder");
  b.Edge(holder, obj, EdgeType::kProperty, "obj");
  b.Edge(handles, obj, EdgeType::kInternal, "1 / handle");
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  ExpectTable(s, a,
              {{"Global", {"", 7, 1}},
               {"Holder", {"Global", 6, 2}},
               {"Obj", {"Holder", 4, 3}},
               {"(GC roots)", {"", 0, 100000001}},
               {"(Global handles)", {"(GC roots)", 0, 100000002}}});

  // Without the shortcut nothing is page-owned: the handle edge retains like any other.
  SnapshotBuilder c;
  NodeIndex global2 = c.Node(NodeType::kObject, "Global", 1);
  c.Edge(c.root(), global2, EdgeType::kProperty, "global");
  NodeIndex gc2 = c.GcRoots();
  NodeIndex holder2 = c.Node(NodeType::kObject, "Holder", 2);
  NodeIndex obj2 = c.Node(NodeType::kObject, "Obj", 4);
  c.Edge(global2, holder2, EdgeType::kProperty, "holder");
  c.Edge(holder2, obj2, EdgeType::kProperty, "obj");
  c.Edge(gc2, obj2, EdgeType::kInternal, "1 / handle");
  Snapshot s2 = c.Build();
  HeapAnalysis a2 = AnalyzeAll(s2);
  ExpectTable(s2, a2, {{"Obj", {"", 4, 3}}, {"Holder", {"Global", 2, 2}}});
}

// WeakMap ephemerons. V8 gives the value two internal edges with the same name tail, from the
// key and from the table. The table's edge does not retain (the value is dominated through
// the key), and the value's distance is max(key, table) + 1.
//   root -> G -> T (table, distance 2);  G -> A -> K (key, distance 3);  K, T -> V
TEST(DominatorsTest, WeakMapValueIsRetainedByKeyAndDistancedByTheFartherOfKeyAndTable) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex t = b.Node(NodeType::kArray, "system / EphemeronHashTable", 2, /*id=*/1001);
  NodeIndex a_ = b.Node(NodeType::kObject, "A", 4);
  NodeIndex k = b.Node(NodeType::kObject, "K", 8, /*id=*/1003);
  NodeIndex v = b.Node(NodeType::kObject, "V", 16, /*id=*/1005);
  b.Edge(g, t, EdgeType::kInternal, "table");
  b.Edge(g, a_, EdgeType::kProperty, "a");
  b.Edge(a_, k, EdgeType::kProperty, "k");
  const std::string tail =
      " / part of key (K @1003) -> value (V @1005) pair in WeakMap (table @1001)";
  b.Edge(t, v, EdgeType::kInternal, "2" + tail);
  b.Edge(k, v, EdgeType::kInternal, "1" + tail);
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s, {/*reassign_shallow_sizes=*/false});
  ExpectTable(s, a,
              {{"G", {"", 31, 1}},
               {"system / EphemeronHashTable", {"G", 2, 2}},
               {"A", {"G", 28, 2}},
               {"K", {"A", 24, 3}},
               {"V", {"K", 16, 4}}});

  // A name that is not an ephemeron name (no table id) is an ordinary internal edge.
  SnapshotBuilder c;
  NodeIndex g2 = c.Node(NodeType::kObject, "G", 1);
  c.Edge(c.root(), g2, EdgeType::kProperty, "g");
  NodeIndex t2 = c.Node(NodeType::kArray, "T", 2, 1001);
  NodeIndex v2 = c.Node(NodeType::kObject, "V", 16, 1005);
  c.Edge(g2, t2, EdgeType::kInternal, "table");
  c.Edge(t2, v2, EdgeType::kInternal, "2 / part of key (K @1003) -> value (V @1005) pair");
  Snapshot s2 = c.Build();
  HeapAnalysis a2 = AnalyzeAll(s2, {false});
  ExpectTable(s2, a2, {{"V", {"T", 16, 3}}});
}

// The two distance filters for V8 internals: NativeContext's sloppy_function_map, and
// descriptor slots (index ≥ 2 with index % 3 == 1) of "(map descriptors)".
TEST(DominatorsTest, DistanceSkipsSloppyFunctionMapAndDescriptorSlots) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 0);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex nc = b.Node(NodeType::kHidden, "system / NativeContext");
  b.Edge(g, nc, EdgeType::kInternal, "native_context");
  NodeIndex sloppy = b.Node(NodeType::kHidden, "SloppyMap");
  NodeIndex other = b.Node(NodeType::kHidden, "OtherMap");
  b.Edge(nc, sloppy, EdgeType::kInternal, "sloppy_function_map");
  b.Edge(nc, other, EdgeType::kInternal, "strict_function_map");
  NodeIndex md = b.Node(NodeType::kArray, "(map descriptors)");
  b.Edge(g, md, EdgeType::kInternal, "descriptors");
  std::vector<NodeIndex> slot;
  for (uint32_t i = 0; i < 6; ++i) {
    slot.push_back(b.Node(NodeType::kHidden, "Slot" + std::to_string(i)));
    b.Element(md, slot[i], i);
  }
  // A long way round to everything the filters cut off.
  NodeIndex far1 = b.Node(NodeType::kObject, "Far1", 0);
  NodeIndex far2 = b.Node(NodeType::kObject, "Far2", 0);
  b.Edge(g, far1, EdgeType::kProperty, "far");
  b.Edge(far1, far2, EdgeType::kProperty, "far");
  b.Edge(far2, sloppy, EdgeType::kProperty, "sloppy");
  b.Edge(far2, slot[4], EdgeType::kProperty, "slot4");
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  ExpectTable(s, a,
              {{"system / NativeContext", {"G", 0, 2}},
               {"OtherMap", {"system / NativeContext", 0, 3}},
               {"SloppyMap", {"G", 0, 4}},  // via Far2, not via the NativeContext
               {"Slot0", {"(map descriptors)", 0, 3}},
               {"Slot1", {"(map descriptors)", 0, 3}},
               {"Slot2", {"(map descriptors)", 0, 3}},
               {"Slot3", {"(map descriptors)", 0, 3}},
               {"Slot4", {"G", 0, 4}},  // 4 % 3 == 1: via Far2
               {"Slot5", {"(map descriptors)", 0, 3}}});
}

// DevTools' shallow-size reassignment: hidden/array nodes owned by exactly one object move
// their size onto it; shared ones, and ones owned only by synthetic nodes, keep it.
TEST(ShallowSizesTest, HiddenAndArrayNodesOwnedByOneObjectMoveOntoIt) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex o = b.Node(NodeType::kObject, "O", 10);
  NodeIndex h = b.Node(NodeType::kHidden, "H", 5);
  NodeIndex arr = b.Node(NodeType::kArray, "Arr", 7);
  NodeIndex p = b.Node(NodeType::kObject, "P", 100);
  NodeIndex shared = b.Node(NodeType::kArray, "Shared", 1000);
  NodeIndex gc = b.GcRoots();
  NodeIndex synth_owned = b.Node(NodeType::kHidden, "SynthOwned", 10000);
  NodeIndex weakly = b.Node(NodeType::kArray, "Weakly", 100000);
  b.Edge(g, o, EdgeType::kProperty, "o");
  b.Edge(g, p, EdgeType::kProperty, "p");
  b.Edge(o, h, EdgeType::kInternal, "h");
  b.Edge(h, arr, EdgeType::kInternal, "arr");
  b.Edge(o, shared, EdgeType::kInternal, "s");
  b.Edge(p, shared, EdgeType::kInternal, "s");
  b.Edge(gc, synth_owned, EdgeType::kInternal, "x");
  b.Edge(o, weakly, EdgeType::kInternal, "w");
  b.Edge(p, weakly, EdgeType::kWeak, "w");  // weak edges do not make a second owner
  Snapshot s = b.Build();

  HeapAnalysis a = AnalyzeAll(s);
  EXPECT_TRUE(a.shallow_sizes_reassigned);
  const std::vector<uint64_t> want = {0, 1, 10 + 5 + 7 + 100000, 0, 0, 100, 1000, 0, 10000, 0};
  EXPECT_EQ(a.self_size, want);
  EXPECT_EQ(a.total_size, 111123u);
  EXPECT_EQ(a.retained_size[o.v], 100022u);
  EXPECT_EQ(a.retained_size[g.v], 101123u);

  HeapAnalysis raw = AnalyzeAll(s, {/*reassign_shallow_sizes=*/false});
  EXPECT_FALSE(raw.shallow_sizes_reassigned);
  EXPECT_EQ(raw.self_size, s.self_size);
  EXPECT_EQ(raw.retained_size[o.v], 10u + 5 + 7 + 100000);
}

// DevTools moves the size of a native "system / ExternalStringData" onto its one owner, but it
// tests the name after renaming detached native nodes: a detached one keeps its own size.
TEST(ShallowSizesTest, DetachedExternalStringDataKeepsItsSize) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex s1 = b.Node(NodeType::kString, "a", 10);
  NodeIndex d1 = b.Node(NodeType::kNative, "system / ExternalStringData", 100);
  NodeIndex div = b.Node(NodeType::kNative, "<div>", 20, 0, /*detachedness=*/2);
  NodeIndex d2 = b.Node(NodeType::kNative, "system / ExternalStringData", 1000);
  b.Edge(g, s1, EdgeType::kProperty, "s");
  b.Edge(s1, d1, EdgeType::kInternal, "data");
  b.Edge(g, div, EdgeType::kProperty, "div");
  b.Edge(div, d2, EdgeType::kInternal, "data");  // detached through the <div>
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  EXPECT_EQ(a.self_size, (std::vector<uint64_t>{0, 1, 110, 0, 20, 1000}));
  s.meta.has_detachedness = false;  // an older file: no propagation, no renaming
  s.detachedness.clear();
  EXPECT_EQ(AnalyzeAll(s).self_size, (std::vector<uint64_t>{0, 1, 110, 0, 1020, 0}));
}

// Without user roots ("expose internals" snapshots) DevTools keeps real sizes, and the root is
// at distance 0.
TEST(ShallowSizesTest, NoUserRootsMeansNoReassignmentAndRootDistanceZero) {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex o = b.Node(NodeType::kObject, "O", 10);
  NodeIndex h = b.Node(NodeType::kHidden, "H", 5);
  b.Edge(gc, o, EdgeType::kInternal, "o");
  b.Edge(o, h, EdgeType::kInternal, "h");
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  EXPECT_FALSE(a.shallow_sizes_reassigned);
  EXPECT_TRUE(a.user_roots.empty());
  ExpectTable(s, a,
              {{"", {"", 15, 0}},
               {"(GC roots)", {"", 15, 1}},
               {"O", {"(GC roots)", 15, 2}},
               {"H", {"O", 5, 3}}});
}

// Sizes are 64-bit end to end: three 3 GB objects retain 9 GB.
TEST(RetainedSizesTest, SixtyFourBit) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 3'000'000'000);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex x = b.Node(NodeType::kObject, "X", 3'000'000'000);
  NodeIndex y = b.Node(NodeType::kNative, "Y", 3'000'000'000);
  b.Edge(g, x, EdgeType::kProperty, "x");
  b.Edge(x, y, EdgeType::kInternal, "y");
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  EXPECT_EQ(a.retained_size[g.v], 9'000'000'000u);
  EXPECT_EQ(a.retained_size[0], 9'000'000'000u);
  EXPECT_EQ(a.total_size, 9'000'000'000u);
}

// Essential bits are exposed per edge.
TEST(DominatorsTest, EssentialEdgeBits) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  NodeIndex o = b.Node(NodeType::kObject, "O", 1);
  b.Edge(b.root(), g, EdgeType::kShortcut, "global");  // edge 0: root shortcut, essential
  b.Edge(g, o, EdgeType::kProperty, "o");              // edge 1
  b.Edge(g, o, EdgeType::kWeak, "w");                  // edge 2
  b.Edge(o, g, EdgeType::kShortcut, "back");           // edge 3: shortcut off the root
  b.Edge(o, o, EdgeType::kProperty, "me");             // edge 4: self
  Snapshot s = b.Build();
  HeapAnalysis a = AnalyzeAll(s);
  std::vector<bool> bits;
  for (uint32_t e = 0; e < s.edge_count(); ++e) bits.push_back(a.IsEssential(EdgeIndex(e)));
  EXPECT_EQ(bits, (std::vector<bool>{true, true, false, false, false}));
}

}  // namespace
}  // namespace heapscope::dominators
