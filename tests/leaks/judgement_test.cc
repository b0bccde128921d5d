// The judgement on hand-built snapshots (docs/rules.md, "Ownership and liveness"): the
// ownership test, owner liveness flags, nesting by dominance, WeakRef counting, accumulation
// over a series, and collection sites.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/sites.h"
#include "support/snapshot_builder.h"

namespace heapscope::leaks {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using testing::SnapshotBuilder;

dominators::HeapAnalysis Analyze(const snapshot::Snapshot& s) {
  graph::Retainers r = graph::BuildRetainers(s);
  dominators::AnalysisOptions ao;
  ao.reassign_shallow_sizes = false;
  return dominators::Analyze(s, r, ao);
}

// A hub emitter under the GC roots holding `n` listeners in `_events.tick`; listener i's
// context captures `owners[i]`. Returns the detection of the group (objects, holders).
struct Hub {
  SnapshotBuilder b;
  NodeIndex gc, array;
  std::vector<NodeIndex> listeners, owners;
};

void AddListeners(Hub& h, uint32_t n, NodeIndex owner_holder,
                  std::string_view owner_class = "Client") {
  SnapshotBuilder& b = h.b;
  for (uint32_t i = 0; i < n; ++i) {
    NodeIndex fn = b.Node(NodeType::kClosure, "onTick", 10);
    NodeIndex ctx = b.Node(NodeType::kObject, "system / Context", 10);
    NodeIndex owner = b.Node(NodeType::kObject, owner_class, 100);
    b.Element(h.array, fn, static_cast<uint32_t>(h.listeners.size()));
    b.Edge(fn, ctx, EdgeType::kInternal, "context");
    b.Edge(ctx, owner, EdgeType::kContext, "client");
    if (owner_holder.valid()) b.Element(owner_holder, owner, i);
    h.listeners.push_back(fn);
    h.owners.push_back(owner);
  }
}

void MakeHub(Hub& h) {
  h.gc = h.b.GcRoots();
  NodeIndex hub = h.b.Node(NodeType::kObject, "EventEmitter", 20);
  NodeIndex events = h.b.Node(NodeType::kObject, "Object", 20);
  h.array = h.b.Node(NodeType::kObject, "Array", 20);
  h.b.Edge(h.gc, hub, EdgeType::kInternal, "hub");
  h.b.Edge(hub, events, EdgeType::kProperty, "_events");
  h.b.Edge(events, h.array, EdgeType::kProperty, "tick");
}

Detection GroupOf(const Hub& h) {
  Detection d;
  d.rule = Rule::kListenerGrowth;
  d.level = Level::kError;
  d.event = 0;
  d.objects = h.listeners;
  d.holders.assign(h.listeners.size(), h.array);
  d.representative = h.listeners.front();
  return d;
}

TEST(Ownership, StateReachableOnlyThroughTheListenersIsLeaked) {
  Hub h;
  MakeHub(h);
  AddListeners(h, 12, kNoNode);  // nothing else reaches the clients
  snapshot::Snapshot s = h.b.Build();
  dominators::HeapAnalysis a = Analyze(s);
  std::vector<Detection> d = {GroupOf(h)};
  JudgeOwnership(s, a, LeakOptions{}, d);
  EXPECT_TRUE(d[0].judged);
  EXPECT_EQ(d[0].judged_total, 12u);
  EXPECT_EQ(d[0].owned, 12u);
  EXPECT_EQ(d[0].dead_owners, 0u);
  EXPECT_EQ(d[0].live, 0u);
  EXPECT_EQ(d[0].level, Level::kError);
  EXPECT_EQ(d[0].objects.size(), 12u);
}

TEST(Ownership, GrowthWithLiveOwnersIsANote) {
  Hub h;
  MakeHub(h);
  NodeIndex clients = h.b.Node(NodeType::kObject, "Array", 20);  // the server's live clients
  h.b.Edge(h.gc, clients, EdgeType::kInternal, "clients");
  AddListeners(h, 12, clients);
  snapshot::Snapshot s = h.b.Build();
  dominators::HeapAnalysis a = Analyze(s);
  std::vector<Detection> d = {GroupOf(h)};
  JudgeOwnership(s, a, LeakOptions{}, d);
  EXPECT_EQ(d[0].owned, 0u);
  EXPECT_EQ(d[0].live, 12u);
  EXPECT_EQ(d[0].level, Level::kNote);
}

TEST(Ownership, TheLeakedPartOfAMixedGroupFiresAndClosedOwnersCountAsDead) {
  Hub h;
  MakeHub(h);
  NodeIndex clients = h.b.Node(NodeType::kObject, "Array", 20);
  h.b.Edge(h.gc, clients, EdgeType::kInternal, "clients");
  // net.Sockets: open (a TCP handle) and reachable; only through the listeners; reachable but
  // closed (the handle is null).
  AddListeners(h, 4, clients, "Socket");
  AddListeners(h, 6, kNoNode);
  AddListeners(h, 7, clients, "Socket");
  NodeIndex null_text = h.b.Node(NodeType::kString, "null");
  for (size_t i = 10; i < 17; ++i) {
    NodeIndex odd = h.b.Node(NodeType::kHidden, "system / Oddball");
    h.b.Indexed(odd, null_text, EdgeType::kHidden, 0);
    h.b.Edge(h.owners[i], odd, EdgeType::kProperty, "_handle");
  }
  for (size_t i = 0; i < 4; ++i) {
    NodeIndex tcp = h.b.Node(NodeType::kObject, "TCP", 10);
    h.b.Edge(h.owners[i], tcp, EdgeType::kProperty, "_handle");
  }
  snapshot::Snapshot s = h.b.Build();
  dominators::HeapAnalysis a = Analyze(s);
  std::vector<Detection> d = {GroupOf(h)};
  JudgeOwnership(s, a, LeakOptions{}, d);
  EXPECT_EQ(d[0].judged_total, 17u);
  EXPECT_EQ(d[0].live, 4u);
  EXPECT_EQ(d[0].owned, 6u);
  EXPECT_EQ(d[0].dead_owners, 7u);
  EXPECT_STREQ(d[0].dead_signal, "handle closed");
  EXPECT_EQ(d[0].owner_class, "Socket");
  EXPECT_EQ(d[0].level, Level::kError);
  ASSERT_EQ(d[0].objects.size(), 13u);  // only the leaked registrations
  EXPECT_EQ(d[0].objects.front(), h.listeners[4]);
}

TEST(Ownership, ABoundFunctionIsJudgedByItsBoundThis) {
  Hub h;
  MakeHub(h);
  NodeIndex method = h.b.Node(NodeType::kClosure, "onConfig", 10);  // shared prototype method
  h.b.Edge(h.gc, method, EdgeType::kInternal, "proto");
  for (uint32_t i = 0; i < 8; ++i) {
    NodeIndex bound = h.b.Node(NodeType::kClosure, "native_bind", 10);
    NodeIndex worker = h.b.Node(NodeType::kObject, "Worker", 50);
    h.b.Element(h.array, bound, i);
    h.b.Edge(bound, method, EdgeType::kInternal, "bound_function");
    h.b.Edge(bound, worker, EdgeType::kInternal, "bound_this");
    h.listeners.push_back(bound);
  }
  snapshot::Snapshot s = h.b.Build();
  dominators::HeapAnalysis a = Analyze(s);
  std::vector<Detection> d = {GroupOf(h)};
  JudgeOwnership(s, a, LeakOptions{}, d);
  EXPECT_EQ(d[0].owned, 8u);
  EXPECT_EQ(d[0].live, 0u);
  EXPECT_EQ(d[0].level, Level::kError);
}

// A per-connection timer's closure (a warning) keeps the dead sockets whose own listeners (an
// error) grow: the timer is the root cause, the listeners nest under it.
TEST(Nesting, TheDominatingCauseIsTheParentWhateverItsSeverity) {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex timers = b.Node(NodeType::kObject, "TimersList", 10);
  b.Edge(gc, timers, EdgeType::kInternal, "timers");
  std::vector<NodeIndex> ticks, listeners;
  for (uint32_t i = 0; i < 10; ++i) {
    NodeIndex tick = b.Node(NodeType::kClosure, "tick", 10);
    NodeIndex socket = b.Node(NodeType::kObject, "Socket", 200);
    NodeIndex onData = b.Node(NodeType::kClosure, "onData", 10);
    b.Element(timers, tick, i);
    b.Edge(tick, socket, EdgeType::kContext, "socket");
    b.Edge(socket, onData, EdgeType::kProperty, "data");
    ticks.push_back(tick);
    listeners.push_back(onData);
  }
  snapshot::Snapshot s = b.Build();
  dominators::HeapAnalysis a = Analyze(s);
  std::vector<Detection> d(2);
  d[0].rule = Rule::kListenerGrowth;
  d[0].level = Level::kError;
  d[0].objects = listeners;
  d[1].rule = Rule::kClosureGrowth;
  d[1].level = Level::kWarning;
  d[1].objects = ticks;
  AttachRetention(s, a, d);
  EXPECT_EQ(d[1].parent, kNone);
  EXPECT_EQ(d[0].parent, 1u);
  EXPECT_EQ(d[1].retained_size, 10u * (10 + 200 + 10));
  EXPECT_EQ(d[0].retained_size, 10u * 10);
}

TEST(Nesting, ANoteIsNoParent) {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex holder = b.Node(NodeType::kObject, "Array", 10);
  b.Edge(gc, holder, EdgeType::kInternal, "live");
  std::vector<NodeIndex> outer, inner;
  for (uint32_t i = 0; i < 6; ++i) {
    NodeIndex o = b.Node(NodeType::kClosure, "outer", 10);
    NodeIndex x = b.Node(NodeType::kClosure, "inner", 10);
    b.Element(holder, o, i);
    b.Edge(o, x, EdgeType::kProperty, "x");
    outer.push_back(o);
    inner.push_back(x);
  }
  snapshot::Snapshot s = b.Build();
  dominators::HeapAnalysis a = Analyze(s);
  std::vector<Detection> d(2);
  d[0].level = Level::kNote;
  d[0].objects = outer;
  d[1].level = Level::kWarning;
  d[1].rule = Rule::kClosureGrowth;
  d[1].objects = inner;
  AttachRetention(s, a, d);
  EXPECT_EQ(d[1].parent, kNone);
}

// A Set of WeakRefs: 3 whose targets live, 5 whose targets were collected (cleanup lags).
TEST(Collections, WeakRefsToDeadTargetsAreNotEntries) {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex set = b.Node(NodeType::kObject, "Set", 10);
  NodeIndex table = b.Node(NodeType::kArray, "(object elements)", 10);
  NodeIndex undef = b.Node(NodeType::kHidden, "system / Oddball", 0);
  b.Edge(gc, set, EdgeType::kInternal, "refs");
  b.Edge(set, table, EdgeType::kInternal, "table");
  for (uint32_t i = 0; i < 8; ++i) {
    NodeIndex ref = b.Node(NodeType::kObject, "WeakRef", 10);
    b.Indexed(table, ref, EdgeType::kElement, i);
    if (i < 3) {
      NodeIndex target = b.Node(NodeType::kObject, "Socket", 10);
      b.Edge(gc, target, EdgeType::kInternal, "socket");
      b.Edge(ref, target, EdgeType::kWeak, "target");
    } else {
      b.Edge(ref, undef, EdgeType::kWeak, "target");
    }
  }
  NodeIndex plain = b.Node(NodeType::kObject, "Object", 10);
  b.Indexed(table, plain, EdgeType::kElement, 8);
  snapshot::Snapshot s = b.Build();
  SiteTable t;
  SnapshotFacts f = ScanSnapshot(s, t);
  ASSERT_EQ(f.collections.size(), 1u);
  EXPECT_EQ(f.collections[0].size, 4u);  // 3 live WeakRefs and the plain object
}

// Listener facts of one site on one emitter, `counts[s]` in snapshot s.
std::vector<SnapshotFacts> Series(SiteTable& t, const std::vector<uint32_t>& counts,
                                  bool warned) {
  SiteId site = t.Intern("/srv/app.js", 11, 2, "");
  uint32_t event = t.InternName("request"), cls = t.InternName("EventEmitter");
  std::vector<SnapshotFacts> series;
  uint32_t id = 1001;
  for (uint32_t n : counts) {
    SnapshotFacts f;
    f.max_node_id = id;
    for (uint32_t i = 0; i < n; ++i) {
      ListenerFact l;
      l.emitter_id = 7;
      l.closure_id = 11 + 2 * i;  // the same functions in every snapshot: wired once
      l.emitter = NodeIndex(1);
      l.closure = l.registration = NodeIndex(2 + i);
      l.holder = NodeIndex(1000);
      l.emitter_class = cls;
      l.event = event;
      l.site = site;
      l.warned = warned;
      l.holder_listeners = n;
      f.listeners.push_back(l);
    }
    series.push_back(std::move(f));
    id += 1000;
  }
  return series;
}

TEST(Accumulation, AFlatSeriesIsNoAccumulation) {
  SiteTable t;
  EXPECT_TRUE(Detect(Series(t, {14, 14, 14}, false), t, LeakOptions{}).empty());
}

TEST(Accumulation, OneSnapshotOrNodesWarningStillFires) {
  SiteTable t;
  std::vector<Detection> one = Detect(Series(t, {14}, false), t, LeakOptions{});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].rule, Rule::kListenerAccumulation);
  EXPECT_EQ(one[0].max_per_emitter, 14u);
  std::vector<Detection> warned = Detect(Series(t, {14, 14, 14}, true), t, LeakOptions{});
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].rule, Rule::kListenerAccumulation);
  EXPECT_TRUE(warned[0].warned);
}

// `const sessions = new Map()` at line 7 (1-based) of the module, held by the module's context.
TEST(Collections, ACollectionsSiteIsWhereItsOwningVariableIsDeclared) {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex fn = b.Node(NodeType::kClosure, "login", 10);
  NodeIndex shared = b.Node(NodeType::kCode, "login", 10);
  NodeIndex script = b.Node(NodeType::kCode, "system / Script", 10);
  NodeIndex name = b.Node(NodeType::kString, "/home/ci/app/cache.js");
  NodeIndex source = b.Node(NodeType::kString,
                            "'use strict';\n\n// the sessions\n\nconst x = 1;\n\n"
                            "const sessions = new Map();\nfunction login() {}\n");
  NodeIndex ctx = b.Node(NodeType::kObject, "system / Context", 10);
  NodeIndex map = b.Node(NodeType::kObject, "Map", 10);
  b.Edge(gc, fn, EdgeType::kInternal, "login");
  b.Edge(fn, shared, EdgeType::kInternal, "shared");
  b.Edge(shared, script, EdgeType::kInternal, "script");
  b.Edge(script, name, EdgeType::kInternal, "name");
  b.Edge(script, source, EdgeType::kInternal, "source");
  b.Edge(fn, ctx, EdgeType::kInternal, "context");
  b.Edge(ctx, map, EdgeType::kContext, "sessions");
  snapshot::Snapshot s = b.Build();
  graph::Retainers r = graph::BuildRetainers(s);
  SourceSite site;
  ASSERT_TRUE(CollectionOwnerSite(s, r, map, site));
  EXPECT_EQ(site.file, "/home/ci/app/cache.js");
  EXPECT_EQ(site.line, 6u);    // 0-based
  EXPECT_EQ(site.column, 6u);  // 0-based, at the name
  EXPECT_EQ(site.function, "sessions");
  EXPECT_EQ(DisplayPath("/home/ci/app/node_modules/engine.io/build/server.js", "/srv/other"),
            "node_modules/engine.io/build/server.js");
}

}  // namespace
}  // namespace heapscope::leaks
