// Malformed inputs, one per class of damage the loader must name: each is run through the CLI
// (`heapscope summary BAD`) and must exit with code 2 and print exactly the expected message
// (file, field, byte offset). Byte offsets are computed from the damaged text itself: `anchor`
// is a piece of the damaged file, and the offset is where it ends (or begins). A bad value is
// reported just after the value; a string index that turns out to be out of range once
// `strings` is read is reported at the end of its node or edge record.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "heapscope/snapshot/parse.h"
#include "support/snapshot_builder.h"
#include "support/test_paths.h"

namespace heapscope::snapshot {
namespace {

using testing::Layout;
using testing::SnapshotBuilder;

// Three nodes (root, object "A", string "hi"), two edges (root -[1]-> A, A -x-> "hi"):
//   "nodes":[9,1,1,0,1,0,0,\n3,2,3,10,1,0,0,\n2,3,5,5,0,0,0],
//   "edges":[1,1,7,\n2,4,14],
//   "strings":["<dummy>",\n"",\n"A",\n"hi",\n"x"]}
std::string Base() {
  SnapshotBuilder b;
  NodeIndex a = b.Node(NodeType::kObject, "A", 10);
  NodeIndex s = b.Node(NodeType::kString, "hi", 5);
  b.Element(b.root(), a, 1);
  b.Edge(a, s, EdgeType::kProperty, "x");
  return b.ToJson(Layout::kNode20);
}

enum class At { kEndOfAnchor, kStartOfAnchor, kEndOfFile };

struct Case {
  const char* name;
  const char* from;    // replaced (first occurrence) ...
  const char* to;      // ... by this
  const char* field;   // expected field ("" = none)
  const char* anchor;  // locates the expected offset in the damaged text
  At at;
  const char* message;  // expected message after "byte N: "
};

const Case kCases[] = {
    {"malformed_json", "\"edges\":[1,1,7,", "\"edges\":[1,1,7,,", "edges", "[1,1,7,",
     At::kEndOfAnchor, "malformed JSON: Invalid value."},
    {"not_json", nullptr, "hello", "", "", At::kStartOfAnchor, "malformed JSON: Invalid value."},
    {"not_an_object", nullptr, "[1,2]", "", "[", At::kStartOfAnchor,
     "an array is not expected here"},
    {"header_says_more_nodes", "\"node_count\":3", "\"node_count\":4", "nodes", "2,3,5,5,0,0,0",
     At::kEndOfAnchor, "truncated or inconsistent: the header says 4 nodes, the array holds 3"},
    {"header_says_fewer_nodes", "\"node_count\":3", "\"node_count\":2", "nodes", "2,3,5,5,0,0,0",
     At::kEndOfAnchor, "more nodes than the header's node_count 2"},
    {"nodes_not_a_multiple", "2,3,5,5,0,0,0]", "2,3,5,5,0,0]", "nodes", "2,3,5,5,0,0",
     At::kEndOfAnchor,
     "array length is not a multiple of the node field count 7 (6 values left over)"},
    {"to_node_not_a_multiple", "2,4,14]", "2,4,15]", "edges", "2,4,15", At::kEndOfAnchor,
     "to_node 15 is not a multiple of the node field count 7"},
    {"to_node_out_of_range", "2,4,14]", "2,4,21]", "edges", "2,4,21", At::kEndOfAnchor,
     "to_node 21 (node 3) is past the last node (3 nodes)"},
    {"edge_count_sum_mismatch", "3,2,3,10,1,0,0", "3,2,3,10,2,0,0", "edges", "2,4,14",
     At::kEndOfAnchor, "the nodes' edge_count values sum to 3, the array holds 2 edges"},
    {"node_name_out_of_range", "2,3,5,5,0,0,0]", "2,9,5,5,0,0,0]", "nodes", "2,9,5,5,0,0,0",
     At::kEndOfAnchor, "node 2: name string index 9 is out of range (5 strings)"},
    {"edge_name_out_of_range", "2,4,14]", "2,70,14]", "edges", "2,70,14", At::kEndOfAnchor,
     "edge 1: name string index 70 is out of range (5 strings)"},
    {"absurd_node_type_index", "3,2,3,10,", "5000,2,3,10,", "nodes", "5000", At::kEndOfAnchor,
     "node type index 5000 is not in meta.node_types[0] (15 types)"},
    {"absurd_edge_type_index", "2,4,14]", "5000,4,14]", "edges", "\n5000", At::kEndOfAnchor,
     "edge type index 5000 is not in meta.edge_types[0] (7 types)"},
    {"negative_number", "3,2,3,10,", "3,2,3,-10,", "nodes", "-10", At::kEndOfAnchor,
     "a negative number where a non-negative integer belongs"},
    {"fractional_number", "3,2,3,10,", "3,2,3,10.5,", "nodes", "10.5", At::kEndOfAnchor,
     "a fractional or out-of-range number where a non-negative integer belongs"},
    {"node_count_over_32_bits", "\"node_count\":3", "\"node_count\":5000000000",
     "snapshot.node_count", "5000000000", At::kEndOfAnchor,
     "node_count 5000000000 exceeds 32 bits"},
    {"missing_required_node_field", "\"edge_count\",\"trace_node_id\"",
     "\"edge_cnt\",\"trace_node_id\"", "snapshot.meta.node_fields", "\"trace_function_count\":0",
     At::kEndOfAnchor, "'edge_count' is missing"},
    {"missing_snapshot", "{\"snapshot\":", "{\"snapshoz\":", "nodes", "\"nodes\"", At::kEndOfAnchor,
     "comes before the `snapshot` header that gives its layout (is it missing?)"},
    {"missing_nodes", "\"nodes\":", "\"nodez\":", "edges", "\"edges\"", At::kEndOfAnchor,
     "comes before `nodes` (is `nodes` missing?)"},
    {"missing_edges", "\"edges\":", "\"edgez\":", "edges", "", At::kEndOfFile,
     "required section is missing"},
    {"missing_strings", "\"strings\":", "\"stringz\":", "strings", "", At::kEndOfFile,
     "required section is missing"},
    {"duplicate_section", "\"samples\":[],", "\"samples\":[],\"nodes\":[],", "nodes",
     "\"samples\":[],\"nodes\"", At::kEndOfAnchor, "appears twice"},
};

class Malformed : public ::testing::TestWithParam<Case> {};

TEST_P(Malformed, ExitsWithCode2AndNamesFileFieldAndOffset) {
  const Case& c = GetParam();
  std::string text = Base();
  if (c.from == nullptr) {
    text = c.to;
  } else {
    size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, std::string(c.from).size(), c.to);
  }
  size_t offset = text.size();
  if (c.at != At::kEndOfFile) {
    size_t a = text.find(c.anchor);
    ASSERT_NE(a, std::string::npos) << c.anchor;
    offset = c.at == At::kEndOfAnchor ? a + std::string(c.anchor).size() : a;
  }
  std::string path = testing::ScratchDir() + "/bad.heapsnapshot";
  testing::WriteFile(path, text);
  testing::CommandResult r =
      testing::Run(fmt::format("'{}' summary '{}'", testing::HeapscopeBinary(), path));
  std::string field = *c.field ? fmt::format(" field '{}':", c.field) : "";
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("heapscope: {}:{} byte {}: {}\n", path, field, offset, c.message));
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(Loader, Malformed, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

// Truncation at every byte of the nodes and edges arrays: always a "truncated" error at the
// end of the input, never a crash or a wrong model.
TEST(Truncated, EveryCutInsideTheArraysSaysTruncatedAtTheEnd) {
  std::string text = Base();
  size_t begin = text.find("\"nodes\":[") + 9;
  size_t end = text.find("\"strings\":");
  for (size_t cut = begin; cut < end; ++cut) {
    std::string part = text.substr(0, cut);
    Result<Snapshot> r = ParseSnapshot(part, "cut.heapsnapshot");
    ASSERT_FALSE(r.ok()) << cut;
    const std::string& m = r.status().message();
    EXPECT_NE(
        m.find(fmt::format(": byte {}: truncated file: the input ends inside the JSON (", cut)),
        std::string::npos)
        << m;
    EXPECT_EQ(m.rfind("cut.heapsnapshot: field '", 0), 0u) << m;
  }
}

TEST(Truncated, CutInsideNodesNamesNodesThroughTheCli) {
  std::string text = Base();
  size_t cut = text.find("3,2,3,10") + 3;  // "…0,\n3,2"
  std::string path = testing::ScratchDir() + "/cut.heapsnapshot";
  testing::WriteFile(path, text.substr(0, cut));
  testing::CommandResult r =
      testing::Run(fmt::format("'{}' summary '{}'", testing::HeapscopeBinary(), path));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("heapscope: {}: field 'nodes': byte {}: truncated file: the input "
                               "ends inside the JSON (Missing a comma or ']' after an array "
                               "element.)\n",
                               path, cut));
}

TEST(Truncated, TruncatedGzipIsAnError) {
  std::string dir = testing::ScratchDir();
  // Big enough that a cut gzip stream is a strict prefix of the compressed data.
  SnapshotBuilder b;
  for (int i = 0; i < 3000; ++i) {
    NodeIndex n = b.Node(NodeType::kObject, fmt::format("C{}", i * 7919 % 3001), i);
    b.Edge(b.root(), n, EdgeType::kProperty, fmt::format("p{}", i));
  }
  testing::WriteFile(dir + "/s.json", b.ToJson());
  ASSERT_EQ(
      std::system(
          fmt::format("gzip -c '{0}/s.json' | head -c 4000 > '{0}/s.heapsnapshot'", dir).c_str()),
      0);
  testing::CommandResult r = testing::Run(
      fmt::format("'{}' summary '{}/s.heapsnapshot'", testing::HeapscopeBinary(), dir));
  EXPECT_EQ(r.exit_code, 2);
  // The message comes from io::OpenInput (zlib's text follows the colon).
  EXPECT_EQ(
      r.err.rfind(
          fmt::format("heapscope: {}/s.heapsnapshot: corrupt or truncated gzip stream: ", dir), 0),
      0u)
      << r.err;
  EXPECT_NE(r.err.find("unexpected end of file\n"), std::string::npos) << r.err;
}

TEST(Empty, EmptyFileIsAnError) {
  std::string path = testing::ScratchDir() + "/empty.heapsnapshot";
  testing::WriteFile(path, "");
  testing::CommandResult r =
      testing::Run(fmt::format("'{}' summary '{}'", testing::HeapscopeBinary(), path));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("heapscope: {}: byte 0: empty file: no JSON value\n", path));
}

TEST(Missing, MissingFileIsAnIoError) {
  testing::CommandResult r = testing::Run(
      fmt::format("'{}' summary /nonexistent/x.heapsnapshot", testing::HeapscopeBinary()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "heapscope: /nonexistent/x.heapsnapshot: cannot open: No such file or directory\n");
}

}  // namespace
}  // namespace heapscope::snapshot
