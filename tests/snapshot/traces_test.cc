// Allocation traces (snapshot/traces.h): trace_function_infos, trace_tree and samples loaded by
// the streaming loader, exact values, every buffer size; a header trace_function_count smaller
// than the records (in-process inspector snapshots) counted, not fatal; damage named.
#include <gtest/gtest.h>

#include "heapscope/snapshot/parse.h"
#include "support/snapshot_builder.h"

namespace heapscope::testing {
namespace {

SnapshotBuilder Traced() {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex a = b.Node(NodeType::kClosure, "onTick", 32);
  b.Edge(gc, a, EdgeType::kInternal, "x");
  uint32_t root = b.TraceFunction("(root)", "", 0, 0, 0);
  uint32_t join = b.TraceFunction("join", "/app/a.js", 7, 12, 3);
  uint32_t sub = b.TraceFunction("subscribe", "/app/a.js", 7, 4, 1);
  uint32_t t1 = b.TraceNode(0, root, 0, 0);
  uint32_t t2 = b.TraceNode(t1, join, 2, 64);
  uint32_t t3 = b.TraceNode(t2, sub, 5, 160);
  b.TraceNode(t1, sub, 1, 32);
  b.Traced(a, t3);
  b.Sample(0, 5);
  b.Sample(1500, 9);
  return b;
}

TEST(Traces, LoadsTheThreeSectionsAtEveryBufferSize) {
  SnapshotBuilder b = Traced();
  const Snapshot want = b.Build();
  const std::string json = b.ToJson();
  for (size_t buffer : {size_t{24}, size_t{31}, size_t{57}, size_t{4096}}) {
    snapshot::ParseOptions o;
    o.buffer_bytes = buffer;
    Result<Snapshot> s = snapshot::ParseSnapshot(json, "t", o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    const snapshot::AllocationTraces& t = s->traces;
    EXPECT_TRUE(t.tracked());
    EXPECT_EQ(t.function_count(), 3u);
    EXPECT_EQ(s->String(t.function_name[1]), "join");
    EXPECT_EQ(s->String(t.function_script[2]), "/app/a.js");
    EXPECT_EQ(t.function_line, (std::vector<uint32_t>{0, 12, 4}));
    EXPECT_EQ(t.function_column, (std::vector<uint32_t>{0, 3, 1}));
    EXPECT_EQ(t.tree_id, want.traces.tree_id);
    EXPECT_EQ(t.tree_id, (std::vector<uint32_t>{1, 2, 3, 4}));
    EXPECT_EQ(t.tree_parent, (std::vector<uint32_t>{kNone, 0, 1, 0}));
    EXPECT_EQ(t.tree_function, (std::vector<uint32_t>{0, 1, 2, 2}));
    EXPECT_EQ(t.tree_count, (std::vector<uint64_t>{0, 2, 5, 1}));
    EXPECT_EQ(t.tree_size, (std::vector<uint64_t>{0, 64, 160, 32}));
    EXPECT_EQ(t.sample_timestamp_us, (std::vector<uint64_t>{0, 1500}));
    EXPECT_EQ(t.sample_last_assigned_id, (std::vector<uint64_t>{5, 9}));
    EXPECT_EQ(t.FindNode(3), 2u);
    EXPECT_EQ(t.FindNode(99), kNone);
    EXPECT_EQ(s->trace_node_id, want.trace_node_id);
    EXPECT_TRUE(s->diagnostics.NonZero().empty());
  }
}

TEST(Traces, ASmallerHeaderCountIsCountedNotFatal) {
  SnapshotBuilder b = Traced();
  b.set_trace_function_count(2);  // V8's in-process inspector snapshots do this
  Result<Snapshot> s = snapshot::ParseSnapshot(b.ToJson(), "t");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->traces.function_count(), 3u);
  EXPECT_EQ(s->diagnostics.trace_function_count_mismatch, 1u);
}

TEST(Traces, UntrackedSnapshotsHaveNone) {
  SnapshotBuilder b;
  b.GcRoots();
  Result<Snapshot> s = snapshot::ParseSnapshot(b.ToJson(), "t");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->traces.tracked());
  EXPECT_TRUE(s->diagnostics.NonZero().empty());
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

TEST(Traces, DamageIsCountedOrNamed) {
  const std::string json = Traced().ToJson();
  // A trace node naming a function that does not exist, and a heap node naming no tree node.
  {
    Result<Snapshot> s = snapshot::ParseSnapshot(
        Replace(Replace(json, "4,2,1,32,[]", "4,9,1,32,[]"), "5,3,5,32,0,3,0", "5,3,5,32,0,77,0"),
        "t");
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->diagnostics.trace_nodes_function_invalid, 1u);
    EXPECT_EQ(s->diagnostics.trace_node_ids_unknown, 1u);
    EXPECT_EQ(s->traces.tree_function[3], kNone);
  }
  const std::pair<std::string, std::string> errors[] = {
      {Replace(json, "\"trace_tree\":[1,0,0,0,[", "\"trace_tree\":[1,0,0,[0,"),
       "field 'trace_tree': byte "},
      {Replace(json, "[\"id\",\"function_info_index\",\"count\",\"size\",\"children\"]",
               "[\"id\",\"function_info_index\",\"children\",\"count\",\"size\"]"),
       "field 'snapshot.meta.trace_node_fields': byte "},
      {Replace(json, "2,6,7,7,12,3", "2,5000,7,7,12,3"), "field 'trace_function_infos': byte "},
      {Replace(json, "\"samples\":[0,5,1500,9]", "\"samples\":[0,5,1500]"), "field 'samples': byte "},
  };
  const char* const messages[] = {
      "a list of children after 3 of the node's 5 fields",
      "'children' must be the last field",
      "function 1: string index 5000 is out of range",
      "array length is not a multiple of the field count 2 (1 values left over)",
  };
  for (size_t i = 0; i < std::size(errors); ++i) {
    Result<Snapshot> s = snapshot::ParseSnapshot(errors[i].first, "t");
    ASSERT_FALSE(s.ok()) << i << errors[i].first;
    EXPECT_NE(s.status().message().find(errors[i].second), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find(messages[i]), std::string::npos) << s.status().message();
  }
}

TEST(Traces, ADeepTreeNeedsNoRecursion) {
  SnapshotBuilder b;
  b.GcRoots();
  uint32_t f = b.TraceFunction("f", "/a.js", 1, 1, 1);
  uint32_t parent = 0;
  for (int i = 0; i < 20000; ++i) parent = b.TraceNode(parent, f, 1, 8);
  // The builder's own writer recurses; write the nested tree here instead.
  std::string tree;
  for (int i = 1; i <= 20000; ++i) tree += std::to_string(i) + ",0,1,8,[";
  tree += std::string(20000, ']');
  for (int i = 0; i < 19999; ++i) {}
  std::string json = SnapshotBuilder().ToJson();
  json = Replace(json, "\"trace_function_infos\":[]", "\"trace_function_infos\":[1,1,1,1,1,1]");
  json = Replace(json, "\"trace_tree\":[]", "\"trace_tree\":[" + tree + "]");
  json = Replace(json, "\"trace_function_count\":0", "\"trace_function_count\":1");
  Result<Snapshot> s = snapshot::ParseSnapshot(json, "t");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->traces.tree_nodes(), 20000u);
  EXPECT_EQ(s->traces.tree_parent.back(), 19998u);
  (void)f;
}

}  // namespace
}  // namespace heapscope::testing
