// Listener discovery on snapshots written by real code (tests/leaks/programs/shapes.js).
#include "heapscope/leaks/listeners.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/sites.h"
#include "leaks/leaks_test_util.h"

namespace heapscope::leaks {
namespace {

using testing::EndsWith;
using testing::Load;
using testing::RunProgram;

// "event emitter-class shape line(1-based) function" -> listeners, for listeners defined in
// shapes.js.
std::map<std::string, int> ShapesListeners(const snapshot::Snapshot& snap) {
  LocationIndex loc(snap);
  SiteTable table;
  std::map<std::string, int> out;
  for (const Listener& l : FindListeners(snap)) {
    SiteId site = loc.Resolve(l.closure, table);
    if (!site.valid() || !EndsWith(table.Get(site).file, "/tests/leaks/programs/shapes.js"))
      continue;
    const SourceSite& s = table.Get(site);
    std::string key = std::string(l.event) + " " + std::string(snap.NodeName(l.emitter)) + " " +
                      ListenerShapeName(l.shape) + (l.once ? ".once" : "") + " " + std::to_string(s.line + 1) + " " +
                      (s.function.empty() ? "(anonymous)" : s.function) +
                      (l.warned ? " warned" : "") + " of " + std::to_string(l.holder_listeners);
    ++out[key];
  }
  return out;
}

TEST(Listeners, EveryShapeFromRealCode) {
  std::string dir = RunProgram("shapes.js");
  snapshot::Snapshot snap = Load(dir + "/shapes.heapsnapshot");
  std::map<std::string, int> expected = {
      {"tick Ticker EventEmitter 14 (anonymous) warned of 12", 12},
      {"done Ticker EventEmitter.once 16 onDone of 1", 1},
      {"single Ticker EventEmitter 17 onSingle of 1", 1},
      {"ping EventTarget EventTarget 20 onPing of 2", 1},
      {"ping EventTarget EventTarget 21 onPing2 of 2", 1},
      // Node creates signals as `new EventTarget()` re-prototyped to AbortSignal: V8 names the
      // object after the constructor that made it.
      {"abort EventTarget EventTarget 23 onAbort of 1", 1},
      {"connect Emitter component-emitter 26 onConnect of 2", 1},
      {"connect Emitter component-emitter 27 onConnect2 of 2", 1},
      {"close Emitter component-emitter.once 28 onClose of 1", 1},
  };
  EXPECT_EQ(ShapesListeners(snap), expected);
}

TEST(Sites, ColumnsScriptNamesAndCapturedVariables) {
  std::string dir = RunProgram("shapes.js");
  snapshot::Snapshot snap = Load(dir + "/shapes.heapsnapshot");
  LocationIndex loc(snap);
  SiteTable table;
  int seen = 0;
  for (const Listener& l : FindListeners(snap)) {
    if (l.event != "tick") continue;
    SiteId site = loc.Resolve(l.closure, table);
    ASSERT_TRUE(site.valid());
    const SourceSite& s = table.Get(site);
    EXPECT_EQ(s.file, testing::SourceDir() + "/tests/leaks/programs/shapes.js");
    EXPECT_EQ(s.line, 13u);    // 0-based: line 14
    EXPECT_EQ(s.column, 20u);  // 0-based: the arrow's "(" in "  ticker.on('tick', () =>"
    EXPECT_EQ(CapturedVariables(snap, l.closure), std::vector<std::string>{"owner"});
    ++seen;
  }
  EXPECT_EQ(seen, 12);
  EXPECT_EQ(table.size(), 1u);  // twelve closures, one interned site
}

TEST(Sites, DisplayPathStripsRootAndFileUrls) {
  EXPECT_EQ(DisplayPath("/srv/app/src/a.js", "/srv/app"), "src/a.js");
  EXPECT_EQ(DisplayPath("/srv/app/src/a.js", "/srv/app/"), "src/a.js");
  EXPECT_EQ(DisplayPath("file:///srv/app/src/a.mjs", "/srv/app"), "src/a.mjs");
  EXPECT_EQ(DisplayPath("file:///srv/app/src/a.mjs", ""), "/srv/app/src/a.mjs");
  EXPECT_EQ(DisplayPath("/srv/application/a.js", "/srv/app"), "/srv/application/a.js");
  EXPECT_EQ(DisplayPath("node:events", "/srv/app"), "node:events");
}

// A dump taken on another machine names that machine's folders: the longest tail of the path
// that exists under the local root is shown.
TEST(Sites, DisplayPathMapsForeignPathsOntoTheLocalTree) {
  std::string root = heapscope::testing::ScratchDir();
  std::filesystem::create_directories(root + "/leaky/src");
  std::filesystem::create_directories(root + "/src");
  heapscope::testing::WriteFile(root + "/leaky/src/a.js", "");
  heapscope::testing::WriteFile(root + "/src/a.js", "");
  EXPECT_EQ(DisplayPath("/prod/app/leaky/src/a.js", root), "leaky/src/a.js");
  EXPECT_EQ(DisplayPath("file:///prod/app/src/a.js", root), "src/a.js");
  EXPECT_EQ(DisplayPath("/prod/app/lib/b.js", root), "/prod/app/lib/b.js");  // no such file
  EXPECT_EQ(DisplayPath("/prod/app/leaky/src/a.js", ""), "/prod/app/leaky/src/a.js");
}

// A suspended frame's parameters are named from its function's source, at the position V8
// writes for the function (its parameter list's '(' or an arrow's single parameter).
TEST(Sites, FormalParametersAreReadAtTheFunctionsPosition) {
  using V = std::vector<std::string>;
  const std::string src =
      "const x = 1;\n"
      "async function consume(emitter, { id }, opts = ')', ...rest) {}\n"
      "const f = async (a, /* b, */ c,) => a;\n"
      "const g = y => y;\n";
  EXPECT_EQ(FormalParameters(src, 1, 22), (V{"emitter", "", "opts", "rest"}));
  EXPECT_EQ(FormalParameters(src, 2, 16), (V{"a", "c"}));
  EXPECT_EQ(FormalParameters(src, 3, 10), (V{"y"}));
  EXPECT_EQ(FormalParameters(src, 0, 8), std::nullopt);     // "=": not a function's position
  EXPECT_EQ(FormalParameters("f(a, b", 0, 1), std::nullopt);  // a source cut short
  EXPECT_EQ(FormalParameters(src, 9, 0), std::nullopt);     // past the end
}

}  // namespace
}  // namespace heapscope::leaks

namespace heapscope::leaks {
namespace {

bool HaveChromium() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

// A Chrome renderer snapshot of tests/leaks/programs/dom/page.html, taken at test time over the
// DevTools protocol: DOM listeners reached through blink::EventTargetData, event names read
// from the registering call in listeners.js.
TEST(Listeners, ChromeDomListeners) {
  if (!HaveChromium()) GTEST_SKIP() << "chromium not installed";
  std::string dir = RunProgram("dom/snapshot.js");
  snapshot::Snapshot snap = Load(dir + "/dom.heapsnapshot");
  SiteTable table;
  SnapshotFacts facts = ScanSnapshot(snap, table);
  std::map<std::string, int> got;
  for (const ListenerFact& f : facts.listeners) {
    if (!f.site.valid() || !EndsWith(table.Get(f.site).file, "/programs/dom/listeners.js"))
      continue;
    const SourceSite& s = table.Get(f.site);
    EXPECT_EQ(f.shape, ListenerShape::kDomListener);
    ++got[table.Name(f.event) + " " + table.Name(f.emitter_class) + " " +
          std::to_string(s.line + 1) + ":" + std::to_string(s.column + 1) + " " +
          (s.function.empty() ? "(anonymous)" : s.function)];
  }
  std::map<std::string, int> expected = {
      {"pointermove <div> 6:41 (anonymous)", 12},
      // V8 places a function at its parameter list: "onSave(" -> column 74.
      {"click <button> 8:74 onSave", 1},
      {"resize Window / file:// 9:52 onResize", 1},
  };
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace heapscope::leaks
