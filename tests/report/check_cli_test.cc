// `heapscope check` end to end on the bundled reference captures
// (samples/presence-server/captures/{leaky,fixed}): exit codes 1 / 0 / 2, every format written
// with -o and validated by its consumer's tool, nothing on a non-TTY stderr, and the baseline
// round trip.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>

#include "support/test_paths.h"

namespace heapscope::report {
namespace {

using heapscope::testing::HeapscopeBinary;
using heapscope::testing::ReadFile;
using heapscope::testing::ScratchDir;
using heapscope::testing::SourceDir;
using heapscope::testing::WriteFile;

auto Sh(const std::string& cmd) { return heapscope::testing::Run(cmd); }

std::string Captures(const std::string& variant) {
  return SourceDir() + "/samples/presence-server/captures/" + variant;
}

std::string Snapshots(const std::string& variant) {
  std::string d = Captures(variant);
  return d + "/baseline.heapsnapshot.gz " + d + "/target.heapsnapshot.gz " + d +
         "/final.heapsnapshot.gz";
}

std::string Check(const std::string& variant, const std::string& extra) {
  return HeapscopeBinary() + " check " + Snapshots(variant) + " --metrics " + Captures(variant) +
         "/metrics.json --source-root " + SourceDir() + "/samples/presence-server " + extra;
}

class CheckCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(Captures("leaky") + "/final.heapsnapshot.gz"))
        << "bundled captures missing under samples/presence-server/captures";
  }
};

TEST_F(CheckCli, ExitCodesLeakyFixedTruncated) {
  std::string dir = ScratchDir();
  auto leaky = Sh(Check("leaky", ""));
  EXPECT_EQ(leaky.exit_code, 1) << leaky.err;
  EXPECT_EQ(leaky.err, "");  // stderr is not a TTY: no progress, nothing else
  EXPECT_NE(leaky.out.find("GATE FAIL: "), std::string::npos);

  auto fixed = Sh(Check("fixed", ""));
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err << fixed.out;
  EXPECT_EQ(fixed.err, "");
  EXPECT_NE(fixed.out.find("GATE PASS: 0 failing"), std::string::npos) << fixed.out;

  // A truncated snapshot is an input error, never "clean".
  ASSERT_EQ(Sh("head -c 300000 " + Captures("fixed") + "/final.heapsnapshot.gz > " + dir +
               "/final.heapsnapshot.gz")
                .exit_code,
            0);
  auto cut = Sh(HeapscopeBinary() + " check " + Captures("fixed") + "/baseline.heapsnapshot.gz " +
                dir + "/final.heapsnapshot.gz");
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_EQ(cut.out, "");
  EXPECT_EQ(cut.err.rfind("heapscope: " + dir + "/final.heapsnapshot.gz: ", 0), 0u) << cut.err;

  // The same, uncompressed and cut inside the nodes array.
  ASSERT_EQ(Sh("gzip -dc " + Captures("fixed") + "/final.heapsnapshot.gz | head -c 400000 > " +
               dir + "/cut.heapsnapshot")
                .exit_code,
            0);
  auto cut2 = Sh(HeapscopeBinary() + " check " + dir + "/cut.heapsnapshot");
  EXPECT_EQ(cut2.exit_code, 2) << cut2.out;
  EXPECT_NE(cut2.err.find("cut.heapsnapshot"), std::string::npos) << cut2.err;

  // A malformed policy or baseline: 2, naming file, field and byte.
  WriteFile(dir + "/policy.json", R"({"thresholds": {"listeners_per_site": "ten"}})");
  auto pol = Sh(Check("fixed", "--policy " + dir + "/policy.json"));
  EXPECT_EQ(pol.exit_code, 2);
  EXPECT_EQ(pol.err, "heapscope: " + dir +
                         "/policy.json: field 'thresholds.listeners_per_site': byte 38: expected "
                         "a number, found a string\n");
  auto missing = Sh(Check("fixed", "--baseline " + dir + "/none.json"));
  EXPECT_EQ(missing.exit_code, 2);
  auto usage = Sh(Check("fixed", "--update-baseline"));
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(usage.err, "heapscope: check: --update-baseline needs --baseline FILE\n");
}

// Progress is drawn on stderr only when it is a terminal (`script` gives the command a pty),
// and --quiet silences it; ExitCodesLeakyFixedTruncated checks that a pipe gets nothing.
TEST_F(CheckCli, ProgressOnlyOnATerminal) {
  if (Sh("command -v script").exit_code != 0) GTEST_SKIP() << "util-linux `script` not found";
  std::string dir = ScratchDir();
  std::string cmd = Check("leaky", "-o " + dir + "/out.txt");
  auto tty = Sh("script -qec '" + cmd + "' /dev/null");
  EXPECT_EQ(tty.exit_code, 1) << tty.out;
  EXPECT_NE(tty.out.find("\r\x1b[Kloading "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find(" MB (100%) "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("heapscope check: FAIL: "), std::string::npos) << tty.out;
  auto quiet = Sh("script -qec '" + cmd + " --quiet' /dev/null");
  EXPECT_EQ(quiet.exit_code, 1) << quiet.out;
  EXPECT_EQ(quiet.out.find("loading"), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find("heapscope check: FAIL: "), std::string::npos) << quiet.out;
}

TEST_F(CheckCli, PolicyDecidesLeakyOutcome) {
  std::string dir = ScratchDir();
  // Ignore the whole service with a reason: the leaky run passes, and says what it ignored.
  WriteFile(dir + "/policy.json", R"({"schema": "heapscope.policy/v1",
    "ignore": [{"site": "*", "reason": "accepted while OPS-1 is open"}]})");
  auto r = Sh(Check("leaky", "--policy " + dir + "/policy.json --format json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"result\": \"pass\""), std::string::npos);
  EXPECT_NE(r.out.find("\"verdict_reason\": \"accepted while OPS-1 is open\""), std::string::npos);
  // Only errors fail, and only with 1,000 listeners per site: the leaky capture has 450.
  WriteFile(dir + "/strict.json",
            R"({"fail_on": ["error"], "thresholds": {"listeners_per_site": 1000}})");
  auto r2 = Sh(Check("leaky", "--policy " + dir + "/strict.json"));
  EXPECT_EQ(r2.exit_code, 0) << r2.out;
  EXPECT_NE(r2.out.find("GATE PASS: 0 failing"), std::string::npos) << r2.out;
}

TEST_F(CheckCli, BaselineRoundTrip) {
  std::string dir = ScratchDir();
  std::string baseline = dir + "/heapscope-baseline.json";
  auto upd = Sh(Check("leaky", "--baseline " + baseline + " --update-baseline --format json"));
  EXPECT_EQ(upd.exit_code, 0) << upd.err;
  ASSERT_TRUE(std::filesystem::exists(baseline));
  std::string text = ReadFile(baseline);
  EXPECT_EQ(text.rfind("{\n  \"schema\": \"heapscope.baseline/v1\",\n  \"entries\": [\n", 0), 0u);
  EXPECT_NE(upd.err.find("heapscope: " + baseline + " rewritten: "), std::string::npos) << upd.err;

  // Accepted: passes, nothing on stderr, every finding baselined.
  auto again = Sh(Check("leaky", "--baseline " + baseline + " --format json"));
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.err, "");
  EXPECT_NE(again.out.find("\"failing\": 0,"), std::string::npos);
  EXPECT_EQ(again.out.find("\"verdict\": \"fail\""), std::string::npos);

  // Fingerprints do not depend on which snapshots are given: target+final alone match every
  // entry (no stale entry); the 2-snapshot series also reports new findings, which fail.
  size_t entries = 0;
  for (size_t p = text.find("\"fingerprint\": "); p != std::string::npos;
       p = text.find("\"fingerprint\": ", p + 1)) {
    ++entries;
  }
  EXPECT_GT(entries, 10u);
  auto two = Sh(HeapscopeBinary() + " check " + Captures("leaky") + "/target.heapsnapshot.gz " +
                Captures("leaky") + "/final.heapsnapshot.gz --source-root " + SourceDir() +
                "/samples/presence-server --baseline " + baseline + " --format json");
  EXPECT_NE(two.out.find("\"baselined\": " + std::to_string(entries) + ","), std::string::npos)
      << two.out;
  EXPECT_NE(two.out.find("\"stale_baseline\": [],"), std::string::npos) << two.out;

  // The fixed run matches none of them: every entry is reported stale, so baselines don't rot.
  auto stale = Sh(Check("fixed", "--baseline " + baseline));
  EXPECT_EQ(stale.exit_code, 0);
  EXPECT_NE(stale.out.find("stale baseline entry: v1:"), std::string::npos) << stale.out;
}

// Every format from both variants, written atomically with -o, validated by its consumer's
// tool. HTML is checked in a browser by browser_test.cc.
std::string EveryFormat(const std::string& variant, int expected_exit,
                        const std::string& extra = "") {
  std::string dir = ScratchDir();
  for (const char* f : {"text", "markdown", "html", "json", "sarif", "junit"}) {
    std::string out = dir + "/" + variant + "." + f;
    auto r = Sh(Check(variant, std::string("--format ") + f + " -o " + out + " " + extra));
    EXPECT_EQ(r.exit_code, expected_exit) << f << ": " << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind(expected_exit ? "heapscope check: FAIL: " : "heapscope check: PASS: ", 0),
              0u)
        << r.err;
    EXPECT_TRUE(std::filesystem::exists(out)) << out;
  }
  // `analyze` renders the same formats without a gate.
  auto a = Sh(HeapscopeBinary() + " analyze " + Snapshots(variant) + " --format json -o " + dir +
              "/" + variant + ".analyze.json");
  EXPECT_EQ(a.exit_code, 0) << a.err;

  auto js = Sh("node tests/report/validate_json.js docs/report.schema.json " + dir + "/" + variant +
               ".json " + dir + "/" + variant + ".analyze.json");
  EXPECT_EQ(js.exit_code, 0) << js.out << js.err;
  std::string tools = SourceDir() + "/tests/report-tools/node_modules";
  auto sa =
      Sh("node tests/report/validate_json.js --loose " + tools +
         "/@microsoft/sarif-multitool-linux/sarif-2.1.0.json " + dir + "/" + variant + ".sarif");
  EXPECT_EQ(sa.exit_code, 0) << sa.out << sa.err;
  auto mt = Sh(tools + "/.bin/sarif-multitool validate " + dir + "/" + variant + ".sarif");
  EXPECT_EQ(mt.exit_code, 0) << mt.out;
  EXPECT_EQ(mt.out.find(": error "), std::string::npos) << mt.out;
  EXPECT_NE(mt.out.find("1 files scanned"), std::string::npos) << mt.out;
  auto xl =
      Sh("xmllint --noout --schema tests/report/junit-4.xsd " + dir + "/" + variant + ".junit");
  EXPECT_EQ(xl.exit_code, 0) << xl.err;

  std::string text = ReadFile(dir + "/" + variant + ".text");
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    size_t cols = 0;
    for (char c : line) cols += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    EXPECT_LE(cols, 100u) << line;
    start = end + 1;
  }
  EXPECT_EQ(text.find('\x1b'), std::string::npos);  // -o FILE: never colour
  std::string md = ReadFile(dir + "/" + variant + ".markdown");
  EXPECT_EQ(md.rfind("## heapscope report\n\n**", 0), 0u);
  return dir;
}

TEST_F(CheckCli, EveryFormatFromLeakyValidates) {
  std::string dir = EveryFormat("leaky", 1);
  std::string sarif = ReadFile(dir + "/leaky.sarif");
  EXPECT_NE(sarif.find("\"uri\": \"leaky/src/websocket/handlers/presence.handler.js\""),
            std::string::npos);
  EXPECT_NE(sarif.find("\"startLine\": 32,"), std::string::npos);
}

TEST_F(CheckCli, EveryFormatFromFixedValidates) { EveryFormat("fixed", 0); }

// The fixed variant passes the gate on findings; a class-growth limit fails it, in every format.
// First -> last in these captures, (compiled code) has # Delta +565 and Size delta +195,992
// (`heapscope diff`, docs/cmd-diff.md).
TEST_F(CheckCli, ClassGrowthLimitFailsTheFixedVariantInEveryFormat) {
  const std::string policy = ScratchDir() + ".policy.json";  // EveryFormat empties the folder
  WriteFile(policy, R"j({"class_growth": [{"class": "(compiled code)", "max_instances": 500},
                                          {"class": "*", "max_bytes": 1000000}]})j");
  std::string dir = EveryFormat("fixed", 1, "--policy " + policy);
  const std::string reason =
      "class (compiled code) grew by +565 objects (limit +500) from snapshot 1 to 3 "
      "(class_growth '(compiled code)')";
  EXPECT_NE(ReadFile(dir + "/fixed.text").find(reason.substr(0, 60)), std::string::npos);
  EXPECT_NE(ReadFile(dir + "/fixed.text").find("class-growth limits: 2 checked over 66 classes "
                                               "changed from #1 to #3; 1 exceeded"),
            std::string::npos);
  EXPECT_NE(ReadFile(dir + "/fixed.markdown")
                .find("| `(compiled code)` | `(compiled code)` | +565 | +500 **exceeded** | "
                      "+195,992 | — |"),
            std::string::npos)
      << ReadFile(dir + "/fixed.markdown");
  EXPECT_NE(ReadFile(dir + "/fixed.html").find("+500 <strong>exceeded</strong>"), std::string::npos);
  const std::string json = ReadFile(dir + "/fixed.json");
  EXPECT_NE(json.find("\"class_breaches\": [\n      {\n        \"class\": \"(compiled code)\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(reason), std::string::npos);
  EXPECT_NE(ReadFile(dir + "/fixed.sarif").find("\"ruleId\": \"class-growth-limit\""),
            std::string::npos);
  const std::string junit = ReadFile(dir + "/fixed.junit");
  EXPECT_NE(junit.find("<testcase classname=\"heapscope.class-growth-limit\" name=\"(compiled "
                       "code) ((compiled code))\""),
            std::string::npos)
      << junit;
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
}

// One run, several reports: each -o takes its format from its name (or from --format given once
// per -o, in order) and is byte for byte what a run for that format alone writes.
TEST_F(CheckCli, SeveralOutputsInOneRun) {
  std::string dir = ScratchDir();
  std::string analyze = HeapscopeBinary() + " analyze " + Snapshots("leaky");
  auto all = Sh(analyze + " -o " + dir + "/r.html -o " + dir + "/r.sarif -o " + dir +
                "/r.json -o " + dir + "/r.md -o " + dir + "/r.xml -o " + dir + "/r.txt -o " +
                dir + "/r.sarif.json -o " + dir + "/r.out");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out, "");
  EXPECT_EQ(all.err, "");
  const std::pair<const char*, const char*> kByName[] = {
      {"r.html", "html"}, {"r.sarif", "sarif"}, {"r.json", "json"},
      {"r.md", "markdown"}, {"r.xml", "junit"}, {"r.txt", "text"}};
  for (const auto& [name, format] : kByName) {
    auto alone = Sh(analyze + " --format " + format);
    ASSERT_EQ(alone.exit_code, 0) << format;
    EXPECT_EQ(ReadFile(dir + "/" + name), alone.out) << name << " is not " << format;
  }
  EXPECT_EQ(ReadFile(dir + "/r.sarif.json"), ReadFile(dir + "/r.sarif"));
  EXPECT_EQ(ReadFile(dir + "/r.out"), ReadFile(dir + "/r.txt"));  // unknown extension: text

  // --format once per -o pairs in order, whatever the names say; stdout may be one of them.
  auto paired = Sh(analyze + " --format json --format sarif -o " + dir + "/p.sarif -o -");
  ASSERT_EQ(paired.exit_code, 0) << paired.err;
  EXPECT_EQ(ReadFile(dir + "/p.sarif"), ReadFile(dir + "/r.json"));
  EXPECT_EQ(paired.out, ReadFile(dir + "/r.sarif"));

  // check: the same reports with the gate's verdict, the exit code of the gate, and the verdict
  // on stderr since no report went to stdout.
  auto gate = Sh(Check("leaky", "-o " + dir + "/c.json -o " + dir + "/c.xml"));
  EXPECT_EQ(gate.exit_code, 1) << gate.err;
  EXPECT_EQ(gate.out, "");
  EXPECT_EQ(gate.err.rfind("heapscope check: FAIL: ", 0), 0u) << gate.err;
  EXPECT_EQ(ReadFile(dir + "/c.json"), Sh(Check("leaky", "--format json")).out);
  EXPECT_EQ(ReadFile(dir + "/c.xml"), Sh(Check("leaky", "--format junit")).out);
  auto gate_stdout = Sh(Check("leaky", "-o " + dir + "/d.json -o -"));
  EXPECT_EQ(gate_stdout.exit_code, 1);
  EXPECT_EQ(gate_stdout.err, "");  // the verdict is in the text report on stdout
  EXPECT_NE(gate_stdout.out.find("GATE FAIL: "), std::string::npos);

  // Ambiguous pairings are usage errors, and nothing is written.
  auto mismatch = Sh(analyze + " --format json -o " + dir + "/m1 -o " + dir + "/m2");
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_EQ(mismatch.err,
            "heapscope: analyze: 1 --format for 2 outputs: give --format once per -o (in the same "
            "order), or none to take each format from the file's name\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/m1"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/m2"));
  auto twice = Sh(Check("leaky", "-o - -o -"));
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.err, "heapscope: check: -o - given twice\n");
}

}  // namespace
}  // namespace heapscope::report
