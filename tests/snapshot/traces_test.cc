// Allocation traces (snapshot/traces.h): trace_function_infos, trace_tree and samples loaded by
// the streaming loader, exact values, every buffer size; a header trace_function_count smaller
// than the records (in-process inspector snapshots) counted, not fatal; damage named.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

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
  // The builder's own writer recurses; the nested tree is written here instead.
  std::string tree;
  for (int i = 1; i <= 20000; ++i) tree += std::to_string(i) + ",0,1,8,[";
  tree += std::string(20000, ']');
  std::string json = SnapshotBuilder().ToJson();
  json = Replace(json, "\"trace_function_infos\":[]", "\"trace_function_infos\":[1,1,1,1,1,1]");
  json = Replace(json, "\"trace_tree\":[]", "\"trace_tree\":[" + tree + "]");
  json = Replace(json, "\"trace_function_count\":0", "\"trace_function_count\":1");
  Result<Snapshot> s = snapshot::ParseSnapshot(json, "t");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->traces.tree_nodes(), 20000u);
  EXPECT_EQ(s->traces.tree_parent.back(), 19998u);
}

// The flat records of `from` (fields `old_fields`) in the order of `new_fields`; a field the old
// layout lacks is 0.
rapidjson::Value Permuted(const rapidjson::Value& from, const std::vector<std::string>& old_fields,
                          const std::vector<std::string>& new_fields, rapidjson::Document::AllocatorType& a) {
  rapidjson::Value out(rapidjson::kArrayType);
  for (rapidjson::SizeType r = 0; r + old_fields.size() <= from.Size(); r += old_fields.size()) {
    for (const std::string& f : new_fields) {
      auto at = std::find(old_fields.begin(), old_fields.end(), f);
      out.PushBack(at == old_fields.end() ? 0u : from[r + (at - old_fields.begin())].GetUint(), a);
    }
  }
  return out;
}

rapidjson::Value Names(const std::vector<std::string>& names, rapidjson::Document::AllocatorType& a) {
  rapidjson::Value out(rapidjson::kArrayType);
  for (const std::string& n : names) out.PushBack(rapidjson::Value(n.c_str(), a), a);
  return out;
}

// Fields are found by their names in the meta, as in the node and edge arrays: the three sections
// written in another order, with a field this version does not know, load the same traces.
TEST(Traces, FieldsAreFoundByTheirMetaNames) {
  const std::string json = Traced().ToJson();
  rapidjson::Document d;
  d.Parse(json.c_str());
  ASSERT_FALSE(d.HasParseError());
  auto& a = d.GetAllocator();
  auto& meta = d["snapshot"]["meta"];
  const std::vector<std::string> fn_old = {"function_id", "name", "script_name", "script_id", "line", "column"};
  const std::vector<std::string> fn_new = {"line", "name", "future", "column", "script_id", "function_id",
                                           "script_name"};
  d["trace_function_infos"] = Permuted(d["trace_function_infos"], fn_old, fn_new, a);
  meta["trace_function_info_fields"] = Names(fn_new, a);
  const std::vector<std::string> s_old = {"timestamp_us", "last_assigned_id"};
  const std::vector<std::string> s_new = {"last_assigned_id", "future", "timestamp_us"};
  d["samples"] = Permuted(d["samples"], s_old, s_new, a);
  meta["sample_fields"] = Names(s_new, a);
  // The tree nests each node's children in its record: rewritten record by record.
  const std::vector<std::string> t_old = {"id", "function_info_index", "count", "size"};
  const std::vector<std::string> t_new = {"size", "future", "function_info_index", "count", "id"};
  std::function<rapidjson::Value(const rapidjson::Value&)> tree = [&](const rapidjson::Value& v) {
    rapidjson::Value out(rapidjson::kArrayType);
    for (rapidjson::SizeType r = 0; r + 5 <= v.Size(); r += 5) {
      for (const std::string& f : t_new) {
        auto at = std::find(t_old.begin(), t_old.end(), f);
        out.PushBack(at == t_old.end() ? 0u : v[r + (at - t_old.begin())].GetUint(), a);
      }
      out.PushBack(tree(v[r + 4]), a);
    }
    return out;
  };
  d["trace_tree"] = tree(d["trace_tree"]);
  std::vector<std::string> t_fields = t_new;
  t_fields.push_back("children");
  meta["trace_node_fields"] = Names(t_fields, a);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  const std::string moved(buf.GetString(), buf.GetSize());
  ASSERT_NE(moved, json);

  Result<Snapshot> want = snapshot::ParseSnapshot(json, "t");
  Result<Snapshot> got = snapshot::ParseSnapshot(moved, "t");
  ASSERT_TRUE(want.ok() && got.ok()) << got.status().message();
  const snapshot::AllocationTraces& t = got->traces;
  EXPECT_EQ(t.function_count(), 3u);
  EXPECT_EQ(got->String(t.function_name[1]), "join");
  EXPECT_EQ(got->String(t.function_script[2]), "/app/a.js");
  EXPECT_EQ(t.function_line, want->traces.function_line);
  EXPECT_EQ(t.function_column, want->traces.function_column);
  EXPECT_EQ(t.tree_id, want->traces.tree_id);
  EXPECT_EQ(t.tree_parent, want->traces.tree_parent);
  EXPECT_EQ(t.tree_function, want->traces.tree_function);
  EXPECT_EQ(t.tree_count, want->traces.tree_count);
  EXPECT_EQ(t.tree_size, want->traces.tree_size);
  EXPECT_EQ(t.sample_timestamp_us, (std::vector<uint64_t>{0, 1500}));
  EXPECT_EQ(t.sample_last_assigned_id, (std::vector<uint64_t>{5, 9}));
  EXPECT_EQ(got->trace_node_id, want->trace_node_id);
  EXPECT_TRUE(got->diagnostics.NonZero().empty());
}

// Older V8 wrote no samples section and no sample_fields: the stacks load without them.
TEST(Traces, ALayoutWithoutSamplesLoadsTheStacks) {
  std::string json = Traced().ToJson();
  json = Replace(json, "\"sample_fields\":[\"timestamp_us\",\"last_assigned_id\"],", "");
  json = Replace(json, ",\n\"samples\":[0,5,1500,9]", "");
  Result<Snapshot> s = snapshot::ParseSnapshot(json, "t");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->traces.tracked());
  EXPECT_EQ(s->traces.tree_id, (std::vector<uint32_t>{1, 2, 3, 4}));
  EXPECT_TRUE(s->traces.sample_timestamp_us.empty());
  EXPECT_TRUE(s->diagnostics.NonZero().empty());
}

}  // namespace
}  // namespace heapscope::testing
