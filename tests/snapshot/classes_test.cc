// DevTools' detachedness propagation, class names, interface names and class keys, on snapshots
// built in code, each expectation worked out by hand from DevTools' rules (classes.h).
#include "heapscope/snapshot/classes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heapscope/snapshot/summary.h"
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

  NodeClasses c = ClassifyNodes(s);
  EXPECT_EQ(c.dom_state, want);
  EXPECT_EQ(c.Name(ddiv), "Detached <div>");
  EXPECT_EQ(c.Name(span), "Detached <span>");
  EXPECT_EQ(c.Name(deep), "Detached <b>");
  EXPECT_EQ(c.Name(div), "<div>");
  EXPECT_EQ(c.Name(text), "Text");
  EXPECT_EQ(c.Name(js_detached), "Obj");
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
  NodeClasses c = ClassifyNodes(s);
  EXPECT_EQ(c.Name(d), "Detached <div>");
  EXPECT_EQ(c.Name(child), "<span>");
  EXPECT_EQ(c.Name(obj), "Detached thing");
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

// A plain object: an `Object` node with one property edge per name, all to `value`.
NodeIndex Plain(SnapshotBuilder& b, std::initializer_list<const char*> props, NodeIndex value) {
  NodeIndex o = b.Node(NodeType::kObject, "Object", 16);
  for (const char* p : props) b.Edge(o, value, EdgeType::kProperty, p);
  return o;
}

TEST(Interfaces, InferredFromLeadingPropertiesMostCommonFirstAtLeastTwoObjects) {
  SnapshotBuilder b;
  NodeIndex v = b.Node(NodeType::kString, "v", 8);
  NodeIndex ab1 = Plain(b, {"a", "b"}, v);
  NodeIndex ab2 = Plain(b, {"a", "b"}, v);
  NodeIndex ab3 = Plain(b, {"__proto__", "a", "b"}, v);  // __proto__ is not part of the name
  NodeIndex ba1 = Plain(b, {"b", "a"}, v);
  NodeIndex ba2 = Plain(b, {"b", "a"}, v);
  NodeIndex a = Plain(b, {"a"}, v);                      // a candidate of one object only
  NodeIndex abc = Plain(b, {"a", "b", "c"}, v);
  NodeIndex empty = Plain(b, {}, v);
  NodeIndex other = b.Node(NodeType::kObject, "Point", 16);  // not a plain Object
  b.Edge(other, v, EdgeType::kProperty, "a");
  b.Edge(other, v, EdgeType::kProperty, "b");
  NodeIndex elements = Plain(b, {}, v);                     // element edges do not count
  b.Element(elements, v, 0);
  Snapshot s = b.Build();

  std::vector<InterfaceDefinition> defs = InferInterfaceDefinitions(s);
  ASSERT_EQ(defs.size(), 2u);
  EXPECT_EQ(defs[0].name, "{a, b}");
  EXPECT_EQ(defs[0].properties, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(defs[0].count, 3u);
  EXPECT_EQ(defs[1].name, "{b, a}");
  EXPECT_EQ(defs[1].count, 2u);

  NodeClasses c = ClassifyNodes(s);
  // {b, a} objects hold the same property set as {a, b}, which was defined first: they take its
  // name. {a, b, c} contains {a, b}. {a} and {} contain no definition.
  for (NodeIndex n : {ab1, ab2, ab3, ba1, ba2, abc}) EXPECT_EQ(c.Name(n), "{a, b}") << n.v;
  EXPECT_EQ(c.Name(a), "Object");
  EXPECT_EQ(c.Name(empty), "Object");
  EXPECT_EQ(c.Name(elements), "Object");
  EXPECT_EQ(c.Name(other), "Point");
  EXPECT_EQ(c.interfaces.size(), 2u);
}

TEST(Interfaces, TheLargestContainedDefinitionWinsThenTheEarlierOne) {
  SnapshotBuilder b;
  NodeIndex v = b.Node(NodeType::kString, "v", 8);
  for (int i = 0; i < 3; ++i) Plain(b, {"x"}, v);       // {x}: 3
  for (int i = 0; i < 2; ++i) Plain(b, {"y", "z"}, v);  // {y, z}: 2
  for (int i = 0; i < 2; ++i) Plain(b, {"w", "x"}, v);  // {w, x}: 2 (after {y, z})
  NodeIndex both = Plain(b, {"z", "x", "w", "y"}, v);   // contains all three
  NodeIndex xy = Plain(b, {"y", "x"}, v);               // contains {x} only
  Snapshot s = b.Build();
  NodeClasses c = ClassifyNodes(s);
  ASSERT_EQ(c.interfaces.size(), 3u);
  EXPECT_EQ(c.interfaces[1].name, "{y, z}");
  EXPECT_EQ(c.interfaces[2].name, "{w, x}");
  EXPECT_EQ(c.Name(both), "{y, z}");  // two properties beat one; {y, z} came before {w, x}
  EXPECT_EQ(c.Name(xy), "{x}");
}

TEST(Interfaces, NamesStopAt120Utf16UnitsAndQuotePunctuation) {
  SnapshotBuilder b;
  NodeIndex v = b.Node(NodeType::kString, "v", 8);
  const std::string p50a(50, 'a'), p50b(50, 'b'), p50c(50, 'c');
  const std::string p130(130, 'l');
  for (int i = 0; i < 2; ++i) Plain(b, {p50a.c_str(), p50b.c_str(), p50c.c_str()}, v);
  for (int i = 0; i < 2; ++i) Plain(b, {p130.c_str(), "k"}, v);  // the first always counts
  for (int i = 0; i < 2; ++i) Plain(b, {"x,y", "q\"r", "plain"}, v);
  // "é" is one UTF-16 unit but two UTF-8 bytes.
  const std::string e57 = [] {
    std::string s;
    for (int i = 0; i < 57; ++i) s += "\xC3\xA9";
    return s;
  }();
  for (int i = 0; i < 2; ++i) Plain(b, {e57.c_str(), e57.c_str(), "t"}, v);
  Snapshot s = b.Build();
  std::vector<InterfaceDefinition> defs = InferInterfaceDefinitions(s);
  ASSERT_EQ(defs.size(), 4u);
  // "{" + 50 = 51; + ", " + 50 = 103; + ", " + 50 = 155 > 120: stop after two.
  EXPECT_EQ(defs[0].name, "{" + p50a + ", " + p50b + "}");
  EXPECT_EQ(defs[0].properties.size(), 2u);
  EXPECT_EQ(defs[1].name, "{" + p130 + "}");
  EXPECT_EQ(defs[2].name, "{\"x,y\", \"q\\\"r\", plain}");
  EXPECT_EQ(defs[2].properties, (std::vector<std::string>{"x,y", "q\"r", "plain"}));
  // 1 + 57 = 58 units; 58 + 57 = 115 <= 120, so ", " + 57 = 117; + "t": 117 + 1 = 118 <= 120,
  // then ", t" = 120. Counted in bytes the second name would already be too long.
  EXPECT_EQ(defs[3].name, "{" + e57 + ", " + e57 + ", t}");
}

TEST(Interfaces, AtLeastOneObjectInAThousand) {
  SnapshotBuilder b;
  NodeIndex v = b.Node(NodeType::kString, "v", 8);
  for (int i = 0; i < 2999; ++i) Plain(b, {}, v);
  NodeIndex q1 = Plain(b, {"q"}, v);
  Plain(b, {"q"}, v);
  NodeIndex r1 = Plain(b, {"r"}, v);
  for (int i = 0; i < 3; ++i) Plain(b, {"r"}, v);
  Snapshot s = b.Build();
  // 3,005 plain objects: a definition needs 3,005 / 1000 = 3.005 objects, so {q} (2) is not
  // one and {r} (4) is.
  NodeClasses c = ClassifyNodes(s);
  ASSERT_EQ(c.interfaces.size(), 1u);
  EXPECT_EQ(c.Name(q1), "Object");
  EXPECT_EQ(c.Name(r1), "{r}");
}

TEST(Interfaces, DefinitionsFromAnotherSnapshotNameThisOne) {
  SnapshotBuilder b;
  NodeIndex v = b.Node(NodeType::kString, "v", 8);
  NodeIndex one = Plain(b, {"id", "name"}, v);  // a single object: no definition of its own
  Snapshot s = b.Build();
  EXPECT_TRUE(InferInterfaceDefinitions(s).empty());
  std::vector<InterfaceDefinition> theirs = {{"{name, id}", {"name", "id"}, 9}};
  NodeClasses c = ClassifyNodes(s, {&theirs});
  EXPECT_EQ(c.Name(one), "{name, id}");
  EXPECT_EQ(ClassifyNodes(s).Name(one), "Object");
}

TEST(Interfaces, PropertiesSortInUtf16Order) {
  // U+1F600 is D83D DE00 in UTF-16, before U+FF5E; in UTF-8 bytes (F0… vs EF…) it comes after.
  EXPECT_TRUE(Utf16Less("\xF0\x9F\x98\x80", "\xEF\xBD\x9E"));
  EXPECT_FALSE(Utf16Less("\xEF\xBD\x9E", "\xF0\x9F\x98\x80"));
  EXPECT_TRUE(Utf16Less("B", "a"));
  EXPECT_TRUE(Utf16Less("a", "ab"));
  EXPECT_FALSE(Utf16Less("ab", "ab"));
  EXPECT_EQ(Utf16Length("\xF0\x9F\x98\x80\xC3\xA9x"), 4u);
  // The search walks properties in that order: a definition {😀, ～} (sorted: 😀 first) must
  // still match an object whose properties are the same two.
  SnapshotBuilder b;
  NodeIndex v = b.Node(NodeType::kString, "v", 8);
  NodeIndex o1 = Plain(b, {"\xEF\xBD\x9E", "\xF0\x9F\x98\x80"}, v);
  NodeIndex o2 = Plain(b, {"\xEF\xBD\x9E", "\xF0\x9F\x98\x80"}, v);
  NodeIndex o3 = Plain(b, {"\xF0\x9F\x98\x80", "\xEF\xBD\x9E", "zz"}, v);
  NodeClasses c = ClassifyNodes(b.Build());
  const std::string name = "{\xEF\xBD\x9E, \xF0\x9F\x98\x80}";
  EXPECT_EQ(c.Name(o1), name);
  EXPECT_EQ(c.Name(o2), name);
  EXPECT_EQ(c.Name(o3), name);
}

TEST(ClassKeys, LocatedObjectsByLocationOthersByName) {
  SnapshotBuilder b;
  NodeIndex a1 = b.Node(NodeType::kObject, "Item", 10);
  NodeIndex a2 = b.Node(NodeType::kObject, "Item", 10);
  NodeIndex c = b.Node(NodeType::kObject, "Item", 4);
  NodeIndex u = b.Node(NodeType::kObject, "Item", 1);
  NodeIndex f = b.Node(NodeType::kClosure, "Item", 2);
  NodeIndex h = b.Node(NodeType::kHidden, "system / Context", 2);
  b.Location(a1, 5, 1, 2);
  b.Location(a2, 5, 1, 2);
  b.Location(c, 6, 0, 0);
  b.Location(f, 7, 3, 3);
  NodeClasses cl = ClassifyNodes(b.Build());
  EXPECT_EQ(cl.node_class[a1.v], cl.node_class[a2.v]);
  EXPECT_NE(cl.node_class[a1.v], cl.node_class[c.v]);
  EXPECT_EQ(DevToolsClassKey(cl.Key(a1)), "5,1,2,Item");
  EXPECT_EQ(DevToolsClassKey(cl.Key(c)), "6,0,0,Item");
  EXPECT_EQ(DevToolsClassKey(cl.Key(u)), ",Item");
  EXPECT_EQ(DevToolsClassKey(cl.Key(f)), ",Function");
  EXPECT_EQ(DevToolsClassKey(cl.Key(h)), ",(system)");
  EXPECT_EQ(cl.class_count(), 6u);  // root "(synthetic)", three Items, Function, (system)
}

TEST(ClassKeys, OneNameFromTwoTypesIsOneClass) {
  // DevTools keeps two internal keys here (the hidden class's "(system)" string and the native
  // node's own name string) and then overwrites one with the other under the public key
  // ",(system)"; heapscope counts both in one row (docs/cmd-summary.md).
  SnapshotBuilder b;
  b.Node(NodeType::kHidden, "system / Foo", 4);
  b.Node(NodeType::kNative, "(system)", 6);
  ClassSummary sum = Summarize(b.Build());
  ASSERT_EQ(sum.rows.size(), 1u);
  EXPECT_EQ(sum.rows[0].name, "(system)");
  EXPECT_EQ(sum.rows[0].count, 2u);
  EXPECT_EQ(sum.rows[0].self_size, 10u);
}

TEST(Summarize, DetachedAndInterfaceRows) {
  SnapshotBuilder b;
  NodeIndex v = b.Node(NodeType::kString, "v", 8);
  NodeIndex d = b.Node(NodeType::kNative, "<div id=a>", 100, 0, kDomDetached);
  NodeIndex d2 = b.Node(NodeType::kNative, "<div id=b>", 50);
  b.Node(NodeType::kNative, "<div id=c>", 30);  // unknown: stays "<div>"
  b.Edge(d, d2, EdgeType::kInternal, "child");
  Plain(b, {"x", "y"}, v);
  Plain(b, {"x", "y"}, v);
  Plain(b, {"z"}, v);
  ClassSummary sum = Summarize(b.Build());
  std::vector<std::tuple<std::string, uint32_t, uint64_t>> rows;
  for (const ClassRow& r : sum.rows) rows.emplace_back(r.name, r.count, r.self_size);
  using R = std::tuple<std::string, uint32_t, uint64_t>;
  EXPECT_EQ(rows, (std::vector<R>{{"Detached <div>", 2, 150},
                                  {"{x, y}", 2, 32},
                                  {"<div>", 1, 30},
                                  {"Object", 1, 16},
                                  {"(string)", 1, 8}}));
}

}  // namespace
}  // namespace heapscope::snapshot
