// Every format, validated by the tool its consumer uses: JSON against docs/report.schema.json
// (Ajv), SARIF with Microsoft's SARIF Multitool, JUnit with xmllint and junit-4.xsd. Each
// validator is also shown a broken document, so these tests fail when a validator stops
// checking. Needs `npm ci` in tests/report-tools (scripts/setup.sh does it).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "heapscope/report/gate.h"
#include "heapscope/report/render.h"
#include "report/report_fixtures.h"
#include "support/test_paths.h"

namespace heapscope::report {
namespace {

auto Sh(const std::string& cmd) { return heapscope::testing::Run(cmd); }
using heapscope::testing::ScratchDir;
using heapscope::testing::SourceDir;
using heapscope::testing::WriteFile;

struct Named {
  std::string name;
  Report report;
};

std::vector<Named> Reports() {
  Report gated = testing::IncidentReport();
  Baseline b;
  b.entries.push_back({"v1:00000000000000000000000000000000", "x", "old.js:1:1", "", "stale"});
  ApplyGate(&gated, Policy{}, b, "", "baseline.json");
  Report hostile_gated = testing::HostileReport();
  ApplyGate(&hostile_gated, Policy{}, Baseline{}, "", "");
  Report clean_gated = testing::CleanReport();
  ApplyGate(&clean_gated, Policy{}, Baseline{}, "", "");
  return {{"tiny", testing::TinyReport()},  {"incident", testing::IncidentReport()},
          {"incident-gated", gated},        {"hostile", testing::HostileReport()},
          {"hostile-gated", hostile_gated}, {"clean-gated", clean_gated},
          {"tracked", testing::TrackedReport()}};
}

std::string Tool(const std::string& rel) { return SourceDir() + "/tests/report-tools/" + rel; }

TEST(Validators, JsonMatchesTheSchema) {
  std::string dir = ScratchDir();
  std::string files;
  for (const Named& n : Reports()) {
    std::string path = dir + "/" + n.name + ".json";
    WriteFile(path, Render(n.report, Format::kJson));
    files += " '" + path + "'";
  }
  std::string cmd = "node tests/report/validate_json.js docs/report.schema.json" + files;
  auto r = Sh(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  size_t valid = 0;
  for (size_t p = r.out.find(": valid\n"); p != std::string::npos;
       p = r.out.find(": valid\n", p + 1)) {
    ++valid;
  }
  EXPECT_EQ(valid, 7u) << r.out;

  // The validator rejects a report that breaks the schema.
  std::string bad = Render(testing::TinyReport(), Format::kJson);
  bad.replace(bad.find("\"severity\": \"error\""), 19, "\"severity\": \"fatal\"");
  WriteFile(dir + "/bad.json", bad);
  auto r2 = Sh("node tests/report/validate_json.js docs/report.schema.json '" + dir + "/bad.json'");
  EXPECT_EQ(r2.exit_code, 1) << r2.out << r2.err;
  EXPECT_NE(r2.out.find("/findings/0/severity must be equal to one of the allowed values"),
            std::string::npos)
      << r2.out;
}

// Two SARIF validators: the Multitool (schema + SARIF rules such as SARIF1007), and Ajv with the
// SARIF 2.1.0 schema the Multitool package ships. Both are needed: Multitool 5.7.0 silently
// skips a log whose enum value it cannot deserialize (e.g. "level": "fatal") and reports no
// error for it; Ajv catches that one.
TEST(Validators, SarifHasNoErrors) {
  std::string multitool = Tool("node_modules/.bin/sarif-multitool");
  std::string schema = Tool("node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
  ASSERT_TRUE(std::filesystem::exists(multitool))
      << multitool << " missing: run scripts/setup.sh (npm ci in tests/report-tools)";
  std::string dir = ScratchDir();
  std::string files;
  for (const Named& n : Reports()) {
    std::string path = dir + "/" + n.name + ".sarif";
    WriteFile(path, Render(n.report, Format::kSarif));
    files += " '" + path + "'";
  }
  std::string tiny = Render(testing::TinyReport(), Format::kSarif);
  // Controls: a 0-based line (the bug SARIF consumers see most) and a level SARIF lacks.
  std::string zero_line = tiny;
  zero_line.replace(zero_line.find("\"startLine\": 3,"), 15, "\"startLine\": 0,");
  WriteFile(dir + "/control-line.sarif", zero_line);
  std::string bad_level = tiny;
  bad_level.replace(bad_level.find("\"level\": \"error\",\n          \"message\""), 16,
                    "\"level\": \"fatal\"");
  WriteFile(dir + "/control-level.sarif", bad_level);

  // One Multitool run over all files: it takes ~4 s to start.
  auto r = Sh(multitool + " validate" + files + " '" + dir + "/control-line.sarif'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_NE(r.out.find("8 files scanned"), std::string::npos) << r.out;
  size_t control_errors = 0;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    std::string line = r.out.substr(start, end - start);
    if (line.find(": error ") != std::string::npos) {
      if (line.find("control-line.sarif") != std::string::npos) {
        ++control_errors;
      } else {
        ADD_FAILURE() << line;
      }
    }
    start = end + 1;
  }
  EXPECT_EQ(control_errors, 2u) << r.out;  // JSON1008 (minimum 1) and SARIF1007
  EXPECT_NE(r.out.find("error JSON1008"), std::string::npos) << r.out;

  auto a = Sh("node tests/report/validate_json.js --loose '" + schema + "'" + files);
  EXPECT_EQ(a.exit_code, 0) << a.out << a.err;
  auto c = Sh("node tests/report/validate_json.js --loose '" + schema + "' '" + dir +
              "/control-level.sarif'");
  EXPECT_EQ(c.exit_code, 1) << c.out << c.err;
  EXPECT_NE(c.out.find("/runs/0/results/0/level must be equal to one of the allowed values"),
            std::string::npos)
      << c.out;
}

TEST(Validators, JunitMatchesJunit4Xsd) {
  std::string dir = ScratchDir();
  std::string files;
  for (const Named& n : Reports()) {
    std::string path = dir + "/" + n.name + ".xml";
    WriteFile(path, Render(n.report, Format::kJunit));
    files += " '" + path + "'";
  }
  auto r = Sh("xmllint --noout --schema tests/report/junit-4.xsd" + files);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  size_t ok = 0;
  for (size_t p = r.err.find(" validates\n"); p != std::string::npos;
       p = r.err.find(" validates\n", p + 1)) {
    ++ok;
  }
  EXPECT_EQ(ok, 7u) << r.err;

  std::string bad = Render(testing::TinyReport(), Format::kJunit);
  bad.replace(bad.find("<testcase classname"), 19, "<testcase bogus=\"1\" classname");
  WriteFile(dir + "/bad.xml", bad);
  auto r2 = Sh("xmllint --noout --schema tests/report/junit-4.xsd '" + dir + "/bad.xml'");
  EXPECT_NE(r2.exit_code, 0) << r2.err;
  EXPECT_NE(r2.err.find("fails to validate"), std::string::npos) << r2.err;
}

}  // namespace
}  // namespace heapscope::report
