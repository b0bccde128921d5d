// Duplicated strings (snapshot/strings.h) on snapshots built in code: which nodes are candidates,
// cons strings' values (parts, flattened ones, the 1,024-unit prefix in UTF-16 units, cycles),
// V8's truncated strings grouped by length and hash, sizes and wasted bytes, order.
#include "heapscope/snapshot/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/snapshot_builder.h"

namespace heapscope::snapshot {
namespace {

using testing::SnapshotBuilder;

std::vector<StringGroup> Groups(const Snapshot& s) { return DuplicateStrings(s, s.self_size); }

std::vector<uint32_t> Ids(const Snapshot& s, const StringGroup& g) {
  std::vector<uint32_t> out;
  for (NodeIndex n : g.nodes) out.push_back(static_cast<uint32_t>(s.NodeId(n)));
  return out;
}

NodeIndex Cons(SnapshotBuilder& b, NodeIndex first, NodeIndex second, uint32_t id = 0) {
  NodeIndex c = b.Node(NodeType::kConsString, "", 32, id);
  b.Edge(c, first, EdgeType::kInternal, "first");
  b.Edge(c, second, EdgeType::kInternal, "second");
  return c;
}

TEST(DuplicateStrings, PlainStringsWithSizeAreGroupedByValue) {
  SnapshotBuilder b;
  b.Node(NodeType::kString, "a", 16, 11);
  b.Node(NodeType::kString, "b", 16, 13);
  b.Node(NodeType::kString, "a", 24, 15);
  b.Node(NodeType::kString, "a", 0, 17);         // V8's value-carrying string: no size, skipped
  b.Node(NodeType::kSlicedString, "a", 20, 19);  // sliced strings are not candidates
  b.Node(NodeType::kObject, "a", 20, 21);
  b.Node(NodeType::kString, "a", 16, 23);
  const Snapshot s = b.Build();
  const std::vector<StringGroup> g = Groups(s);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].value, "a");
  EXPECT_FALSE(g[0].truncated);
  EXPECT_EQ(Ids(s, g[0]), (std::vector<uint32_t>{11, 15, 23}));
  EXPECT_EQ(g[0].self_size, 56u);
  EXPECT_EQ(g[0].largest_self_size, 24u);
  EXPECT_EQ(g[0].wasted(), 32u);
}

TEST(DuplicateStrings, TheCallersSizesDecideCandidates) {
  SnapshotBuilder b;
  b.Node(NodeType::kString, "a", 16, 11);
  b.Node(NodeType::kString, "a", 16, 13);
  b.Node(NodeType::kString, "a", 16, 15);
  const Snapshot s = b.Build();
  std::vector<uint64_t> sizes = {0, 16, 0, 40};  // node 2 (id 13) given to another by reassignment
  const std::vector<StringGroup> g = DuplicateStrings(s, sizes);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(Ids(s, g[0]), (std::vector<uint32_t>{11, 15}));
  EXPECT_EQ(g[0].self_size, 56u);
  EXPECT_EQ(g[0].wasted(), 16u);
}

TEST(DuplicateStrings, ConsStringsAreTheirPartsAndFlattenedOnesAreSkipped) {
  SnapshotBuilder b;
  NodeIndex hello = b.Node(NodeType::kString, "hello ", 20, 11);
  NodeIndex world = b.Node(NodeType::kString, "world", 20, 13);
  NodeIndex empty = b.Node(NodeType::kString, "", 0, 15);
  b.Node(NodeType::kString, "hello world", 28, 17);
  NodeIndex c1 = Cons(b, hello, world, 19);                           // "hello world"
  Cons(b, empty, b.Node(NodeType::kString, "hello world", 28, 21), 23);  // flat: skipped
  Cons(b, c1, world, 25);                                             // "hello worldworld"
  Cons(b, c1, world, 27);
  NodeIndex lone = b.Node(NodeType::kConsString, "", 32, 29);         // no second part: node 0
  b.Edge(lone, world, EdgeType::kInternal, "first");
  b.Node(NodeType::kString, "world", 20, 31);
  const Snapshot s = b.Build();
  EXPECT_EQ(ConsStringValue(s, c1), "hello world");
  EXPECT_EQ(ConsStringValue(s, lone), "world");  // the root's name is ""
  const std::vector<StringGroup> g = Groups(s);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].value, "world");
  EXPECT_EQ(Ids(s, g[0]), (std::vector<uint32_t>{13, 29, 31}));
  EXPECT_EQ(g[1].value, "hello world");
  EXPECT_EQ(Ids(s, g[1]), (std::vector<uint32_t>{17, 19, 21}));
  EXPECT_EQ(g[1].self_size, 88u);
  EXPECT_EQ(g[1].wasted(), 56u);
  EXPECT_EQ(g[2].value, "hello worldworld");
  EXPECT_EQ(Ids(s, g[2]), (std::vector<uint32_t>{25, 27}));
}

// A cons value stops once it has 1,024 UTF-16 units, whole parts at a time: two cons strings
// that differ only past that point are one value. Units, not bytes: 400 'é' are 800 bytes.
TEST(DuplicateStrings, ConsValuesArePrefixesOf1024Utf16Units) {
  SnapshotBuilder b;
  const std::string a600(600, 'a');
  std::string e400;
  for (int i = 0; i < 400; ++i) e400 += "\xc3\xa9";
  NodeIndex pa = b.Node(NodeType::kString, a600, 616, 11);
  NodeIndex pe = b.Node(NodeType::kString, e400, 816, 13);
  NodeIndex x = b.Node(NodeType::kString, "x", 16, 15);
  NodeIndex y = b.Node(NodeType::kString, "y", 16, 17);
  // 600 + 600 units: the third part is never read.
  NodeIndex ax = Cons(b, Cons(b, pa, pa), x, 21);
  NodeIndex ay = Cons(b, Cons(b, pa, pa), y, 23);
  // 400 + 400 units (1,600 bytes): the third part is read, so these differ.
  NodeIndex ex = Cons(b, Cons(b, pe, pe), x, 25);
  NodeIndex ey = Cons(b, Cons(b, pe, pe), y, 27);
  const Snapshot s = b.Build();
  EXPECT_EQ(ConsStringValue(s, ax), a600 + a600);
  EXPECT_EQ(ConsStringValue(s, ay), a600 + a600);
  EXPECT_EQ(ConsStringValue(s, ex), e400 + e400 + "x");
  EXPECT_EQ(ConsStringValue(s, ey), e400 + e400 + "y");
  const std::vector<StringGroup> g = Groups(s);
  ASSERT_EQ(g.size(), 2u);  // ax, ay and their inner (a a) conses; the two inner (é é) conses
  EXPECT_EQ(g[0].value, a600 + a600);
  EXPECT_EQ(g[0].nodes.size(), 4u);
  EXPECT_EQ(g[0].self_size, 128u);
  EXPECT_EQ(g[1].value, e400 + e400);
  EXPECT_EQ(g[1].nodes.size(), 2u);
}

// A damaged file where a cons string is its own first part: the walk ends (DevTools' never
// does), with the empty value, so the string counts as flattened.
TEST(DuplicateStrings, ConsCyclesEnd) {
  SnapshotBuilder b;
  NodeIndex c = b.Node(NodeType::kConsString, "", 32, 11);
  NodeIndex d = b.Node(NodeType::kConsString, "", 32, 13);
  b.Edge(c, c, EdgeType::kInternal, "first");
  b.Edge(c, b.Node(NodeType::kString, "ab", 16, 15), EdgeType::kInternal, "second");
  b.Edge(d, d, EdgeType::kInternal, "first");
  b.Edge(d, b.Node(NodeType::kString, "ab", 16, 17), EdgeType::kInternal, "second");
  const Snapshot s = b.Build();
  EXPECT_EQ(ConsStringValue(s, c), "");
  const std::vector<StringGroup> g = Groups(s);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].value, "ab");
  EXPECT_EQ(Ids(s, g[0]), (std::vector<uint32_t>{15, 17}));
}

// V8 writes long strings truncated, with internal edges to number nodes holding the real
// length and hash: equal values are duplicates only with equal length and hash.
TEST(DuplicateStrings, TruncatedStringsAreGroupedWithLengthAndHash) {
  SnapshotBuilder b;
  auto number = [&](const char* type, const char* value) {
    NodeIndex n = b.Node(NodeType::kNumber, type, 0);
    b.Edge(n, b.Node(NodeType::kString, value, 0), EdgeType::kInternal, "value");
    return n;
  };
  NodeIndex yes = number("bool", "true");
  NodeIndex no = number("bool", "false");
  auto truncated = [&](uint32_t id, NodeIndex flag, const char* length, const char* hash) {
    NodeIndex s = b.Node(NodeType::kString, "cut", 96, id);
    b.Edge(s, flag, EdgeType::kInternal, "truncated");
    b.Edge(s, number("int", length), EdgeType::kInternal, "length");
    b.Edge(s, number("int", hash), EdgeType::kInternal, "hash");
  };
  truncated(101, yes, "5000", "77");
  truncated(103, yes, "5000", "78");
  truncated(105, yes, "5000", "77");
  truncated(107, yes, " 5000px", "78");  // parseInt: spaces, then digits up to the first other
  truncated(109, no, "5000", "77");      // not truncated: grouped by value alone
  b.Node(NodeType::kString, "cut", 40, 111);
  const Snapshot s = b.Build();
  const std::vector<StringGroup> g = Groups(s);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_FALSE(g[0].truncated);
  EXPECT_EQ(Ids(s, g[0]), (std::vector<uint32_t>{109, 111}));
  EXPECT_EQ(g[0].wasted(), 40u);
  EXPECT_TRUE(g[1].truncated);
  EXPECT_EQ(g[1].length, 5000);
  EXPECT_EQ(g[1].hash, 77);
  EXPECT_EQ(Ids(s, g[1]), (std::vector<uint32_t>{101, 105}));
  EXPECT_TRUE(g[2].truncated);
  EXPECT_EQ(g[2].hash, 78);
  EXPECT_EQ(Ids(s, g[2]), (std::vector<uint32_t>{103, 107}));
}

}  // namespace
}  // namespace heapscope::snapshot
