// Library listener shapes and owner liveness signals on snapshots written at test time by the
// real packages (tests/leaks/programs/libraries.js, node_events.js, liveness.js; versions pinned
// in tests/leaks/package.json). Layouts: docs/listener-shapes.md.
#include "heapscope/leaks/shapes.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/owners.h"
#include "leaks/leaks_test_util.h"

namespace heapscope::leaks {
namespace {

using testing::EndsWith;
using testing::Load;
using testing::RunProgram;

struct Scanned {
  snapshot::Snapshot snap;
  SiteTable table;
  SnapshotFacts facts;
};

void Scan(const std::string& path, Scanned& s) {
  s.snap = Load(path);
  s.facts = ScanSnapshot(s.snap, s.table);
}

std::string Function(const SourceSite& s) {
  return s.function.empty() ? "(anonymous)" : s.function;
}

// "event emitter-class shape line function [once] of N" -> listeners, for listeners whose site
// is in `program`; Node's own helpers (events.on/once) are keyed by "node:events function".
std::map<std::string, int> Groups(const Scanned& s, const std::string& program) {
  std::map<std::string, int> out;
  for (const ListenerFact& f : s.facts.listeners) {
    if (!f.site.valid()) continue;
    const SourceSite& site = s.table.Get(f.site);
    std::string where;
    if (EndsWith(site.file, "/tests/leaks/programs/" + program)) {
      where = std::to_string(site.line + 1);
    } else if (site.file == "node:events" &&
               (f.shape == ListenerShape::kEventsOn || f.shape == ListenerShape::kEventsOnce)) {
      where = "node:events";
    } else {
      continue;
    }
    ++out[s.table.Name(f.event) + " " + s.table.Name(f.emitter_class) + " " +
          ListenerShapeName(f.shape) + " " + where + " " + Function(site) +
          (f.once ? " once" : "") + " of " + std::to_string(f.holder_listeners)];
  }
  return out;
}

TEST(LibraryShapes, ListenersOfEveryLibraryFromRealPackages) {
  Scanned s;
  Scan(RunProgram("libraries.js") + "/libraries.heapsnapshot", s);
  std::map<std::string, int> expected = {
      {"data Feed eventemitter3 26 (anonymous) of 7", 7},
      {"end Feed eventemitter3 28 onEnd once of 1", 1},
      {"error Feed eventemitter3 29 onError of 1", 1},
      {"messages Room RxJS Subject 34 (anonymous) of 6", 5},
      {"messages Room RxJS Subject 36 onNext of 6", 1},
      {"tick Object mitt 41 (anonymous) of 4", 4},
      {"* Object mitt 43 onAny of 1", 1},
      {"update Object nanoevents 48 (anonymous) of 3", 3},
      {"job E tiny-emitter 54 (anonymous) of 6", 6},
      {"stop E tiny-emitter 56 onStop once of 1", 1},
      {"state Room RxJS BehaviorSubject 59 onState of 1", 1},
  };
  EXPECT_EQ(Groups(s, "libraries.js"), expected);
}

// The per-registration record of each library, and the owner it carries (eventemitter3's
// `context`, tiny-emitter's `ctx`) or its closure captures (`client`).
TEST(LibraryShapes, RegistrationRecordsAndCapturedOwners) {
  Scanned s;
  Scan(RunProgram("libraries.js") + "/libraries.heapsnapshot", s);
  std::map<std::string, int> got;
  for (const ListenerFact& f : s.facts.listeners) {
    if (!f.site.valid() || !EndsWith(s.table.Get(f.site).file, "/programs/libraries.js")) continue;
    std::string key = std::string(ListenerShapeName(f.shape)) + " " +
                      std::to_string(s.table.Get(f.site).line + 1) + " record " +
                      (f.registration == f.closure ? std::string("(the function)")
                                                   : std::string(s.snap.NodeName(f.registration)));
    for (uint32_t o = f.owners_begin; o < f.owners_end; ++o) {
      const OwnerFact& owner = s.facts.owners[o];
      key += std::string(" | ") + OwnerViaName(owner.via) + " " + s.table.Name(owner.name) + ": " +
             s.table.Name(owner.owner_class) + (owner.listeners == 1 ? " (own)" : "");
    }
    ++got[key];
  }
  // eventemitter3 line 26: the EE's `context` is the Client the closure also captures: one
  // owner, found first through the record.
  std::map<std::string, int> expected = {
      {"eventemitter3 26 record EE | registration context: Client (own)", 7},
      {"eventemitter3 28 record EE", 1},
      {"eventemitter3 29 record EE", 1},
      {"RxJS Subject 34 record SafeSubscriber | context client: Client (own)", 5},
      {"RxJS Subject 36 record SafeSubscriber", 1},
      {"mitt 41 record (the function) | context client: Client (own)", 4},
      {"mitt 43 record (the function)", 1},
      {"nanoevents 48 record (the function) | context client: Client (own)", 3},
      {"tiny-emitter 54 record Object | registration ctx: Client (own)", 6},
      {"tiny-emitter 56 record Object", 1},
      {"RxJS BehaviorSubject 59 record SafeSubscriber", 1},
  };
  EXPECT_EQ(got, expected);
}

// Listener stores outside the emitter's own properties (tests/leaks/programs/registries.js):
// emittery's module-level WeakMaps keyed by the emitter, and eventemitter2's `_events`,
// wildcard `listenerTree` (the event is the dotted path) and `_all`.
TEST(LibraryShapes, WeakMapRegistriesAndEventEmitter2Trees) {
  Scanned s;
  Scan(RunProgram("registries.js") + "/registries.heapsnapshot", s);
  std::map<std::string, int> expected = {
      {"message Room WeakMap registry 26 (anonymous) of 3", 3},
      {"join Room WeakMap registry 28 onPresence of 1", 1},
      {"leave Room WeakMap registry 28 onPresence of 1", 1},
      {"(any) Room WeakMap registry 29 onAnyRoom of 1", 1},
      {"tick Emittery WeakMap registry 31 onTick of 1", 1},
      {"order.*.created OrderBus EventEmitter2 wildcard 36 (anonymous) of 4", 4},
      {"order.placed OrderBus EventEmitter2 wildcard 38 onPlaced of 1", 1},
      {"order.done OrderBus EventEmitter2 wildcard 39 onDone once of 1", 1},
      {"shutdown OrderBus EventEmitter2 wildcard 40 onShutdown of 1", 1},
      {"(any) OrderBus EventEmitter2 onAny 41 onAnyOrder of 1", 1},
      {"data EventEmitter2 EventEmitter2 45 (anonymous) of 2", 2},
      {"jobs/+/done EventEmitter2 EventEmitter2 wildcard 48 onJobDone of 1", 1},
  };
  EXPECT_EQ(Groups(s, "registries.js"), expected);
  // eventemitter2's `_events` is its own shape, not Node's; once() wrappers are the
  // per-registration record.
  for (const ListenerFact& f : s.facts.listeners) {
    EXPECT_NE(s.table.Name(f.emitter_class), "EventEmitter") << s.table.Name(f.event);
    if (f.once) {
      EXPECT_EQ(s.snap.NodeName(f.registration), "listener");
    }
  }
}

TEST(LibraryShapes, RemovalVocabulary) {
  auto remove = [](ListenerShape s) { return ShapeRemoveCall(s, "emitter", "e", "fn", true); };
  auto point = [](ListenerShape s) { return ShapeAccumulationPoint(s, "Feed", "data"); };
  EXPECT_EQ(remove(ListenerShape::kEventEmitter3), "emitter.off('e', fn) (removeListener)");
  EXPECT_EQ(point(ListenerShape::kEventEmitter3), "Feed._events.data");
  EXPECT_EQ(remove(ListenerShape::kRxSubject),
            "subscription.unsubscribe() (subscription = emitter.e.subscribe(fn))");
  EXPECT_EQ(point(ListenerShape::kRxSubject), "Feed.data.observers");
  EXPECT_EQ(point(ListenerShape::kRxBehaviorSubject), "Feed.data.observers");
  EXPECT_EQ(remove(ListenerShape::kMitt), "emitter.off('e', fn)");
  EXPECT_EQ(point(ListenerShape::kMitt), "Feed.all.get('data')");
  EXPECT_EQ(remove(ListenerShape::kNanoEvents), "unbind() (unbind = emitter.on('e', fn))");
  EXPECT_EQ(point(ListenerShape::kNanoEvents), "Feed.events.data");
  EXPECT_EQ(remove(ListenerShape::kTinyEmitter), "emitter.off('e', fn)");
  EXPECT_EQ(point(ListenerShape::kTinyEmitter), "Feed.e.data");
  EXPECT_EQ(remove(ListenerShape::kEventsOn),
            "iterator.return() (iterator = events.on(emitter, 'e'), fn) (an AbortSignal passed "
            "as { signal })");
  EXPECT_EQ(point(ListenerShape::kWeakMapRegistry), "WeakMap(key Feed) → data");
  EXPECT_EQ(remove(ListenerShape::kWeakMapRegistry),
            "the function emitter.on('e', fn) returned, or emitter.off('e', fn)");
  EXPECT_EQ(point(ListenerShape::kEventEmitter2Tree), "Feed.listenerTree.data._listeners");
  EXPECT_EQ(point(ListenerShape::kEventEmitter2), "Feed._events.data");
  EXPECT_EQ(point(ListenerShape::kEventEmitter2Any), "Feed._all");
  EXPECT_EQ(remove(ListenerShape::kEventEmitter2Any), "emitter.offAny(fn)");
  EXPECT_EQ(remove(ListenerShape::kEventsOnce),
            "emitter.emit('e') or an AbortSignal (events.once(emitter, 'e', { signal }), fn)");
}

TEST(NodeShapes, AliasesOnceWrappersBoundMethodsAndHelpers) {
  Scanned s;
  Scan(RunProgram("node_events.js") + "/node_events.heapsnapshot", s);
  std::map<std::string, int> expected = {
      // addListener(…, this.onMessage.bind(this)) on line 15: one bound function per
      // Connection, reported at the bound method's site (line 17).
      {"message Bus EventEmitter 17 onMessage of 10", 8},
      {"message Bus EventEmitter 27 first of 10", 1},
      {"message Bus EventEmitter 28 firstOnce once of 10", 1},
      {"ready Bus EventEmitter 29 onReady once of 1", 1},
      // events.on(): one registration per iterator, its handler for the event; the error
      // handler it adds on 'error' is the same registration's companion, not listed again.
      {"job Bus events.on node:events (anonymous) of 3", 3},
      // events.once(): the resolver in a once wrapper; its error listener is its companion.
      {"drain Bus events.once node:events resolver once of 4", 4},
      {"ping EventTarget EventTarget 37 onPingOnce of 1", 1},
  };
  EXPECT_EQ(Groups(s, "node_events.js"), expected);
}

// this.onMessage.bind(this): each registration is its own native_bind (distinct ids, the
// survivor identity), reported at the shared method's site with the bound Connection as owner.
TEST(NodeShapes, BoundMethodsCountPerRegistration) {
  Scanned s;
  Scan(RunProgram("node_events.js") + "/node_events.heapsnapshot", s);
  std::set<uint32_t> registrations, closures;
  int bound = 0;
  for (const ListenerFact& f : s.facts.listeners) {
    if (!f.bound.valid()) continue;
    ++bound;
    EXPECT_EQ(Function(s.table.Get(f.site)), "onMessage");
    EXPECT_EQ(s.snap.NodeName(f.registration), "native_bind");
    EXPECT_EQ(f.registration, f.bound);
    registrations.insert(f.registration_id);
    closures.insert(f.closure_id);
    ASSERT_EQ(f.owners_end - f.owners_begin, 1u);
    const OwnerFact& owner = s.facts.owners[f.owners_begin];
    EXPECT_EQ(owner.via, OwnerVia::kBoundThis);
    EXPECT_EQ(s.table.Name(owner.owner_class), "Connection");
    EXPECT_EQ(owner.listeners, 1u);
  }
  EXPECT_EQ(bound, 8);
  EXPECT_EQ(registrations.size(), 8u);
  EXPECT_EQ(closures.size(), 1u);  // one shared prototype method
}

// "event line verdict evidence" -> listeners, for the hub's listeners in liveness.js.
std::map<std::string, int> Verdicts(const Scanned& s) {
  std::map<std::string, int> out;
  for (const ListenerFact& f : s.facts.listeners) {
    if (!f.site.valid() || !EndsWith(s.table.Get(f.site).file, "/programs/liveness.js")) continue;
    if (s.table.Name(f.emitter_class) != "EventEmitter") continue;  // the hub
    ++out[s.table.Name(f.event) + " " + std::to_string(s.table.Get(f.site).line + 1) + " " +
          LivenessName(f.liveness) + " " + f.liveness_evidence];
  }
  return out;
}

// Verdicts that read only Oddballs, the same with and without numeric values.
const std::map<std::string, int> kFlagVerdicts = {
    {"io 29 dead connected: false", 2},  {"io 29 live connected: true", 1},
    {"http 76 dead complete: true", 1},  {"http 76 dead aborted: true", 1},
    {"http 76 live complete: false", 1}, {"signal 109 dead aborted", 2},
    {"signal 109 live not aborted", 1},
};

TEST(OwnerLiveness, SignalsOfClosedAndOpenOwners) {
  Scanned s;
  Scan(RunProgram("liveness.js") + "/liveness.heapsnapshot", s);
  std::map<std::string, int> expected = kFlagVerdicts;
  expected.insert({{"ws 47 dead _socket closed", 2},
                   {"ws 47 live _socket open", 1},
                   {"net 63 dead handle closed", 2},
                   {"net 63 live handle open", 1}});
  EXPECT_EQ(Verdicts(s), expected);
}

// With numeric values exposed, ws's readyState and the streams' state bits are readable.
TEST(OwnerLiveness, NumericValuesGiveReadyStateAndStreamState) {
  Scanned s;
  Scan(RunProgram("liveness.js", "numeric") + "/liveness-numeric.heapsnapshot", s);
  std::map<std::string, int> expected = kFlagVerdicts;
  expected.insert({{"ws 47 dead readyState 3", 2},
                   {"ws 47 live readyState 1", 1},
                   {"net 63 dead destroyed", 2},
                   {"net 63 live handle open", 1}});
  EXPECT_EQ(Verdicts(s), expected);
}

// The group view the judgement reads: "2 of 3 captured owners are closed (connected: false)".
TEST(OwnerLiveness, GroupSummary) {
  Scanned s;
  Scan(RunProgram("liveness.js") + "/liveness.heapsnapshot", s);
  std::map<std::string, std::vector<const ListenerFact*>> groups;
  for (const ListenerFact& f : s.facts.listeners) {
    if (!f.site.valid() || !EndsWith(s.table.Get(f.site).file, "/programs/liveness.js")) continue;
    if (s.table.Name(f.emitter_class) != "EventEmitter") continue;
    groups[s.table.Name(f.event)].push_back(&f);
  }
  std::map<std::string, std::string> got;
  for (const auto& [event, facts] : groups) {
    GroupOwners g = SummarizeOwners(s.facts, facts);
    got[event] = std::to_string(g.dead) + " dead, " + std::to_string(g.live) + " live, " +
                 std::to_string(g.unknown) + " unknown; " + std::to_string(g.evidence_count) + " " +
                 g.evidence + " (" + s.table.Name(g.owner_class) + ")";
  }
  std::map<std::string, std::string> expected = {
      {"http", "2 dead, 1 live, 0 unknown; 1 aborted: true (IncomingMessage)"},
      {"io", "2 dead, 1 live, 0 unknown; 2 connected: false (Socket)"},
      {"net", "2 dead, 1 live, 0 unknown; 2 handle closed (Socket)"},
      {"signal", "2 dead, 1 live, 0 unknown; 2 aborted (EventTarget)"},
      {"ws", "2 dead, 1 live, 0 unknown; 2 _socket closed (WebSocket)"},
  };
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace heapscope::leaks
