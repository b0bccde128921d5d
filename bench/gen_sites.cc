// Writes a synthetic V8 heap snapshot with many closure sites, for bench/bench_sites.sh.
//
//   heapscope_bench_gen_sites --sessions N --sites S --out FILE
//
// N sessions hang off one Array under the GC roots; each session is an Object holding a
// closure, whose context holds the session's data object (so each closure retains something).
// The closures are spread round-robin over S source sites (lines of /app/server.js), so two
// files with the same N and different S have the same nodes, edges and sizes: only the number
// of sites (clusters to size) differs. About 5 nodes and 6 edges per session.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "support/snapshot_builder.h"

using heapscope::NodeIndex;
using heapscope::testing::EdgeType;
using heapscope::testing::NodeType;
using heapscope::testing::SnapshotBuilder;

int main(int argc, char** argv) {
  uint64_t sessions = 0, sites = 0;
  std::string out;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--sessions") sessions = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--sites") sites = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--out") out = argv[i + 1];
  }
  if (sessions == 0 || sites == 0 || sites > sessions || out.empty()) {
    std::fprintf(stderr, "usage: %s --sessions N --sites S (1 <= S <= N) --out FILE\n", argv[0]);
    return 2;
  }
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex script = b.Node(NodeType::kCode, "system / Script", 64);
  NodeIndex script_name = b.Node(NodeType::kString, "/app/server.js", 32);
  b.Edge(script, script_name, EdgeType::kInternal, "name");
  NodeIndex list = b.Node(NodeType::kObject, "Array", 32);
  b.Edge(gc, list, EdgeType::kInternal, "sessions");
  b.Edge(gc, script, EdgeType::kInternal, "script");
  // One SharedFunctionInfo per site, as V8 has.
  std::vector<NodeIndex> shared(sites);
  for (uint64_t s = 0; s < sites; ++s) {
    shared[s] = b.Node(NodeType::kCode, "onMessage", 56);
    b.Edge(shared[s], script, EdgeType::kInternal, "script");
    b.Edge(gc, shared[s], EdgeType::kInternal, "sfi");
  }
  for (uint64_t i = 0; i < sessions; ++i) {
    NodeIndex session = b.Node(NodeType::kObject, "Session", 48);
    NodeIndex fn = b.Node(NodeType::kClosure, "onMessage", 32);
    NodeIndex ctx = b.Node(NodeType::kObject, "system / Context", 40);
    NodeIndex data = b.Node(NodeType::kObject, "Object", 120);
    NodeIndex text = b.Node(NodeType::kString, "payload", 200);
    b.Element(list, session, static_cast<uint32_t>(i));
    b.Edge(session, fn, EdgeType::kProperty, "handler");
    b.Edge(fn, shared[i % sites], EdgeType::kInternal, "shared");
    b.Edge(fn, ctx, EdgeType::kInternal, "context");
    b.Edge(ctx, data, EdgeType::kContext, "state");
    b.Edge(data, text, EdgeType::kProperty, "body");
    b.Location(fn, 1, static_cast<uint32_t>(i % sites), 20, script);
  }
  std::ofstream f(out, std::ios::binary);
  f << b.ToJson();
  if (!f) {
    std::fprintf(stderr, "%s: cannot write %s\n", argv[0], out.c_str());
    return 2;
  }
  return 0;
}
