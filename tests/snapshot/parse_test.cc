// Unit tests of the streaming loader on snapshots built in code (SnapshotBuilder).
#include "heapscope/snapshot/parse.h"

#include <gtest/gtest.h>

#include <string>

#include "support/snapshot_builder.h"

namespace heapscope::snapshot {
namespace {

using testing::Layout;
using testing::SnapshotBuilder;

// A small snapshot with every kind of node field, named and indexed edges, and locations.
SnapshotBuilder Sample() {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex obj = b.Node(NodeType::kObject, "Session", 32);
  NodeIndex fn = b.Node(NodeType::kClosure, "onMessage", 64);
  NodeIndex arr = b.Node(NodeType::kArray, "", 48);
  NodeIndex str = b.Node(NodeType::kString, "héllo \"wörld\"\n", 24);
  NodeIndex big = b.Node(NodeType::kNative, "system / JSArrayBufferData", uint64_t{5} << 32, 2);
  NodeIndex det = b.Node(NodeType::kNative, "<div id=x>", 100, 4, /*detachedness=*/2);
  b.Edge(gc, obj, EdgeType::kInternal, "1 / handle");
  b.Edge(obj, fn, EdgeType::kProperty, "onMessage");
  b.Edge(obj, arr, EdgeType::kProperty, "tags");
  b.Element(arr, str, 0);
  b.Indexed(arr, big, EdgeType::kHidden, 7);
  b.Edge(fn, obj, EdgeType::kContext, "self");
  b.Edge(obj, det, EdgeType::kWeak, "el");
  b.Edge(gc, str, EdgeType::kShortcut, "s");
  b.Location(obj, /*script_id=*/12, /*line=*/3, /*column=*/4, fn);
  b.Location(fn, 12, 10, 0, fn);
  b.set_extra_native_bytes(123456789012);
  return b;
}

Snapshot MustParse(const std::string& json, ParseOptions o = {}) {
  Result<Snapshot> r = ParseSnapshot(json, "mem.heapsnapshot", o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : Snapshot();
}

// Compares every column of two models (the loader's against the builder's).
void ExpectSameModel(const Snapshot& got, const Snapshot& want, Layout layout, bool clean = true) {
  EXPECT_EQ(got.node_type, want.node_type);
  EXPECT_EQ(got.node_name, want.node_name);
  EXPECT_EQ(got.node_id, want.node_id);
  EXPECT_EQ(got.self_size, want.self_size);
  EXPECT_EQ(got.first_edge, want.first_edge);
  EXPECT_EQ(got.edge_type, want.edge_type);
  EXPECT_EQ(got.edge_name_or_index, want.edge_name_or_index);
  EXPECT_EQ(got.edge_to, want.edge_to);
  EXPECT_EQ(got.string_data, want.string_data);
  EXPECT_EQ(got.string_offset, want.string_offset);
  EXPECT_EQ(got.loc_node, want.loc_node);
  EXPECT_EQ(got.loc_script_id, want.loc_script_id);
  EXPECT_EQ(got.loc_line, want.loc_line);
  EXPECT_EQ(got.loc_column, want.loc_column);
  EXPECT_EQ(got.extra_native_bytes, want.extra_native_bytes);
  EXPECT_EQ(got.header_node_count, want.header_node_count);
  EXPECT_EQ(got.header_edge_count, want.header_edge_count);
  EXPECT_EQ(got.root, NodeIndex(0));
  if (layout == Layout::kOld6) {
    EXPECT_TRUE(got.detachedness.empty());
  } else {
    EXPECT_EQ(got.detachedness, want.detachedness);
  }
  if (layout == Layout::kNew6) {
    EXPECT_TRUE(got.trace_node_id.empty());
    EXPECT_EQ(got.loc_script_node, want.loc_script_node);
  } else {
    EXPECT_EQ(got.trace_node_id, want.trace_node_id);
    EXPECT_EQ(got.loc_script_node, std::vector<NodeIndex>(want.location_count(), kNoNode));
  }
  if (clean) {
    EXPECT_TRUE(got.diagnostics.NonZero().empty());
  }
}

TEST(ParseSnapshot, Node20LayoutMatchesTheBuilderModel) {
  SnapshotBuilder b = Sample();
  std::string json = b.ToJson(Layout::kNode20);
  Snapshot s = MustParse(json);
  ExpectSameModel(s, b.Build(), Layout::kNode20);
  EXPECT_EQ(s.meta.node_field_count, 7u);
  EXPECT_TRUE(s.meta.has_trace_node_id);
  EXPECT_TRUE(s.meta.has_detachedness);
  EXPECT_FALSE(s.meta.has_script_object_index);
  EXPECT_EQ(s.meta.location_fields.size(), 4u);
  EXPECT_EQ(s.source, "mem.heapsnapshot");
  EXPECT_EQ(s.source_bytes, json.size());
  EXPECT_EQ(s.node_count(), 8u);
  EXPECT_EQ(s.edge_count(), 9u);
  EXPECT_EQ(s.self_size[6], uint64_t{5} << 32);  // 64-bit self size survives
  EXPECT_EQ(s.NodeName(NodeIndex(5)), "héllo \"wörld\"\n");
  EXPECT_EQ(s.EdgeLabel(EdgeIndex(s.EdgeBegin(NodeIndex(4)) + 1)), "[7]");
}

TEST(ParseSnapshot, Old6LayoutHasTraceNodeIdAndNoDetachedness) {
  SnapshotBuilder b = Sample();
  Snapshot s = MustParse(b.ToJson(Layout::kOld6));
  ExpectSameModel(s, b.Build(), Layout::kOld6);
  EXPECT_EQ(s.meta.node_field_count, 6u);
  EXPECT_TRUE(s.meta.has_trace_node_id);
  EXPECT_FALSE(s.meta.has_detachedness);
}

TEST(ParseSnapshot, New6LayoutHasDetachednessAndScriptObjectIndex) {
  SnapshotBuilder b = Sample();
  Snapshot s = MustParse(b.ToJson(Layout::kNew6));
  ExpectSameModel(s, b.Build(), Layout::kNew6);
  EXPECT_EQ(s.meta.node_field_count, 6u);
  EXPECT_FALSE(s.meta.has_trace_node_id);
  EXPECT_TRUE(s.meta.has_detachedness);
  EXPECT_TRUE(s.meta.has_script_object_index);
  ASSERT_EQ(s.location_count(), 2u);
  EXPECT_EQ(s.loc_script_node[0], NodeIndex(3));
  EXPECT_EQ(s.loc_line[0], 3u);  // 0-based, as read
}

TEST(ParseSnapshot, EveryBufferSizeGivesTheSameModel) {
  SnapshotBuilder b = Sample();
  std::string json = b.ToJson(Layout::kNode20);
  Snapshot want = b.Build();
  for (size_t buf = 1; buf <= 80; ++buf) {
    SCOPED_TRACE(buf);
    ParseOptions o;
    o.buffer_bytes = buf;
    ExpectSameModel(MustParse(json, o), want, Layout::kNode20);
  }
}

TEST(ParseSnapshot, ChromeLayoutWithUnknownSectionsIsReadAndTheSectionsCounted) {
  SnapshotBuilder b = Sample();
  std::string json = b.ToJson(Layout::kNew6);
  // Chrome 156 adds three arrays after `locations`; one holds objects and nested arrays.
  size_t at = json.find("\"strings\":");
  ASSERT_NE(at, std::string::npos);
  json.insert(at,
              "\"scopes\":[[1,2,[3]],{\"a\":[4,{\"b\":null}]}],\n\"scope_context_vars\":[1,-2,3.5,"
              "\"x\",true],\n\"scope_uses\":[],\n");
  Snapshot s = MustParse(json);
  ExpectSameModel(s, b.Build(), Layout::kNew6, /*clean=*/false);
  EXPECT_EQ(s.diagnostics.unknown_sections_skipped, 3u);
  EXPECT_EQ(s.diagnostics.NonZero().size(), 1u);
}

TEST(ParseSnapshot, OptionalSectionsMayBeMissing) {
  SnapshotBuilder b = Sample();
  std::string json = b.ToJson(Layout::kNode20);
  for (const char* key :
       {"\"trace_function_infos\":[],\n", "\"trace_tree\":[],\n", "\"samples\":[],\n"}) {
    size_t at = json.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    json.erase(at, std::string(key).size());
  }
  size_t loc = json.find("\"locations\":[");
  size_t end = json.find("],\n", loc);
  json.erase(loc, end + 3 - loc);
  Snapshot s = MustParse(json);
  EXPECT_EQ(s.node_count(), 8u);
  EXPECT_EQ(s.location_count(), 0u);
}

TEST(ParseSnapshot, WhitespaceAnywhereIsAccepted) {
  SnapshotBuilder b = Sample();
  std::string json = b.ToJson(Layout::kNode20);
  std::string spaced;
  for (char c : json) {
    spaced += c;
    if (c == ',' || c == '[' || c == ':') spaced += " \t\r\n";
  }
  ExpectSameModel(MustParse(spaced), b.Build(), Layout::kNode20);
}

TEST(ParseSnapshot, RootIndexAndMissingHeaderCounts) {
  SnapshotBuilder b = Sample();
  std::string json = b.ToJson(Layout::kNode20);
  size_t at = json.find(",\"node_count\":");
  size_t end = json.find(",\"trace_function_count\"");
  json.replace(at, end - at, ",\"root_index\":14");  // node 2 with 7 fields
  Snapshot s = MustParse(json);
  EXPECT_EQ(s.root, NodeIndex(2));
  EXPECT_EQ(s.diagnostics.header_counts_missing, 1u);
  EXPECT_EQ(s.header_node_count, 8u);  // taken from the arrays
  EXPECT_EQ(s.header_edge_count, 9u);
  EXPECT_EQ(s.first_edge, b.Build().first_edge);
}

TEST(ParseSnapshot, UnknownTypeNamesBecomeUnknownAndAreCounted) {
  SnapshotBuilder b;
  b.Node(NodeType::kObject, "W", 8);
  b.Edge(b.root(), NodeIndex(1), EdgeType::kProperty, "w");
  std::string json = b.ToJson(Layout::kNode20);
  // Rename "object" (index 3) to a name this build does not know, as Node 20's "wasm object".
  size_t at = json.find("\"object\",");
  json.replace(at, 8, "\"wasm thing\"");
  size_t e = json.find("\"property\"");
  json.replace(e, 10, "\"future\"");
  Snapshot s = MustParse(json);
  EXPECT_EQ(s.node_type[1], NodeType::kUnknown);
  EXPECT_EQ(s.edge_type[0], EdgeType::kUnknown);
  EXPECT_EQ(s.diagnostics.unknown_node_type_names, 1u);
  EXPECT_EQ(s.diagnostics.unknown_edge_type_names, 1u);
}

TEST(ParseSnapshot, TypeIndicesAreMappedByNameNotByPosition) {
  SnapshotBuilder b;
  b.Node(NodeType::kClosure, "f", 8);
  std::string json = b.ToJson(Layout::kNode20);
  // Swap "synthetic" (9) and "closure" (5) in node_types[0]: the numbers now mean the other.
  size_t syn = json.find("\"synthetic\"");
  json.replace(syn, 11, "\"closure\"");
  size_t clo = json.find("\"closure\"");
  json.replace(clo, 9, "\"synthetic\"");
  Snapshot s = MustParse(json);
  EXPECT_EQ(s.node_type[0], NodeType::kClosure);    // written as 9
  EXPECT_EQ(s.node_type[1], NodeType::kSynthetic);  // written as 5
}

TEST(ParseSnapshot, BadLocationsAreDroppedAndCounted) {
  SnapshotBuilder b = Sample();
  std::string json = b.ToJson(Layout::kNew6);
  // 6 node fields: 20 is not a node offset; 600 is past the end. Script node 13 is not one.
  size_t at = json.find("\"locations\":[") + 13;
  json.insert(at, "20,1,0,1,1,\n600,1,0,1,1,\n12,1,13,5,6,\n");
  Snapshot s = MustParse(json);
  EXPECT_EQ(s.diagnostics.locations_dropped, 2u);
  EXPECT_EQ(s.diagnostics.location_script_nodes_invalid, 1u);
  ASSERT_EQ(s.location_count(), 3u);
  EXPECT_EQ(s.loc_node[0], NodeIndex(2));
  EXPECT_EQ(s.loc_script_node[0], kNoNode);
  EXPECT_EQ(s.loc_line[0], 5u);
}

// ---- Strings ---------------------------------------------------------------------------------

// Parses a snapshot whose string table holds `literal` (JSON text, quotes included) as string 2,
// with every buffer size from 24 to 60 bytes, and checks they agree; returns the decoded string.
std::string DecodeString(const std::string& literal, uint64_t* lone = nullptr) {
  SnapshotBuilder b;
  b.Node(NodeType::kString, "PLACEHOLDER", 16);
  std::string json = b.ToJson(Layout::kNode20);
  size_t at = json.find("\"PLACEHOLDER\"");
  json.replace(at, 13, literal);
  Snapshot first = MustParse(json);
  for (size_t buf = 24; buf <= 60; ++buf) {
    ParseOptions o;
    o.buffer_bytes = buf;
    Snapshot s = MustParse(json, o);
    EXPECT_EQ(s.string_data, first.string_data) << "buffer " << buf;
    EXPECT_EQ(s.diagnostics.lone_surrogates_replaced, first.diagnostics.lone_surrogates_replaced);
  }
  if (lone) *lone = first.diagnostics.lone_surrogates_replaced;
  return first.string_count() > 2 ? std::string(first.String(StringId(2))) : std::string("?");
}

TEST(ParseStrings, EscapesAreDecoded) {
  EXPECT_EQ(DecodeString(R"("a\"b\\c\/d\b\f\n\r\t\u0041\u00e9")"), "a\"b\\c/d\b\f\n\r\tA\xC3\xA9");
}

TEST(ParseStrings, SurrogatePairBecomesOneFourByteCharacter) {
  uint64_t lone = 9;
  EXPECT_EQ(DecodeString(R"("x\uD83D\uDE00y")", &lone), "x\xF0\x9F\x98\x80y");
  EXPECT_EQ(lone, 0u);
}

TEST(ParseStrings, LoneHighSurrogateBecomesReplacementCharacter) {
  uint64_t lone = 0;
  EXPECT_EQ(DecodeString(R"("a\uD800b")", &lone),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(lone, 1u);
  EXPECT_EQ(DecodeString(R"("\uDBFF")", &lone), "\xEF\xBF\xBD");  // at the end of a string
  EXPECT_EQ(lone, 1u);
  EXPECT_EQ(DecodeString(R"("\uD800\u0041")", &lone),
            "\xEF\xBF\xBD"
            "A");  // not a low one next
  EXPECT_EQ(lone, 1u);
}

TEST(ParseStrings, LoneLowSurrogateBecomesReplacementCharacter) {
  uint64_t lone = 0;
  EXPECT_EQ(DecodeString(R"("a\udc00b")", &lone),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(lone, 1u);
}

TEST(ParseStrings, HighThenPairKeepsThePair) {
  uint64_t lone = 0;
  EXPECT_EQ(DecodeString(R"("\uD800\uD83D\uDE00\uDE00")", &lone),
            "\xEF\xBF\xBD\xF0\x9F\x98\x80\xEF\xBF\xBD");
  EXPECT_EQ(lone, 2u);
}

TEST(ParseStrings, EscapedBackslashBeforeUIsText) {
  uint64_t lone = 9;
  EXPECT_EQ(DecodeString(R"("\\uD800")", &lone), "\\uD800");
  EXPECT_EQ(lone, 0u);
  EXPECT_EQ(DecodeString(R"("\\\uD800")", &lone), "\\\xEF\xBF\xBD");  // \\ then a real escape
  EXPECT_EQ(lone, 1u);
}

TEST(ParseStrings, RawUtf8PassesThrough) {
  EXPECT_EQ(DecodeString("\"caf\xC3\xA9 \xF0\x9F\x98\x80\""), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace heapscope::snapshot
