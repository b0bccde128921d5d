// Heap snapshots other tools wrote (tests/regress/corpus/, sources in its README): each loads,
// or is refused with exit 2, exactly as its README says.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "heapscope/snapshot/parse.h"
#include "support/test_paths.h"

namespace heapscope {
namespace {

using snapshot::NodeType;
using snapshot::ParseSnapshotFile;
using snapshot::Snapshot;

std::string Corpus(const std::string& name) {
  return testing::SourceDir() + "/tests/regress/corpus/" + name + ".heapsnapshot.gz";
}

TEST(Corpus, RecentNodeAndChromeSnapshotsLoadWithoutDamage) {
  for (const char* name :
       {"dinfuehr-closures", "dinfuehr-globals", "dinfuehr-heap-1", "dinfuehr-heap-2",
        "dinfuehr-heap-3", "dinfuehr-primitives", "dinfuehr-weakrefs", "yhor1e-test"}) {
    Result<Snapshot> s = ParseSnapshotFile(Corpus(name));
    ASSERT_TRUE(s.ok()) << name << ": " << s.status().message();
    EXPECT_EQ(s->node_count(), s->header_node_count) << name;
    EXPECT_EQ(s->edge_count(), s->header_edge_count) << name;
    EXPECT_TRUE(s->diagnostics.NonZero().empty()) << name;
    EXPECT_TRUE(s->node_id_wide.empty()) << name;  // V8 ids keep the 32-bit column
  }
}

TEST(Corpus, UndeclaredSymbolTypeIndexIsNamedAndCounted) {
  // A 2017 Chrome: 13 nodes use type index 12 (`symbol`), which meta.node_types omits.
  Result<Snapshot> s = ParseSnapshotFile(Corpus("stefanpenner-small"));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->diagnostics.undeclared_node_types, 1u);
  ASSERT_EQ(s->meta.node_type_names.size(), 13u);
  EXPECT_EQ(s->meta.node_type_names[12], "(unknown type 12)");
  uint32_t unknown = 0;
  for (NodeType t : s->node_type) unknown += t == NodeType::kUnknown;
  EXPECT_EQ(unknown, 13u);
}

TEST(Corpus, JuliaAddressesAreKeptAsExact64BitIds) {
  Result<Snapshot> s = ParseSnapshotFile(Corpus("julia-tiny"));
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->node_count(), 7u);
  ASSERT_EQ(s->node_id_wide.size(), 7u);
  EXPECT_EQ(s->NodeId(NodeIndex(1)), 4454006800u);
  EXPECT_EQ(s->NodeId(NodeIndex(6)), 4455022608u);
  // The header says 0 edges; the nodes' edge_count values say 6, which is what DevTools walks;
  // the array's 3 further edges belong to no node.
  EXPECT_EQ(s->edge_count(), 6u);
  EXPECT_EQ(s->header_edge_count, 0u);
  EXPECT_EQ(s->diagnostics.header_edge_count_mismatch, 1u);
  EXPECT_EQ(s->diagnostics.edges_beyond_last_node, 3u);

  Result<Snapshot> repl = ParseSnapshotFile(Corpus("julia-empty-repl"));
  ASSERT_TRUE(repl.ok()) << repl.status().message();
  EXPECT_FALSE(repl->node_id_wide.empty());
  EXPECT_EQ(repl->diagnostics.duplicate_node_ids, 0u);

  // The CLI prints them exactly.
  testing::CommandResult r = testing::Run(fmt::format(
      "'{}' retained '{}' --format json", testing::HeapscopeBinary(), Corpus("julia-tiny")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"id\":4454006800,\"name\":\"Task\""), std::string::npos) << r.out;
}

TEST(Corpus, InconsistentHandWrittenFileIsRefused) {
  // The header says 5 nodes, the array holds 3 (DevTools refuses it too).
  const std::string path = Corpus("gemini-cli-test");
  testing::CommandResult r =
      testing::Run(fmt::format("'{}' summary '{}'", testing::HeapscopeBinary(), path));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("heapscope: {}: field 'nodes': byte 422: truncated or "
                               "inconsistent: the header says 5 nodes, the array holds 3\n",
                               path));
}

}  // namespace
}  // namespace heapscope
