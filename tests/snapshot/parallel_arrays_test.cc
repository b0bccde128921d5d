// The parallel parser of the big arrays (src/snapshot/array_scan.h, bulk_arrays.cc) against the
// JSON parser's path: for every input, valid or not, both must give the same model, the same
// counters, or the same error (message, field and byte offset). Task sizes from 1 byte up put
// task boundaries at every byte of the arrays; the inputs cover every error the streaming path
// reports, huge numbers, every whitespace JSON allows, and the 7- and both 6-field layouts.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "heapscope/io/parallel.h"
#include "heapscope/snapshot/parse.h"
#include "snapshot/array_scan.h"
#include "support/snapshot_builder.h"
#include "support/test_paths.h"

namespace heapscope::snapshot {
namespace {

using testing::Layout;
using testing::SnapshotBuilder;

const size_t kChunks[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 31, 64, 100, 4096, size_t{1} << 20};

void ExpectSameSnapshot(const Snapshot& a, const Snapshot& b, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.node_type, b.node_type);
  EXPECT_EQ(a.node_name, b.node_name);
  EXPECT_EQ(a.node_id, b.node_id);
  EXPECT_EQ(a.node_id_wide, b.node_id_wide);
  EXPECT_EQ(a.self_size, b.self_size);
  EXPECT_EQ(a.first_edge, b.first_edge);
  EXPECT_EQ(a.trace_node_id, b.trace_node_id);
  EXPECT_EQ(a.detachedness, b.detachedness);
  EXPECT_EQ(a.edge_type, b.edge_type);
  EXPECT_EQ(a.edge_name_or_index, b.edge_name_or_index);
  EXPECT_EQ(a.edge_to, b.edge_to);
  EXPECT_EQ(a.string_data, b.string_data);
  EXPECT_EQ(a.string_offset, b.string_offset);
  EXPECT_EQ(a.loc_node, b.loc_node);
  EXPECT_EQ(a.loc_script_id, b.loc_script_id);
  EXPECT_EQ(a.loc_script_node, b.loc_script_node);
  EXPECT_EQ(a.loc_line, b.loc_line);
  EXPECT_EQ(a.loc_column, b.loc_column);
  EXPECT_EQ(a.header_node_count, b.header_node_count);
  EXPECT_EQ(a.header_edge_count, b.header_edge_count);
  EXPECT_EQ(a.root, b.root);
  EXPECT_EQ(a.source_bytes, b.source_bytes);
  EXPECT_EQ(a.meta.node_type_names, b.meta.node_type_names);
  EXPECT_EQ(a.meta.edge_type_names, b.meta.edge_type_names);
  EXPECT_EQ(a.diagnostics.NonZero(), b.diagnostics.NonZero());
}

// Parses `text` with the JSON parser only, then with the parallel path at every task size (and
// with one and two threads), and requires the same outcome. Returns the arrays the parallel path
// took at the default task size.
uint32_t ExpectBothPathsAgree(const std::string& text, const std::string& what) {
  ParseOptions stream;
  stream.parallel_arrays = false;
  Result<Snapshot> want = ParseSnapshot(text, "t.heapsnapshot", stream);
  uint32_t taken = 0;
  for (unsigned threads : {1u, 2u}) {
    par::SetThreads(threads);
    for (size_t chunk : kChunks) {
      ParseOptions o;
      o.parallel_chunk_bytes = chunk;
      ParseStats stats;
      o.stats = &stats;
      Result<Snapshot> got = ParseSnapshot(text, "t.heapsnapshot", o);
      const std::string label = fmt::format("{}, {} thread(s), tasks of {} bytes", what, threads, chunk);
      EXPECT_EQ(got.ok(), want.ok()) << label << ": "
                                     << (got.ok() ? want.status().message() : got.status().message());
      if (got.ok() != want.ok()) continue;
      if (want.ok()) {
        ExpectSameSnapshot(*got, *want, label);
      } else {
        EXPECT_EQ(got.status().message(), want.status().message()) << label;
      }
      if (chunk == kChunks[std::size(kChunks) - 1] && threads == 2) taken = stats.arrays_parallel;
    }
  }
  par::SetThreads(0);
  return taken;
}

// A graph with every edge kind, locations, big sizes and ids near 2^32, in `layout`.
std::string Sample(Layout layout, int extra_nodes = 0) {
  SnapshotBuilder b;
  NodeIndex gc = b.GcRoots();
  NodeIndex obj = b.Node(NodeType::kObject, "Session", 32);
  NodeIndex fn = b.Node(NodeType::kClosure, "onMessage", 64);
  NodeIndex arr = b.Node(NodeType::kArray, "", 48);
  NodeIndex str = b.Node(NodeType::kString, "h\u00e9llo", 24);
  NodeIndex big = b.Node(NodeType::kNative, "system / JSArrayBufferData", uint64_t{5} << 40, 4294967295u);
  NodeIndex det = b.Node(NodeType::kNative, "<div>", 100, 4, /*detachedness=*/2);
  b.Edge(gc, obj, EdgeType::kInternal, "1 / handle");
  b.Edge(obj, fn, EdgeType::kProperty, "onMessage");
  b.Edge(obj, arr, EdgeType::kProperty, "tags");
  b.Element(arr, str, 0);
  b.Indexed(arr, big, EdgeType::kHidden, 4000000000u);
  b.Edge(fn, obj, EdgeType::kContext, "self");
  b.Edge(obj, det, EdgeType::kWeak, "el");
  b.Edge(gc, str, EdgeType::kShortcut, "s");
  b.Location(obj, 12, 3, 4, fn);
  b.Location(fn, 12, 10, 0, fn);
  std::mt19937 rng(7);
  std::vector<NodeIndex> nodes = {obj, fn, arr, str};
  for (int i = 0; i < extra_nodes; ++i) {
    NodeIndex n = b.Node(static_cast<NodeType>(rng() % 14), fmt::format("n{}", i % 37), rng() % 100000);
    b.Edge(nodes[rng() % nodes.size()], n, EdgeType::kProperty, fmt::format("p{}", i % 11));
    if (i % 3 == 0) b.Element(n, nodes[rng() % nodes.size()], static_cast<uint32_t>(rng()));
    if (i % 7 == 0) b.Location(n, i, i * 3, i % 80);
    nodes.push_back(n);
  }
  return b.ToJson(layout);
}

TEST(ParallelArrays, SameModelInEveryLayout) {
  for (Layout layout : {Layout::kNode20, Layout::kOld6, Layout::kNew6}) {
    const std::string text = Sample(layout, 60);
    EXPECT_EQ(ExpectBothPathsAgree(text, fmt::format("layout {}", static_cast<int>(layout))), 3u);
  }
}

TEST(ParallelArrays, ManyTasksAndThreadsOnALargerGraph) {
  const std::string text = Sample(Layout::kNode20, 3000);
  ParseOptions o;
  o.parallel_chunk_bytes = 97;  // hundreds of tasks per array
  ParseStats stats;
  o.stats = &stats;
  ParseOptions stream;
  stream.parallel_arrays = false;
  Result<Snapshot> a = ParseSnapshot(text, "t", o);
  Result<Snapshot> b = ParseSnapshot(text, "t", stream);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectSameSnapshot(*a, *b, "3000 extra nodes");
  EXPECT_EQ(stats.arrays_parallel, 3u);
}

TEST(ParallelArrays, PlainFilesTakeTheParallelPathGzipStreams) {
  const std::string text = Sample(Layout::kNode20, 200);
  const std::string dir = testing::ScratchDir();
  testing::WriteFile(dir + "/s.heapsnapshot", text);
  ASSERT_EQ(std::system(fmt::format("gzip -c '{0}/s.heapsnapshot' > '{0}/s.heapsnapshot.gz'", dir).c_str()), 0);
  ParseStats plain_stats, gz_stats;
  ParseOptions o;
  o.stats = &plain_stats;
  Result<Snapshot> plain = ParseSnapshotFile(dir + "/s.heapsnapshot", o);
  o.stats = &gz_stats;
  Result<Snapshot> gz = ParseSnapshotFile(dir + "/s.heapsnapshot.gz", o);
  ASSERT_TRUE(plain.ok() && gz.ok());
  ExpectSameSnapshot(*plain, *gz, "plain vs gzip");
  EXPECT_EQ(plain_stats.arrays_parallel, 3u);
  EXPECT_EQ(gz_stats.arrays_parallel, 0u);
  EXPECT_EQ(gz_stats.arrays_streamed, 3u);
}

// The base file of malformed_test.cc: 3 nodes, 2 edges, 5 strings.
std::string Base() {
  SnapshotBuilder b;
  NodeIndex a = b.Node(NodeType::kObject, "A", 10);
  NodeIndex s = b.Node(NodeType::kString, "hi", 5);
  b.Element(b.root(), a, 1);
  b.Edge(a, s, EdgeType::kProperty, "x");
  b.Location(a, 1, 2, 3);
  return b.ToJson(Layout::kNode20);
}

struct Edit {
  const char* name;
  const char* from;
  const char* to;
};

// Every error the streaming path reports inside or about the arrays, and the values the
// parallel path leaves to it, as edits of Base().
const Edit kEdits[] = {
    {"valid", "", ""},
    {"malformed_json", "\"edges\":[1,1,7,", "\"edges\":[1,1,7,,"},
    {"trailing_comma_nodes", "2,3,5,5,0,0,0]", "2,3,5,5,0,0,0,]"},
    {"trailing_comma_edges", "2,4,14]", "2,4,14,]"},
    {"leading_comma", "\"nodes\":[9", "\"nodes\":[,9"},
    {"missing_comma", "3,2,3,10,1,0,0", "3,2,3 10,1,0,0"},
    {"header_says_more_nodes", "\"node_count\":3", "\"node_count\":4"},
    {"header_says_fewer_nodes", "\"node_count\":3", "\"node_count\":2"},
    {"header_edge_count_differs", "\"edge_count\":2", "\"edge_count\":5"},
    {"nodes_not_a_multiple", "2,3,5,5,0,0,0]", "2,3,5,5,0,0]"},
    {"edges_not_a_multiple", "2,4,14]", "2,4]"},
    {"locations_not_a_multiple", "\"locations\":[7,1,2,3]", "\"locations\":[7,1,2]"},
    {"location_dropped", "\"locations\":[7,1,2,3]", "\"locations\":[8,1,2,3]"},
    {"location_past_last_node", "\"locations\":[7,1,2,3]", "\"locations\":[70,1,2,3]"},
    {"to_node_not_a_multiple", "2,4,14]", "2,4,15]"},
    {"to_node_out_of_range", "2,4,14]", "2,4,21]"},
    {"edge_count_sum_mismatch", "3,2,3,10,1,0,0", "3,2,3,10,2,0,0"},
    {"edges_beyond_the_sum", "3,2,3,10,1,0,0", "3,2,3,10,0,0,0"},
    {"node_name_out_of_range", "2,3,5,5,0,0,0]", "2,9,5,5,0,0,0]"},
    {"edge_name_out_of_range", "2,4,14]", "2,70,14]"},
    {"element_index_is_no_name", "1,1,7,", "1,70,7,"},
    {"absurd_node_type_index", "3,2,3,10,", "5000,2,3,10,"},
    {"undeclared_node_type", "3,2,3,10,", "40,2,3,10,"},
    {"absurd_edge_type_index", "2,4,14]", "5000,4,14]"},
    {"undeclared_edge_type", "2,4,14]", "9,4,14]"},
    {"negative_number", "3,2,3,10,", "3,2,3,-10,"},
    {"minus_zero", "3,2,3,10,", "3,2,3,-0,"},
    {"plus_sign", "3,2,3,10,", "3,2,3,+10,"},
    {"fractional_number", "3,2,3,10,", "3,2,3,10.5,"},
    {"integral_fraction", "3,2,3,10,", "3,2,3,10.0,"},
    {"exponent", "3,2,3,10,", "3,2,3,1e1,"},
    {"leading_zero", "3,2,3,10,", "3,2,3,010,"},
    {"zero", "3,2,3,10,", "3,2,3,0,"},
    {"u64_max_self_size", "3,2,3,10,", "3,2,3,18446744073709551615,"},
    {"self_size_sum_overflows", "2,3,5,5,0,0,0]", "2,3,5,18446744073709551615,0,0,0]"},
    {"past_u64", "3,2,3,10,", "3,2,3,18446744073709551616,"},
    {"twenty_digits", "3,2,3,10,", "3,2,3,10000000000000000000,"},
    {"twenty_one_digits", "3,2,3,10,", "3,2,3,100000000000000000000,"},
    {"many_leading_digits", "3,2,3,10,", "3,2,3,1234567890123456789012345678901234567890,"},
    {"id_over_32_bits", "3,2,3,10,", "3,2,4294967297,10,"},
    {"id_u32_max", "3,2,3,10,", "3,2,4294967295,10,"},
    {"edge_count_over_32_bits", "3,2,3,10,1,0,0", "3,2,3,10,4294967297,0,0"},
    {"name_over_32_bits", "3,2,3,10,", "3,4294967296,3,10,"},
    {"detachedness_256", "2,3,5,5,0,0,0]", "2,3,5,5,0,0,256]"},
    {"string_in_nodes", "3,2,3,10,", "3,2,3,\"10\","},
    {"bracket_in_a_string_in_nodes", "3,2,3,10,", "3,2,3,\"]\","},
    {"array_in_nodes", "3,2,3,10,", "3,2,3,[10],"},
    {"true_in_edges", "2,4,14]", "2,true,14]"},
    {"null_in_edges", "2,4,14]", "2,null,14]"},
    {"nul_byte", "3,2,3,10,", std::string_view("3,2,3,1\0,", 9).data()},
    {"high_byte", "3,2,3,10,", "3,2,3,1\xff,"},
    {"object_as_nodes", "\"nodes\":[", "\"nodes\":{\"a\":["},
    {"empty_nodes", "\"nodes\":[", "\"nodes\":[],\"x\":["},
    {"empty_edges_array", "\"edges\":[1,1,7,\n2,4,14]", "\"edges\":[]"},
    {"empty_edges_with_spaces", "\"edges\":[1,1,7,\n2,4,14]", "\"edges\":[ \n\t ]"},
    {"empty_locations", "\"locations\":[7,1,2,3]", "\"locations\":[]"},
    {"spaces_everywhere", ",", " \t,\r\n "},
    {"spaces_before_bracket", "2,4,14]", "2,4,14  \n\r\t  ]"},
    {"spaces_after_bracket", "\"edges\":[", "\"edges\":[ \n\n\t"},
    {"space_before_colon", "\"edges\":[", "\"edges\"  :  \n["},
    {"long_whitespace", "3,2,3,10,", "3,2,3,10                                                                                                                                              ,"},
    {"vertical_tab_is_no_json_space", "3,2,3,10,", "3,2,3,10\v,"},
    {"form_feed_is_no_json_space", "3,2,3,10,", "3,2,3,10\f,"},
    {"truncated_in_edges", "2,4,14]", "2,4,1"},
    {"duplicate_nodes", "\"samples\":[],", "\"samples\":[],\"nodes\":[1],"},
};

TEST(ParallelArrays, EveryErrorAndOddityAsTheStreamingPathReportsIt) {
  for (const Edit& e : kEdits) {
    std::string text = Base();
    if (*e.from != '\0') {
      size_t at = text.find(e.from);
      ASSERT_NE(at, std::string::npos) << e.name;
      std::string to = e.to;
      if (std::string_view(e.name) == "nul_byte") to = std::string("3,2,3,1\0,", 9);
      if (std::string_view(e.name) == "spaces_everywhere") {
        for (size_t p = text.find(',', text.find("\"nodes\"")); p != std::string::npos && p < text.find("\"strings\"");
             p = text.find(',', p + to.size()))
          text.replace(p, 1, to);
      } else if (std::string_view(e.name) == "truncated_in_edges") {
        text = text.substr(0, at) + to;
      } else {
        text.replace(at, std::string_view(e.from).size(), to);
      }
    }
    ExpectBothPathsAgree(text, e.name);
  }
}

// The cases above are decided by the JSON parser where the parallel path declines; make sure
// it does take the plain ones.
TEST(ParallelArrays, TakesValidArraysWithAnyWhitespaceAndHugeNumbers) {
  std::string text = Base();
  text.replace(text.find("3,2,3,10,"), 9, "3,2,3,18446744073709551600,");
  const std::string nodes_start = "\"nodes\":[";
  text.replace(text.find(nodes_start), nodes_start.size(), "\"nodes\" : \r\n[ \t");
  size_t p = text.find(",", text.find("\"edges\""));
  text.replace(p, 1, " ,\t");
  EXPECT_EQ(ExpectBothPathsAgree(text, "spaces and a huge self size"), 3u);
}

TEST(ParallelArrays, TruncatedAtEveryByteAgrees) {
  const std::string text = Base();
  const size_t begin = text.find("\"nodes\":[");
  const size_t end = text.find("\"strings\":");
  for (size_t cut = begin; cut < end; cut += 3) {
    ExpectBothPathsAgree(text.substr(0, cut), fmt::format("cut at {}", cut));
  }
}

// ---- The scanner's pieces ----------------------------------------------------------------

TEST(ArrayScanNumbers, EveryLengthAndBound) {
  using internal::scan::ParseNumber;
  std::vector<std::string> good = {"0", "7", "10", "99", "12345678", "123456789", "9999999999999999",
                                   "12345678901234567", "1844674407370955161", "18446744073709551615",
                                   "10000000000000000000"};
  for (uint64_t v = 1; v != 0 && v < UINT64_MAX / 3; v = v * 3 + 1) good.push_back(std::to_string(v));
  for (const std::string& s : good) {
    std::string buf = s + ",";
    buf.resize(buf.size() + 32, '\0');
    const char* p = buf.data();
    uint64_t v = 0;
    ASSERT_TRUE(ParseNumber(p, &v)) << s;
    EXPECT_EQ(v, std::stoull(s)) << s;
    EXPECT_EQ(p - buf.data(), static_cast<ptrdiff_t>(s.size())) << s;
  }
  for (const char* bad : {"18446744073709551616", "99999999999999999999", "100000000000000000000",
                          "00", "01", "0123456789"}) {
    std::string buf = std::string(bad) + "]";
    buf.resize(buf.size() + 32, '\0');
    const char* p = buf.data();
    uint64_t v = 0;
    EXPECT_FALSE(ParseNumber(p, &v)) << bad;
  }
}

TEST(ArrayScanCount, ValueStartsAndTheClosingBracket) {
  using internal::scan::CountStarts;
  std::mt19937 rng(3);
  for (int round = 0; round < 200; ++round) {
    std::string s;
    uint64_t values = 0;
    const int n = static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      if (i > 0) s += rng() % 4 == 0 ? " ,\n" : ",";
      s += std::to_string(rng() % 100000);
      ++values;
    }
    const size_t close = s.size();
    s += "],\"x\":[1,2,3]";
    for (size_t split = 0; split <= close; split += 1 + rng() % 17) {
      size_t c1 = 0, c2 = 0;
      const uint64_t first = CountStarts(s.data(), split, false, &c1);
      ASSERT_EQ(c1, split);  // no ']' before the split
      const bool prev_digit = split > 0 && s[split - 1] >= '0' && s[split - 1] <= '9';
      const uint64_t second = CountStarts(s.data() + split, s.size() - split, prev_digit, &c2);
      EXPECT_EQ(split + c2, close);
      EXPECT_EQ(first + second, values);
    }
  }
}

}  // namespace
}  // namespace heapscope::snapshot
