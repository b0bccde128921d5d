// The pure parts of `heapscope capture`: target choice from /json/list bodies, endpoints,
// durations and sizes, file names, and the fit check.
#include <gtest/gtest.h>

#include "capture/devtools_client.h"
#include "heapscope/capture/capture.h"

namespace heapscope::capture {
namespace {

// What Node 20 answers on /json/list (one target).
constexpr char kNodeList[] = R"([ {
  "description": "node.js instance",
  "devtoolsFrontendUrl": "devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=127.0.0.1:41235/2f5c",
  "faviconUrl": "https://nodejs.org/static/images/favicons/favicon.ico",
  "id": "2f5c",
  "title": "shared/server.js",
  "type": "node",
  "url": "file:///srv/presence/shared/server.js",
  "webSocketDebuggerUrl": "ws://127.0.0.1:41235/2f5c"
} ])";

// Chromium: two pages, a service worker, and a page another debugger is attached to (no URL).
constexpr char kChromeList[] = R"([
  {"id":"A1","type":"page","title":"Board — heapscope test","url":"http://127.0.0.1:8080/board",
   "webSocketDebuggerUrl":"ws://127.0.0.1:9222/devtools/page/A1"},
  {"id":"B2","type":"page","title":"about:blank","url":"about:blank",
   "webSocketDebuggerUrl":"ws://127.0.0.1:9222/devtools/page/B2"},
  {"id":"C3","type":"service_worker","title":"sw.js","url":"http://127.0.0.1:8080/sw.js",
   "webSocketDebuggerUrl":"ws://127.0.0.1:9222/devtools/page/C3"},
  {"id":"D4","type":"page","title":"Settings","url":"http://127.0.0.1:8080/settings"}
])";

TEST(TargetListTest, NodeSingleTargetIsChosenWithoutFilter) {
  Result<std::vector<Target>> list = ParseTargetList(kNodeList, "list");
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->size(), 1u);
  Result<Target> t = SelectTarget(*list, "", "");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->id, "2f5c");
  EXPECT_EQ(t->type, "node");
  EXPECT_EQ(t->title, "shared/server.js");
  EXPECT_EQ(t->url, "file:///srv/presence/shared/server.js");
  EXPECT_EQ(t->ws_url, "ws://127.0.0.1:41235/2f5c");
}

TEST(TargetListTest, ChromiumNeedsAFilterAndTheFilterPicksOne) {
  Result<std::vector<Target>> list = ParseTargetList(kChromeList, "list");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  Result<Target> none = SelectTarget(*list, "", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message().substr(0, 64),
            "3 targets match; choose one with --target-url or --target-title:");
  EXPECT_EQ(SelectTarget(*list, "/board", "")->id, "A1");
  EXPECT_EQ(SelectTarget(*list, "", "heapscope test")->id, "A1");
  EXPECT_EQ(SelectTarget(*list, "sw.js", "")->id, "C3");  // an explicit filter may pick a worker
  EXPECT_EQ(SelectTarget(*list, "127.0.0.1:8080/b", "Board")->id, "A1");
}

TEST(TargetListTest, NoMatchAndAttachedTargetAreClearErrors) {
  std::vector<Target> list = *ParseTargetList(kChromeList, "list");
  Result<Target> miss = SelectTarget(list, "checkout", "");
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.status().message().substr(0, 70),
            "no target matches --target-url 'checkout'; the inspector lists:\n  page");
  Result<Target> attached = SelectTarget(list, "/settings", "");
  ASSERT_FALSE(attached.ok());
  EXPECT_EQ(attached.status().message(),
            "target \"Settings\" (http://127.0.0.1:8080/settings) has no WebSocket URL: another "
            "debugger (DevTools?) is attached; close it and retry");
  EXPECT_FALSE(SelectTarget({}, "", "").ok());
}

TEST(TargetListTest, BadBodiesNameTheSourceAndOffset) {
  Result<std::vector<Target>> bad = ParseTargetList("[{\"id\": }]", "http://127.0.0.1:9229/json/list");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().substr(0, 40), "http://127.0.0.1:9229/json/list: byte 8:");
  Result<std::vector<Target>> obj = ParseTargetList("{}", "L");
  ASSERT_FALSE(obj.ok());
  EXPECT_EQ(obj.status().message(), "L: byte 0: expected a JSON array of targets");
}

TEST(TargetListTest, DeepNestingIsReadWithoutRecursion) {
  // A million nested arrays: a recursive parse overflows the stack long before the end.
  const size_t depth = 1'000'000;
  Result<std::vector<Target>> deep =
      ParseTargetList(std::string(depth, '[') + std::string(depth, ']'), "L");
  ASSERT_TRUE(deep.ok()) << deep.status().message();
  EXPECT_TRUE(deep->empty());  // no element is a target object
}

TEST(EndpointTest, LoopbackOnlyUnlessAllowed) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.256"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.example.com"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.5"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));

  Result<Endpoint> ep = ParseEndpoint("127.0.0.1:9229", false);
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 9229);
  Result<Endpoint> v6 = ParseEndpoint("[::1]:9222", false);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9222);
  Result<Endpoint> remote = ParseEndpoint("10.0.0.5:9229", false);
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.status().message().substr(0, 38), "'10.0.0.5' is not a loopback address; ");
  EXPECT_TRUE(ParseEndpoint("10.0.0.5:9229", true).ok());
  EXPECT_FALSE(ParseEndpoint("127.0.0.1", false).ok());
  EXPECT_FALSE(ParseEndpoint("127.0.0.1:0", false).ok());
  EXPECT_FALSE(ParseEndpoint("127.0.0.1:70000", false).ok());
}

TEST(EndpointTest, WebSocketUrls) {
  Result<internal::WsUrl> u = internal::ParseWsUrl("ws://127.0.0.1:9222/devtools/page/A1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 9222);
  EXPECT_EQ(u->path, "/devtools/page/A1");
  EXPECT_FALSE(internal::ParseWsUrl("wss://127.0.0.1:9222/x").ok());
  EXPECT_FALSE(internal::ParseWsUrl("ws://127.0.0.1/x").ok());
}

TEST(PlanTest, DurationsAndSizes) {
  EXPECT_EQ(*ParseDuration("60s"), 60);
  EXPECT_EQ(*ParseDuration("60"), 60);
  EXPECT_EQ(*ParseDuration("2m"), 120);
  EXPECT_EQ(*ParseDuration("500ms"), 0.5);
  EXPECT_EQ(*ParseDuration("1h"), 3600);
  EXPECT_FALSE(ParseDuration("soon").ok());
  EXPECT_FALSE(ParseDuration("5d").ok());
  EXPECT_FALSE(ParseDuration("-1s").ok());
  EXPECT_EQ(*ParseByteSize("4096"), 4096u);
  EXPECT_EQ(*ParseByteSize("64K"), 65536u);
  EXPECT_EQ(*ParseByteSize("512M"), 536870912u);
  EXPECT_EQ(*ParseByteSize("2G"), 2147483648u);
  EXPECT_EQ(*ParseByteSize("1.5GiB"), 1610612736u);
  EXPECT_FALSE(ParseByteSize("12 parsecs").ok());
}

TEST(PlanTest, LabelsAndFileNames) {
  EXPECT_EQ(SnapshotLabels(1), (std::vector<std::string>{"snapshot"}));
  EXPECT_EQ(SnapshotLabels(2), (std::vector<std::string>{"baseline", "final"}));
  EXPECT_EQ(SnapshotLabels(3), (std::vector<std::string>{"baseline", "target", "final"}));
  EXPECT_EQ(SnapshotLabels(5), (std::vector<std::string>{"baseline", "target-1", "target-2",
                                                         "target-3", "final"}));
  EXPECT_EQ(SnapshotFileName(1, 3, "baseline", true), "01-baseline.heapsnapshot.gz");
  EXPECT_EQ(SnapshotFileName(3, 3, "final", false), "03-final.heapsnapshot");
  EXPECT_EQ(SnapshotFileName(7, 120, "target-6", true), "007-target-6.heapsnapshot.gz");
}

TEST(FitTest, RefusesWhenMemoryOrDiskIsShort) {
  FitInput in;
  in.heap_used = 100'000'000;
  in.memory_available = 100'000'000;
  in.memory_source = "--max-memory";
  in.disk_available = 50'000'000;
  in.gzip = true;
  EXPECT_EQ(MemoryNeeded(100'000'000), 100'000'000u);
  EXPECT_EQ(DiskNeeded(100'000'000, true), 50'000'000u);
  EXPECT_EQ(DiskNeeded(100'000'000, false), 250'000'000u);
  EXPECT_TRUE(CheckFit(in).ok());  // exactly enough of both

  in.memory_available = 60'000'000;
  Status mem = CheckFit(in);
  ASSERT_FALSE(mem.ok());
  EXPECT_EQ(mem.message(),
            "refusing to take the snapshot: the target's heap holds 100.00 MB and V8 needs about "
            "that much again while it writes a snapshot, but only 60.00 MB of memory is "
            "available (--max-memory); a snapshot now could get the process killed for lack of "
            "memory. Free memory, raise the limit, or capture when the heap is smaller "
            "(docs/capture.md, \"Capturing in production\")");

  in.memory_available = 1'000'000'000;
  in.gzip = false;
  Status disk = CheckFit(in);
  ASSERT_FALSE(disk.ok());
  EXPECT_EQ(disk.message(),
            "refusing to take the snapshot: it is expected to need up to 250.00 MB on disk (plain "
            "JSON; gzip needs about a fifth), but the output folder's file system has 50.00 MB "
            "free; choose another --out");
}

}  // namespace
}  // namespace heapscope::capture
