// `heapscope strings` end to end on a snapshot built in code: exact text, the JSON fields, the
// holders of each value, --top, and bad input (exit 2, file, field and byte named).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
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

// global (id 21) holds `requests`, an Array of 4 Request objects; each Request has a
// `contentType` string "application/json" (24 bytes, its own copy) and the first three a
// `method` string "GET" (16 bytes, own copies); one more "GET" sits in a plain {verb} object
// (alone, so not an interface: its class is Object, as in summary).
std::string Write(const std::string& dir) {
  SnapshotBuilder b;
  NodeIndex global = b.Node(NodeType::kObject, "global", 10, 21);
  b.Edge(b.root(), global, EdgeType::kShortcut, "global");
  b.GcRoots();
  NodeIndex requests = b.Node(NodeType::kObject, "Array", 16, 23);
  b.Edge(global, requests, EdgeType::kProperty, "requests");
  for (uint32_t i = 0; i < 4; ++i) {
    NodeIndex r = b.Node(NodeType::kObject, "Request", 32, 101 + 2 * i);
    b.Element(requests, r, i);
    b.Edge(r, b.Node(NodeType::kString, "application/json", 24, 201 + 2 * i), EdgeType::kProperty,
           "contentType");
    if (i < 3) {
      b.Edge(r, b.Node(NodeType::kString, "GET", 16, 301 + 2 * i), EdgeType::kProperty, "method");
    }
  }
  NodeIndex verb = b.Node(NodeType::kObject, "Object", 12, 25);
  b.Edge(global, verb, EdgeType::kProperty, "last");
  b.Edge(verb, b.Node(NodeType::kString, "GET", 16, 401), EdgeType::kProperty, "verb");
  b.Edge(global, b.Node(NodeType::kString, "once", 16, 27), EdgeType::kProperty, "once");
  const std::string path = dir + "/requests.heapsnapshot";
  WriteFile(path, b.ToJson());
  return path;
}

CommandResult Strings(const std::string& args) {
  return testing::Run(fmt::format("'{}' --quiet strings {}", HeapscopeBinary(), args));
}

TEST(CmdStrings, Text) {
  const std::string dir = ScratchDir();
  const std::string snap = Write(dir);
  CommandResult r = Strings(fmt::format("'{}'", snap));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, fmt::format(R"(Snapshot  {}
Strings   8 copies of 2 duplicated values: 160 bytes, 120 of them wasted
Sizes     self sizes after DevTools' reassignment; wasted = all copies but the largest

Wasted  Copies  Self size  Retained  Value
    72       4         96        96  "application/json"
                                       held by Request.contentType ×4
    48       4         64        64  "GET"
                                       held by Request.method ×3, Object.verb ×1
)",
                               snap));
  r = Strings(fmt::format("'{}' --top 1 --retainers 0", snap));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Showing   1 values"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("held by"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"GET\""), std::string::npos) << r.out;
}

TEST(CmdStrings, Json) {
  const std::string dir = ScratchDir();
  CommandResult r = Strings(fmt::format("'{}' --format json", Write(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document d;
  d.Parse(r.out.c_str(), r.out.size());
  ASSERT_FALSE(d.HasParseError()) << r.out;
  EXPECT_STREQ(d["schema"].GetString(), "heapscope.strings/1");
  EXPECT_STREQ(d["self_sizes"].GetString(), "devtools");
  EXPECT_EQ(d["group_count"].GetUint64(), 2u);
  EXPECT_EQ(d["strings"].GetUint64(), 8u);
  EXPECT_EQ(d["self_size"].GetUint64(), 160u);
  EXPECT_EQ(d["wasted"].GetUint64(), 120u);
  const auto& g = d["groups"][1];
  EXPECT_STREQ(g["value"].GetString(), "GET");
  EXPECT_FALSE(g["truncated"].GetBool());
  EXPECT_EQ(g["count"].GetUint64(), 4u);
  EXPECT_EQ(g["wasted"].GetUint64(), 48u);
  EXPECT_EQ(g["retained_size"].GetUint64(), 64u);
  ASSERT_EQ(g["ids"].Size(), 4u);
  EXPECT_EQ(g["ids"][0].GetUint64(), 301u);
  EXPECT_EQ(g["ids"][3].GetUint64(), 401u);
  ASSERT_EQ(g["holders"].Size(), 2u);
  EXPECT_STREQ(g["holders"][1]["holder"].GetString(), "Object.verb");  // one {verb} object: no interface, DevTools class Object
  EXPECT_EQ(g["holders"][1]["count"].GetUint64(), 1u);
}

TEST(CmdStrings, BadInputExitsTwoNamingFileFieldAndByte) {
  const std::string dir = ScratchDir();
  const std::string snap = Write(dir);
  const std::string truncated = dir + "/truncated.heapsnapshot";
  const std::string json = testing::ReadFile(snap);
  WriteFile(truncated, json.substr(0, json.size() / 2));
  CommandResult r = Strings(fmt::format("'{}' -o '{}/out.txt'", truncated, dir));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("truncated.heapsnapshot"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("field"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("byte"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.txt"));

  r = Strings(fmt::format("'{}' --format csv", snap));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = Strings(fmt::format("'{}/missing.heapsnapshot'", dir));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.heapsnapshot"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace heapscope
