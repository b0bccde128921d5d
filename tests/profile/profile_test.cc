// Sampling heap profiles: the reader (layouts, errors with field and byte) and the series
// combination (self/total bytes, attribution, survivors), exact values.
#include "heapscope/profile/profile.h"

#include <gtest/gtest.h>

#include <string>

namespace heapscope::profile {
namespace {

std::string Node(int id, const char* fn, const char* url, int line, uint64_t self,
                 const std::string& children = "") {
  return "{\"callFrame\":{\"functionName\":\"" + std::string(fn) + "\",\"scriptId\":\"1\",\"url\":\"" +
         url + "\",\"lineNumber\":" + std::to_string(line) + ",\"columnNumber\":2},\"selfSize\":" +
         std::to_string(self) + ",\"id\":" + std::to_string(id) + ",\"children\":[" + children + "]}";
}

// (root) -> main (app.js:0) -> [leak (app.js:9), lib (node_modules/x/i.js:3) -> alloc (node:internal)]
std::string Profile(uint64_t leak, uint64_t alloc, const std::string& samples) {
  return "{\"head\":" +
         Node(1, "(root)", "", -1, 0,
              Node(2, "main", "/app/app.js", 0, 0,
                   Node(3, "leak", "/app/app.js", 9, leak) + "," +
                       Node(4, "lib", "/app/node_modules/x/i.js", 3, 0,
                            Node(5, "alloc", "node:internal/x", 7, alloc)))) +
         ",\"samples\":[" + samples + "]}";
}

TEST(HeapProfileReader, ReadsTheTreeInPreOrder) {
  Result<HeapProfile> p =
      ParseHeapProfile(Profile(100, 50, R"({"size":8,"nodeId":3,"ordinal":1})"), "p.heapprofile");
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->frame.size(), 5u);
  EXPECT_EQ(p->frame[2].function, "leak");
  EXPECT_EQ(p->frame[2].line, 9);
  EXPECT_EQ(p->frame[0].line, -1);
  EXPECT_EQ(p->parent, (std::vector<uint32_t>{UINT32_MAX, 0, 1, 1, 3}));
  EXPECT_EQ(p->self_size[2], 100u);
  EXPECT_EQ(p->total_size(), 150u);
  EXPECT_EQ(p->samples, 1u);
  EXPECT_EQ(p->sample_ordinal, (std::vector<uint64_t>{1}));
  EXPECT_EQ(p->sample_node_id, (std::vector<uint64_t>{3}));
}

TEST(HeapProfileReader, DeepStacksNeedNoRecursion) {
  const int depth = 5000;
  // Each node's children hold the next.
  std::string nested = Node(depth, "f", "/a.js", 0, 1);
  for (int i = depth - 1; i >= 1; --i) nested = Node(i, "f", "/a.js", 0, 1, nested);
  Result<HeapProfile> p = ParseHeapProfile("{\"head\":" + nested + ",\"samples\":[]}", "deep");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->frame.size(), static_cast<size_t>(depth));
  EXPECT_EQ(p->parent.back(), static_cast<uint32_t>(depth - 2));
}

TEST(HeapProfileReader, ErrorsNameTheFieldAndTheByte) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "p: byte 0: empty file: no JSON value"},
      {"[]", "p: byte 0: a sampling heap profile is a JSON object, not an array"},
      {R"({"samples":[]})",
       "p: field 'head': byte 13: missing: the file has no allocation tree (is it a sampling heap "
       "profile?)"},
      {R"({"head":{"callFrame":{"functionName":1}}})",
       "p: field 'callFrame.functionName': byte 38: expected a string"},
      {R"({"head":{"callFrame":{"lineNumber":-2}}})",
       "p: field 'callFrame.lineNumber': byte 37: -2 is below -1 (unknown)"},
      {R"({"head":{"selfSize":1}})", "p: field 'node.selfSize': byte 21: a node without `callFrame`"},
      {R"({"head":{"callFrame":{},"selfSize":1.5}})",
       "p: field 'node.selfSize': byte 38: a fractional or out-of-range number (1.5) where an "
       "integer belongs"},
      {R"({"head":{"callFrame":{},"selfSize":1,"children":[7]}})",
       "p: field 'children': byte 50: a number where a child node belongs"},
      {R"({"head":{"callFrame":{},"selfSize":1},"head":{}})", "p: field 'head': byte 45: appears twice"},
      {R"({"head":{"callFrame":{},"selfSize":1})",
       "p: byte 37: truncated file: the input ends inside the JSON (Missing a comma or "
       "'}' after an object member.)"},
  };
  for (const auto& [json, want] : cases) {
    Result<HeapProfile> p = ParseHeapProfile(json, "p");
    ASSERT_FALSE(p.ok()) << json;
    EXPECT_EQ(p.status().message(), want) << json;
  }
}

bool Users(const CallFrame& f) {
  return !f.url.empty() && !f.url.starts_with("node:") && f.url.find("/node_modules/") == std::string::npos;
}

TEST(ProfileSeries, AttributesStacksAndFindsSurvivors) {
  // Profile 1: sample 1 (leak). Profile 2: samples 1, 2, 3 (leak, leak, alloc). Profile 3:
  // samples 2, 4 (leak survives; alloc's sample 3 is gone).
  std::vector<HeapProfile> ps;
  ps.push_back(*ParseHeapProfile(Profile(10, 0, R"({"size":8,"nodeId":3,"ordinal":1})"), "1"));
  ps.push_back(*ParseHeapProfile(
      Profile(20, 30,
              R"({"size":8,"nodeId":3,"ordinal":1},{"size":8,"nodeId":3,"ordinal":2},)"
              R"({"size":8,"nodeId":5,"ordinal":3})"),
      "2"));
  ps.push_back(*ParseHeapProfile(
      Profile(40, 5, R"({"size":8,"nodeId":3,"ordinal":2},{"size":8,"nodeId":5,"ordinal":4})"), "3"));
  ProfileSeries s = CombineProfiles(ps, Users);
  ASSERT_TRUE(s.has_ordinals);
  EXPECT_EQ(s.total_bytes, (std::vector<uint64_t>{10, 50, 45}));
  EXPECT_EQ(s.bytes_per_sample, (std::vector<uint64_t>{10, 16, 22}));
  // Two attributed functions: leak (its own stack) and main (alloc's stack has no user frame
  // above node:internal but lib's is a package: main is the first user frame from the top).
  ASSERT_EQ(s.functions.size(), 2u);
  const Function* leak = nullptr;
  const Function* main = nullptr;
  for (const Function& f : s.functions) {
    if (s.frames[f.frame].function == "leak") leak = &f;
    if (s.frames[f.frame].function == "main") main = &f;
  }
  ASSERT_TRUE(leak && main);
  EXPECT_EQ(leak->self_bytes, (std::vector<uint64_t>{10, 20, 40}));
  EXPECT_EQ(main->self_bytes, (std::vector<uint64_t>{0, 30, 5}));
  // In profile 2, sample 2 is new and profile 3 still lists it: 20 bytes over 2 samples -> 10.
  EXPECT_EQ(leak->survived_bytes, (std::vector<uint64_t>{0, 10, 0}));
  EXPECT_EQ(main->survived_bytes, (std::vector<uint64_t>{0, 0, 0}));
  // main's total counts the stacks it is on: alloc's and leak's.
  EXPECT_EQ(main->total_bytes, (std::vector<uint64_t>{10, 50, 45}));
  // Stacks: the allocating frame first.
  const Stack& st = s.stacks[main->stacks.front()];
  EXPECT_EQ(s.frames[st.frames[0]].function, "alloc");
  EXPECT_EQ(s.frames[st.frames[1]].function, "lib");
  EXPECT_EQ(s.frames[st.frames[2]].function, "main");
}

}  // namespace
}  // namespace heapscope::profile
