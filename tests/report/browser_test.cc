// The HTML report in a real browser (Debian's chromium, headless): it shows the findings with
// JavaScript disabled and enabled, and a report built from hostile snapshot strings runs no
// script. A control page proves that this harness does see a script when one runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "heapscope/report/render.h"
#include "report/report_fixtures.h"
#include "support/test_paths.h"

namespace heapscope::report {
namespace {

using heapscope::testing::HeapscopeBinary;
using heapscope::testing::ReadFile;
using heapscope::testing::ScratchDir;
using heapscope::testing::SourceDir;
using heapscope::testing::WriteFile;

auto Sh(const std::string& cmd) { return heapscope::testing::Run(cmd); }

// Loads `html` in headless chromium through the DevTools protocol (tests/report/cdp_render.js),
// with JavaScript on or off; writes the DOM (and a screenshot when `png` is set).
std::string Load(bool javascript, const std::string& html, const std::string& dom,
                 const std::string& png = "") {
  auto r = Sh("node tests/report/cdp_render.js --js " + std::string(javascript ? "on" : "off") +
              " --html " + html + " --dom " + dom + (png.empty() ? "" : " --png " + png) +
              " --width 1280 --height 1600");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return ReadFile(dom);
}

void NeedChromium() {
  ASSERT_EQ(Sh("command -v chromium").exit_code, 0)
      << "chromium is not installed (apt-get install chromium; scripts/setup.sh)";
}

// Three tests (about 10 s each), so ctest -j runs them side by side.
TEST(Browser, HarnessSeesScriptsOnlyWithJavascriptOn) {
  NeedChromium();
  std::string dir = ScratchDir();
  // Controls: the harness sees a script run with JavaScript on, and none with it off.
  std::string control = dir + "/control.html";
  WriteFile(control,
            "<!DOCTYPE html><html><head><title>before</title></head><body><script>"
            "document.title='SCRIPT-RAN'</script></body></html>");
  EXPECT_NE(Load(true, control, dir + "/control.on.html").find("<title>SCRIPT-RAN</title>"),
            std::string::npos);
  EXPECT_NE(Load(false, control, dir + "/control.off.html").find("<title>before</title>"),
            std::string::npos);
}

TEST(Browser, LeakyReportShowsFindingsWithJavascriptOffAndOn) {
  NeedChromium();
  std::string dir = ScratchDir();
  // The leaky reference capture, through the CLI.
  std::string cap = SourceDir() + "/samples/presence-server/captures/leaky";
  std::string leaky = dir + "/leaky.html";
  auto r = Sh(HeapscopeBinary() + " check " + cap + "/baseline.heapsnapshot.gz " + cap +
              "/target.heapsnapshot.gz " + cap + "/final.heapsnapshot.gz --metrics " + cap +
              "/metrics.json --source-root " + SourceDir() +
              "/samples/presence-server --format html -o " + leaky);
  ASSERT_EQ(r.exit_code, 1) << r.err;

  // JavaScript off: the findings are there, and a screenshot shows them
  // (build-report/test-tmp/Browser.*/leaky.png).
  std::string png = dir + "/leaky.png";
  std::string off = Load(false, leaky, dir + "/leaky.off.html", png);
  EXPECT_NE(off.find("leaky/src/websocket/handlers/presence.handler.js:32:37"), std::string::npos);
  EXPECT_NE(off.find("Gate: FAIL"), std::string::npos);
  std::string image = ReadFile(png);
  ASSERT_GT(image.size(), 24u);
  EXPECT_EQ(image.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(image[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(image[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(image[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(image[at + 3]));
  };
  EXPECT_EQ(be32(16), 1280u);        // IHDR width
  EXPECT_EQ(be32(20), 1600u);        // IHDR height
  EXPECT_GT(image.size(), 100000u);  // a rendered page, not a blank one

  // JavaScript on: the same content, the title is ours.
  std::string on = Load(true, leaky, dir + "/leaky.on.html");
  EXPECT_NE(on.find("<title>heapscope report</title>"), std::string::npos);
  EXPECT_NE(on.find("leaky/src/websocket/handlers/presence.handler.js:32:37"), std::string::npos);
}

TEST(Browser, HostileStringsRunNoScript) {
  NeedChromium();
  std::string dir = ScratchDir();
  // Hostile strings in every field, JavaScript on: no script runs, no element is injected.
  std::string hostile = dir + "/hostile.html";
  WriteFile(hostile, Render(testing::HostileReport(), Format::kHtml));
  std::string h = Load(true, hostile, dir + "/hostile.dom.html");
  EXPECT_NE(h.find("<title>heapscope report</title>"), std::string::npos) << h;
  EXPECT_EQ(h.find("<title>PWNED"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  EXPECT_NE(h.find("&lt;script&gt;document.title='PWNED'&lt;/script&gt;"), std::string::npos);
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A real snapshot whose strings are hostile: the event name is markup, and the script that
// registered the listeners lives at a path with quotes and markup. Through the CLI to HTML (and
// JSON, SARIF, JUnit, each validated), then into the browser with JavaScript on.
TEST(Browser, HostileSnapshotThroughTheCli) {
  NeedChromium();
  std::string dir = ScratchDir();
  std::string evil_dir = dir + "/ev\"il<script>x";
  std::filesystem::create_directories(evil_dir);
  std::string program = evil_dir + "/app<svg onload='x'>.js";
  std::filesystem::copy_file(SourceDir() + "/tests/report/programs/hostile_listeners.js", program);
  std::string snap = dir + "/evil.heapsnapshot";
  auto n = Sh("node " + ShellQuote(program) + " " + snap);
  ASSERT_EQ(n.exit_code, 0) << n.err;

  auto a = Sh(HeapscopeBinary() + " analyze " + snap + " --format html -o " + dir + "/evil.html");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  std::string html = ReadFile(dir + "/evil.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("ev&quot;il&lt;script&gt;x/app&lt;svg onload=&#39;x&#39;&gt;.js:"),
            std::string::npos);
  std::string dom = Load(true, dir + "/evil.html", dir + "/evil.dom.html");
  EXPECT_NE(dom.find("<title>heapscope report</title>"), std::string::npos) << dom;
  EXPECT_EQ(dom.find("<script"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_NE(dom.find("listener-accumulation"), std::string::npos);

  for (const char* f : {"json", "sarif", "junit"}) {
    auto r =
        Sh(HeapscopeBinary() + " check " + snap + " --format " + f + " -o " + dir + "/evil." + f);
    EXPECT_EQ(r.exit_code, 1) << f << ": " << r.err;
  }
  auto js = Sh("node tests/report/validate_json.js docs/report.schema.json " + dir + "/evil.json");
  EXPECT_EQ(js.exit_code, 0) << js.out;
  auto sa = Sh("node tests/report/validate_json.js --loose " + SourceDir() +
               "/tests/report-tools/node_modules/@microsoft/sarif-multitool-linux/"
               "sarif-2.1.0.json " +
               dir + "/evil.sarif");
  EXPECT_EQ(sa.exit_code, 0) << sa.out;
  std::string sarif = ReadFile(dir + "/evil.sarif");
  EXPECT_NE(sarif.find("ev%22il%3Cscript%3Ex/app%3Csvg%20onload%3D%27x%27%3E.js"),
            std::string::npos);
  auto xl = Sh("xmllint --noout --schema tests/report/junit-4.xsd " + dir + "/evil.junit");
  EXPECT_EQ(xl.exit_code, 0) << xl.err;
}

}  // namespace
}  // namespace heapscope::report
