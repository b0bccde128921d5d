// Retainer paths: the preferred path tree, K shortest simple paths, labels, the compact and
// normalized forms, on incident-shaped graphs built in code.
#include "heapscope/paths/retainer_paths.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heapscope/graph/heap_graph.h"
#include "support/snapshot_builder.h"

namespace heapscope::paths {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;
using testing::SnapshotBuilder;

// The incident's shape:
//   root -shortcut-> global -presence-> PresenceService -bus-> Socket -_events-> Object
//        -heartbeat-> Array -[847]-> closure
//   root -[1]-> (GC roots) -[12]-> (Global handles) -"3 / x"-> Socket   (shorter, but system)
//   closure -context-> Context -state-> Object (captured)
struct Incident {
  SnapshotBuilder b;
  NodeIndex global, service, socket, events, heartbeat, closure, gc, handles, context, state;
  Incident() {
    global = b.Node(NodeType::kObject, "global", 10);
    b.Edge(b.root(), global, EdgeType::kShortcut, "global");
    gc = b.GcRoots();
    handles = b.Node(NodeType::kSynthetic, "(Global handles)");
    b.Indexed(gc, handles, EdgeType::kElement, 12);
    service = b.Node(NodeType::kObject, "PresenceService", 20);
    socket = b.Node(NodeType::kObject, "Socket", 30);
    events = b.Node(NodeType::kObject, "Object", 40);
    heartbeat = b.Node(NodeType::kObject, "Array", 50);
    closure = b.Node(NodeType::kClosure, "", 60);
    context = b.Node(NodeType::kHidden, "system / Context", 70);
    state = b.Node(NodeType::kObject, "Object", 80);
    b.Edge(global, service, EdgeType::kProperty, "presence");
    b.Edge(service, socket, EdgeType::kProperty, "bus");
    b.Edge(socket, events, EdgeType::kProperty, "_events");
    b.Edge(events, heartbeat, EdgeType::kProperty, "heartbeat");
    b.Indexed(heartbeat, closure, EdgeType::kElement, 847);
    b.Edge(closure, context, EdgeType::kInternal, "context");
    b.Edge(context, state, EdgeType::kContext, "state");
    b.Edge(handles, socket, EdgeType::kInternal, "3 / x");
  }
};

std::vector<std::string> Ids(const Snapshot& s, const RetainerPath& p) {
  std::vector<std::string> out;
  for (const PathStep& st : p.steps) out.push_back(std::string(s.NodeName(st.node)));
  return out;
}

TEST(ShortestPathTreeTest, PrefersUserRootsOverShorterSystemPaths) {
  Incident g;
  Snapshot s = g.b.Build();
  ShortestPathTree tree = BuildShortestPathTree(s);
  RetainerPath p = PathTo(tree, g.closure);
  EXPECT_EQ(Ids(s, p), (std::vector<std::string>{"global", "PresenceService", "Socket", "Object",
                                                 "Array", ""}));
  EXPECT_EQ(tree.depth[g.closure.v], 6u);
  EXPECT_EQ(tree.depth[g.handles.v], 2u);
  EXPECT_EQ(tree.parent_node[g.socket.v], g.service);
  EXPECT_EQ(PathLabels(s, p),
            (std::vector<std::string>{".global global @3", ".presence PresenceService @9",
                                      ".bus Socket @11", "._events Object @13",
                                      ".heartbeat Array @15", "[847] (closure) @17"}));
  EXPECT_EQ(RenderCompactPath(s, p),
            "global.presence → PresenceService.bus → Socket._events.heartbeat[847] → (closure)");
  EXPECT_EQ(NormalizePath(s, p),
            "global.presence → PresenceService.bus → Socket._events → Object.heartbeat → "
            "Array[*] → (closure)");
  // The root itself has an empty path; an unreachable node has none.
  EXPECT_TRUE(PathTo(tree, s.root).steps.empty());
}

TEST(ShortestPathTreeTest, WeakEdgesAreSkippedAndUnreachableNodesHaveNoPath) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex w = b.Node(NodeType::kObject, "W", 1);
  b.Edge(g, w, EdgeType::kWeak, "w");
  Snapshot s = b.Build();
  ShortestPathTree tree = BuildShortestPathTree(s);
  EXPECT_EQ(tree.depth[w.v], kNone);
  EXPECT_TRUE(PathTo(tree, w).steps.empty());
  graph::Retainers r = graph::BuildRetainers(s);
  EXPECT_TRUE(ShortestRetainerPaths(s, r, w, 5).empty());
}

// Detours (NativeContext, code, feedback_cell, WeakMap entry edges) are taken only when
// nothing else reaches the node, even if they are shorter.
TEST(ShortestPathTreeTest, DetoursOnlyWhenNothingElseReaches) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex nc = b.Node(NodeType::kHidden, "system / NativeContext");
  NodeIndex a = b.Node(NodeType::kObject, "A");
  NodeIndex a2 = b.Node(NodeType::kObject, "A2");
  NodeIndex target = b.Node(NodeType::kObject, "Target");
  NodeIndex only = b.Node(NodeType::kObject, "OnlyViaContext");
  b.Edge(g, nc, EdgeType::kInternal, "native_context");
  b.Edge(nc, target, EdgeType::kInternal, "x");  // 2 hops, through a detour node
  b.Edge(g, a, EdgeType::kProperty, "a");
  b.Edge(a, a2, EdgeType::kProperty, "a2");
  b.Edge(a2, target, EdgeType::kProperty, "t");  // 3 hops, preferred
  b.Edge(nc, only, EdgeType::kInternal, "only");
  Snapshot s = b.Build();
  ShortestPathTree tree = BuildShortestPathTree(s);
  EXPECT_EQ(Ids(s, PathTo(tree, target)), (std::vector<std::string>{"G", "A", "A2", "Target"}));
  EXPECT_EQ(Ids(s, PathTo(tree, only)),
            (std::vector<std::string>{"G", "system / NativeContext", "OnlyViaContext"}));

  // K shortest paths ignore preferences: the 3-step detour comes first.
  graph::Retainers r = graph::BuildRetainers(s);
  std::vector<RetainerPath> k = ShortestRetainerPaths(s, r, target, 5);
  ASSERT_EQ(k.size(), 2u);
  EXPECT_EQ(Ids(s, k[0]), (std::vector<std::string>{"G", "system / NativeContext", "Target"}));
  EXPECT_EQ(Ids(s, k[1]), (std::vector<std::string>{"G", "A", "A2", "Target"}));
}

// K shortest simple paths, shortest first, no node twice, across cycles.
//   root -> A -> C -> T;  root -> B -> T;  C <-> D;  D -> T;  root -> E -> F -> G -> T
TEST(ShortestRetainerPathsTest, ShortestFirstAndSimple) {
  SnapshotBuilder b;
  auto node = [&](const char* n) { return b.Node(NodeType::kObject, n, 1); };
  NodeIndex a = node("A"), bb = node("B"), c = node("C"), d = node("D"), e = node("E"),
            f = node("F"), gg = node("G"), t = node("T");
  b.Edge(b.root(), a, EdgeType::kProperty, "a");
  b.Edge(b.root(), bb, EdgeType::kProperty, "b");
  b.Edge(b.root(), e, EdgeType::kProperty, "e");
  b.Edge(a, c, EdgeType::kProperty, "c");
  b.Edge(c, t, EdgeType::kProperty, "t");
  b.Edge(bb, t, EdgeType::kProperty, "t");
  b.Edge(c, d, EdgeType::kProperty, "d");
  b.Edge(d, c, EdgeType::kProperty, "c");
  b.Edge(d, t, EdgeType::kProperty, "t");
  b.Edge(e, f, EdgeType::kProperty, "f");
  b.Edge(f, gg, EdgeType::kProperty, "g");
  b.Edge(gg, t, EdgeType::kProperty, "t");
  b.Edge(t, t, EdgeType::kProperty, "self");
  Snapshot s = b.Build();
  graph::Retainers r = graph::BuildRetainers(s);
  std::vector<RetainerPath> paths = ShortestRetainerPaths(s, r, t, 10);
  std::vector<std::vector<std::string>> got;
  for (const RetainerPath& p : paths) got.push_back(Ids(s, p));
  EXPECT_EQ(got, (std::vector<std::vector<std::string>>{
                     {"B", "T"}, {"A", "C", "T"}, {"A", "C", "D", "T"}, {"E", "F", "G", "T"}}));
  EXPECT_EQ(ShortestRetainerPaths(s, r, t, 2).size(), 2u);
  EXPECT_TRUE(ShortestRetainerPaths(s, r, t, 0).empty());
}

TEST(PathFormsTest, AccessorsFollowDevToolsNotation) {
  SnapshotBuilder b;
  NodeIndex g = b.Node(NodeType::kObject, "G", 1);
  b.Edge(b.root(), g, EdgeType::kProperty, "g");
  NodeIndex o = b.Node(NodeType::kObject, "Foo");
  NodeIndex str = b.Node(NodeType::kString, "hello\nworld");
  NodeIndex h = b.Node(NodeType::kHidden, "system / Context");
  NodeIndex v = b.Node(NodeType::kNumber, "heap number");
  NodeIndex fn = b.Node(NodeType::kClosure, "onTick");
  b.Edge(g, o, EdgeType::kProperty, "a key");
  b.Edge(o, str, EdgeType::kContext, "msg");
  b.Edge(str, h, EdgeType::kInternal, "12 / handle");
  b.Indexed(h, v, EdgeType::kHidden, 4);
  b.Edge(v, fn, EdgeType::kProperty, "f");
  Snapshot s = b.Build();
  ShortestPathTree tree = BuildShortestPathTree(s);
  RetainerPath p = PathTo(tree, fn);
  EXPECT_EQ(PathLabels(s, p),
            (std::vector<std::string>{".g G @3", "[\"a key\"] Foo @5", "->msg \"hello world\" @7",
                                      "{12 / handle} system / Context @9", "{4} (number) @11",
                                      ".f onTick() @13"}));
  EXPECT_EQ(NormalizePath(s, p),
            "G[\"a key\"] → Foo->msg → \"hello world\"{* / handle} → system / Context{*} → "
            "(number).f → onTick()");
}

}  // namespace
}  // namespace heapscope::paths
