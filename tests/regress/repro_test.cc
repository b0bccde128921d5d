// Regression table for hostile and odd inputs (tests/regress/repro/, docs/hardening.md): every
// file that once crashed, hung, exhausted memory or was read silently wrong, run through the
// CLI. Each must end in exit 0 with the right answer or exit 2 with a message naming the file,
// the field (where there is one) and the byte offset. Children run under `ulimit -v` (4 GiB;
// not in sanitizer builds, whose shadow memory needs more address space), so an unbounded
// allocation fails the test instead of the machine; ctest's TIMEOUT guards against hangs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "heapscope/snapshot/parse.h"
#include "support/snapshot_builder.h"
#include "support/test_paths.h"

namespace heapscope {
namespace {

using testing::CommandResult;
using testing::HeapscopeBinary;
using testing::ScratchDir;
using testing::SourceDir;
using testing::WriteFile;

std::string Repro(const std::string& name) { return SourceDir() + "/tests/regress/repro/" + name; }

// Runs `heapscope ARGS` with its address space bounded to `limit_kib`.
CommandResult Heapscope(const std::string& args, uint64_t limit_kib = 4u << 20) {
#if defined(HEAPSCOPE_SANITIZERS)
  (void)limit_kib;
  return testing::Run(fmt::format("'{}' {}", HeapscopeBinary(), args));
#else
  return testing::Run(fmt::format("ulimit -v {}; '{}' {}", limit_kib, HeapscopeBinary(), args));
#endif
}

// A snapshot that is valid but for nothing, so `check` reaches its --policy/--baseline.
std::string TinySnapshot() {
  std::string path = ScratchDir() + "/tiny.heapsnapshot";
  testing::SnapshotBuilder b;
  WriteFile(path, b.ToJson());
  return path;
}

// ---- Metrics readers ----------------------------------------------------------------------

struct MetricsCase {
  const char* file;
  int exit_code;
  const char* message;  // stderr after "heapscope: FILE: " (exit 2), or a line of stdout (exit 0)
};

const MetricsCase kMetricsCases[] = {
    // RapidJSON's DOM parse recursed once per level: a stack overflow at ~130,000 levels.
    {"crash-metrics-json-nested-140k.json.gz", 2,
     "byte 256: line 1, column 257: JSON nested deeper than 256 levels is refused"},
    // RapidJSON 1.1.0's full-precision parse segfaulted on this number; now it is read by
    // from_chars, and the document is simply not a DataFrame.
    {"crash-metrics-json-number-e-330.json", 2,
     "byte 0: line 1, column 1: [0].schema: missing or not an object"},
    {"asan-heap-overflow-metrics-json-NaNe-400-bare.json", 2,
     "byte 0: line 1, column 1: [0].schema: missing or not an object"},
    {"asan-heap-overflow-metrics-json-NaNe-400.json", 2,
     "byte 98: line 1, column 99: data.result[0].values[0]: invalid timestamp NaNe-400"},
    // Was read as 0.
    {"silent-metrics-json-NaNe3-accepted.json", 2,
     "byte 98: line 1, column 99: data.result[0].values[0]: invalid timestamp NaNe3"},
    // Out-of-range timestamps were cast with UB and collapsed onto one sample.
    {"silent-om-timestamps-1e300.om", 2,
     "byte 15: line 2, column 1: timestamp out of range (heapscope reads Unix times up to the "
     "year 9999)"},
    {"ub-silent-timestamps-out-of-int64.prom", 2,
     "byte 15: line 2, column 1: timestamp out of range (heapscope reads Unix times up to the "
     "year 9999)"},
    {"ub-metrics-ts-3.4e15s-memory-limit.json", 2,
     "byte 140: line 1, column 141: data.result[0].values[0]: timestamp out of range (heapscope "
     "reads Unix times up to the year 9999)"},
    // clz(0) inside RapidJSON; 0e40 is zero.
    {"ubsan-build-san-metrics-0e40.json", 0, "m       1  0 s   1 → 1"},
    // A start time of 3e33 s overflowed the date arithmetic (years like 292278994).
    {"ub-metrics-start-time-3e33.json", 0,
     "  [restart] restart at 2024-02-15 00:00:28 UTC: process_start_time_seconds changed "
     "1981-06-23 18:53:45 UTC → after 9999-12-31 UTC "
     "(proprocess_start_time_seconds{job=\"check\"})"},
    // libFuzzer findings.
    {"fuzz/metrics_api-analysis-cc-451-52-signed-integer-overflow.input", 2,
     "byte 116: line 1, column 117: data.result[0].values[0]: timestamp out of range (heapscope "
     "reads Unix times up to the year 9999)"},
    {"fuzz/metrics_api-analysis-cc-87-50-signed-integer-overflow.input", 0,
     "  [restart] restart at 1970-01-20 18:25:40 UTC: process_start_time_seconds changed after "
     "9999-12-31 UTC → 1970-01-01 00:00:03 UTC (prprocess_start_time_seconds{job=\"ceck\"})"},
    {"fuzz/metrics_api-parse_json-cc-27-9-deadly-signal.input", 2,
     "byte 223: line 1, column 224: invalid JSON: Missing a comma or ']' after an array element."},
    {"fuzz/metrics_api-parse_json-cc-27-9-index-out-of-bounds.input", 2,
     "byte 0: not a metrics export heapscope reads (Prometheus text/OpenMetrics, Prometheus API "
     "JSON, Grafana CSV or DataFrame JSON); see docs/metrics.md"},
    {"fuzz/metrics_api-parse_json-cc-27-9-passing-zero-to-clz-zero.input", 2,
     "byte 0: not a metrics export heapscope reads (Prometheus text/OpenMetrics, Prometheus API "
     "JSON, Grafana CSV or DataFrame JSON); see docs/metrics.md"},
    {"fuzz/metrics_api-parse_json-cc-27-9-signed-integer-overflow.input", 2,
     "byte 0: not a metrics export heapscope reads (Prometheus text/OpenMetrics, Prometheus API "
     "JSON, Grafana CSV or DataFrame JSON); see docs/metrics.md"},
    {"fuzz/metrics_text-parse_text-cc-92-39-float-cast-overflow.input", 2,
     "byte 0: line 1, column 1: timestamp out of range (heapscope reads Unix times up to the "
     "year 9999)"},
};

class MetricsRepro : public ::testing::TestWithParam<MetricsCase> {};

TEST_P(MetricsRepro, ExitsCleanlyWithTheRightAnswer) {
  const MetricsCase& c = GetParam();
  const std::string path = Repro(c.file);
  CommandResult r = Heapscope(fmt::format("metrics '{}'", path));
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  if (c.exit_code == 2) {
    EXPECT_EQ(r.err, fmt::format("heapscope: {}: {}\n", path, c.message));
    EXPECT_EQ(r.out, "");
  } else {
    EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("292278994"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Regress, MetricsRepro, ::testing::ValuesIn(kMetricsCases),
                         [](const ::testing::TestParamInfo<MetricsCase>& i) {
                           std::string n = i.param.file;
                           for (char& ch : n)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

// The edge forms of JSON numbers, one Prometheus API sample each: exact values or a refusal
// naming the token, never RapidJSON's own conversion.
TEST(MetricsJsonNumbers, EdgeFormsAreExactOrRefused) {
  const std::string dir = ScratchDir();
  auto run = [&](const std::string& ts) {
    const std::string path = dir + "/n.json";
    WriteFile(path, R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":)"
                    R"({"__name__":"m"},"values":[[)" +
                        ts + R"(,"1"]]}]}})");
    return Heapscope(fmt::format("metrics '{}' --format json", path));
  };
  for (const char* bad : {"NaN", "NaNe3", "NaN.5", "NaNe-400", "Infinity", "-Infinity",
                          "1.00000000000000000001e-330"}) {
    CommandResult r = run(bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find(fmt::format("data.result[0].values[0]: invalid timestamp {}\n", bad)),
              std::string::npos)
        << r.err;
  }
  // 0e40 is 0 (RapidJSON 1.1.0 computed clz(0) on it); 1.7e9 with 20 fraction digits rounds
  // to the millisecond.
  for (auto [text, seconds] : {std::pair{"0e40", "0"}, std::pair{"1700000000.12300000000000000001",
                                                              "1700000000.123"}}) {
    CommandResult r = run(text);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(fmt::format("\"first_time\":{}", seconds)), std::string::npos)
        << text << ": " << r.out;
  }
}

// ---- Sizes: /dev/zero and gzip bombs --------------------------------------------------------

TEST(InputSize, DevZeroIsRefusedAsMetricsPolicyAndBaseline) {
  CommandResult m = Heapscope("metrics /dev/zero");
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_EQ(m.err,
            "heapscope: /dev/zero: byte 268435456: a metrics export larger than 256.0 MiB (the "
            "limit for such files) is refused\n");
  const std::string snap = TinySnapshot();
  for (const char* what : {"policy", "baseline"}) {
    CommandResult r = Heapscope(fmt::format("check '{}' --{} /dev/zero", snap, what));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, fmt::format("heapscope: /dev/zero: byte 16777216: a {} file larger than "
                                 "16.0 MiB (the limit for such files) is refused\n",
                                 what));
  }
}

TEST(InputSize, GzipBombIsRefusedAfterDecompressionWithinTheBudget) {
  const std::string snap = TinySnapshot();  // first: ScratchDir() empties the folder
  const std::string bomb = snap.substr(0, snap.rfind('/')) + "/bomb.json.gz";
  // 40 MiB of zeros in ~40 KB; with --max-memory 64M the limit is half the budget, 32 MiB.
  ASSERT_EQ(testing::Run(fmt::format("(head -c 41943040 /dev/zero | gzip -1 > '{}')", bomb))
                .exit_code,
            0);
  CommandResult r = Heapscope(fmt::format("--max-memory 64M metrics '{}'", bomb));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("heapscope: {}: byte 33554432: a metrics export larger than "
                               "32.0 MiB (half the memory budget) is refused (after "
                               "decompression)\n",
                               bomb));
  CommandResult p = Heapscope(fmt::format("check '{}' --policy '{}'", snap, bomb));
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_EQ(p.err, fmt::format("heapscope: {}: byte 16777216: a policy file larger than 16.0 MiB "
                               "(the limit for such files) is refused (after decompression)\n",
                               bomb));
}

// ---- Policy and baseline files ----------------------------------------------------------------

TEST(ConfigFiles, DeepNestingAndTruncatedUtf8AreRefused) {
  const std::string snap = TinySnapshot();
  struct {
    const char* flag;
    const char* file;
    const char* message;
  } cases[] = {
      {"policy", "crash-policy-nested-270k.json.gz",
       "byte 256: JSON nested deeper than 256 levels is refused"},
      {"baseline", "crash-baseline-nested-270k.json.gz",
       "byte 256: JSON nested deeper than 256 levels is refused"},
      {"policy", "asan-heap-overflow-read-policy-utf8-lead-at-eof.json",
       "byte 15: malformed JSON: invalid or truncated UTF-8 sequence"},
      {"baseline", "asan-stack-overflow-read-policy-utf8-lead-at-eof.json",
       "byte 13: malformed JSON: invalid or truncated UTF-8 sequence"},
  };
  for (const auto& c : cases) {
    const std::string path = Repro(c.file);
    CommandResult r = Heapscope(fmt::format("check '{}' --{} '{}'", snap, c.flag, path));
    EXPECT_EQ(r.exit_code, 2) << c.file;
    EXPECT_EQ(r.err, fmt::format("heapscope: {}: {}\n", path, c.message));
  }
}

// ---- Snapshots: memory budget -----------------------------------------------------------------

TEST(MemoryBudget, AbsurdNodeCountIsRefusedBeforeAnyReservation) {
  const std::string path = Repro("abort-under-ulimit-nodecount-2e9.heapsnapshot");
  // Under ulimit -v 8 GiB (it aborted with bad_alloc there): the budget comes from RLIMIT_AS.
  CommandResult r = Heapscope(fmt::format("summary '{}'", path), 8u << 20);
  EXPECT_EQ(r.exit_code, 2);
  const std::string head = fmt::format(
      "heapscope: {}: field 'snapshot': byte 869: node_count 2000000000 and edge_count 18 would "
      "need 48.4 GiB of memory, more than the budget of ",
      path);
  EXPECT_EQ(r.err.substr(0, head.size()), head) << r.err;
  // With an explicit budget the message is exact.
  CommandResult e = Heapscope(fmt::format("--max-memory 1G summary '{}'", path));
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_EQ(e.err, head + "1.0 GiB (available memory, ulimit -v, cgroup limit; raise it with "
                          "--max-memory if the header is right)\n");
}

TEST(MemoryBudget, FilesWithoutCountsAreCheckedWhileTheyGrow) {
  // 1,100,000 nodes and no node_count/edge_count: checked every 2^20 nodes.
  std::string json =
      R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],)"
      R"("node_types":[["hidden","object"]],"edge_fields":["type","name_or_index","to_node"],)"
      R"("edge_types":[["internal"]]}},"nodes":[)";
  const int kNodes = 1'100'000;
  for (int i = 0; i < kNodes; ++i) json += i == 0 ? "1,0,1,8,0" : ",1,0,1,8,0";
  json += R"(],"edges":[],"strings":[""]})";
  snapshot::ParseOptions o;
  o.max_model_bytes = 16u << 20;
  Result<snapshot::Snapshot> r = snapshot::ParseSnapshot(json, "big.heapsnapshot", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(
                "big.heapsnapshot: field 'nodes': byte 10485973: the model needs more than the "
                "memory budget of 16.0 MiB after 1048577 nodes and 0 bytes of strings"),
            std::string::npos)
      << r.status().message();
  o.max_model_bytes = 64u << 20;
  Result<snapshot::Snapshot> ok = snapshot::ParseSnapshot(json, "big.heapsnapshot", o);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->node_count(), static_cast<uint32_t>(kNodes));
  EXPECT_EQ(ok->diagnostics.header_counts_missing, 1u);
  EXPECT_EQ(ok->diagnostics.duplicate_node_ids, static_cast<uint64_t>(kNodes - 1));
}

// ---- Snapshots: hangs ---------------------------------------------------------------------------

TEST(AdversarialGraphs, ParallelRootEdgesStayLinear) {
  // A root with 1,000,000 (100,000) parallel edges to one node: queued once per edge, the
  // distance BFS was quadratic (> 60 s, 11.8 s).
  for (const char* f : {"hang-distances-wide-1m-dup-edges.heapsnapshot.gz",
                        "hang-distances-wide-100k.heapsnapshot.gz"}) {
    CommandResult r = Heapscope(fmt::format("analyze '{}' --format json", Repro(f)));
    EXPECT_EQ(r.exit_code, 0) << f << ": " << r.err;
    CommandResult s = Heapscope(fmt::format("summary --retained '{}'", Repro(f)));
    EXPECT_EQ(s.exit_code, 0) << f << ": " << s.err;
  }
}

TEST(AdversarialGraphs, KShortestPathsOnALongChain) {
  // paths -k 3 to the end of a 100,000-node chain walked each partial path per expansion:
  // 15.6 s. There is one simple path, 99,999 steps long.
  CommandResult r = Heapscope(
      fmt::format("paths '{}' --id 199999 -k 3", Repro("hang-paths-chain-100k.heapsnapshot.gz")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find("\n\n")),
            "Target  Link @199999 (object, self 16, retained 16, distance 99999)\n"
            "Paths   1 (of at most 3; weak edges skipped)");
  EXPECT_NE(r.out.find("\nPath 1 (99999 steps, preferred)\n"), std::string::npos);
}

// ---- Snapshots: silent damage -----------------------------------------------------------------

TEST(SilentDamage, SelfSizeSumOverflowIsRefused) {
  const std::string path = Repro("silent-selfsize-sum-overflow.heapsnapshot");
  CommandResult r = Heapscope(fmt::format("summary '{}'", path));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("heapscope: {}: field 'nodes': byte 937: node 1: self_size "
                               "18446744073709551615 makes the total of self sizes exceed 2^64 "
                               "- 1 bytes\n",
                               path));
}

TEST(SilentDamage, DuplicateIdsAreCounted) {
  CommandResult r =
      Heapscope(fmt::format("summary '{}'", Repro("silent-duplicate-ids.heapsnapshot")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  duplicate_node_ids  12\n"), std::string::npos) << r.out;
}

TEST(SilentDamage, DuplicateHeaderKeysAreCountedTheLastOneCounts) {
  testing::SnapshotBuilder b;
  std::string json = b.ToJson();
  const size_t at = json.find("\"node_count\":");
  ASSERT_NE(at, std::string::npos);
  json.insert(at, "\"node_count\":99,");
  Result<snapshot::Snapshot> s = snapshot::ParseSnapshot(json, "dup.heapsnapshot");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->diagnostics.duplicate_header_keys, 1u);
  EXPECT_EQ(s->header_node_count, s->node_count());
}

TEST(SilentDamage, TrailingDataIsRefused) {
  testing::SnapshotBuilder b;
  const std::string json = b.ToJson();
  const std::string path = ScratchDir() + "/trailing.heapsnapshot";
  WriteFile(path, json + " {}");
  CommandResult r = Heapscope(fmt::format("summary '{}'", path));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("heapscope: {}: field 'strings': byte {}: malformed JSON: The "
                               "document root must not be followed by other values.\n",
                               path, json.size() + 1));
}

}  // namespace
}  // namespace heapscope
