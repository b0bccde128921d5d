// Metric analysis: the incident's own numbers, relations, restarts, the join to findings, the
// outputs, and the CLI end to end.
#include "heapscope/metrics/analysis.h"
#include "heapscope/run_metrics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "support/test_paths.h"

namespace heapscope::metrics {
namespace {

using ::heapscope::testing::HeapscopeBinary;
using ::heapscope::testing::ReadFile;
using ::heapscope::testing::ScratchDir;
using ::heapscope::testing::SourceDir;

std::string FixturePath(const std::string& name) {
  return SourceDir() + "/tests/metrics/fixtures/" + name;
}

MetricsAnalysis Load(const std::vector<std::string>& files, const MetricsOptions& o = {}) {
  Result<MetricsAnalysis> a = LoadMetrics(files, o);
  EXPECT_TRUE(a.ok()) << a.status().message();
  return std::move(a).value();
}

int Index(const MetricsAnalysis& a, const std::string& id) {
  for (size_t i = 0; i < a.set.series.size(); ++i)
    if (SeriesId(a.set.series[i]) == id) return static_cast<int>(i);
  ADD_FAILURE() << "no series " << id;
  return 0;
}

std::vector<std::string> Kinds(const MetricsAnalysis& a) {
  std::vector<std::string> k;
  for (const Relation& r : a.relations) k.push_back(r.kind);
  return k;
}

void ExpectRel(double actual, double expected, double rel = 1e-10) {
  EXPECT_LE(std::fabs(actual - expected), rel * std::fabs(expected))
      << actual << " vs " << expected;
}

constexpr const char* kMemory =
    "container_memory_working_set_bytes{container=\"api\",pod=\"collabcanvas-api-prod-1\"}";
constexpr const char* kListeners =
    "nodejs_eventloop_listeners_count{event=\"heartbeat\",pod=\"collabcanvas-api-prod-1\"}";

// The dashboard numbers of the incident (seed/incident-presence-leak.md): memory 512 MB at 00:00
// to 1,284 MB at 02:48, heartbeat listeners 47 → 1,892, limit 1.3 GB, 7,922 disconnects against
// 298 listener removals. Expected values computed independently (plain two-pass OLS in Python).
TEST(Incident, OpenMetricsFixture) {
  MetricsAnalysis a = Load({FixturePath("incident.om")});
  ASSERT_TRUE(a.limit_bytes);
  EXPECT_EQ(*a.limit_bytes, 1.3e9);
  EXPECT_EQ(a.limit_source,
            "container_spec_memory_limit_bytes{container=\"api\",pod=\"collabcanvas-api-prod-1\"}");

  const SeriesStats& mem = a.stats[Index(a, kMemory)];
  EXPECT_EQ(mem.role, SeriesRole::kMemory);
  EXPECT_EQ(mem.samples, 7u);
  ExpectRel(*mem.slope, 77958.4813499);                // bytes per second
  ExpectRel(*mem.slope * 900 / 1e6, 70.162633, 1e-8);  // MB per 15 min (the incident says "~40")
  ExpectRel(*mem.r2, 0.996988168613);
  ExpectRel(*mem.slope_stderr, 1916.23466943);
  ASSERT_TRUE(mem.time_to_limit);
  ExpectRel(mem.time_to_limit->seconds, 342.581701673);  // 5.7 min after 02:48 → 02:53:42
  ExpectRel(*mem.time_to_limit->seconds_low, 326.83567962);
  ExpectRel(*mem.time_to_limit->seconds_high, 359.921715712);
  EXPECT_EQ(mem.time_to_limit->from_ms, 1707965280000);

  const SeriesStats& lis = a.stats[Index(a, kListeners)];
  EXPECT_EQ(lis.role, SeriesRole::kListenerGauge);
  ExpectRel(*lis.slope, 0.186930136175);  // 673 listeners per hour
  ExpectRel(*lis.r2, 0.985253824761);
  EXPECT_FALSE(lis.flat);

  EXPECT_EQ(Kinds(a),
            (std::vector<std::string>{"listener-growth", "time-to-limit", "churn-mismatch"}));
  EXPECT_EQ(a.relations[2].text,
            "7,922 disconnects (websocket_disconnects_total) but only 298 listener removals "
            "(socket_listener_removed_total, 3.8%): 7,624 disconnects left their listeners behind");
  EXPECT_EQ(
      a.relations[1].text,
      "at +280.7 MB/h, "
      "container_memory_working_set_bytes{container=\"api\",pod=\"collabcanvas-api-prod-1\"} "
      "reaches the 1.30 GB limit "
      "(container_spec_memory_limit_bytes{container=\"api\",pod=\"collabcanvas-api-prod-1\"}) "
      "5.7 min after its last sample, at 2024-02-15 02:53:42 UTC (95% slope range: 5.4 min to 6.0 "
      "min)");
  EXPECT_EQ(a.relations[0].event, "heartbeat");
}

TEST(Incident, ProjectionFromTwoThirtyAndTheGrafanaCsvAgree) {
  // The Grafana CSV (formatted: "512 MB", dashboard-time strings) holds the same numbers: the
  // same slope to the last bit. With --memory-limit 1.3GB and the data up to 02:30 only, the
  // projection says 25.4 min after 02:30 (02:55); the pod was killed at 02:48 — the linear fit
  // lags a curve that accelerates (+111, +125, +143, +156, +151 MB per 30 min).
  MetricsAnalysis om = Load({FixturePath("incident.om")});
  MetricsOptions o;
  o.memory_limit_bytes = 1.3e9;
  MetricsAnalysis csv = Load({FixturePath("incident-grafana.csv")}, o);
  EXPECT_EQ(*csv.stats[Index(csv, kMemory)].slope, *om.stats[Index(om, kMemory)].slope);
  EXPECT_EQ(*csv.stats[Index(csv, kListeners)].slope, *om.stats[Index(om, kListeners)].slope);

  MetricSet until_0230 = csv.set;
  for (Series& s : until_0230.series) s.samples.resize(6);
  MetricsAnalysis early = AnalyzeMetrics(until_0230, o);
  const SeriesStats& mem = early.stats[Index(early, kMemory)];
  ExpectRel(mem.time_to_limit->seconds / 60, 25.44891640866874);
  EXPECT_EQ(mem.time_to_limit->from_ms, 1707964200000);  // 02:30
}

// A synthetic leak under a flat load, and the same memory growth under growing load.
MetricSet LoadShaped(bool load_grows) {
  MetricSet set;
  Series mem{
      "process_resident_memory_bytes", {{"instance", "a"}}, MetricType::kGauge, false, "t", {}};
  Series conn{
      "presence_active_connections", {{"instance", "a"}}, MetricType::kGauge, false, "t", {}};
  for (int i = 0; i < 60; ++i) {
    int64_t t = 1707955200000 + i * 60000;
    mem.samples.push_back({t, 3e8 + 1e6 * i + (i % 3) * 2e5});
    conn.samples.push_back({t, load_grows ? 100.0 + 5 * i : 312.0 + (i % 5) - 2});
  }
  set.series = {mem, conn};
  return set;
}

TEST(Relations, GrowthRegardlessOfLoad) {
  MetricsAnalysis a = AnalyzeMetrics(LoadShaped(false), {});
  ASSERT_EQ(Kinds(a), (std::vector<std::string>{"growth-regardless-of-load"}));
  EXPECT_TRUE(a.stats[1].flat);
  EXPECT_EQ(a.relations[0].text,
            "process_resident_memory_bytes{instance=\"a\"} grows +60.0 MB/h (R² 1.000) while "
            "presence_active_connections{instance=\"a\"} stays between 310 and 314 (+0.4/h, "
            "correlation 0.08): memory grows regardless of load");
  MetricsAnalysis b = AnalyzeMetrics(LoadShaped(true), {});
  EXPECT_EQ(Kinds(b), (std::vector<std::string>{"growth-with-load"}));
}

TEST(Relations, ChurnBalancedAndFlatGauges) {
  MetricSet set;
  Series disc{"presence_disconnects_total", {}, MetricType::kCounter, true, "t", {}};
  Series rem{"presence_listener_removals_total",
             {{"emitter", "presence_service"}, {"event", "heartbeat"}},
             MetricType::kCounter,
             true,
             "t",
             {}};
  Series lis{"presence_listeners",
             {{"emitter", "sockets"}, {"event", "heartbeat"}},
             MetricType::kGauge,
             false,
             "t",
             {}};
  for (int i = 0; i < 30; ++i) {
    int64_t t = 1707955200000 + i * 1000;
    disc.samples.push_back({t, 10.0 * i});
    rem.samples.push_back({t, 10.0 * i});
    lis.samples.push_back({t, 30.0 + (i % 2)});  // connections come and go: flat
  }
  set.series = {disc, rem, lis};
  MetricsAnalysis a = AnalyzeMetrics(set, {});
  EXPECT_TRUE(a.stats[2].flat);
  ASSERT_EQ(Kinds(a), (std::vector<std::string>{"churn-balanced"}));
  EXPECT_EQ(a.relations[0].text,
            "290 disconnects (presence_disconnects_total) and 290 'heartbeat' listener removals on "
            "presence_service (presence_listener_removals_total, 100.0%): listeners are removed on "
            "disconnect");
}

TEST(Restarts, StartTimeChangeAndNewPod) {
  MetricSet set;
  Series start{"process_start_time_seconds", {{"pod", "p-1"}}, MetricType::kGauge, false, "t", {}};
  start.samples = {{1000000, 900}, {2000000, 900}, {3000000, 2950}};
  Series next{"process_start_time_seconds", {{"pod", "p-2"}}, MetricType::kGauge, false, "t", {}};
  next.samples = {{4000000, 3990}};
  Series reset{"x_total", {},  MetricType::kCounter,
               true,      "t", {{1000000, 5}, {2000000, 9}, {3000000, 1}, {4000000, 4}}};
  set.series = {start, next, reset};
  MetricsAnalysis a = AnalyzeMetrics(set, {});
  ASSERT_EQ(a.restarts.size(), 2u);
  EXPECT_EQ(a.restarts[0].t_ms, 3000000);
  EXPECT_EQ(a.restarts[0].reason,
            "process_start_time_seconds changed 1970-01-01 00:15:00 UTC → 1970-01-01 00:49:10 UTC");
  EXPECT_EQ(a.restarts[1].t_ms, 4000000);
  EXPECT_EQ(a.restarts[1].reason, "new series identity: pod \"p-1\" → \"p-2\"");
  EXPECT_EQ(a.stats[2].resets, 1u);
  EXPECT_EQ(*a.stats[2].increase, 4 - 5 + 9);
}

TEST(Join, DamageCountersReachTheReportDiagnostics) {
  MetricsAnalysis a;
  a.set.stats.conflicting_samples = 3;
  a.set.stats.empty_cells = 2;
  report::Report r;
  r.diagnostics = {{"locations_dropped", 1}};
  AttachMetricEvidence(a, r);
  std::vector<std::pair<std::string, uint64_t>> expected = {
      {"locations_dropped", 1}, {"metrics.conflicting_samples", 3}, {"metrics.empty_cells", 2}};
  EXPECT_EQ(r.diagnostics, expected);
}

TEST(Join, EvidenceGoesToFindingsWithTheSameEvent) {
  MetricsAnalysis a = Load({FixturePath("incident.om")});
  report::Report r;
  report::Finding hb;
  hb.event = "heartbeat";
  report::Finding cursor;
  cursor.event = "cursor-move";
  report::Finding nested;
  nested.event = "heartbeat";
  cursor.secondary.push_back(nested);
  report::Finding closure;  // not a listener finding: no evidence
  r.findings = {hb, cursor, closure};
  AttachMetricEvidence(a, r);

  ASSERT_EQ(r.findings[0].evidence.size(), 3u);
  EXPECT_EQ(r.findings[0].evidence[0].kind, "listener-gauge-growth");
  EXPECT_EQ(r.findings[0].evidence[0].series, kListeners);
  ExpectRel(r.findings[0].evidence[0].slope_per_second, 0.186930136175);
  EXPECT_EQ(r.findings[0].evidence[0].text,
            std::string(kListeners) + " grew 47 → 1,892 over 2h48m (+673/h, R² 0.985)");
  EXPECT_EQ(r.findings[0].evidence[1].kind, "churn-mismatch");  // the relation has no event label
  EXPECT_EQ(r.findings[0].evidence[2].kind, "memory-growth");
  ExpectRel(*r.findings[0].evidence[2].time_to_limit_seconds, 342.581701673);
  // cursor-move: no cursor-move gauge, but churn and memory still apply.
  ASSERT_EQ(r.findings[1].evidence.size(), 2u);
  EXPECT_EQ(r.findings[1].evidence[0].kind, "churn-mismatch");
  ASSERT_EQ(r.findings[1].secondary[0].evidence.size(), 3u);
  EXPECT_TRUE(r.findings[2].evidence.empty());

  ASSERT_EQ(r.metrics.size(), 7u);
  EXPECT_EQ(r.metric_files, std::vector<std::string>{FixturePath("incident.om")});
  EXPECT_EQ(r.relations.size(), 3u);
  const report::MetricSeries& m = r.metrics[Index(a, kMemory)];
  EXPECT_EQ(m.samples, 7u);
  EXPECT_EQ(m.first_time, 1707955200.0);
  EXPECT_EQ(m.last_time, 1707965280.0);
  EXPECT_EQ(*m.limit_bytes, 1.3e9);
  EXPECT_EQ(m.points.size(), 7u);
}

TEST(Join, ReportPointsAreDownsampledButKeepTheEnds) {
  MetricSet set = LoadShaped(false);
  MetricsAnalysis a = AnalyzeMetrics(set, {});
  auto rows = ToReportSeries(a, 7);
  ASSERT_EQ(rows[0].points.size(), 8u);  // every 9th of 60 (0, 9, …, 54) + the last
  EXPECT_EQ(rows[0].points.back().first, (1707955200000 + 59 * 60000) / 1000.0);
}

TEST(Render, JsonHasTheIssueFields) {
  MetricsAnalysis a = Load({FixturePath("incident.om")});
  std::string json = RenderMetricsJson(a);
  rapidjson::Document d;
  d.Parse(json.c_str());
  ASSERT_FALSE(d.HasParseError());
  ASSERT_TRUE(d["series"].IsArray());
  ASSERT_EQ(d["series"].Size(), 7u);
  const auto& s = d["series"][0];
  for (const char* key : {"name", "labels", "samples", "slope_per_second", "r2", "resets",
                          "increase", "time_to_limit_seconds"})
    EXPECT_TRUE(s.HasMember(key)) << key;
  EXPECT_STREQ(s["name"].GetString(), "container_memory_working_set_bytes");
  EXPECT_STREQ(s["labels"]["pod"].GetString(), "collabcanvas-api-prod-1");
  EXPECT_EQ(s["samples"].GetUint64(), 7u);
  ExpectRel(s["time_to_limit_seconds"].GetDouble(), 342.581701673);
  EXPECT_TRUE(s["increase"].IsNull());  // a gauge
  EXPECT_EQ(d["series"][3]["increase"].GetDouble(), 7922);
  ASSERT_EQ(d["relations"].Size(), 3u);
  EXPECT_STREQ(d["relations"][2]["kind"].GetString(), "churn-mismatch");
  EXPECT_EQ(d["limit"]["bytes"].GetDouble(), 1.3e9);
}

TEST(Cli, TextJsonAndErrors) {
  std::string dir = ScratchDir();
  std::string bin = HeapscopeBinary();
  auto r =
      ::heapscope::testing::Run(fmt::format("'{}' metrics '{}'", bin, FixturePath("incident.om")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[churn-mismatch] 7,922 disconnects"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5.7 min (5.4 min–6.0 min)"), std::string::npos) << r.out;

  std::string out = dir + "/m.json";
  r = ::heapscope::testing::Run(
      fmt::format("'{}' metrics '{}' '{}' --format json -o '{}' --memory-limit 1.25GiB", bin,
                  FixturePath("incident.om"), FixturePath("api-query-matrix.json"), out));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  rapidjson::Document d;
  std::string text = ReadFile(out);
  d.Parse(text.c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(d["series"].Size(), 8u);
  EXPECT_EQ(d["limit"]["bytes"].GetDouble(), 1.25 * 1073741824);
  EXPECT_STREQ(d["limit"]["source"].GetString(), "--memory-limit");

  std::string bad = dir + "/bad.prom";
  ::heapscope::testing::WriteFile(bad, "ok 1\nbroken{a=\"1\" 2\n");
  r = ::heapscope::testing::Run(fmt::format("'{}' metrics '{}' -o '{}/never.json'", bin, bad, dir));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      fmt::format("heapscope: {}: byte 18: line 2, column 14: expected ',' or '}}' in label set\n",
                  bad));
  EXPECT_FALSE(std::filesystem::exists(dir + "/never.json"));

  r = ::heapscope::testing::Run(
      fmt::format("'{}' metrics '{}' --memory-limit lots", bin, FixturePath("incident.om")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "heapscope: --memory-limit: expected bytes like 1395864371, 1.3GB or 1.25GiB, got 'lots'\n");
  r = ::heapscope::testing::Run(fmt::format("'{}' metrics '{}/missing.om'", bin, dir));
  EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, PromqlAtEvaluationTime) {
  // The raw samples of hs_requests_total[15s] at 1707955245.5 (a real Prometheus response).
  // Prometheus 2.42 answered resets() = 1 and increase() = 106.5 · extrapolation for it; here:
  // the window [1707955230.5, 1707955245.5] holds all 15 samples.
  auto r = ::heapscope::testing::Run(
      fmt::format("'{}' metrics '{}' --at 1707955245.5 --range 15s --format json",
                  HeapscopeBinary(), FixturePath("api-query-matrix.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_FALSE(d.HasParseError());
  const auto& p = d["series"][0]["promql"];
  EXPECT_EQ(p["window_samples"].GetUint64(), 15u);
  EXPECT_EQ(p["resets"].GetUint64(), 1u);
  // 106.5 over 13.716 s sampled; 0.319 s to the start (< 1.1 × 0.97 s average) and 0.965 s to
  // the end (< 1.1 × avg as well): 106.5 · (13.617 + 0.319 + 0.965) / 13.617.
  EXPECT_DOUBLE_EQ(p["increase"].GetDouble(), 106.5 * (13.716 + 0.319 + 0.965) / 13.716);
}

}  // namespace
}  // namespace heapscope::metrics
