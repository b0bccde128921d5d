// `heapscope retained` end to end: exact JSON and text for a small snapshot, --top, --raw-sizes,
// and bad input (exit code 2, file named).
#include <gtest/gtest.h>

#include <string>

#include "support/snapshot_builder.h"
#include "support/test_paths.h"

namespace heapscope {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using testing::HeapscopeBinary;
using testing::ReadFile;
using testing::ScratchDir;
using testing::SnapshotBuilder;
using testing::WriteFile;

// root -shortcut-> global(10) -> Holder(20) -internal-> (object elements)[array](30)
//                 global -> Leaf(5);  root -[1]-> (GC roots)
std::string WriteSmall(const std::string& dir) {
  SnapshotBuilder b;
  NodeIndex global = b.Node(NodeType::kObject, "global", 10);
  b.Edge(b.root(), global, EdgeType::kShortcut, "global");
  b.GcRoots();
  NodeIndex holder = b.Node(NodeType::kObject, "Holder", 20);
  NodeIndex elements = b.Node(NodeType::kArray, "(object elements)", 30);
  NodeIndex leaf = b.Node(NodeType::kObject, "Leaf \"quoted\"", 5);
  b.Edge(global, holder, EdgeType::kProperty, "holder");
  b.Edge(holder, elements, EdgeType::kInternal, "elements");
  b.Edge(global, leaf, EdgeType::kProperty, "leaf");
  const std::string path = dir + "/small.heapsnapshot";
  WriteFile(path, b.ToJson());
  return path;
}

TEST(CmdRetainedTest, JsonListsEveryNodeByRetainedSize) {
  const std::string dir = ScratchDir();
  const std::string snap = WriteSmall(dir);
  testing::CommandResult r =
      testing::Run(HeapscopeBinary() + " retained " + snap + " --top 0 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "[\n"
      R"j({"id":1,"name":"","type":"synthetic","self_size":0,"retained_size":65,"distance":100000000,"dominator":1},)j"
      "\n"
      R"j({"id":3,"name":"global","type":"object","self_size":10,"retained_size":65,"distance":1,"dominator":1},)j"
      "\n"
      R"j({"id":7,"name":"Holder","type":"object","self_size":50,"retained_size":50,"distance":2,"dominator":3},)j"
      "\n"
      R"j({"id":11,"name":"Leaf \"quoted\"","type":"object","self_size":5,"retained_size":5,"distance":2,"dominator":3},)j"
      "\n"
      R"j({"id":5,"name":"(GC roots)","type":"synthetic","self_size":0,"retained_size":0,"distance":100000001,"dominator":1},)j"
      "\n"
      R"j({"id":9,"name":"(object elements)","type":"array","self_size":0,"retained_size":0,"distance":3,"dominator":7})j"
      "\n"
      "]\n");
  EXPECT_EQ(r.err, "");
}

TEST(CmdRetainedTest, TopRawSizesAndTextTable) {
  const std::string dir = ScratchDir();
  const std::string snap = WriteSmall(dir);
  testing::CommandResult r = testing::Run(HeapscopeBinary() + " retained " + snap +
                                          " --top 3 --raw-sizes -o " + dir + "/out.txt");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReadFile(dir + "/out.txt"),
            "Snapshot    " + snap +
                "\n"
                "Nodes       6\n"
                "Total size  65 bytes (retained size of the root)\n"
                "Self sizes  as in the file (no reassignment)\n"
                "Showing     3 nodes by retained size\n"
                "\n"
                "Retained    Ret%  Self  Distance  Type       Id  Dominator  Name\n"
                "      65  100.0%     0     sys+0  synthetic  @1         @1  \n"
                "      65  100.0%    10         1  object     @3         @1  global\n"
                "      50   76.9%    20         2  object     @7         @3  Holder\n");

  testing::CommandResult j =
      testing::Run(HeapscopeBinary() + " retained " + snap + " --top 1 --raw-sizes --format json");
  ASSERT_EQ(j.exit_code, 0);
  EXPECT_EQ(j.err, "heapscope: note: self sizes are as in the file (no DevTools reassignment)\n");
}

TEST(CmdRetainedTest, BadInputExitsWithTwoAndNamesTheFile) {
  const std::string dir = ScratchDir();
  WriteFile(dir + "/bad.heapsnapshot", "{\"snapshot\":{\"meta\":");
  testing::CommandResult r =
      testing::Run(HeapscopeBinary() + " retained " + dir + "/bad.heapsnapshot");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir + "/bad.heapsnapshot"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  testing::CommandResult m =
      testing::Run(HeapscopeBinary() + " retained " + dir + "/missing.heapsnapshot");
  EXPECT_EQ(m.exit_code, 2);
}

}  // namespace
}  // namespace heapscope

namespace heapscope {
namespace {

// `heapscope summary`: DevTools' reassigned self sizes, class retained size and minimum distance
// per class, by default (`--retained`) and not with `--no-retained`.
TEST(CmdSummaryRetainedTest, AddsRetainedAndDistanceColumns) {
  const std::string dir = testing::ScratchDir();
  const std::string snap = WriteSmall(dir);
  testing::CommandResult r =
      testing::Run(testing::HeapscopeBinary() + " summary " + snap + " --retained --top 0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t table = r.out.find("\nClass ") + 1;
  ASSERT_NE(table, 0u) << r.out;
  EXPECT_EQ(r.out.substr(table),
            "Class          Count  Self size   Self%  Retained  Distance\n"
            "Holder             1         50   76.9%        50         2\n"
            "global             1         10   15.4%        65         1\n"
            "Leaf \"quoted\"      1          5    7.7%         5         2\n");
  testing::CommandResult by_default =
      testing::Run(testing::HeapscopeBinary() + " summary " + snap + " --top 0");
  ASSERT_EQ(by_default.exit_code, 0) << by_default.err;
  EXPECT_EQ(by_default.out, r.out);
  testing::CommandResult plain =
      testing::Run(testing::HeapscopeBinary() + " summary " + snap + " --no-retained");
  ASSERT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.out.find("Self%  Retained"), std::string::npos);
  EXPECT_NE(plain.out.find("Self%\n"), std::string::npos);
}

}  // namespace
}  // namespace heapscope
