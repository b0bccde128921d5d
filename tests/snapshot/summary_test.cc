// DevTools' class naming and the per-class Summary, on snapshots built in code.
#include "heapscope/snapshot/summary.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "support/snapshot_builder.h"

namespace heapscope::snapshot {
namespace {

using testing::SnapshotBuilder;

TEST(ClassName, FollowsDevToolsRules) {
  SnapshotBuilder b;
  struct Row {
    NodeType type;
    const char* name;
    const char* want;
  };
  const Row rows[] = {
      {NodeType::kHidden, "system / Foo", "(system)"},
      {NodeType::kCode, "system / SharedFunctionInfo / f", "(compiled code)"},
      {NodeType::kClosure, "onMessage", "Function"},
      {NodeType::kRegExp, "a+b", "RegExp"},
      {NodeType::kObject, "Session", "Session"},
      {NodeType::kNative, "Node / TCPWrap", "Node / TCPWrap"},
      {NodeType::kNative, "<div id=\"a\" class=\"b\">", "<div>"},
      {NodeType::kObject, "<span>", "<span>"},
      {NodeType::kNative, "Detached <div id=x>", "Detached <div>"},
      {NodeType::kString, "hello", "(string)"},
      {NodeType::kArray, "", "(array)"},
      {NodeType::kConsString, "ab", "(concatenated string)"},
      {NodeType::kSlicedString, "b", "(sliced string)"},
      {NodeType::kNumber, "heap number", "(number)"},
      {NodeType::kSynthetic, "(GC roots)", "(synthetic)"},
      {NodeType::kSymbol, "Symbol(x)", "(symbol)"},
      {NodeType::kBigInt, "bigint", "(bigint)"},
      {NodeType::kObjectShape, "system / Map", "(object shape)"},
  };
  std::vector<NodeIndex> nodes;
  for (const Row& r : rows) nodes.push_back(b.Node(r.type, r.name, 1));
  Snapshot s = b.Build();
  for (size_t i = 0; i < nodes.size(); ++i) EXPECT_EQ(ClassName(s, nodes[i]), rows[i].want) << i;
}

// Rows as (name, count, self size) for compact expectations.
std::vector<std::tuple<std::string, uint32_t, uint64_t>> Rows(const ClassSummary& sum) {
  std::vector<std::tuple<std::string, uint32_t, uint64_t>> out;
  for (const ClassRow& r : sum.rows) out.emplace_back(r.name, r.count, r.self_size);
  return out;
}

TEST(Summarize, GroupsSortsBySelfSizeThenNameAndSkipsZeroSizes) {
  SnapshotBuilder b;
  b.Node(NodeType::kObject, "B", 10);
  b.Node(NodeType::kObject, "A", 10);
  b.Node(NodeType::kObject, "B", 5);
  b.Node(NodeType::kClosure, "f", 7);
  b.Node(NodeType::kClosure, "g", 9);
  b.Node(NodeType::kNative, "<div id=1>", 3);
  b.Node(NodeType::kNative, "<div id=2>", 4);
  b.Node(NodeType::kObject, "Zero", 0);  // not counted, like DevTools
  b.Edge(b.root(), NodeIndex(1), EdgeType::kProperty, "b");
  ClassSummary sum = Summarize(b.Build());
  using R = std::tuple<std::string, uint32_t, uint64_t>;
  EXPECT_EQ(Rows(sum),
            (std::vector<R>{{"Function", 2, 16}, {"B", 2, 15}, {"A", 1, 10}, {"<div>", 2, 7}}));
  EXPECT_EQ(sum.node_count, 9u);
  EXPECT_EQ(sum.edge_count, 1u);
  EXPECT_EQ(sum.total_self_size, 48u);
  EXPECT_FALSE(sum.has_retained_size);
  EXPECT_FALSE(sum.has_distance);
  EXPECT_EQ(sum.rows[1].first_node, NodeIndex(1));
}

TEST(Summarize, ObjectsWithDifferentLocationsAreDifferentRows) {
  SnapshotBuilder b;
  NodeIndex a1 = b.Node(NodeType::kObject, "Item", 10);
  NodeIndex a2 = b.Node(NodeType::kObject, "Item", 10);
  NodeIndex c = b.Node(NodeType::kObject, "Item", 4);
  b.Node(NodeType::kObject, "Item", 1);                 // no location
  NodeIndex f = b.Node(NodeType::kClosure, "Item", 2);  // closures are not split by location
  b.Location(a1, /*script_id=*/5, /*line=*/1, /*column=*/2);
  b.Location(a2, 5, 1, 2);
  b.Location(c, 6, 0, 0);
  b.Location(f, 7, 3, 3);
  ClassSummary sum = Summarize(b.Build());
  ASSERT_EQ(sum.rows.size(), 4u);
  EXPECT_EQ(std::tie(sum.rows[0].name, sum.rows[0].count, sum.rows[0].self_size,
                     sum.rows[0].script_id, sum.rows[0].line, sum.rows[0].column),
            std::make_tuple(std::string("Item"), 2u, uint64_t{20}, 5u, 1u, 2u));
  EXPECT_EQ(std::tie(sum.rows[1].count, sum.rows[1].script_id), std::make_tuple(1u, 6u));
  EXPECT_EQ(sum.rows[2].name, "Function");
  EXPECT_EQ(std::tie(sum.rows[3].count, sum.rows[3].script_id), std::make_tuple(1u, kNone));
}

TEST(Summarize, OverridesRetainedSizesAndDistancesFromLaterStages) {
  //   root -> a(A,10) -> b(A,20) -> c(B,5)
  //        -> d(B,1)
  // Dominator tree = the same tree. DevTools' class retained size counts only outermost
  // members: A = ret(a) = 35 (b is inside a); B = ret(c) + ret(d) = 6.
  SnapshotBuilder b;
  NodeIndex a = b.Node(NodeType::kObject, "A", 10);
  NodeIndex bb = b.Node(NodeType::kObject, "A", 20);
  NodeIndex c = b.Node(NodeType::kObject, "B", 5);
  NodeIndex d = b.Node(NodeType::kObject, "B", 1);
  b.Edge(b.root(), a, EdgeType::kProperty, "a");
  b.Edge(a, bb, EdgeType::kProperty, "b");
  b.Edge(bb, c, EdgeType::kProperty, "c");
  b.Edge(b.root(), d, EdgeType::kProperty, "d");
  Snapshot s = b.Build();
  std::vector<uint64_t> self = {0, 10, 20, 5, 100};  // d reassigned to 100
  std::vector<uint64_t> retained = {136, 35, 25, 5, 100};
  std::vector<NodeIndex> dom = {NodeIndex(0), NodeIndex(0), a, bb, NodeIndex(0)};
  std::vector<int32_t> distance = {0, 1, 2, 3, 1};
  SummaryInputs in;
  in.self_size = &self;
  in.retained_size = &retained;
  in.dominator = &dom;
  in.distance = &distance;
  ClassSummary sum = Summarize(s, in);
  ASSERT_EQ(sum.rows.size(), 2u);
  EXPECT_TRUE(sum.has_retained_size);
  EXPECT_TRUE(sum.has_distance);
  EXPECT_EQ(sum.total_self_size, 135u);
  EXPECT_EQ(std::tie(sum.rows[0].name, sum.rows[0].self_size, sum.rows[0].retained_size,
                     sum.rows[0].distance),
            std::make_tuple(std::string("B"), uint64_t{105}, uint64_t{105}, 1));
  EXPECT_EQ(std::tie(sum.rows[1].name, sum.rows[1].self_size, sum.rows[1].retained_size,
                     sum.rows[1].distance),
            std::make_tuple(std::string("A"), uint64_t{30}, uint64_t{35}, 1));
}

TEST(Summarize, RetainedSizeWalkHandlesAMillionNodeChain) {
  // A dominator chain of 1,000,000 nodes of alternating classes: no recursion, exact sums.
  const uint32_t n = 1000000;
  SnapshotBuilder b;
  for (uint32_t i = 1; i < n; ++i) b.Node(NodeType::kObject, i % 2 ? "Odd" : "Even", 1);
  Snapshot s = b.Build();
  std::vector<NodeIndex> dom(n);
  std::vector<uint64_t> retained(n);
  for (uint32_t i = 0; i < n; ++i) {
    dom[i] = NodeIndex(i == 0 ? 0 : i - 1);
    retained[i] = n - i - (i == 0 ? 1 : 0);  // each node retains itself and all after it
  }
  SummaryInputs in;
  in.retained_size = &retained;
  in.dominator = &dom;
  ClassSummary sum = Summarize(s, in);
  ASSERT_EQ(sum.rows.size(), 2u);
  // Outermost Odd is node 1 (retains n-1), outermost Even is node 2 (retains n-2).
  EXPECT_EQ(std::tie(sum.rows[0].name, sum.rows[0].count, sum.rows[0].retained_size),
            std::make_tuple(std::string("Odd"), n / 2, uint64_t{n - 1}));
  EXPECT_EQ(std::tie(sum.rows[1].name, sum.rows[1].count, sum.rows[1].retained_size),
            std::make_tuple(std::string("Even"), n / 2 - 1, uint64_t{n - 2}));
}

TEST(FormatDescription, NamesTheLayout) {
  Meta m;
  m.node_field_count = 7;
  m.has_trace_node_id = true;
  m.has_detachedness = true;
  m.location_fields = {"object_index", "script_id", "line", "column"};
  EXPECT_EQ(FormatDescription(m),
            "V8 2023+ with trace_node_id layout: 7-field nodes (trace_node_id, detachedness), "
            "4-field locations");
  m.node_field_count = 6;
  m.has_trace_node_id = false;
  m.location_fields.push_back("script_object_index");
  m.has_script_object_index = true;
  EXPECT_EQ(FormatDescription(m),
            "V8 2024+ layout: 6-field nodes (detachedness), 5-field locations "
            "(script_object_index)");
  m.has_detachedness = false;
  m.has_trace_node_id = true;
  m.location_fields.clear();
  EXPECT_EQ(FormatDescription(m),
            "V8 before 2023 layout: 6-field nodes (trace_node_id), no locations");
}

}  // namespace
}  // namespace heapscope::snapshot
