// DevTools' detachedness propagation, on snapshots built in code, each expectation worked out by
// hand from DevTools' rules (classes.h).
#include "heapscope/snapshot/classes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/snapshot_builder.h"

namespace heapscope::snapshot {
namespace {

using testing::SnapshotBuilder;

TEST(PropagateDetachedness, AttachedFirstThenDetachedNativeOnlyNotOverHiddenOrWeak) {
  SnapshotBuilder b;
  // 1 doc (attached in the file) reaches 3 div and, through 3, 4 text.
  NodeIndex doc = b.Node(NodeType::kNative, "HTMLDocument", 10, 0, kDomAttached);
  // 2 a detached <div> (file) reaches 3 (attached wins: attached nodes spread first), 5 span,
  // 6 (hidden edge: no), 7 (weak edge: no), 8 (a JS object: the spread stops there).
  NodeIndex ddiv = b.Node(NodeType::kNative, "<div id=b>", 10, 0, kDomDetached);
  NodeIndex div = b.Node(NodeType::kNative, "<div id=a>", 10);
  NodeIndex text = b.Node(NodeType::kNative, "Text", 10);
  NodeIndex span = b.Node(NodeType::kNative, "<span>", 10);
  NodeIndex hidden_child = b.Node(NodeType::kNative, "<em>", 10);
  NodeIndex weak_child = b.Node(NodeType::kNative, "<i>", 10);
  NodeIndex js = b.Node(NodeType::kObject, "Holder", 10);
  NodeIndex behind_js = b.Node(NodeType::kNative, "<p>", 10);      // 9: only through JS
  NodeIndex deep = b.Node(NodeType::kNative, "<b>", 10);           // 10: span's child
  NodeIndex js_detached = b.Node(NodeType::kObject, "Obj", 10, 0, kDomDetached);  // 11
  NodeIndex after_js = b.Node(NodeType::kNative, "<u>", 10);       // 12: only from 11
  NodeIndex doc_child = b.Node(NodeType::kNative, "<li>", 10);     // 13: doc and ddiv
  b.Element(b.root(), doc, 1);
  b.Element(b.root(), ddiv, 2);
  b.Edge(ddiv, div, EdgeType::kInternal, "x");
  b.Edge(ddiv, span, EdgeType::kProperty, "child");
  b.Indexed(ddiv, hidden_child, EdgeType::kHidden, 0);
  b.Edge(ddiv, weak_child, EdgeType::kWeak, "w");
  b.Edge(ddiv, js, EdgeType::kInternal, "wrapper");
  b.Edge(ddiv, doc_child, EdgeType::kInternal, "y");
  b.Edge(doc, div, EdgeType::kInternal, "body");
  b.Edge(doc, doc_child, EdgeType::kInternal, "li");
  b.Edge(div, text, EdgeType::kInternal, "t");
  b.Edge(js, behind_js, EdgeType::kInternal, "n");
  b.Element(span, deep, 0);
  b.Edge(js_detached, after_js, EdgeType::kInternal, "n");
  Snapshot s = b.Build();
  std::vector<uint8_t> st = PropagateDetachedness(s);
  const std::vector<uint8_t> want = {
      0,             // root
      kDomAttached,  // doc
      kDomDetached,  // ddiv
      kDomAttached,  // div: reached from both, attached first
      kDomAttached,  // text
      kDomDetached,  // span
      0,             // hidden edge
      0,             // weak edge
      0,             // JS object: not given a state
      0,             // behind JS
      kDomDetached,  // deep
      kDomDetached,  // a JS object's own file state stays, but does not spread
      0,             // after it
      kDomAttached,  // doc_child
  };
  EXPECT_EQ(st, want);
  EXPECT_TRUE(HasDetachedPrefix(s, st, ddiv));
  EXPECT_TRUE(HasDetachedPrefix(s, st, deep));
  EXPECT_FALSE(HasDetachedPrefix(s, st, js_detached));  // only native nodes are renamed
  EXPECT_FALSE(HasDetachedPrefix(s, st, div));
  EXPECT_EQ(DisplayName(s, st, span), "Detached <span>");
  EXPECT_EQ(DisplayName(s, st, doc), "HTMLDocument");
}

TEST(PropagateDetachedness, WithoutTheFieldDetachedNamesMarkNativeNodesAndNothingSpreads) {
  SnapshotBuilder b;
  NodeIndex d = b.Node(NodeType::kNative, "Detached <div id=x>", 10);
  NodeIndex child = b.Node(NodeType::kNative, "<span>", 10);
  NodeIndex obj = b.Node(NodeType::kObject, "Detached thing", 10);
  b.Edge(d, child, EdgeType::kInternal, "c");
  Snapshot s = b.Build();
  s.meta.has_detachedness = false;
  s.detachedness.clear();
  std::vector<uint8_t> st = PropagateDetachedness(s);
  EXPECT_EQ(st, (std::vector<uint8_t>{0, kDomDetached, 0, 0}));
  EXPECT_FALSE(HasDetachedPrefix(s, st, d));  // the name has it already
  EXPECT_EQ(DisplayName(s, st, child), "<span>");
  EXPECT_EQ(DisplayName(s, st, obj), "Detached thing");
}

TEST(PropagateDetachedness, AMillionNodeChainNeedsNoRecursion) {
  const uint32_t n = 1000000;
  SnapshotBuilder b;
  NodeIndex prev = b.Node(NodeType::kNative, "<div>", 1, 0, kDomDetached);
  for (uint32_t i = 2; i < n; ++i) {
    NodeIndex next = b.Node(NodeType::kNative, "<div>", 1);
    b.Edge(prev, next, EdgeType::kInternal, "c");
    prev = next;
  }
  Snapshot s = b.Build();
  std::vector<uint8_t> st = PropagateDetachedness(s);
  size_t detached = 0;
  for (uint8_t x : st) detached += x == kDomDetached;
  EXPECT_EQ(detached, n - 1);
}

}  // namespace
}  // namespace heapscope::snapshot
