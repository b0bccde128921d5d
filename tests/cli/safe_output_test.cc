// Hostile snapshot strings through every command and format (tests/cli/repro/README.md): text
// and Markdown carry no control characters, JSON and SARIF are valid JSON in valid UTF-8, SARIF
// URIs are file-like, HTML holds no injected markup, and error messages quoting input are
// terminal-safe.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>
#include <vector>

#include "heapscope/text.h"
#include "support/snapshot_builder.h"
#include "support/test_paths.h"

namespace heapscope {
namespace {

using testing::CommandResult;
using testing::HeapscopeBinary;
using testing::Run;
using testing::SourceDir;

const std::vector<std::string> kRepros = {
    "unsafe-ansi-escapes", "unsafe-nul-newline", "silent-invalid-utf8-json-output",
    "unsafe-sarif-javascript-uri", "xss-combo"};

std::string Repro(const std::string& name) {
  return SourceDir() + "/tests/cli/repro/" + name + ".heapsnapshot";
}

CommandResult Heapscope(const std::string& args) {
  return Run(fmt::format("'{}' --quiet {}", HeapscopeBinary(), args));
}

// The first byte a terminal would act on: C0 except LF, DEL, C1 (as UTF-8), or invalid UTF-8.
// Returns the offset, or npos.
size_t FirstUnsafeByte(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    size_t n = text::DecodeUtf8(s, i, &cp);
    if (n == 0) return i;
    if ((cp < 0x20 && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return i;
    i += n;
  }
  return std::string::npos;
}

void ExpectTerminalSafe(const std::string& out, const std::string& what) {
  size_t bad = FirstUnsafeByte(out);
  EXPECT_EQ(bad, std::string::npos)
      << what << ": byte 0x" << std::hex
      << (bad == std::string::npos ? 0 : static_cast<unsigned>(static_cast<unsigned char>(out[bad])))
      << " at offset " << std::dec << bad << "\n"
      << out;
}

rapidjson::Document ExpectValidJson(const std::string& out, const std::string& what) {
  EXPECT_TRUE(text::IsValidUtf8(out)) << what << ": not valid UTF-8";
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(out.c_str(), out.size());
  EXPECT_FALSE(d.HasParseError()) << what << ": " << rapidjson::GetParseError_En(d.GetParseError())
                                  << " at " << d.GetErrorOffset();
  return d;
}

// Node ids of the first `n` rows of `retained --format json`.
std::vector<uint64_t> TopIds(const std::string& snapshot, size_t n) {
  CommandResult r = Heapscope(fmt::format("retained '{}' --format json", snapshot));
  rapidjson::Document d;
  d.Parse(r.out.c_str(), r.out.size());
  std::vector<uint64_t> ids;
  if (d.HasParseError() || !d.IsArray()) return ids;
  for (const auto& row : d.GetArray()) {
    if (ids.size() == n) break;
    ids.push_back(row["id"].GetUint64());
  }
  return ids;
}

TEST(SafeOutput, SummaryRetainedPathsText) {
  for (const std::string& name : kRepros) {
    const std::string snap = Repro(name);
    for (const char* cmd : {"summary", "summary --no-retained", "retained --top 0"}) {
      CommandResult r = Heapscope(fmt::format("{} '{}'", cmd, snap));
      EXPECT_EQ(r.exit_code, 0) << name << " " << cmd << ": " << r.err;
      ExpectTerminalSafe(r.out, name + " " + cmd);
      ExpectTerminalSafe(r.err, name + " " + cmd + " (stderr)");
    }
    std::vector<uint64_t> ids = TopIds(snap, 8);
    ASSERT_EQ(ids.size(), 8u) << name;
    for (uint64_t id : ids) {
      CommandResult r = Heapscope(fmt::format("paths '{}' --id {} -k 3", snap, id));
      EXPECT_EQ(r.exit_code, 0) << name << " @" << id << ": " << r.err;
      ExpectTerminalSafe(r.out, fmt::format("{} paths @{}", name, id));
    }
  }
}

TEST(SafeOutput, SummaryRetainedPathsJson) {
  for (const std::string& name : kRepros) {
    const std::string snap = Repro(name);
    for (const char* cmd : {"summary", "retained --top 0"}) {
      CommandResult r = Heapscope(fmt::format("{} '{}' --format json", cmd, snap));
      EXPECT_EQ(r.exit_code, 0) << name << " " << cmd << ": " << r.err;
      ExpectValidJson(r.out, name + " " + cmd);
    }
    for (uint64_t id : TopIds(snap, 8)) {
      CommandResult r = Heapscope(fmt::format("paths '{}' --id {} -k 3 --format json", snap, id));
      EXPECT_EQ(r.exit_code, 0) << name << " @" << id << ": " << r.err;
      ExpectValidJson(r.out, fmt::format("{} paths @{}", name, id));
    }
  }
}

// Invalid UTF-8 is repaired to U+FFFD and counted: the class name of the reproducer is
// "Presence\xffService\xc3".
TEST(SafeOutput, InvalidUtf8IsReplacedAndCounted) {
  const std::string snap = Repro("silent-invalid-utf8-json-output");
  CommandResult r = Heapscope(fmt::format("summary '{}' --format json", snap));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document d = ExpectValidJson(r.out, "summary json");
  ASSERT_TRUE(d.IsObject());
  bool found = false;
  for (const auto& c : d["classes"].GetArray()) {
    if (std::string(c["name"].GetString()) == "Presence\uFFFDService\uFFFD") found = true;
  }
  EXPECT_TRUE(found) << r.out;
  ASSERT_TRUE(d["diagnostics"].HasMember("invalid_utf8_strings")) << r.out;
  EXPECT_EQ(d["diagnostics"]["invalid_utf8_strings"].GetUint64(), 1u);

  CommandResult text_out = Heapscope(fmt::format("summary '{}'", snap));
  EXPECT_NE(text_out.out.find("Presence\uFFFDService\uFFFD"), std::string::npos) << text_out.out;
  EXPECT_NE(text_out.out.find("  invalid_utf8_strings  1\n"), std::string::npos) << text_out.out;
}

// Escape sequences are shown, not obeyed: ESC as the four characters "\x1b".
TEST(SafeOutput, EscapesAreShownAsText) {
  CommandResult r = Heapscope(fmt::format("retained '{}' --top 3", Repro("unsafe-ansi-escapes")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Cls\\x1b[31mRED\\x1b[0m\\x1b]0;PWNED-TERMINAL-TITLE\\x07"),
            std::string::npos)
      << r.out;
}

TEST(SafeOutput, AnalyzeEveryFormat) {
  for (const std::string& name : kRepros) {
    const std::string snap = Repro(name);
    for (const char* format : {"text", "markdown", "html", "json", "sarif", "junit"}) {
      CommandResult r = Heapscope(fmt::format("analyze '{}' --format {}", snap, format));
      const std::string what = name + " analyze --format " + format;
      EXPECT_EQ(r.exit_code, 0) << what << ": " << r.err;
      ExpectTerminalSafe(r.err, what + " (stderr)");
      const std::string f = format;
      if (f == "text" || f == "markdown") ExpectTerminalSafe(r.out, what);
      if (f == "json" || f == "sarif") ExpectValidJson(r.out, what);
      if (f == "html" || f == "junit") {
        EXPECT_TRUE(text::IsValidUtf8(r.out)) << what;
        EXPECT_EQ(r.out.find("<script>document.title"), std::string::npos) << what;
        EXPECT_EQ(r.out.find("<img src=x"), std::string::npos) << what;
        EXPECT_EQ(r.out.find("<injected"), std::string::npos) << what;
      }
      if (f == "sarif") {
        // Every URI is file-like: a file: URI or a path (no other scheme before the first '/').
        size_t at = 0;
        int uris = 0;
        while ((at = r.out.find("\"uri\": \"", at)) != std::string::npos) {
          at += 8;
          std::string uri = r.out.substr(at, r.out.find('"', at) - at);
          ++uris;
          size_t colon = uri.find(':'), slash = uri.find('/');
          bool scheme = colon != std::string::npos && (slash == std::string::npos || colon < slash);
          EXPECT_TRUE(!scheme || uri.rfind("file:", 0) == 0) << what << ": uri " << uri;
        }
        if (name == "unsafe-sarif-javascript-uri") {
          EXPECT_GT(uris, 0) << r.out;
          EXPECT_EQ(r.out.find("\"uri\": \"javascript:"), std::string::npos) << r.out;
        }
      }
    }
  }
}

// A shell word: single-quoted, with ' written as '\''.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Checks one output of a command that has text, JSON, Markdown, HTML and CSV formats.
void ExpectSafeFormat(const CommandResult& r, const std::string& format, const std::string& what) {
  EXPECT_EQ(r.exit_code, 0) << what << ": " << r.err;
  ExpectTerminalSafe(r.err, what + " (stderr)");
  if (format == "text" || format == "markdown") ExpectTerminalSafe(r.out, what);
  if (format == "json") ExpectValidJson(r.out, what);
  if (format == "html" || format == "csv") {
    EXPECT_TRUE(text::IsValidUtf8(r.out)) << what;
  }
  if (format == "html") {
    EXPECT_EQ(r.out.find("<script>document.title"), std::string::npos) << what;
    EXPECT_EQ(r.out.find("<img src=x"), std::string::npos) << what;
    EXPECT_EQ(r.out.find("<injected"), std::string::npos) << what;
  }
  if (format == "csv") {
    // No field opens a spreadsheet formula, and every line ends with CRLF (outside quotes).
    EXPECT_EQ(r.out.find(",\"="), std::string::npos) << what;
    EXPECT_EQ(r.out.find(",\"+"), std::string::npos) << what;
    EXPECT_EQ(r.out.find(",\"@"), std::string::npos) << what;
  }
}

// `diff` from an empty heap to each hostile one (every class is new), in every format, and the
// drill-down into its largest class.
TEST(SafeOutput, DiffEveryFormat) {
  const std::string empty = testing::ScratchDir() + "/empty.heapsnapshot";
  testing::WriteFile(empty, testing::SnapshotBuilder().ToJson());
  for (const std::string& name : kRepros) {
    const std::string snap = Repro(name);
    CommandResult j = Heapscope(fmt::format("diff '{}' '{}' --format json", empty, snap));
    rapidjson::Document d = ExpectValidJson(j.out, name + " diff json");
    ASSERT_TRUE(d.IsObject() && d["comparisons"][0]["classes"].Size() > 0) << j.out;
    std::vector<std::string> classes;
    for (const auto& c : d["comparisons"][0]["classes"].GetArray()) {
      std::string key = c["key"].GetString();
      if (key.find('\0') == std::string::npos && classes.size() < 3) classes.push_back(key);
    }
    for (const char* format : {"text", "json", "markdown", "html", "csv"}) {
      const std::string what = name + " diff --format " + format;
      ExpectSafeFormat(Heapscope(fmt::format("diff '{}' '{}' --format {}", empty, snap, format)),
                       format, what);
      for (const std::string& key : classes) {
        ExpectSafeFormat(Heapscope(fmt::format("diff '{}' '{}' --format {} --top 0 --class {}",
                                               empty, snap, format, ShellQuote(key))),
                         format, what + " --class " + key);
      }
    }
  }
}

// `strings` on each hostile heap and on one whose duplicated values and holders are hostile
// (escapes, NUL, invalid UTF-8, markup), in both formats.
TEST(SafeOutput, StringsTextAndJson) {
  testing::SnapshotBuilder b;
  NodeIndex holder = b.Node(snapshot::NodeType::kObject, "Holder\x1b]0;PWNED\x07", 20);
  b.Edge(b.root(), holder, snapshot::EdgeType::kShortcut, "global");
  const std::string value("\x1b[2J<script>x</script>\0\xff\r\n\t", 27);
  for (uint32_t i = 0; i < 3; ++i) {
    b.Edge(holder, b.Node(snapshot::NodeType::kString, value, 40), snapshot::EdgeType::kProperty,
           "k\x1b[31m\xc3");
  }
  const std::string crafted = testing::ScratchDir() + "/hostile-strings.heapsnapshot";
  testing::WriteFile(crafted, b.ToJson());
  std::vector<std::string> snaps = {crafted};
  for (const std::string& name : kRepros) snaps.push_back(Repro(name));
  for (const std::string& snap : snaps) {
    CommandResult t = Heapscope(fmt::format("strings '{}' --top 0", snap));
    EXPECT_EQ(t.exit_code, 0) << snap << ": " << t.err;
    ExpectTerminalSafe(t.out, snap + " strings");
    ExpectTerminalSafe(t.err, snap + " strings (stderr)");
    CommandResult j = Heapscope(fmt::format("strings '{}' --top 0 --format json", snap));
    EXPECT_EQ(j.exit_code, 0) << snap << ": " << j.err;
    rapidjson::Document d = ExpectValidJson(j.out, snap + " strings json");
    if (snap == crafted) {
      ASSERT_TRUE(d.IsObject() && d["groups"].Size() == 1) << j.out;
      EXPECT_EQ(d["groups"][0]["count"].GetUint64(), 3u);
      EXPECT_NE(t.out.find("held by"), std::string::npos) << t.out;
    }
  }
}

// Error messages quote file names and values from the command line: terminal-safe too.
TEST(SafeOutput, ErrorMessagesQuotingInputAreTerminalSafe) {
  // /bin/sh's printf writes ESC and BEL from octal escapes.
  CommandResult missing =
      Heapscope("summary \"$(printf '/nonexistent/\\033]0;PWNED\\007\\033[2J.heapsnapshot')\"");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("\\x1b]0;PWNED\\x07"), std::string::npos) << missing.err;
  ExpectTerminalSafe(missing.err, "missing file");

  CommandResult no_node = Heapscope(
      fmt::format("paths '{}' --id 999999", Repro("unsafe-ansi-escapes")));
  EXPECT_EQ(no_node.exit_code, 2);
  EXPECT_NE(no_node.err.find("no node with id 999999"), std::string::npos) << no_node.err;

  CommandResult bad_limit =
      Heapscope("metrics /dev/null --memory-limit \"$(printf '1\\033[2J')\"");
  EXPECT_EQ(bad_limit.exit_code, 2);
  EXPECT_NE(bad_limit.err.find("got '1\\x1b[2J'"), std::string::npos) << bad_limit.err;
  ExpectTerminalSafe(bad_limit.err, "bad --memory-limit");
}

// Metric series names come from the input too: label values with escapes stay inert in text
// and valid in JSON.
TEST(SafeOutput, MetricsTextAndJson) {
  std::string dir = testing::ScratchDir();
  std::string file = dir + "/hostile.prom";
  testing::WriteFile(file,
                     "# TYPE app_listeners gauge\n"
                     "app_listeners{pod=\"a\x1b]0;PWNED\x07\x1b[2J\xff\"} 1 1700000000000\n"
                     "app_listeners{pod=\"a\x1b]0;PWNED\x07\x1b[2J\xff\"} 5 1700000060000\n");
  CommandResult t = Heapscope(fmt::format("metrics '{}'", file));
  EXPECT_EQ(t.exit_code, 0) << t.err;
  ExpectTerminalSafe(t.out, "metrics text");
  ExpectTerminalSafe(t.err, "metrics text (stderr)");
  CommandResult j = Heapscope(fmt::format("metrics '{}' --format json", file));
  EXPECT_EQ(j.exit_code, 0) << j.err;
  ExpectValidJson(j.out, "metrics json");
}

}  // namespace
}  // namespace heapscope
