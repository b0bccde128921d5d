// `heapscope diff` end to end on snapshots built in code: exact text and CSV, the JSON fields,
// the drill-down with retainer paths, every format, and bad input (exit 2, file named).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "support/snapshot_builder.h"
#include "support/test_paths.h"

namespace heapscope {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using testing::CommandResult;
using testing::HeapscopeBinary;
using testing::ScratchDir;
using testing::SnapshotBuilder;
using testing::WriteFile;

// Generation g of a small process: global (id 21) holds `orders`, an Array of Order objects
// (located at script 4, line 10, column 5 in the file's 0-based terms), and `cache`, a plain
// object. Generation 0 has orders 101, 103; 1 has 101, 105, 107; 2 has 105, 107, 109, 111.
std::string Write(const std::string& dir, int g) {
  SnapshotBuilder b;
  NodeIndex global = b.Node(NodeType::kObject, "global", 10, 21);
  b.Edge(b.root(), global, EdgeType::kShortcut, "global");
  b.GcRoots();
  NodeIndex orders = b.Node(NodeType::kObject, "Array", 16, 51);
  b.Edge(global, orders, EdgeType::kProperty, "orders");
  NodeIndex cache = b.Node(NodeType::kObject, "Object", 12, 53);
  b.Edge(global, cache, EdgeType::kProperty, "cache");
  const std::vector<std::vector<uint32_t>> ids = {{101, 103}, {101, 105, 107}, {105, 107, 109, 111}};
  uint32_t i = 0;
  for (uint32_t id : ids[g]) {
    NodeIndex o = b.Node(NodeType::kObject, "Order", 40 + id % 10, id);
    b.Location(o, 4, 10, 5);
    b.Element(orders, o, i++);
    NodeIndex s = b.Node(NodeType::kString, "=HYPERLINK(\"x\")", 24, id + 1000);
    b.Edge(o, s, EdgeType::kProperty, "note");
  }
  const std::string path = fmt::format("{}/gen{}.heapsnapshot", dir, g);
  WriteFile(path, b.ToJson());
  return path;
}

CommandResult Diff(const std::string& args) {
  return testing::Run(fmt::format("'{}' --quiet diff {}", HeapscopeBinary(), args));
}

TEST(CmdDiff, TextForEachPairAndFirstToLast) {
  const std::string dir = ScratchDir();
  const std::string a = Write(dir, 0), b = Write(dir, 1), c = Write(dir, 2);
  CommandResult r = Diff(fmt::format("'{}' '{}' '{}'", a, b, c));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Orders: 101 (41 B), 103 (43), 105 (45), 107 (47), 109 (49), 111 (41); each holds a 24-byte
  // string. #1 -> #2: 105, 107 new, 103 deleted.
  EXPECT_EQ(r.out, fmt::format(R"(heapscope diff: DevTools' Comparison view (self sizes after DevTools' reassignment; objects matched by id within each class)

Snapshots
  #1  {0}/gen0.heapsnapshot   9 nodes   8 edges  170 B
  #2  {0}/gen1.heapsnapshot  11 nodes  10 edges  243 B
  #3  {0}/gen2.heapsnapshot  13 nodes  12 edges  316 B

#1 → #2  2 classes changed: 4 new (140 bytes), 2 deleted (67 bytes); delta +2 objects, +73 bytes
  Class     # New  # Deleted  # Delta  Alloc. size  Freed size  Size delta
  Order         2          1       +1           92          43         +49
  (string)      2          1       +1           48          24         +24

#2 → #3  2 classes changed: 4 new (138 bytes), 2 deleted (65 bytes); delta +2 objects, +73 bytes
  Class     # New  # Deleted  # Delta  Alloc. size  Freed size  Size delta
  Order         2          1       +1           90          41         +49
  (string)      2          1       +1           48          24         +24

#1 → #3 (first → last)  2 classes changed: 8 new (278 bytes), 4 deleted (132 bytes); delta +4 objects, +146 bytes
  Class     # New  # Deleted  # Delta  Alloc. size  Freed size  Size delta
  Order         4          2       +2          182          84         +98
  (string)      4          2       +2           96          48         +48
)",
                               dir));
}

TEST(CmdDiff, DrillDownListsNewObjectsWithTheirPaths) {
  const std::string dir = ScratchDir();
  const std::string a = Write(dir, 0), c = Write(dir, 2);
  CommandResult r = Diff(fmt::format("'{}' '{}' --class Order --top 2", a, c));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 105, 107, 109, 111 are new; the largest retained sizes first: 109 (49 + 24), 107 (47 + 24).
  const std::string want = R"(
New objects of 'Order' from #1 to #2: 4 (182 bytes); largest retained size first
  DevTools class key 4,10,5,Order
  @109  Order  self 49  retained 73  distance 3
      global.orders[2] → Order
  @107  Order  self 47  retained 71  distance 3
      global.orders[1] → Order
  (2 of 4 objects; --top 0 lists all)
)";
  EXPECT_NE(r.out.find(want), std::string::npos) << r.out;

  // The same class by its DevTools key; JSON.
  r = Diff(fmt::format("'{}' '{}' --class '4,10,5,Order' --top 0 --format json", a, c));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_FALSE(d.HasParseError()) << r.out;
  EXPECT_STREQ(d["schema"].GetString(), "heapscope.diff/1");
  const auto& dd = d["drill_down"];
  EXPECT_EQ(dd["new_count"].GetUint64(), 4u);
  EXPECT_EQ(dd["alloc_size"].GetUint64(), 182u);
  ASSERT_EQ(dd["objects"].Size(), 4u);
  EXPECT_EQ(dd["objects"][0]["id"].GetUint64(), 109u);
  EXPECT_EQ(dd["objects"][3]["id"].GetUint64(), 111u);
  EXPECT_STREQ(dd["objects"][0]["path"][1].GetString(), ".orders Array @51");
  const auto& rows = d["comparisons"][0]["classes"];
  ASSERT_EQ(rows.Size(), 2u);
  EXPECT_STREQ(rows[0]["key"].GetString(), "4,10,5,Order");
  EXPECT_EQ(rows[0]["location"]["line"].GetUint64(), 11u);
  EXPECT_EQ(rows[0]["delta"].GetInt64(), 2);
  EXPECT_EQ(rows[0]["size_delta"].GetInt64(), 98);
  EXPECT_EQ(d["comparisons"][0]["first_to_last"].GetBool(), true);
}

TEST(CmdDiff, CsvQuotesAndDisarmsFormulas) {
  const std::string dir = ScratchDir();
  const std::string a = Write(dir, 0), b = Write(dir, 1);
  CommandResult r = Diff(fmt::format("'{}' '{}' --format csv", a, b));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "base,target,class,key,new,deleted,delta,alloc_size,freed_size,size_delta\r\n"
            "1,2,\"Order\",\"4,10,5,Order\",2,1,1,92,43,49\r\n"
            "1,2,\"(string)\",\",(string)\",2,1,1,48,24,24\r\n");
  r = Diff(fmt::format("'{}' '{}' --format csv --class '(string)'", a, b));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "id,name,type,self_size,retained_size,distance,retainer_path\r\n"
            "1105,\"'=HYPERLINK(\"\"x\"\")\",string,24,24,4,"
            "\"global.orders[1] → Order.note → \"\"=HYPERLINK(\"\"x\"\")\"\"\"\r\n"
            "1107,\"'=HYPERLINK(\"\"x\"\")\",string,24,24,4,"
            "\"global.orders[2] → Order.note → \"\"=HYPERLINK(\"\"x\"\")\"\"\"\r\n");
}

TEST(CmdDiff, MarkdownAndHtml) {
  const std::string dir = ScratchDir();
  const std::string a = Write(dir, 0), b = Write(dir, 1);
  CommandResult r = Diff(fmt::format("'{}' '{}' --format markdown", a, b));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| `Order` | 2 | 1 | +1 | 92 | 43 | +49 |\n"), std::string::npos) << r.out;
  r = Diff(fmt::format("'{}' '{}' --format html --class Order", a, b));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("<td class=\"n up\">+49</td>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("global.orders[1] → Order"), std::string::npos) << r.out;
}

TEST(CmdDiff, BadInputExitsTwoNamingTheFile) {
  const std::string dir = ScratchDir();
  const std::string a = Write(dir, 0);
  CommandResult r = Diff(fmt::format("'{}'", a));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at least two snapshots"), std::string::npos) << r.err;

  r = Diff(fmt::format("'{}' '{}' --class NoSuchClass", a, a));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--class 'NoSuchClass'"), std::string::npos) << r.err;

  const std::string truncated = dir + "/truncated.heapsnapshot";
  std::string json = testing::ReadFile(a);
  WriteFile(truncated, json.substr(0, json.size() / 2));
  r = Diff(fmt::format("'{}' '{}'", a, truncated));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("truncated.heapsnapshot"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("byte"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace heapscope
