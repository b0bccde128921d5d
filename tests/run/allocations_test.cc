// Allocation stacks of findings (src/run/allocations.cc) over a tracked series built in code:
// which snapshot's stack an object gets, and how objects are grouped by stack.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/sites.h"
#include "heapscope/run.h"
#include "run/run_internal.h"
#include "support/snapshot_builder.h"

namespace heapscope::run_internal {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using testing::SnapshotBuilder;

// One tracked snapshot of a session: `listeners` closures under the GC roots (V8 ids 101, 103,
// …), the trace tree handler (presence.handler.js:13) <- emit, and Socket (node:net:359).
// `traced[i]` is listener i's trace_node_id: 2 = the handler's stack, 3 = Socket's, 0 = none.
struct Series {
  static constexpr uint32_t kHandler = 2, kSocket = 3;
  // `other_tree`: another session's tree, where 2 is Socket's stack and 3 the handler's.
  static snapshot::Snapshot Snapshot(const std::vector<uint32_t>& traced, bool other_tree = false) {
    SnapshotBuilder b;
    NodeIndex gc = b.GcRoots();
    uint32_t emit = b.TraceFunction("emit", "node:events", 7, 517, 28);
    uint32_t handler = b.TraceFunction("", "/srv/app/presence.handler.js", 41, 13, 27);
    uint32_t socket = b.TraceFunction("Socket", "node:net", 9, 359, 16);
    if (other_tree) {
      b.TraceNode(0, socket, 1, 64);
      b.TraceNode(0, handler, traced.size(), 64 * traced.size());
    } else {
      uint32_t top = b.TraceNode(0, emit, 0, 0);
      EXPECT_EQ(b.TraceNode(top, handler, traced.size(), 64 * traced.size()), kHandler);
      EXPECT_EQ(b.TraceNode(0, socket, 1, 64), kSocket);
    }
    for (uint32_t i = 0; i < traced.size(); ++i) {
      NodeIndex fn = b.Node(NodeType::kClosure, "", 64, 101 + 2 * i);
      b.Edge(gc, fn, EdgeType::kInternal, "l" + std::to_string(i));
      b.Traced(fn, traced[i]);
    }
    return b.Build();
  }
};

report::Finding Stacks(const std::vector<snapshot::Snapshot>& series) {
  AllocationSources all;
  for (size_t i = 0; i < series.size(); ++i)
    all.sources.push_back(AllocationSource::From(series[i], i, i + 1 < series.size()));
  LastSnapshot last;
  last.snap = series.back();
  AnalyzeOptions options;
  options.source_root = "/srv/app";
  leaks::SiteTable table;
  Context c{options, table, last, nullptr, &all, nullptr};
  leaks::Detection d;
  for (uint32_t n = 0; n < last.snap.node_count(); ++n) {
    if (last.snap.Type(NodeIndex(n)) == NodeType::kClosure) d.objects.push_back(NodeIndex(n));
  }
  report::Finding f;
  AttachAllocationStacks(c, d, f);
  return f;
}

std::string Top(const report::AllocationStack& s) {
  return s.frames.empty() ? "" : s.frames[0].file + ":" + std::to_string(s.frames[0].line);
}

TEST(AllocationStacks, EachObjectTakesTheStackOfTheFirstSnapshotThatKnewIt) {
  using S = Series;
  // 4 listeners per snapshot. V8 keeps a stack until the next snapshot only (the older
  // listeners have none in the third), and gives two old listeners, moved since, the stack
  // of what was allocated where they now are: Socket's.
  std::vector<snapshot::Snapshot> series = {
      S::Snapshot({S::kHandler, S::kHandler, S::kHandler, S::kHandler}),
      S::Snapshot({0, 0, 0, 0, S::kHandler, S::kHandler, S::kHandler, S::kHandler}),
      S::Snapshot({S::kSocket, S::kSocket, 0, 0, 0, 0, 0, 0, S::kHandler, S::kHandler,
                   S::kHandler, S::kHandler})};
  report::Finding f = Stacks(series);
  EXPECT_EQ(f.allocated_at_objects, 12u);
  ASSERT_EQ(f.allocated_at.size(), 1u);
  EXPECT_EQ(f.allocated_at[0].count, 12u);
  EXPECT_EQ(f.allocated_at[0].self_size, 12u * 64);
  EXPECT_EQ(Top(f.allocated_at[0]), "presence.handler.js:13");
  ASSERT_EQ(f.allocated_at[0].frames.size(), 2u);
  EXPECT_EQ(f.allocated_at[0].frames[1].function, "emit");
  // The counts are the last tracked snapshot's, the tree that saw every allocation.
  EXPECT_EQ(f.allocated_at[0].allocations, 12u);
}

TEST(AllocationStacks, AStackOnlyALaterSnapshotGivesIsKept) {
  using S = Series;
  // Listener 0 has no stack in the first snapshot (made before tracking began, say); the
  // second's is all there is.
  std::vector<snapshot::Snapshot> series = {S::Snapshot({0, S::kHandler}),
                                            S::Snapshot({S::kSocket, 0, S::kHandler})};
  report::Finding f = Stacks(series);
  EXPECT_EQ(f.allocated_at_objects, 3u);
  ASSERT_EQ(f.allocated_at.size(), 2u);
  EXPECT_EQ(f.allocated_at[0].count, 2u);
  EXPECT_EQ(Top(f.allocated_at[0]), "presence.handler.js:13");
  EXPECT_EQ(f.allocated_at[1].count, 1u);
  EXPECT_EQ(Top(f.allocated_at[1]), "node:net:359");
}

TEST(AllocationStacks, AnEarlierSnapshotWithoutStacksIsReadByIdNotByNode) {
  using S = Series;
  // The first tracked snapshot gives no object a stack: its (empty) id table must not be
  // mistaken for the last snapshot's by-node table.
  std::vector<snapshot::Snapshot> series = {S::Snapshot({0, 0}, /*other_tree=*/true),
                                            S::Snapshot({0, 0, S::kHandler})};
  report::Finding f = Stacks(series);
  EXPECT_EQ(f.allocated_at_objects, 1u);
  ASSERT_EQ(f.allocated_at.size(), 1u);
  EXPECT_EQ(f.allocated_at[0].count, 1u);
  EXPECT_EQ(Top(f.allocated_at[0]), "presence.handler.js:13");
}

}  // namespace
}  // namespace heapscope::run_internal
