// Renderers on Reports built in code: exact golden output for a tiny report, and properties of
// the incident and hostile reports (widths, escaping, counts of charts and results).
#include "heapscope/report/render.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "heapscope/report/gate.h"
#include "report/render_util.h"
#include "report/report_fixtures.h"
#include "support/test_paths.h"

namespace heapscope::report {
namespace {

using testing::HostileReport;
using testing::IncidentReport;
using testing::TinyReport;

std::string Golden(const std::string& name) {
  return heapscope::testing::ReadFile(heapscope::testing::SourceDir() + "/tests/report/golden/" +
                                      name);
}

size_t Count(const std::string& haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos;
       p = haystack.find(needle, p + needle.size())) {
    ++n;
  }
  return n;
}

Report Gated(Report r) {
  ApplyGate(&r, Policy{}, Baseline{}, "", "");
  return r;
}

TEST(Format, NamesRoundTrip) {
  for (Format f : {Format::kText, Format::kMarkdown, Format::kHtml, Format::kJson, Format::kSarif,
                   Format::kJunit}) {
    EXPECT_EQ(ParseFormat(FormatName(f)), f);
  }
  EXPECT_EQ(ParseFormat("md"), Format::kMarkdown);
  EXPECT_EQ(ParseFormat("yaml"), std::nullopt);
  EXPECT_STREQ(SeverityName(Severity::kError), "error");
  EXPECT_STREQ(VerdictName(Verdict::kBaselined), "baselined");
}

// The numbers themselves are heapscope/text.h's (tests/io/text_test.cc); the report adds sites.
TEST(RenderUtil, SiteStrings) {
  using namespace internal;
  EXPECT_EQ(SiteString({"a.js", 3, 0, ""}), "a.js:3");
  EXPECT_EQ(SiteString({"", 3, 4, ""}), "(unknown site)");
}

TEST(RenderUtil, Escaping) {
  using namespace internal;
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("a\xff"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(XmlEscape("a\x01<b>\n", true), "a\xEF\xBF\xBD&lt;b&gt;&#10;");
  EXPECT_EQ(TerminalSafe("\x1b[31mred\r"), "\\x1b[31mred\\x0d");
  EXPECT_EQ(MarkdownText("*a* <b> [c](d) a_b | #1 $x$"),
            "\\*a\\* &lt;b&gt; \\[c\\](d) a\\_b \\| \\#1 \\$x\\$");
  EXPECT_EQ(MarkdownText("# title", true), "\\# title");
  EXPECT_EQ(MarkdownText("1. one", true), "1\\. one");
  EXPECT_EQ(MarkdownText("0.1.0"), "0.1.0");
  EXPECT_EQ(MarkdownCode("a|b", true), "`a\\|b`");
  EXPECT_EQ(MarkdownCode("x `y` z", false), "``x `y` z``");
  EXPECT_EQ(MarkdownCode("`", false), "`` ` ``");
  EXPECT_EQ(MarkdownFence("a\n````\nb"), "`````");
  EXPECT_EQ(Wrap("aaa bbb ccc", 7, 2, 0), "aaa bbb\n  ccc");
  // Words wider than the line break after '/' or ',', then are cut.
  EXPECT_EQ(Wrap("at /srv/app/src/handlers/presence.handler.js:32", 20, 2, 0),
            "at\n  /srv/app/src/\n  handlers/presence.\n  handler.js:32");
  EXPECT_EQ(Wrap("x{a=\"1\",b=\"2\"}", 10, 0, 0), "x{a=\"1\",\nb=\"2\"}");
  EXPECT_EQ(Ellipsize("abcdef", 4), "abc…");
}

TEST(RenderText, GoldenTiny) {
  EXPECT_EQ(Render(TinyReport(), Format::kText), Golden("tiny.txt"));
  EXPECT_EQ(Render(Gated(TinyReport()), Format::kText), Golden("tiny.gate.txt"));
}

TEST(RenderText, FitsHundredColumnsWithoutColourByDefault) {
  for (const Report& r : {IncidentReport(), HostileReport(), Gated(IncidentReport())}) {
    std::string out = Render(r, Format::kText);
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    size_t start = 0;
    int lines = 0;
    while (start < out.size()) {
      size_t end = out.find('\n', start);
      std::string_view line(out.data() + start, end - start);
      EXPECT_LE(internal::Columns(line), 100u) << line;
      start = end + 1;
      ++lines;
    }
    EXPECT_GT(lines, 40);
  }
}

TEST(RenderText, ColourOnlyWhenAsked) {
  RenderOptions color;
  color.color = true;
  std::string out = Render(IncidentReport(), Format::kText, color);
  EXPECT_NE(out.find("\x1b[1;31mERROR\x1b[0m"), std::string::npos);
  EXPECT_NE(out.find("\x1b[1;33mWARNING\x1b[0m"), std::string::npos);
  // A snapshot string's own escape sequence never reaches the terminal, colour or not.
  std::string hostile = Render(HostileReport(), Format::kText, color);
  EXPECT_EQ(hostile.find("\x1b[31mred"), std::string::npos);
  EXPECT_NE(hostile.find("\\x1b[31mred"), std::string::npos);
}

TEST(RenderMarkdown, GoldenTiny) {
  EXPECT_EQ(Render(TinyReport(), Format::kMarkdown), Golden("tiny.md"));
}

// Removes fenced code blocks and inline code spans: what remains is what GitHub parses as
// Markdown/HTML.
std::string OutsideCode(const std::string& md) {
  std::string out;
  size_t i = 0;
  bool fenced = false;
  std::string fence;
  while (i < md.size()) {
    size_t eol = md.find('\n', i);
    if (eol == std::string::npos) eol = md.size();
    std::string line = md.substr(i, eol - i);
    i = eol + 1;
    size_t ticks = 0;
    while (ticks < line.size() && line[ticks] == '`') ++ticks;
    if (fenced) {
      if (ticks >= fence.size() && line.find_first_not_of('`') == std::string::npos) fenced = false;
      continue;
    }
    if (ticks >= 3) {
      fenced = true;
      fence.assign(ticks, '`');
      continue;
    }
    for (size_t k = 0; k < line.size();) {
      if (line[k] == '\\' && k + 1 < line.size()) {
        out += line.substr(k, 2);
        k += 2;
        continue;
      }
      if (line[k] != '`') {
        out += line[k++];
        continue;
      }
      size_t run = 0;
      while (k + run < line.size() && line[k + run] == '`') ++run;
      size_t close = line.find(std::string(run, '`'), k + run);
      while (close != std::string::npos && close + run < line.size() && line[close + run] == '`') {
        close = line.find(std::string(run, '`'), close + run + 1);
      }
      if (close == std::string::npos) {
        out += line.substr(k, run);
        k += run;
      } else {
        k = close + run;
      }
    }
    out += '\n';
  }
  return out;
}

TEST(RenderMarkdown, HostileStringsStayText) {
  std::string md = Render(HostileReport(), Format::kMarkdown);
  std::string outside = OutsideCode(md);
  // The only raw HTML is heapscope's own <details> block.
  EXPECT_EQ(Count(outside, "<"), 4u) << outside;  // <details><summary></summary> </details>
  EXPECT_EQ(Count(outside, "<details><summary>Inputs</summary>"), 1u);
  EXPECT_EQ(Count(outside, "</details>"), 1u);
  EXPECT_EQ(Count(outside, "[link]"), 0u);  // no link syntax survives unescaped
  EXPECT_EQ(Count(outside, "**bold**"), 0u);
  EXPECT_NE(md.find("&lt;script&gt;document.title='PWNED'&lt;/script&gt;"), std::string::npos);
  // The retainer path that contains ``` is fenced with a longer fence.
  EXPECT_NE(md.find("````text\n"), std::string::npos);
  // Table rows keep their 10 cells: every | inside a cell is escaped.
  size_t table = md.find("| # | Severity");
  size_t row = md.find("\n| 1 |", table);
  std::string line = md.substr(row + 1, md.find('\n', row + 1) - row - 1);
  size_t bars = 0;
  for (size_t k = 0; k < line.size(); ++k)
    bars += line[k] == '|' && (k == 0 || line[k - 1] != '\\');
  EXPECT_EQ(bars, 10u) << line;
}

TEST(RenderMarkdown, IncidentSections) {
  std::string md = Render(IncidentReport(), Format::kMarkdown);
  EXPECT_EQ(md.rfind("## heapscope report\n\n**3 findings** (1 error, 2 warnings, 0 notes) in 3 "
                     "snapshots and 1 metric file; top: 3,200 'heartbeat' listeners on "
                     "PresenceService from presence.handler.js:32, 40 → 1,600 → 3,200, 4.92 MB "
                     "retained.",
                     0),
            0u);
  // 3 findings, classes, metrics, relations, diagnostics, notes.
  EXPECT_EQ(Count(md, "### "), 8u);
  EXPECT_EQ(Count(md, "```text\n"), 3u);
  EXPECT_NE(md.find("- **Count per snapshot:** 40 → 1,600 → 3,200\n"), std::string::npos);
  EXPECT_NE(md.find("- **Captured variables:** `socket`, `presenceService`, `currentBoard`\n"),
            std::string::npos);
  EXPECT_NE(
      md.find(
          "**Suggested fix:** In removeUser(), call socket.off('heartbeat', heartbeatHandler).\n"),
      std::string::npos);
}

TEST(RenderJson, GoldenTiny) {
  EXPECT_EQ(Render(TinyReport(), Format::kJson), Golden("tiny.json"));
}

TEST(RenderJson, ParsesBackWithTheNumbers) {
  std::string json = Render(Gated(IncidentReport()), Format::kJson);
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(json.c_str()).HasParseError());
  EXPECT_STREQ(d["schema"].GetString(), "heapscope.report/v1");
  const auto& f = d["findings"][0];
  EXPECT_EQ(f["counts"][2].GetUint64(), 3200u);
  EXPECT_EQ(f["growth"][1].GetInt64(), 1600);
  EXPECT_EQ(f["retained_size"].GetUint64(), 4915200u);
  EXPECT_EQ(f["site"]["line"].GetUint(), 32u);
  EXPECT_STREQ(f["verdict"].GetString(), "fail");
  EXPECT_EQ(f["secondary"][0]["site"]["line"].GetUint(), 57u);
  EXPECT_TRUE(f["evidence"][0]["time_to_limit_seconds"].IsNull());
  EXPECT_EQ(f["evidence"][1]["time_to_limit_seconds"].GetDouble(), 14149.0);
  EXPECT_STREQ(d["gate"]["result"].GetString(), "fail");
  EXPECT_EQ(d["gate"]["failing"].GetUint(), 3u);
  EXPECT_EQ(d["summary"]["findings_including_secondary"].GetUint(), 3u);
}

TEST(RenderJson, NonFiniteNumbersAndInvalidUtf8StayValidJson) {
  Report r = HostileReport();
  r.metrics[0].slope_per_second = std::numeric_limits<double>::quiet_NaN();
  r.metrics[0].time_to_limit_seconds = std::numeric_limits<double>::infinity();
  std::string json = Render(r, Format::kJson);
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str()).HasParseError());
  EXPECT_TRUE(d["metrics"][0]["slope_per_second"].IsNull());
  EXPECT_TRUE(d["metrics"][0]["time_to_limit_seconds"].IsNull());
  EXPECT_EQ(std::string(d["findings"][0]["event"].GetString()).substr(0, 8), "<script>");
}

TEST(RenderSarif, GoldenTiny) {
  EXPECT_EQ(Render(TinyReport(), Format::kSarif), Golden("tiny.sarif"));
}

TEST(RenderSarif, OneResultPerFindingWithStableFingerprints) {
  std::string sarif = Render(Gated(IncidentReport()), Format::kSarif);
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(sarif.c_str()).HasParseError());
  const auto& run = d["runs"][0];
  ASSERT_EQ(run["results"].Size(), 3u);
  ASSERT_EQ(run["tool"]["driver"]["rules"].Size(), 2u);
  EXPECT_STREQ(run["tool"]["driver"]["rules"][1]["id"].GetString(), "closure-growth");
  const auto& second = run["results"][1];  // the secondary finding, at presence.service.js:57
  EXPECT_STREQ(second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].GetString(),
               "presence.service.js");
  EXPECT_EQ(second["locations"][0]["physicalLocation"]["region"]["startLine"].GetUint(), 57u);
  EXPECT_EQ(second["relatedLocations"][0]["physicalLocation"]["region"]["startLine"].GetUint(),
            32u);
  EXPECT_EQ(run["results"][2]["ruleIndex"].GetUint(), 1u);
  EXPECT_EQ(run["invocations"][0]["exitCode"].GetInt(), 1);

  // Node ids, array indices and counts change between runs; the fingerprints do not.
  Report other = IncidentReport();
  other.findings[0].retainer_path = {
      "(GC roots)",    "(Global handles) @5",     "PresenceService @99",
      "._events @100", ".heartbeat (Array @101)", "[12] (closure) @102"};
  other.findings[0].counts = {7, 70, 700};
  other.findings[0].emitter_id = 99;
  std::string sarif2 = Render(other, Format::kSarif);
  rapidjson::Document d2;
  ASSERT_FALSE(d2.Parse(sarif2.c_str()).HasParseError());
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_STREQ(
        d["runs"][0]["results"][i]["partialFingerprints"]["heapscopeFingerprint/v1"].GetString(),
        d2["runs"][0]["results"][i]["partialFingerprints"]["heapscopeFingerprint/v1"].GetString());
  }
}

TEST(RenderSarif, UrisForRelativeAbsoluteAndSchemeFiles) {
  Report r = TinyReport();
  r.findings[0].site.file = "src/my app/a.js";
  Finding abs = r.findings[0];
  abs.site.file = "/srv/app/b.js";
  Finding url = r.findings[0];
  url.site.file = "file:///srv/app/c.js";
  r.findings.push_back(abs);
  r.findings.push_back(url);
  std::string sarif = Render(r, Format::kSarif);
  EXPECT_NE(sarif.find("\"uri\": \"src/my%20app/a.js\",\n"), std::string::npos);
  EXPECT_NE(sarif.find("\"uri\": \"file:///srv/app/b.js\"\n"), std::string::npos);
  EXPECT_NE(sarif.find("\"uri\": \"file:///srv/app/c.js\"\n"), std::string::npos);
  EXPECT_EQ(Count(sarif, "\"uriBaseId\": \"%SRCROOT%\""), 1u);
}

// A script name with a scheme that is not a file (javascript:, data:, …) must not become a link
// a SARIF viewer would follow: it is percent-encoded whole. file: URIs keep their form, with
// bytes a URI may not hold percent-encoded.
TEST(RenderSarif, NonFileSchemesArePercentEncoded) {
  Report r = TinyReport();
  r.findings[0].site.file = "javascript:alert(document.domain)//";
  Finding data = r.findings[0];
  data.site.file = "data:text/html,<script>x</script>";
  Finding file = r.findings[0];
  file.site.file = "file:///srv/my app/\"q\".js";
  r.findings.push_back(data);
  r.findings.push_back(file);
  std::string sarif = Render(r, Format::kSarif);
  EXPECT_NE(sarif.find("\"uri\": \"javascript%3Aalert%28document.domain%29//\"\n"),
            std::string::npos)
      << sarif;
  EXPECT_NE(sarif.find("\"uri\": \"data%3Atext/html%2C%3Cscript%3Ex%3C/script%3E\"\n"),
            std::string::npos);
  EXPECT_NE(sarif.find("\"uri\": \"file:///srv/my%20app/%22q%22.js\"\n"), std::string::npos);
  EXPECT_EQ(sarif.find("\"uri\": \"javascript:"), std::string::npos);
  EXPECT_EQ(Count(sarif, "\"uriBaseId\""), 0u);
}

// Allocation stacks and source-mapped sites: every human format shows the top stack under its
// finding and the generated position beside the original one; JSON carries every stack; SARIF
// has one code flow per stack in execution order and the bundle's position as a property.
TEST(RenderAllocations, TopStackAndGeneratedSiteInEveryFormat) {
  const Report r = testing::TrackedReport();
  const std::string text = Render(r, Format::kText);
  EXPECT_NE(text.find("      generated   dist/app.js:1:48213\n"), std::string::npos) << text;
  EXPECT_NE(text.find("      allocated   3,100 objects, 223.2 kB (of 4,800 allocations, 345.6 kB, "
                      "at this stack while\n                  tracking) at\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("                  and 1 more stack (60 objects)\n"), std::string::npos);
  EXPECT_NE(text.find("(anonymous) src/presence.handler.ts:13:27\n"
                      "                  ← emit node:events:517:28\n"
                      "                  ← (anonymous) node_modules/socket.io/dist/socket.js:688:30\n"
                      "                  ← (V8 API)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(Count(text, "src/rejoin.ts"), 0u) << text;  // only the top stack in text

  const std::string md = Render(r, Format::kMarkdown);
  EXPECT_NE(md.find("- **Site:** `src/presence.handler.ts:32:5` in `onJoinBoard` (generated: "
                    "`dist/app.js:1:48213`)\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Allocated at (3,100 objects, 223.2 kB (of 4,800 allocations, 345.6 kB, at "
                    "this stack while tracking)):"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("← (V8 API)\n"), std::string::npos) << md;
  EXPECT_NE(md.find("1 more allocation stack in the JSON and SARIF reports."), std::string::npos);
  EXPECT_NE(md.find("2 sampling heap profiles"), std::string::npos) << md;

  const std::string html = Render(r, Format::kHtml);
  EXPECT_NE(html.find(" (generated: <code>dist/app.js:1:48213</code>)"), std::string::npos);
  EXPECT_NE(html.find("<summary>Allocated at: 3,100 objects, 223.2 kB"), std::string::npos);
  EXPECT_NE(html.find("← emit node:events:517:28\n"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"profile\">"), std::string::npos);

  rapidjson::Document j;
  const std::string json = Render(r, Format::kJson);
  j.Parse(json.c_str());
  ASSERT_FALSE(j.HasParseError());
  const auto& f = j["findings"][0];
  EXPECT_STREQ(f["site"]["file"].GetString(), "src/presence.handler.ts");
  EXPECT_STREQ(f["site"]["generated"]["file"].GetString(), "dist/app.js");
  EXPECT_EQ(f["site"]["generated"]["column"].GetUint(), 48213u);
  EXPECT_TRUE(f["secondary"][0]["site"]["generated"].IsNull());
  ASSERT_EQ(f["allocated_at"].Size(), 2u);
  EXPECT_EQ(f["allocated_at"][0]["count"].GetUint64(), 3100u);
  EXPECT_EQ(f["allocated_at"][0]["allocations"].GetUint64(), 4800u);
  EXPECT_EQ(f["allocated_at"][0]["frames"].Size(), 4u);
  EXPECT_STREQ(f["allocated_at"][1]["frames"][1]["function"].GetString(), "rejoin");
  EXPECT_EQ(f["allocated_at_objects"].GetUint64(), 3160u);
  EXPECT_STREQ(j["clusters"][0]["site"]["generated"]["file"].GetString(), "dist/app.js");

  rapidjson::Document sarif;
  const std::string s = Render(r, Format::kSarif);
  sarif.Parse(s.c_str());
  ASSERT_FALSE(sarif.HasParseError());
  const auto& res = sarif["runs"][0]["results"][0];
  EXPECT_STREQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].GetString(),
               "src/presence.handler.ts");
  EXPECT_STREQ(res["properties"]["generatedLocation"].GetString(), "dist/app.js:1:48213");
  ASSERT_EQ(res["codeFlows"].Size(), 2u);
  const auto& flow = res["codeFlows"][0]["threadFlows"][0]["locations"];
  ASSERT_EQ(flow.Size(), 4u);
  // Outermost caller first: the frame without a script is a message-only location.
  EXPECT_FALSE(flow[0]["location"].HasMember("physicalLocation"));
  EXPECT_STREQ(flow[0]["location"]["message"]["text"].GetString(), "(V8 API)");
  EXPECT_EQ(flow[0]["nestingLevel"].GetUint(), 0u);
  EXPECT_EQ(flow[3]["location"]["physicalLocation"]["region"]["startLine"].GetUint(), 13u);
  EXPECT_EQ(flow[3]["nestingLevel"].GetUint(), 3u);
  // The secondary finding has no stack: no code flow.
  EXPECT_FALSE(sarif["runs"][0]["results"][1].HasMember("codeFlows"));
}

TEST(RenderJunit, GoldenTinyGated) {
  EXPECT_EQ(Render(Gated(TinyReport()), Format::kJunit), Golden("tiny.gate.junit.xml"));
}

TEST(RenderJunit, OneCasePerRuleAndSite) {
  Report r = IncidentReport();
  Baseline b;
  b.entries.push_back({internal::FingerprintOf(r.findings[1]), "", "", "", "ticket OPS-12"});
  ApplyGate(&r, Policy{}, b, "", "");
  std::string xml = Render(r, Format::kJunit);
  EXPECT_NE(xml.find("<testsuite name=\"heapscope\" tests=\"3\" failures=\"2\" errors=\"0\" "
                     "skipped=\"1\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<skipped>baselined: ticket OPS-12</skipped>"), std::string::npos);
  EXPECT_EQ(Count(xml, "<testcase "), 3u);
  std::string clean = Render(Gated(testing::CleanReport()), Format::kJunit);
  EXPECT_NE(clean.find("<testcase classname=\"heapscope\" name=\"no findings in 3 snapshots\""),
            std::string::npos);
}

TEST(RenderHtml, SelfContainedWithCharts) {
  std::string html = Render(Gated(IncidentReport()), Format::kHtml);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(html, "<script"), 0u);
  EXPECT_EQ(Count(html, "<link"), 0u);
  EXPECT_EQ(Count(html, "src="), 0u);
  EXPECT_EQ(Count(html, "url("), 0u);
  EXPECT_EQ(Count(html, "<svg class=\"chart counts\""), 3u);
  EXPECT_EQ(Count(html, "<svg class=\"chart metric\""), 2u);
  EXPECT_EQ(Count(html, "<svg class=\"chart classes\""), 1u);
  EXPECT_EQ(Count(html, "<line class=\"trend\""), 2u);
  EXPECT_EQ(Count(html, "<circle class=\"crossing\""), 1u);  // only the memory series has a limit
  EXPECT_EQ(Count(html, "<details class=\"path\">"), 3u);
  EXPECT_EQ(Count(html, "<article class=\"finding"), 3u);
  EXPECT_NE(html.find("limit reached in 3h56m"), std::string::npos);
  EXPECT_NE(html.find("Gate: FAIL — 3 failing"), std::string::npos);
}

TEST(RenderHtml, HostileStringsAreEscaped) {
  std::string html = Render(HostileReport(), Format::kHtml);
  EXPECT_EQ(Count(html, "<script"), 0u);
  EXPECT_EQ(Count(html, "<img"), 0u);
  EXPECT_EQ(Count(html, "</svg><script"), 0u);
  EXPECT_EQ(Count(html, "onerror=\""), 0u);
  EXPECT_GT(Count(html, "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"), 10u);
  EXPECT_EQ(Count(html, "\x1b"), 0u);
  // Every <svg ...> opened is closed exactly once.
  EXPECT_EQ(Count(html, "<svg "), Count(html, "</svg>"));
}

}  // namespace
}  // namespace heapscope::report
