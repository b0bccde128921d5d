// Real snapshots written by Node at test time (tests/snapshot/programs/shapes.js), checked for
// exact counts against an independent count of the same file (programs/count.js, JSON.parse),
// through the library and through the CLI (plain, gzip, standard input).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "heapscope/snapshot/parse.h"
#include "heapscope/snapshot/summary.h"
#include "support/test_paths.h"

namespace heapscope::snapshot {
namespace {

class RealSnapshot : public ::testing::Test {
 protected:
  // Once per process (ctest runs each test in its own process, in parallel: the folder is
  // per process). Problems are recorded and reported by SetUp(), so they fail the tests
  // instead of skipping them.
  static void SetUpTestSuite() {
    dir_ = (std::filesystem::path(HEAPSCOPE_TEST_TMP) / fmt::format("RealSnapshot-{}", ::getpid()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    file_ = dir_ + "/shapes.heapsnapshot";
    const std::string programs = testing::SourceDir() + "/tests/snapshot/programs";
    testing::CommandResult w =
        testing::Run(fmt::format("node '{}/shapes.js' '{}'", programs, file_));
    if (w.exit_code != 0) {
      setup_error_ = "shapes.js failed: " + w.err;
      return;
    }
    testing::CommandResult c =
        testing::Run(fmt::format("node '{}/count.js' '{}'", programs, file_));
    if (c.exit_code != 0) {
      setup_error_ = "count.js failed: " + c.err;
      return;
    }
    count_json_ = c.out;
    if (std::system(fmt::format("gzip -c '{0}' > '{0}.gz'", file_).c_str()) != 0) {
      setup_error_ = "gzip failed";
    }
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    ASSERT_TRUE(testing::HaveNode()) << "node is required (scripts/setup.sh installs it)";
    ASSERT_EQ(setup_error_, "");
    count_.Parse(count_json_.c_str());
    ASSERT_FALSE(count_.HasParseError());
  }

  uint64_t Count(const char* key) const { return count_[key].GetUint64(); }

  static std::string dir_, file_, count_json_, setup_error_;
  rapidjson::Document count_;
};
std::string RealSnapshot::dir_, RealSnapshot::file_, RealSnapshot::count_json_,
    RealSnapshot::setup_error_;

TEST_F(RealSnapshot, CountsMatchAnIndependentCount) {
  Result<Snapshot> r = ParseSnapshotFile(file_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Snapshot& s = *r;
  EXPECT_EQ(s.node_count(), Count("node_count"));
  EXPECT_EQ(s.edge_count(), Count("edge_count"));
  EXPECT_EQ(s.string_count(), Count("string_count"));
  EXPECT_EQ(s.location_count(), Count("location_count"));
  EXPECT_EQ(s.header_node_count, s.node_count());
  EXPECT_EQ(s.header_edge_count, s.edge_count());
  EXPECT_EQ(s.first_edge.back(), s.edge_count());
  EXPECT_EQ(s.source_bytes, std::filesystem::file_size(file_));
  uint64_t total = 0;
  for (uint64_t v : s.self_size) total += v;
  EXPECT_EQ(total, Count("total_self_size"));
  EXPECT_EQ(Summarize(s).total_self_size, Count("total_self_size"));
}

TEST_F(RealSnapshot, PerTypeCountsMatch) {
  Result<Snapshot> r = ParseSnapshotFile(file_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::map<std::string, uint64_t> got_nodes, want_nodes, got_edges, want_edges;
  for (NodeType t : r->node_type) ++got_nodes[std::string(NodeTypeName(t))];
  for (EdgeType t : r->edge_type) ++got_edges[std::string(EdgeTypeName(t))];
  // Names this build does not know (Node 20 has "wasm object") are kUnknown: bucket them so.
  for (auto& m : count_["node_types"].GetObject()) {
    std::string name = m.name.GetString();
    if (NodeTypeFromName(name) == NodeType::kUnknown) name = "unknown";
    want_nodes[name] += m.value.GetUint64();
  }
  for (auto& m : count_["edge_types"].GetObject()) {
    std::string name = m.name.GetString();
    if (EdgeTypeFromName(name) == EdgeType::kUnknown) name = "unknown";
    want_edges[name] += m.value.GetUint64();
  }
  EXPECT_EQ(got_nodes, want_nodes);
  EXPECT_EQ(got_edges, want_edges);
}

TEST_F(RealSnapshot, PerNameCountsAndSelfSizesMatch) {
  Result<Snapshot> r = ParseSnapshotFile(file_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // (type name as in the file, node name) -> (count, self size total)
  using Key = std::pair<std::string, std::string>;
  std::map<Key, std::pair<uint64_t, uint64_t>> got, want;
  for (uint32_t n = 0; n < r->node_count(); ++n) {
    NodeType t = r->node_type[n];
    std::string type(NodeTypeName(t));
    auto& g = got[{type, std::string(r->NodeName(NodeIndex(n)))}];
    ++g.first;
    g.second += r->self_size[n];
  }
  for (auto& row : count_["names"].GetArray()) {
    std::string type = row[0].GetString();
    if (NodeTypeFromName(type) == NodeType::kUnknown) type = "unknown";
    auto& w = want[{type, std::string(row[1].GetString(), row[1].GetStringLength())}];
    w.first += row[2].GetUint64();
    w.second += row[3].GetUint64();
  }
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  // The program's own shapes, by construction.
  EXPECT_EQ(got[Key("object", "Widget")].first, 1234u);
  EXPECT_EQ(got[Key("object", "LeakyRoom")].first, 77u);
}

TEST_F(RealSnapshot, SummaryHasTheProgramsClasses) {
  Result<Snapshot> r = ParseSnapshotFile(file_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ClassSummary sum = Summarize(*r);
  const ClassRow* widget = nullptr;
  const ClassRow* room = nullptr;
  for (const ClassRow& row : sum.rows) {
    if (row.name == "Widget") widget = &row;
    if (row.name == "LeakyRoom") room = &row;
  }
  ASSERT_NE(widget, nullptr);
  ASSERT_NE(room, nullptr);
  EXPECT_EQ(widget->count, 1234u);
  uint64_t want_self = 0;
  for (auto& row : count_["names"].GetArray()) {
    if (std::string(row[0].GetString()) == "object" &&
        std::string(row[1].GetString()) == "Widget") {
      want_self = row[3].GetUint64();
    }
  }
  EXPECT_EQ(widget->self_size, want_self);
  EXPECT_EQ(room->count, 77u);
  EXPECT_NE(widget->script_id, kNone);  // keyed by its constructor's location
}

// The same file through the CLI as plain, gzip and standard input gives the same JSON (but
// for the file name), with the independent counts.
TEST_F(RealSnapshot, CliPlainGzipAndStdinAgree) {
  const std::string bin = testing::HeapscopeBinary();
  testing::CommandResult plain =
      testing::Run(fmt::format("'{}' summary '{}' --format json --top 5", bin, file_));
  testing::CommandResult gz =
      testing::Run(fmt::format("'{}' summary '{}.gz' --format json --top 5", bin, file_));
  testing::CommandResult in =
      testing::Run(fmt::format("'{}' summary - --format json --top 5 < '{}.gz'", bin, file_));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(gz.exit_code, 0) << gz.err;
  ASSERT_EQ(in.exit_code, 0) << in.err;
  EXPECT_EQ(plain.err, "");
  rapidjson::Document p, g, i;
  p.Parse(plain.out.c_str());
  g.Parse(gz.out.c_str());
  i.Parse(in.out.c_str());
  ASSERT_FALSE(p.HasParseError() || g.HasParseError() || i.HasParseError());
  EXPECT_EQ(std::string(p["file"].GetString()), file_);
  EXPECT_EQ(std::string(g["file"].GetString()), file_ + ".gz");
  EXPECT_EQ(std::string(i["file"].GetString()), "-");
  for (rapidjson::Document* d : {&p, &g, &i}) {
    (*d)["file"].SetString("");
    EXPECT_EQ((*d)["node_count"].GetUint64(), Count("node_count"));
    EXPECT_EQ((*d)["edge_count"].GetUint64(), Count("edge_count"));
    EXPECT_EQ((*d)["string_count"].GetUint64(), Count("string_count"));
    EXPECT_EQ((*d)["total_self_size"].GetUint64(), Count("total_self_size"));
    EXPECT_EQ((*d)["classes"].Size(), 5u);
  }
  EXPECT_TRUE(p == g);
  EXPECT_TRUE(p == i);
}

TEST_F(RealSnapshot, OutputFileIsWritten) {
  std::string out = testing::ScratchDir() + "/summary.txt";
  testing::CommandResult r = testing::Run(
      fmt::format("'{}' summary '{}' -o '{}'", testing::HeapscopeBinary(), file_, out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::string text = testing::ReadFile(out);
  EXPECT_EQ(text.rfind(fmt::format("Snapshot  {}\n", file_), 0), 0u) << text;
  EXPECT_NE(text.find(fmt::format("Nodes     ", file_)), std::string::npos);
}

// Every count of `file` against programs/count.js's count of the same file.
void ExpectMatchesIndependentCount(const std::string& file) {
  testing::CommandResult c = testing::Run(
      fmt::format("node '{}/tests/snapshot/programs/count.js' '{}'", testing::SourceDir(), file));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  rapidjson::Document want;
  want.Parse(c.out.c_str());
  ASSERT_FALSE(want.HasParseError());
  Result<Snapshot> r = ParseSnapshotFile(file);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Snapshot& s = *r;
  EXPECT_EQ(s.node_count(), want["node_count"].GetUint64());
  EXPECT_EQ(s.edge_count(), want["edge_count"].GetUint64());
  EXPECT_EQ(s.string_count(), want["string_count"].GetUint64());
  EXPECT_EQ(s.location_count(), want["location_count"].GetUint64());
  using Key = std::pair<std::string, std::string>;
  std::map<Key, std::pair<uint64_t, uint64_t>> got_names, want_names;
  uint64_t total = 0;
  for (uint32_t n = 0; n < s.node_count(); ++n) {
    auto& g = got_names[{std::string(NodeTypeName(s.node_type[n])),
                         std::string(s.NodeName(NodeIndex(n)))}];
    ++g.first;
    g.second += s.self_size[n];
    total += s.self_size[n];
  }
  EXPECT_EQ(total, want["total_self_size"].GetUint64());
  for (auto& row : want["names"].GetArray()) {
    std::string type = row[0].GetString();
    if (NodeTypeFromName(type) == NodeType::kUnknown) type = "unknown";
    auto& w = want_names[{type, std::string(row[1].GetString(), row[1].GetStringLength())}];
    w.first += row[2].GetUint64();
    w.second += row[3].GetUint64();
  }
  EXPECT_EQ(got_names.size(), want_names.size());
  EXPECT_TRUE(got_names == want_names);
  std::map<std::string, uint64_t> got_edges, want_edges;
  for (EdgeType t : s.edge_type) ++got_edges[std::string(EdgeTypeName(t))];
  for (auto& m : want["edge_types"].GetObject())
    want_edges[m.name.GetString()] += m.value.GetUint64();
  EXPECT_EQ(got_edges, want_edges);
  EXPECT_TRUE(s.diagnostics.NonZero().empty());
}

// The reference server's bundled capture (samples/presence-server), read gzip-compressed.
TEST(BundledCapture, LeakyTargetMatchesAnIndependentCount) {
  ASSERT_TRUE(testing::HaveNode());
  const std::string file =
      testing::SourceDir() + "/samples/presence-server/captures/leaky/target.heapsnapshot.gz";
  ASSERT_TRUE(std::filesystem::exists(file)) << file;
  ExpectMatchesIndependentCount(file);
}

}  // namespace
}  // namespace heapscope::snapshot
