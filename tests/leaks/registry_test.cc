// The rule and listener-shape registries are complete and agree with the catalogue and docs.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "heapscope/leaks/rules.h"
#include "heapscope/leaks/shapes.h"
#include "report/rules.h"
#include "support/test_paths.h"

namespace heapscope::leaks {
namespace {

TEST(RuleRegistry, EveryRuleHasItsTextsAndExactlyOneDetector) {
  std::set<std::string> ids;
  for (size_t i = 0; i < Rules().size(); ++i) {
    const RuleDef& r = Rules()[i];
    SCOPED_TRACE(r.id);
    EXPECT_EQ(static_cast<size_t>(r.rule), i) << "registry position must equal its Rule value";
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id";
    for (const char* text : {r.id, r.name, r.short_text, r.full_text, r.help, r.fix})
      EXPECT_TRUE(text && *text);
    EXPECT_NE(r.title, nullptr);
    int detectors = (r.detect != nullptr) + (r.claims != nullptr) + (r.refines != nullptr);
    EXPECT_EQ(detectors, 1) << "a catalogued rule needs exactly one detector";
    EXPECT_EQ(RuleId(r.rule), std::string(r.id));
  }
  EXPECT_EQ(ids.size(), 7u);  // allocation-growth (sampling heap profiles) is the seventh
}

TEST(RuleRegistry, CatalogueIsTheRegistry) {
  std::vector<std::string> expected;
  for (const RuleDef& r : Rules()) expected.emplace_back(r.id);
  EXPECT_EQ(report::internal::CatalogIds(), expected);
  for (const RuleDef& r : Rules()) {
    report::internal::RuleInfo info = report::internal::LookupRule(r.id);
    EXPECT_TRUE(info.known) << r.id;
    EXPECT_EQ(info.name, r.name);
  }
  // No catalogue entry without a detector.
  EXPECT_FALSE(report::internal::LookupRule("stale-closure-capture").known);
  EXPECT_FALSE(report::internal::LookupRule("memory-growth").known);
  // SARIF's default level is the level its results get (dead-emitter keeps the warning level
  // of the rule it refines in practice: accumulation / duplicate-site).
  EXPECT_EQ(report::internal::LookupRule("listener-dead-emitter").default_severity,
            report::Severity::kWarning);
  EXPECT_EQ(report::internal::LookupRule("listener-growth").default_severity,
            report::Severity::kError);
}

// docs/rules.md's first table: "| `id` | severity | fires when | needs |".
TEST(RuleRegistry, DocsTableMatchesRegistry) {
  std::ifstream in(testing::SourceDir() + "/docs/rules.md");
  ASSERT_TRUE(in) << "docs/rules.md";
  std::string line;
  bool in_table = false;
  std::vector<std::pair<std::string, std::string>> rows;  // id, severity
  while (std::getline(in, line)) {
    if (line.starts_with("| rule | severity |")) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (!line.starts_with("|")) break;
    if (line.starts_with("|---")) continue;
    std::istringstream cells(line.substr(1));
    std::string id, severity;
    std::getline(cells, id, '|');
    std::getline(cells, severity, '|');
    auto trim = [](std::string s) {
      while (!s.empty() && (s.front() == ' ' || s.front() == '`')) s.erase(0, 1);
      while (!s.empty() && (s.back() == ' ' || s.back() == '`')) s.pop_back();
      return s;
    };
    rows.emplace_back(trim(id), trim(severity));
  }
  ASSERT_EQ(rows.size(), Rules().size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const RuleDef& r = Rules()[i];
    EXPECT_EQ(rows[i].first, r.id) << "row " << i;
    EXPECT_EQ(rows[i].second, r.level_from_group ? "as above" : LevelName(r.default_level))
        << r.id;
  }
}

TEST(RuleRegistry, FixTemplatesExpand) {
  FindingWords w;
  w.emitter = "Socket";
  w.event = "message";
  w.remove_handler = "Socket.off('message', handler) (removeListener)";
  EXPECT_EQ(ExpandWords("call {remove_handler} on {event} {unknown}", w),
            "call Socket.off('message', handler) (removeListener) on message {unknown}");
}

TEST(ShapeRegistry, EveryShapeRecognisesAndNamesItsRemoval) {
  std::set<std::string> names;
  for (const ListenerShapeDef& s : Shapes()) {
    SCOPED_TRACE(s.name);
    EXPECT_TRUE(names.insert(s.name).second);
    EXPECT_NE(s.read_table, nullptr);
    EXPECT_NE(s.table_edge == nullptr, s.table_node == nullptr) << "exactly one way to recognise";
    // onAny() tables hold listeners of every event: their point names no event.
    if (std::string_view(s.name).find("onAny") == std::string_view::npos) {
      EXPECT_NE(std::string(s.accumulation_point).find("{event}"), std::string::npos);
    }
    EXPECT_NE(std::string(s.remove).find("{handler}"), std::string::npos);
  }
  EXPECT_EQ(Shapes().size(), 16u);
}

TEST(ShapeRegistry, RemovalWordsComeFromTheShape) {
  EXPECT_EQ(ShapeRemoveCall(ListenerShape::kEventEmitter, "Socket", "message", "handler", true),
            "Socket.off('message', handler) (removeListener)");
  EXPECT_EQ(ShapeRemoveCall(ListenerShape::kDomListener, "<div>", "click", "handler", true),
            "<div>.removeEventListener('click', handler)");
  EXPECT_EQ(ShapeRemoveCall(ListenerShape::kEventTarget, "EventTarget", "abort", "previous", false),
            "EventTarget.removeEventListener('abort', previous)");
  EXPECT_EQ(ShapeAccumulationPoint(ListenerShape::kComponentEmitter, "Emitter", "connect"),
            "Emitter._callbacks.$connect");
  EXPECT_EQ(ShapeAccumulationPoint(ListenerShape::kDomListener, "<div>", "click"),
            "<div> → EventTargetData → click");
}

}  // namespace
}  // namespace heapscope::leaks
