// DevTools' Comparison view on snapshot pairs built in code: objects matched by id within each
// class, the base named with the target's interface definitions, class changes, exact rows.
#include "heapscope/snapshot/comparison.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "support/snapshot_builder.h"

namespace heapscope::snapshot {
namespace {

using testing::SnapshotBuilder;

// (name, new, deleted, alloc, freed)
using Row = std::tuple<std::string, uint64_t, uint64_t, uint64_t, uint64_t>;
std::vector<Row> Rows(const ClassComparison& c) {
  std::vector<Row> out;
  for (const ClassDelta& d : c.rows) {
    out.emplace_back(d.key.name, d.new_count, d.deleted_count, d.alloc_size, d.freed_size);
  }
  return out;
}

NodeIndex Plain(SnapshotBuilder& b, uint32_t id, std::initializer_list<const char*> props,
                NodeIndex value) {
  NodeIndex o = b.Node(NodeType::kObject, "Object", 16, id);
  for (const char* p : props) b.Edge(o, value, EdgeType::kProperty, p);
  return o;
}

struct Pair {
  Snapshot base, target;
};

// Base: Orders 11, 13 (one constructor) and 15 (another, same name); plain objects 21, 23, 25
// {x, y} and 51, 53 {p, q}; string 31.
// Target: Order 13 gone, 17 new; 23 gained z; 25 gone, 27 {x, y} and 29 {x, y, z} new; 53 gone
// (so {p, q} is no longer common enough to be an interface); string 33 new.
Pair OrdersAndPlainObjects() {
  Pair p;
  {
    SnapshotBuilder b;
    NodeIndex s = b.Node(NodeType::kString, "s", 8, 31);
    for (uint32_t id : {11u, 13u}) b.Location(b.Node(NodeType::kObject, "Order", 20, id), 1, 2, 3);
    b.Location(b.Node(NodeType::kObject, "Order", 20, 15), 2, 0, 0);
    for (uint32_t id : {21u, 23u, 25u}) Plain(b, id, {"x", "y"}, s);
    for (uint32_t id : {51u, 53u}) Plain(b, id, {"p", "q"}, s);
    p.base = b.Build();
  }
  {
    SnapshotBuilder b;
    NodeIndex s = b.Node(NodeType::kString, "s", 8, 31);
    b.Node(NodeType::kString, "t", 8, 33);
    for (uint32_t id : {11u, 17u}) b.Location(b.Node(NodeType::kObject, "Order", 20, id), 1, 2, 3);
    b.Location(b.Node(NodeType::kObject, "Order", 20, 15), 2, 0, 0);
    Plain(b, 21, {"x", "y"}, s);
    Plain(b, 23, {"x", "y", "z"}, s);
    Plain(b, 27, {"x", "y"}, s);
    Plain(b, 29, {"x", "y", "z"}, s);
    Plain(b, 51, {"p", "q"}, s);
    p.target = b.Build();
  }
  return p;
}

TEST(CompareClasses, MatchesIdsWithinClassesNamedByTheTargetsInterfaces) {
  Pair p = OrdersAndPlainObjects();
  NodeClasses target = ClassifyNodes(p.target);
  ASSERT_EQ(target.interfaces.size(), 2u);  // {x, y} and {x, y, z}, two objects each
  NodeClasses own = ClassifyNodes(p.base);
  ASSERT_EQ(own.interfaces.size(), 2u);     // {x, y} and {p, q}
  NodeClasses base = ClassifyNodes(p.base, {&target.interfaces});
  ClassComparison c = CompareClasses({&p.base, &base}, {&p.target, &target});
  // {x, y, z}: 23 changed class (deleted from {x, y}, new here) and 29 is new. The base's {p, q}
  // objects are plain "Object"s under the target's definitions: 53 is deleted from Object.
  // Size delta descending; {x, y} before Object at -16 by its one new object.
  EXPECT_EQ(Rows(c), (std::vector<Row>{{"{x, y, z}", 2, 0, 32, 0},
                                       {"(string)", 1, 0, 8, 0},
                                       {"Order", 1, 1, 20, 20},
                                       {"{x, y}", 1, 2, 16, 32},
                                       {"Object", 0, 1, 0, 16}}));
  EXPECT_EQ(DevToolsClassKey(c.rows[2].key), "1,2,3,Order");  // the other Order class is equal
  EXPECT_EQ(c.rows[3].count_delta(), -1);
  EXPECT_EQ(c.rows[3].size_delta(), -16);
  EXPECT_EQ(std::tie(c.new_count, c.deleted_count, c.alloc_size, c.freed_size),
            std::make_tuple(uint64_t{5}, uint64_t{4}, uint64_t{76}, uint64_t{68}));
  EXPECT_EQ(c.rows[0].base_class, kNone);  // the base has no {x, y, z} object

  // With the base's own definitions {p, q} would be a class of its own.
  ClassComparison mixed = CompareClasses({&p.base, &own}, {&p.target, &target});
  EXPECT_EQ(std::get<0>(Rows(mixed).back()), "{p, q}");

  std::vector<NodeIndex> fresh =
      NewMembers({&p.base, &base}, {&p.target, &target}, c.rows[0].target_class);
  ASSERT_EQ(fresh.size(), 2u);
  EXPECT_EQ(p.target.NodeId(fresh[0]), 23u);
  EXPECT_EQ(p.target.NodeId(fresh[1]), 29u);
  fresh = NewMembers({&p.base, &base}, {&p.target, &target}, c.rows[2].target_class);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(p.target.NodeId(fresh[0]), 17u);
}

TEST(CompareClasses, ANodeThatBecameDetachedChangesClass) {
  SnapshotBuilder b0, b1;
  b0.Node(NodeType::kNative, "<div id=a>", 30, 61);
  b0.Node(NodeType::kNative, "<div id=b>", 30, 63);
  b1.Node(NodeType::kNative, "<div id=a>", 30, 61, kDomDetached);
  b1.Node(NodeType::kNative, "<div id=b>", 30, 63);
  Snapshot s0 = b0.Build(), s1 = b1.Build();
  NodeClasses c0 = ClassifyNodes(s0), c1 = ClassifyNodes(s1);
  ClassComparison c = CompareClasses({&s0, &c0}, {&s1, &c1});
  EXPECT_EQ(Rows(c), (std::vector<Row>{{"Detached <div>", 1, 0, 30, 0}, {"<div>", 0, 1, 0, 30}}));
}

TEST(CompareClasses, MembersAreNodesOfNonZeroSelfSizeAsGiven) {
  SnapshotBuilder b0, b1;
  b0.Node(NodeType::kHidden, "h", 5, 71);
  b0.Node(NodeType::kHidden, "h", 5, 73);
  b1.Node(NodeType::kHidden, "h", 5, 71);
  b1.Node(NodeType::kHidden, "h", 5, 73);
  b1.Node(NodeType::kHidden, "h", 0, 75);  // size 0: not a member
  Snapshot s0 = b0.Build(), s1 = b1.Build();
  NodeClasses c0 = ClassifyNodes(s0), c1 = ClassifyNodes(s1);
  EXPECT_TRUE(CompareClasses({&s0, &c0}, {&s1, &c1}).rows.empty());
  // Reassigned sizes (as DevTools' would be): 73 moved its size to its owner in the target.
  std::vector<uint64_t> sizes1 = {0, 5, 0, 0};
  ClassComparison c = CompareClasses({&s0, &c0}, {&s1, &c1, &sizes1});
  EXPECT_EQ(Rows(c), (std::vector<Row>{{"(system)", 0, 1, 0, 5}}));
}

}  // namespace
}  // namespace heapscope::snapshot
