// Duplicated strings of a real snapshot written by Node at test time (programs/strings.js),
// checked group by group against an independent count of the same file (programs/
// count_strings.js, JSON.parse): through the library and through `heapscope strings`.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "heapscope/snapshot/parse.h"
#include "heapscope/snapshot/strings.h"
#include "support/test_paths.h"

namespace heapscope::snapshot {
namespace {

struct Counted {
  uint64_t count = 0, self_size = 0;
  std::vector<uint64_t> ids;  // sorted
};
// (value, truncated) -> group; the program writes no truncated strings.
using Groups = std::map<std::pair<std::string, bool>, Counted>;

class RealStrings : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = (std::filesystem::path(HEAPSCOPE_TEST_TMP) / fmt::format("RealStrings-{}", ::getpid()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    file_ = dir_ + "/strings.heapsnapshot";
    const std::string programs = testing::SourceDir() + "/tests/snapshot/programs";
    testing::CommandResult w =
        testing::Run(fmt::format("node '{}/strings.js' '{}'", programs, file_));
    if (w.exit_code != 0) {
      setup_error_ = "strings.js failed: " + w.err;
      return;
    }
    testing::CommandResult c =
        testing::Run(fmt::format("node '{}/count_strings.js' '{}'", programs, file_));
    if (c.exit_code != 0) {
      setup_error_ = "count_strings.js failed: " + c.err;
      return;
    }
    count_json_ = c.out;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    ASSERT_TRUE(testing::HaveNode()) << "node is required (scripts/setup.sh installs it)";
    ASSERT_EQ(setup_error_, "");
    expected_ = Read(count_json_, "count_strings.js");
    ASSERT_GT(expected_.size(), 100u);
  }

  // {"groups": [{value, truncated, count, self_size, ids}]} (both programs' shape).
  static Groups Read(const std::string& json, const std::string& what) {
    Groups out;
    rapidjson::Document d;
    d.Parse(json.c_str(), json.size());
    EXPECT_FALSE(d.HasParseError()) << what;
    if (d.HasParseError() || !d.HasMember("groups")) return out;
    for (const auto& g : d["groups"].GetArray()) {
      Counted c;
      c.count = g["count"].GetUint64();
      c.self_size = g["self_size"].GetUint64();
      for (const auto& id : g["ids"].GetArray()) c.ids.push_back(id.GetUint64());
      std::sort(c.ids.begin(), c.ids.end());
      out[{std::string(g["value"].GetString(), g["value"].GetStringLength()), g["truncated"].GetBool()}] =
          std::move(c);
    }
    return out;
  }

  static std::string dir_, file_, count_json_, setup_error_;
  Groups expected_;
};
std::string RealStrings::dir_, RealStrings::file_, RealStrings::count_json_,
    RealStrings::setup_error_;

void ExpectSame(const Groups& got, const Groups& want) {
  EXPECT_EQ(got.size(), want.size());
  size_t equal = 0;
  for (const auto& [key, w] : want) {
    auto it = got.find(key);
    if (it == got.end()) {
      ADD_FAILURE() << "missing: \"" << key.first << "\"";
      continue;
    }
    EXPECT_EQ(it->second.count, w.count) << key.first;
    EXPECT_EQ(it->second.self_size, w.self_size) << key.first;
    EXPECT_EQ(it->second.ids, w.ids) << key.first;
    if (it->second.ids == w.ids && it->second.self_size == w.self_size) ++equal;
  }
  EXPECT_EQ(equal, want.size());
}

TEST_F(RealStrings, TheProgramsCopiesAreFound) {
  // What strings.js made (sizes as V8 wrote them on this Node: 48 bytes for a 31-character
  // one-byte sequential string, 32 for a cons string, 40 for a 20-unit two-byte string).
  const auto& header = expected_.at({"content-type: application/json", false});
  EXPECT_EQ(header.count, 500u);
  EXPECT_EQ(header.self_size, 500u * 48u);
  for (int i = 0; i < 4; ++i) {
    const auto& token = expected_.at({fmt::format("user-{}-session-token-value", i), false});
    EXPECT_EQ(token.count, 50u);
    EXPECT_EQ(token.self_size, 50u * 32u);
  }
  std::string accented;
  for (int i = 0; i < 20; ++i) accented += "\xc3\xa9";
  EXPECT_EQ(expected_.at({accented, false}).count, 30u);
  EXPECT_EQ(expected_.at({accented, false}).self_size, 30u * 40u);
  for (const auto& [key, g] : expected_) EXPECT_EQ(key.first.find("only-once-"), std::string::npos);
}

TEST_F(RealStrings, LibraryEqualsAnIndependentCount) {
  Result<Snapshot> r = ParseSnapshotFile(file_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  Groups got;
  for (const StringGroup& g : DuplicateStrings(*r, r->self_size)) {
    Counted c;
    c.count = g.nodes.size();
    c.self_size = g.self_size;
    for (NodeIndex n : g.nodes) c.ids.push_back(r->NodeId(n));
    std::sort(c.ids.begin(), c.ids.end());
    got[{g.value, g.truncated}] = std::move(c);
  }
  ExpectSame(got, expected_);
}

TEST_F(RealStrings, CliEqualsAnIndependentCount) {
  testing::CommandResult r = testing::Run(fmt::format(
      "'{}' --quiet strings '{}' --raw-sizes --top 0 --retainers 0 --format json",
      testing::HeapscopeBinary(), file_));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSame(Read(r.out, "heapscope strings"), expected_);
  rapidjson::Document d;
  d.Parse(r.out.c_str(), r.out.size());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(d["group_count"].GetUint64(), expected_.size());
  uint64_t copies = 0;
  for (const auto& [key, g] : expected_) copies += g.count;
  EXPECT_EQ(d["strings"].GetUint64(), copies);
}

}  // namespace
}  // namespace heapscope::snapshot
