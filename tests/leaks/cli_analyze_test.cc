// `heapscope analyze` end to end: the bundled presence-server captures through the CLI with
// --format json (parsed with RapidJSON), output files, and bad input.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <string>
#include <vector>

#include "leaks/leaks_test_util.h"

namespace heapscope::testing {
namespace {

std::string Captures(const std::string& variant) {
  std::string d = SourceDir() + "/samples/presence-server/captures/" + variant + "/";
  return d + "baseline.heapsnapshot.gz " + d + "target.heapsnapshot.gz " + d +
         "final.heapsnapshot.gz";
}

bool HaveCaptures() {
  return std::filesystem::exists(SourceDir() +
                                 "/samples/presence-server/captures/leaky/final.heapsnapshot.gz");
}

std::string Site(const rapidjson::Value& f) {
  const rapidjson::Value& s = f["site"];
  return std::string(s["file"].GetString()) + ":" + std::to_string(s["line"].GetUint());
}

std::vector<uint64_t> Counts(const rapidjson::Value& f) {
  std::vector<uint64_t> v;
  for (const auto& c : f["counts"].GetArray()) v.push_back(c.GetUint64());
  return v;
}

TEST(AnalyzeCli, BundledLeakyCapturesNameTheIncidentSites) {
  if (!HaveCaptures()) GTEST_SKIP() << "no bundled captures";
  CommandResult r = testing::Run(
      HeapscopeBinary() + " analyze " + Captures("leaky") + " --metrics " + SourceDir() +
      "/samples/presence-server/captures/leaky/metrics.json --source-root " + SourceDir() +
      "/samples/presence-server --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["schema"].GetString(), "heapscope.report/v1");
  const auto& findings = doc["findings"].GetArray();
  ASSERT_GE(findings.Size(), 1u);
  const rapidjson::Value& top = findings[0];
  EXPECT_STREQ(top["rule"].GetString(), "listener-growth");
  EXPECT_STREQ(top["severity"].GetString(), "error");
  EXPECT_EQ(Site(top), "leaky/src/websocket/handlers/presence.handler.js:32");
  EXPECT_STREQ(top["event"].GetString(), "heartbeat");
  EXPECT_STREQ(top["emitter"].GetString(), "PresenceService");
  EXPECT_EQ(top["count"].GetUint64(), 450u);
  EXPECT_EQ(Counts(top), (std::vector<uint64_t>{150, 300, 450}));
  EXPECT_GT(top["retained_size"].GetUint64(), 0u);
  // The metrics join: the listener gauge of the same event backs the heap finding.
  bool gauge = false;
  for (const auto& e : top["evidence"].GetArray()) {
    gauge = gauge || std::string(e["kind"].GetString()) == "listener-gauge-growth";
  }
  EXPECT_TRUE(gauge);
  EXPECT_EQ(doc["metric_files"].Size(), 1u);
  ASSERT_TRUE(top["retainer_path"].IsArray());
  EXPECT_GE(top["retainer_path"].Size(), 3u);
  // The socket listeners are nested under it, not reported as root causes.
  std::vector<std::string> nested;
  for (const auto& s : top["secondary"].GetArray()) {
    std::string site = Site(s);
    if (site.find("/src/") == std::string::npos) continue;  // framework listeners on sockets
    nested.push_back(site + " " + s["event"].GetString() + " " + s["emitter"].GetString() + " " +
                     std::to_string(s["count"].GetUint64()));
  }
  std::sort(nested.begin(), nested.end());
  EXPECT_EQ(nested,
            (std::vector<std::string>{
                "leaky/src/services/collaboration/presence.service.js:57 heartbeat Socket 450",
                "leaky/src/websocket/handlers/presence.handler.js:13 join-board Socket 150",
                "leaky/src/websocket/handlers/presence.handler.js:37 cursor-move Socket 450",
                "leaky/src/websocket/handlers/presence.handler.js:42 selection-change Socket 450",
                "leaky/src/websocket/handlers/presence.handler.js:49 leave-board Socket 150",
                "leaky/src/websocket/handlers/presence.handler.js:59 disconnect Socket 150",
            }));
  for (const auto& f : findings) {
    std::string rule = f["rule"].GetString();
    if (&f == &top) continue;
    // Besides the leak: the board maps that the stale closures fill ("ghost cursors").
    EXPECT_EQ(rule, "collection-growth") << Site(f);
  }
}

TEST(AnalyzeCli, BundledFixedCapturesHaveNoWarningOrError) {
  if (!HaveCaptures()) GTEST_SKIP() << "no bundled captures";
  std::string out = ScratchDir() + "/fixed.json";
  CommandResult r = testing::Run(HeapscopeBinary() + " analyze " + Captures("fixed") +
                                 " --format json -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  rapidjson::Document doc;
  doc.Parse(ReadFile(out).c_str());
  ASSERT_FALSE(doc.HasParseError());
  for (const auto& f : doc["findings"].GetArray()) {
    std::string sev = f["severity"].GetString();
    EXPECT_EQ(sev, "note") << f["rule"].GetString() << " at " << Site(f);
  }
}

TEST(AnalyzeCli, EveryFormatRenders) {
  std::string dir = RunProgram("switch.js");
  for (const char* format : {"text", "markdown", "html", "json", "sarif", "junit"}) {
    CommandResult r = testing::Run(HeapscopeBinary() + " analyze " + dir +
                                   "/switch.heapsnapshot --format " + format);
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_NE(r.out.find("listener-duplicate-site"), std::string::npos) << format;
  }
}

TEST(AnalyzeCli, BadInputExitsWithCodeTwoAndNamesTheFile) {
  std::string dir = ScratchDir();
  WriteFile(dir + "/broken.heapsnapshot", "{\"snapshot\": {\"meta\": ");
  CommandResult r = testing::Run(HeapscopeBinary() + " analyze " + dir +
                                 "/broken.heapsnapshot -o " + dir + "/out.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("broken.heapsnapshot"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.txt"));
  CommandResult none = testing::Run(HeapscopeBinary() + " analyze");
  EXPECT_EQ(none.exit_code, 2);
  CommandResult fmt =
      testing::Run(HeapscopeBinary() + " analyze " + dir + "/broken.heapsnapshot --format pdf");
  EXPECT_EQ(fmt.exit_code, 2);
}

}  // namespace
}  // namespace heapscope::testing
