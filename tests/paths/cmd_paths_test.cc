// `heapscope paths` end to end: exact text for an incident-shaped snapshot, JSON fields, and
// errors (unknown id: exit code 2).
#include <gtest/gtest.h>

#include <string>

#include "support/snapshot_builder.h"
#include "support/test_paths.h"

namespace heapscope {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using testing::HeapscopeBinary;
using testing::ScratchDir;
using testing::SnapshotBuilder;
using testing::WriteFile;

std::string WriteIncident(const std::string& dir) {
  SnapshotBuilder b;
  NodeIndex global = b.Node(NodeType::kObject, "global", 10);  // @3
  b.Edge(b.root(), global, EdgeType::kShortcut, "global");
  NodeIndex gc = b.GcRoots();                                            // @5
  NodeIndex handles = b.Node(NodeType::kSynthetic, "(Global handles)");  // @7
  b.Indexed(gc, handles, EdgeType::kElement, 12);
  NodeIndex socket = b.Node(NodeType::kObject, "Socket", 30);    // @9
  NodeIndex events = b.Node(NodeType::kObject, "Object", 40);    // @11
  NodeIndex heartbeat = b.Node(NodeType::kObject, "Array", 50);  // @13
  NodeIndex closure = b.Node(NodeType::kClosure, "", 60);        // @15
  b.Edge(global, socket, EdgeType::kProperty, "socket");
  b.Edge(socket, events, EdgeType::kProperty, "_events");
  b.Edge(events, heartbeat, EdgeType::kProperty, "heartbeat");
  b.Indexed(heartbeat, closure, EdgeType::kElement, 847);
  b.Edge(handles, closure, EdgeType::kInternal, "3 / x");
  const std::string path = dir + "/incident.heapsnapshot";
  WriteFile(path, b.ToJson());
  return path;
}

TEST(CmdPathsTest, TextShowsPreferredThenShortestPaths) {
  const std::string dir = ScratchDir();
  const std::string snap = WriteIncident(dir);
  testing::CommandResult r =
      testing::Run(HeapscopeBinary() + " paths " + snap + " --id 15 --max 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Socket retains the closure: the handle's edge comes from outside the page (the global's
  // subgraph) and so does not count (DevTools' page-owned rule).
  EXPECT_EQ(
      r.out,
      "Target  (closure) @15 (closure, self 60, retained 60, distance 5)\n"
      "Paths   2 (of at most 3; weak edges skipped)\n"
      "\n"
      "Path 1 (5 steps, preferred)\n"
      "  global.socket → Socket._events.heartbeat[847] → (closure)\n"
      "  --.global (shortcut)   --> global      @3  object   retained 190\n"
      "  --.socket (property)   --> Socket      @9  object   retained 180\n"
      "  --._events (property)  --> Object     @11  object   retained 150\n"
      "  --.heartbeat (property)--> Array      @13  object   retained 110\n"
      "  --[847] (element)      --> (closure)  @15  closure  retained  60\n"
      "  normalized: global.socket → Socket._events → Object.heartbeat → Array[*] → (closure)\n"
      "\n"
      "Path 2 (3 steps)\n"
      "  (GC roots)[12] → (Global handles){3 / x} → (closure)\n"
      "  --[1] (element)     --> (GC roots)         @5  synthetic  retained  0\n"
      "  --[12] (element)    --> (Global handles)   @7  synthetic  retained  0\n"
      "  --{3 / x} (internal)--> (closure)         @15  closure    retained 60\n"
      "  normalized: (GC roots)[*] → (Global handles){* / x} → (closure)\n");
}

TEST(CmdPathsTest, JsonAndErrors) {
  const std::string dir = ScratchDir();
  const std::string snap = WriteIncident(dir);
  testing::CommandResult r =
      testing::Run(HeapscopeBinary() + " paths " + snap + " --id 9 --max 1 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"compact\": \"global.socket → Socket\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"edge_name\": \"socket\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"retained_size\": 180"), std::string::npos) << r.out;

  testing::CommandResult missing =
      testing::Run(HeapscopeBinary() + " paths " + snap + " --id 4242");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "heapscope: " + snap + ": no node with id 4242\n");
}

}  // namespace
}  // namespace heapscope
