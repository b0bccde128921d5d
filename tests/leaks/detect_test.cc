// Rules over series of real snapshots (tests/leaks/programs/*), through RunAnalysis, plus the
// set retained size on a hand-built graph.
#include "heapscope/leaks/detect.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/run.h"
#include "leaks/leaks_test_util.h"
#include "support/snapshot_builder.h"

namespace heapscope::leaks {
namespace {

using report::Finding;
using report::Report;
using report::Severity;
using testing::RunProgram;
using testing::SourceDir;

// Top-level findings that are root causes (notes are growth with live owners, ranked last).
size_t Roots(const Report& r) {
  size_t n = 0;
  for (const Finding& f : r.findings) n += f.severity != Severity::kNote;
  return n;
}

std::string AllTop(const Report& r);

// Runs a program writing s0…sN-1.heapsnapshot and analyzes the series.
Report Analyze(const std::string& program, const std::string& args, int snapshots) {
  std::string dir = RunProgram(program, args);
  AnalyzeOptions o;
  for (int i = 0; i < snapshots; ++i)
    o.snapshots.push_back(dir + "/s" + std::to_string(i) + ".heapsnapshot");
  o.source_root = SourceDir() + "/tests/leaks/programs";
  Result<Report> r = RunAnalysis(o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : Report();
}

std::string SiteOf(const Finding& f) {
  return f.site.file + ":" + std::to_string(f.site.line) + ":" + std::to_string(f.site.column);
}

// "rule severity site event emitter counts" for a compact exact comparison.
std::string Describe(const Finding& f) {
  std::string s = f.rule + " " + report::SeverityName(f.severity) + " " + SiteOf(f) + " " +
                  f.event + " " + f.emitter + " [";
  for (size_t i = 0; i < f.counts.size(); ++i) s += (i ? "," : "") + std::to_string(f.counts[i]);
  return s + "] " + std::to_string(f.count);
}

std::string AllTop(const Report& r) {
  std::string s;
  for (const Finding& f : r.findings) s += Describe(f) + "\n";
  return s;
}

// emitter.addListener('tick', this.onTick.bind(this)): the bound functions are the
// per-registration objects, so the 10 registered between baseline and target survive (onTick
// itself, shared, was allocated before the baseline), the site is onTick's, and the captured
// list is the bound `this`.
TEST(Detect, BoundMethodsGrowPerRegistration) {
  Report r = Analyze("bound.js", "", 3);
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  // Every Connection stays in `connections`: growth with live owners, a note.
  EXPECT_EQ(Describe(f), "listener-growth note bound.js:17:9 tick EventEmitter [10,20,30] 30");
  EXPECT_NE(f.message.find("10 were allocated after the baseline"), std::string::npos)
      << f.message;
  EXPECT_EQ(f.captured, (std::vector<std::string>{"this (Connection)"}));
}

TEST(Detect, PresenceLeakySeriesNamesTheHandlerAndNestsTheSocketListeners) {
  // Baseline after 2 cycles, target after 5 more, final after 5 more; 12 joins per cycle,
  // plus 2 long-lived sockets with one join each.
  Report r = Analyze("presence/run.js", "leaky 2 5 5", 3);
  ASSERT_EQ(Roots(r), 1u) << AllTop(r);
  const Finding& f = r.findings[0];
  EXPECT_EQ(
      Describe(f),
      "listener-growth error presence/handler.js:17:7 heartbeat PresenceService [26,86,146] 146");
  EXPECT_EQ(f.growth, (std::vector<int64_t>{60, 60}));
  EXPECT_EQ(f.accumulation_point, "PresenceService._events.heartbeat");
  EXPECT_EQ(f.captured, (std::vector<std::string>{"currentBoard", "service", "socket"}));
  EXPECT_NE(f.message.find("60 were allocated after the baseline"), std::string::npos) << f.message;
  ASSERT_GE(f.retainer_path.size(), 3u);
  EXPECT_NE(f.retainer_path[f.retainer_path.size() - 3].find("._events Object"), std::string::npos);
  EXPECT_NE(f.retainer_path[f.retainer_path.size() - 2].find(".heartbeat Array"),
            std::string::npos);
  EXPECT_NE(f.retainer_path.back().find("(closure)"), std::string::npos);
  EXPECT_GT(f.retained_size, f.self_size);
  EXPECT_FALSE(f.fingerprint.empty());

  std::vector<std::string> secondary;
  for (const Finding& s : f.secondary) {
    secondary.push_back(Describe(s));
    EXPECT_TRUE(s.secondary.empty());
    EXPECT_LT(s.retained_size, f.retained_size);
  }
  std::sort(secondary.begin(), secondary.end());
  EXPECT_EQ(
      secondary,
      (std::vector<std::string>{
          "listener-dead-emitter error presence/handler.js:19:7 cursor-move Socket [26,86,146] 146",
          "listener-dead-emitter error presence/handler.js:21:7 selection-change Socket "
          "[26,86,146] 146",
          "listener-dead-emitter error presence/handler.js:23:27 disconnect Socket [10,30,50] 50",
          "listener-dead-emitter error presence/handler.js:9:27 join-board Socket [10,30,50] 50",
          "listener-dead-emitter error presence/service.js:20:30 heartbeat Socket [26,86,146] 146",
      }));
  for (const Finding& s : f.secondary) {
    if (s.event == "heartbeat") {
      EXPECT_EQ(s.site.function, "heartbeatHandler");
      EXPECT_EQ(s.captured, (std::vector<std::string>{"this", "key"}));
      EXPECT_EQ(s.accumulation_point, "Socket._events.heartbeat");
    }
  }
}

TEST(Detect, PresenceFixedSeriesHasNoFinding) {
  Report r = Analyze("presence/run.js", "fixed 2 5 5", 3);
  for (const Finding& f : r.findings) ADD_FAILURE() << Describe(f);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_FALSE(r.clusters.empty());
  EXPECT_FALSE(r.classes.empty());
}

TEST(Detect, PresenceLeakyTwoSnapshotsIsADiff) {
  Report r = Analyze("presence/run.js", "leaky 2 3", 2);
  ASSERT_EQ(Roots(r), 1u) << AllTop(r);
  EXPECT_EQ(Describe(r.findings[0]),
            "listener-growth error presence/handler.js:17:7 heartbeat PresenceService [26,62] 62");
  EXPECT_EQ(r.findings[0].secondary.size(), 5u);
}

TEST(Detect, PresenceLeakyOneSnapshotIsAccumulationOnly) {
  Report r = Analyze("presence/run.js", "leaky 3", 1);
  ASSERT_EQ(Roots(r), 1u) << AllTop(r);
  const Finding& f = r.findings[0];
  EXPECT_EQ(
      Describe(f),
      "listener-accumulation warning presence/handler.js:17:7 heartbeat PresenceService [] 38");
  EXPECT_TRUE(f.growth.empty());
  // With one snapshot only duplicates can flag the socket listeners: the per-socket heartbeat,
  // cursor-move and selection-change sites (3 joins per dead socket), nested as secondary.
  std::vector<std::string> secondary;
  for (const Finding& s : f.secondary) secondary.push_back(Describe(s));
  std::sort(secondary.begin(), secondary.end());
  EXPECT_EQ(
      secondary,
      (std::vector<std::string>{
          "listener-dead-emitter warning presence/handler.js:19:7 cursor-move Socket [] 38",
          "listener-dead-emitter warning presence/handler.js:21:7 selection-change Socket [] 38",
          "listener-dead-emitter warning presence/service.js:20:30 heartbeat Socket [] 38",
      }));
}

TEST(Detect, SameSiteRegisteredOnEveryBoardSwitch) {
  std::string dir = RunProgram("switch.js");
  AnalyzeOptions o;
  o.snapshots = {dir + "/switch.heapsnapshot"};
  o.source_root = SourceDir() + "/tests/leaks/programs";
  Result<Report> r = RunAnalysis(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(Describe(r->findings[0]),
            "listener-duplicate-site warning switch.js:14:28 cursor-move EventEmitter [] 4");
  EXPECT_EQ(r->findings[0].captured,
            (std::vector<std::string>{"currentBoard", "socket", "cursors"}));
}

TEST(Detect, ChurnLongLivedListenersAndAPlainMapAreNoListenerFinding) {
  Report r = Analyze("negative.js", "", 3);
  // The Map of plain objects grows by 300 entries (600 references) per phase: a collection
  // finding, and nothing else.
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(Describe(r.findings[0]), "collection-growth warning :0:0  Map [601,1201,1801] 1801");
  EXPECT_EQ(r.findings[0].accumulation_point, "Object.sessions");
}

TEST(Detect, TimersGrowOutsideAnyEmitter) {
  Report r = Analyze("timers.js", "", 3);
  std::vector<std::string> all;
  for (const Finding& f : r.findings) all.push_back(Describe(f));
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{
                     "closure-growth warning timers.js:13:5   [20,40,60] 60",
                     "collection-growth warning timers.js:8:7  Map [41,81,121] 121",
                 }));
  for (const Finding& f : r.findings) {
    if (f.rule != "closure-growth") continue;
    EXPECT_EQ(f.captured, (std::vector<std::string>{"state", "registry"}));
    EXPECT_EQ(f.accumulation_point, "Timeout._onTimeout");
  }
}

// emittery (WeakMap-keyed registry) and eventemitter2 (wildcard listenerTree) order trackers
// (registries.js): 6 orders subscribe per phase, 3 stay open in a Map. Leaking, the 3 others
// never unsubscribe: listener-growth on the library's class with the real event, first. Healthy,
// they unsubscribe: what grows belongs to live orders, at most a note.
std::string FirstListenerFinding(const Report& r) {
  for (const Finding& f : r.findings) {
    if (f.rule.starts_with("listener-")) return Describe(f);
  }
  return "";
}

TEST(Detect, EmitteryAndEventEmitter2LeaksAreListenerGrowthOnTheLibrarysClass) {
  Report emittery = Analyze("registries.js", "emittery leak", 3);
  ASSERT_FALSE(emittery.findings.empty());
  EXPECT_EQ(Describe(emittery.findings[0]),
            "listener-growth error registries.js:62:33 status Emittery [6,12,18] 18");
  EXPECT_NE(emittery.findings[0].message.find("9 of 18"), std::string::npos)
      << emittery.findings[0].message;
  Report ee2 = Analyze("registries.js", "eventemitter2 leak", 3);
  ASSERT_FALSE(ee2.findings.empty());
  EXPECT_EQ(Describe(ee2.findings[0]),
            "listener-growth error registries.js:71:41 order.*.status EventEmitter2 [6,12,18] 18");
  EXPECT_EQ(ee2.findings[0].accumulation_point,
            "EventEmitter2.listenerTree.order.*.status._listeners");
}

TEST(Detect, EmitteryAndEventEmitter2BalancedAreNoListenerWarning) {
  for (const char* library : {"emittery", "eventemitter2"}) {
    SCOPED_TRACE(library);
    Report r = Analyze("registries.js", std::string(library) + " healthy", 3);
    for (const Finding& f : r.findings) {
      if (f.rule.starts_with("listener-")) {
        EXPECT_EQ(f.severity, Severity::kNote) << Describe(f);
      }
    }
    EXPECT_NE(FirstListenerFinding(r), "");  // the growth is seen, and judged live
  }
}

TEST(Detect, MissingSnapshotIsAnError) {
  AnalyzeOptions o;
  o.snapshots = {SourceDir() + "/tests/leaks/no-such.heapsnapshot"};
  Result<Report> r = RunAnalysis(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no-such.heapsnapshot"), std::string::npos);
  EXPECT_FALSE(RunAnalysis(AnalyzeOptions{}).ok());
}

// root -> a -> {c1, c2}; root -> b -> c2; c1 -> x. Members {c1, c2, x}: x is dominated by c1,
// c2 is dominated only by the root. Set size = retained(c1) + retained(c2) = (10+100) + 20.
TEST(SetRetainedSize, SumsMembersNotDominatedByAnotherMember) {
  testing::SnapshotBuilder b;
  NodeIndex a = b.Node(snapshot::NodeType::kObject, "A", 1);
  NodeIndex bb = b.Node(snapshot::NodeType::kObject, "B", 2);
  NodeIndex c1 = b.Node(snapshot::NodeType::kClosure, "c1", 10);
  NodeIndex c2 = b.Node(snapshot::NodeType::kClosure, "c2", 20);
  NodeIndex x = b.Node(snapshot::NodeType::kObject, "X", 100);
  b.Edge(b.root(), a, snapshot::EdgeType::kShortcut, "a");
  b.Edge(b.root(), bb, snapshot::EdgeType::kShortcut, "b");
  b.Edge(a, c1, snapshot::EdgeType::kProperty, "c1");
  b.Edge(a, c2, snapshot::EdgeType::kProperty, "c2");
  b.Edge(bb, c2, snapshot::EdgeType::kProperty, "c2");
  b.Edge(c1, x, snapshot::EdgeType::kProperty, "x");
  snapshot::Snapshot s = b.Build();
  graph::Retainers r = graph::BuildRetainers(s);
  dominators::AnalysisOptions ao;
  ao.reassign_shallow_sizes = false;
  dominators::HeapAnalysis h = dominators::Analyze(s, r, ao);
  ASSERT_EQ(h.retained_size[c1.v], 110u);
  ASSERT_EQ(h.retained_size[c2.v], 20u);
  std::vector<NodeIndex> members = {c1, c2, x, c1};
  EXPECT_EQ(SetRetainedSize(h, members), 130u);
  std::vector<NodeIndex> just_x = {x};
  EXPECT_EQ(SetRetainedSize(h, just_x), 100u);
}

}  // namespace
}  // namespace heapscope::leaks

namespace heapscope::leaks {
namespace {

// A 1,000,000-node dominator chain with 10,000 leaves under its end: the set walks and the
// nesting walks must stay linear (memoised), not 10,000 × 1,000,000 steps.
TEST(SetRetainedSize, MillionNodeChainStaysLinear) {
  constexpr uint32_t kChain = 1000000, kLeaves = 10000;
  testing::SnapshotBuilder b;
  NodeIndex prev = b.root();
  std::vector<NodeIndex> chain;
  chain.reserve(kChain);
  for (uint32_t i = 0; i < kChain; ++i) {
    NodeIndex n = b.Node(snapshot::NodeType::kObject, "Link", 1);
    b.Edge(prev, n,
           prev == b.root() ? snapshot::EdgeType::kShortcut : snapshot::EdgeType::kProperty,
           "next");
    chain.push_back(n);
    prev = n;
  }
  std::vector<NodeIndex> leaves;
  for (uint32_t i = 0; i < kLeaves; ++i) {
    NodeIndex n = b.Node(snapshot::NodeType::kClosure, "leaf", 3);
    b.Indexed(prev, n, snapshot::EdgeType::kElement, i);
    leaves.push_back(n);
  }
  snapshot::Snapshot s = b.Build();
  graph::Retainers r = graph::BuildRetainers(s);
  dominators::AnalysisOptions ao;
  ao.reassign_shallow_sizes = false;
  dominators::HeapAnalysis h = dominators::Analyze(s, r, ao);
  EXPECT_EQ(SetRetainedSize(h, leaves), 3u * kLeaves);
  std::vector<NodeIndex> both = leaves;
  both.push_back(chain[10]);  // dominates every leaf
  EXPECT_EQ(SetRetainedSize(h, both), (kChain - 10) + 3u * kLeaves);

  // Nesting: the leaves' detection sits under the detection owning chain[10].
  std::vector<Detection> d(2);
  d[0].level = Level::kError;
  d[0].objects = {chain[10]};
  d[1].level = Level::kWarning;
  d[1].rule = Rule::kClosureGrowth;
  d[1].objects = leaves;
  AttachRetention(s, h, d);
  EXPECT_EQ(d[0].parent, kNone);
  EXPECT_EQ(d[1].parent, 0u);
  EXPECT_EQ(d[0].retained_size, (kChain - 10) + 3u * kLeaves);
  EXPECT_EQ(d[1].retained_size, 3u * kLeaves);
  EXPECT_EQ(d[1].self_size, 3u * kLeaves);
}

}  // namespace
}  // namespace heapscope::leaks
