// Metric readers: every supported format, from the formats' own documentation and from real
// Prometheus 2.42 output (tests/metrics/fixtures/api-*.json), and their errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "heapscope/metrics/metrics.h"
#include "support/test_paths.h"

namespace heapscope::metrics {
namespace {

using ::heapscope::testing::ReadFile;
using ::heapscope::testing::SourceDir;

std::string Fixture(const std::string& name) {
  return ReadFile(SourceDir() + "/tests/metrics/fixtures/" + name);
}

MetricSet MustParse(const std::string& text, const std::string& file = "in") {
  MetricSet set;
  Status st = ParseMetrics(text, file, &set);
  EXPECT_TRUE(st.ok()) << st.message();
  return set;
}

std::string ParseError(const std::string& text, const std::string& file = "in") {
  MetricSet set;
  Status st = ParseMetrics(text, file, &set);
  EXPECT_FALSE(st.ok());
  return st.message();
}

const Series* Find(const MetricSet& set, const std::string& id) {
  for (const Series& s : set.series)
    if (SeriesId(s) == id) return &s;
  return nullptr;
}

// --- Prometheus text 0.0.4 -----------------------------------------------------------------

// The example of prometheus/docs content/docs/instrumenting/exposition_formats.md.
constexpr const char* kExpositionExample =
    R"(# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="0.2"} 100392
http_request_duration_seconds_bucket{le="0.5"} 129389
http_request_duration_seconds_bucket{le="1"} 133988
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# Finally a summary, which has a complex representation, too:
# HELP rpc_duration_seconds A summary of the RPC duration in seconds.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.01"} 3102
rpc_duration_seconds{quantile="0.05"} 3272
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds{quantile="0.9"} 9001
rpc_duration_seconds{quantile="0.99"} 76656
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
)";

TEST(PrometheusText, DocumentationExample) {
  EXPECT_EQ(DetectFormat(kExpositionExample), Format::kPrometheusText);
  MetricSet set = MustParse(kExpositionExample);
  ASSERT_EQ(set.files.size(), 1u);
  EXPECT_EQ(set.files[0].format, Format::kPrometheusText);
  EXPECT_EQ(set.series.size(), 20u);
  EXPECT_EQ(set.files[0].samples, 20u);

  const Series* post = Find(set, "http_requests_total{code=\"200\",method=\"post\"}");
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->type, MetricType::kCounter);
  EXPECT_TRUE(post->counter);
  ASSERT_EQ(post->samples.size(), 1u);
  EXPECT_EQ(post->samples[0].t_ms, 1395066363000);  // 0.0.4: integer milliseconds
  EXPECT_EQ(post->samples[0].value, 1027);

  const Series* dos = Find(set,
                           "msdos_file_access_time_seconds{error=\"Cannot find "
                           "file:\\n\\\"FILE.TXT\\\"\",path=\"C:\\\\DIR\\\\FILE.TXT\"}");
  ASSERT_NE(dos, nullptr);
  EXPECT_EQ(dos->labels[0].second, "Cannot find file:\n\"FILE.TXT\"");
  EXPECT_EQ(dos->labels[1].second, "C:\\DIR\\FILE.TXT");
  EXPECT_EQ(dos->samples[0].t_ms, kNoTimestamp);
  EXPECT_EQ(dos->samples[0].value, 1.458255915e9);

  const Series* weird = Find(set, "something_weird{problem=\"division by zero\"}");
  ASSERT_NE(weird, nullptr);
  EXPECT_TRUE(std::isinf(weird->samples[0].value) && weird->samples[0].value > 0);
  EXPECT_EQ(weird->samples[0].t_ms, -3982045);  // before the epoch

  const Series* inf_bucket = Find(set, "http_request_duration_seconds_bucket{le=\"+Inf\"}");
  ASSERT_NE(inf_bucket, nullptr);
  EXPECT_EQ(inf_bucket->type, MetricType::kHistogram);
  EXPECT_TRUE(inf_bucket->counter);
  EXPECT_EQ(inf_bucket->samples[0].value, 144320);
  const Series* quantile = Find(set, "rpc_duration_seconds{quantile=\"0.99\"}");
  ASSERT_NE(quantile, nullptr);
  EXPECT_EQ(quantile->type, MetricType::kSummary);
  EXPECT_FALSE(quantile->counter);  // quantiles go up and down
  const Series* sum = Find(set, "rpc_duration_seconds_sum");
  ASSERT_NE(sum, nullptr);
  EXPECT_TRUE(sum->counter);
  EXPECT_EQ(sum->samples[0].value, 1.7560473e+07);
}

TEST(PrometheusText, ConcatenatedScrapesWithMillisecondTimestamps) {
  // Two scrapes of the same target, each with its TYPE line; CRLF; trailing comma in labels;
  // NaN and a negative value; out-of-order samples are sorted.
  std::string text =
      "# TYPE up gauge\r\nup{job=\"a\",} 1 1700000001000\r\nx NaN 1700000001000\r\n"
      "# TYPE up gauge\r\nup{job=\"a\"} 0 1700000000000\r\nx -2.5e-3 1700000000000\r\n";
  MetricSet set = MustParse(text);
  const Series* up = Find(set, "up{job=\"a\"}");
  ASSERT_NE(up, nullptr);
  ASSERT_EQ(up->samples.size(), 2u);
  EXPECT_EQ(up->samples[0].t_ms, 1700000000000);
  EXPECT_EQ(up->samples[0].value, 0);
  EXPECT_EQ(up->samples[1].value, 1);
  const Series* x = Find(set, "x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->samples[0].value, -2.5e-3);
  EXPECT_TRUE(std::isnan(x->samples[1].value));  // NaN is a value, not a missing sample
}

TEST(PrometheusText, RepeatedSeriesTextWithBracesInValues) {
  // The second and third lines reuse the first one's series (the raw `name{…}` text is cached);
  // a `}` or an escaped quote inside a value does not end the label set.
  MetricSet set = MustParse(
      "x{a=\"}\",b=\"q\\\"\"} 1 1000\nx{a=\"}\",b=\"q\\\"\"} 2 2000\nx{b=\"q\\\"\",a=\"}\"} 3 "
      "3000\n");
  ASSERT_EQ(set.series.size(), 1u);
  EXPECT_EQ(SeriesId(set.series[0]), "x{a=\"}\",b=\"q\\\"\"}");
  ASSERT_EQ(set.series[0].samples.size(), 3u);
  EXPECT_EQ(set.series[0].samples[2].value, 3);
}

TEST(PrometheusText, DuplicatesAreFoldedAndCounted) {
  MetricSet set = MustParse("a 1 1000\na 1 1000\na 2 1000\na 3 2000\n");
  ASSERT_EQ(set.series.size(), 1u);
  ASSERT_EQ(set.series[0].samples.size(), 2u);
  EXPECT_EQ(set.series[0].samples[0].value, 1);  // the first one wins
  EXPECT_EQ(set.stats.duplicate_samples, 1u);
  EXPECT_EQ(set.stats.conflicting_samples, 1u);
}

TEST(PrometheusText, UntypedCountingByName) {
  MetricSet set = MustParse(
      "foo_total 1 1000\nnodejs_active_handles_total 4 1000\nnodejs_eventloop_listeners_count 3 "
      "1000\n"
      "rq_count 5 1000\nrq_sum 2.5 1000\n");
  EXPECT_TRUE(Find(set, "foo_total")->counter);
  EXPECT_FALSE(Find(set, "nodejs_active_handles_total")->counter);       // a prom-client gauge
  EXPECT_FALSE(Find(set, "nodejs_eventloop_listeners_count")->counter);  // no _sum/_bucket sibling
  EXPECT_TRUE(Find(set, "rq_count")->counter);  // summary parts: _count next to _sum
  EXPECT_TRUE(Find(set, "rq_sum")->counter);
}

TEST(PrometheusText, Errors) {
  EXPECT_EQ(ParseError("ok 1\nx{a=\"1\" 3\n", "m.prom"),
            "m.prom: byte 13: line 2, column 9: expected ',' or '}' in label set");
  EXPECT_EQ(ParseError("x{a=1} 3\n", "m.prom"),
            "m.prom: byte 4: line 1, column 5: expected '\"' to open the value of label 'a'");
  EXPECT_EQ(ParseError("x 12abc\n", "m.prom"),
            "m.prom: byte 2: line 1, column 3: invalid sample value '12abc'");
  EXPECT_EQ(ParseError("x 1 17e\n", "m.prom"),
            "m.prom: byte 4: line 1, column 5: invalid timestamp '17e'");
  EXPECT_EQ(ParseError("x\n", "m.prom"),
            "m.prom: byte 1: line 1, column 2: sample 'x' has no value");
  EXPECT_EQ(
      ParseError("# TYPE x gauge\n# TYPE x counter\nx 1\n", "m.prom"),
      "m.prom: byte 24: line 2, column 10: '# TYPE x' says counter but an earlier TYPE said gauge");
  EXPECT_EQ(ParseError("# TYPE x meter\n", "m.prom"),
            "m.prom: byte 9: line 1, column 10: unknown metric type 'meter' in '# TYPE x'");
  EXPECT_EQ(ParseError("x 1\nx 2\n", "m.prom"),
            "m.prom: byte 4: line 2, column 1: series x appears twice without a timestamp; "
            "concatenated scrapes need timestamps");
  EXPECT_EQ(ParseError("x{a=\"1\",a=\"2\"} 1\n", "m.prom"),
            "m.prom: byte 0: line 1, column 1: label 'a' repeated");
}

// --- OpenMetrics 1.0 -----------------------------------------------------------------------

// From OpenObservability/OpenMetrics specification/OpenMetrics.md (text format examples).
constexpr const char* kOpenMetricsExample = R"(# TYPE acme_http_router_request_seconds summary
# UNIT acme_http_router_request_seconds seconds
# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
acme_http_router_request_seconds_sum{path="/api/v2",method="POST"} 479.3
acme_http_router_request_seconds_count{path="/api/v2",method="POST"} 34.0
acme_http_router_request_seconds_created{path="/api/v2",method="POST"} 1605281325.0
# TYPE go_goroutines gauge
# HELP go_goroutines Number of goroutines that currently exist.
go_goroutines 69
# TYPE process_cpu_seconds counter
# UNIT process_cpu_seconds seconds
# HELP process_cpu_seconds Total user and system CPU time spent in seconds.
process_cpu_seconds_total 4.20072246e+06
# TYPE foo histogram
foo_bucket{le="0.1"} 8 # {trace_id="KOO5S4vxi0o"} 0.054 1520879607.789
foo_bucket{le="+Inf"} 17
foo_count 17
foo_sum 324789.3
foo_created 1520430000.123
# TYPE bar info
bar_info{version="1.2.3"} 1
# EOF
)";

TEST(OpenMetrics, SpecificationExample) {
  EXPECT_EQ(DetectFormat(kOpenMetricsExample), Format::kOpenMetrics);
  MetricSet set = MustParse(kOpenMetricsExample);
  EXPECT_EQ(set.files[0].format, Format::kOpenMetrics);
  EXPECT_EQ(set.series.size(), 14u);
  EXPECT_EQ(set.stats.exemplars_skipped, 1u);
  EXPECT_EQ(set.stats.created_samples, 3u);
  const Series* cpu = Find(set, "process_cpu_seconds_total");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->type, MetricType::kCounter);
  EXPECT_TRUE(cpu->counter);
  EXPECT_EQ(cpu->samples[0].value, 4.20072246e+06);
  const Series* created = Find(set, "foo_created");
  ASSERT_NE(created, nullptr);
  EXPECT_FALSE(created->counter);  // a reset time, not a count
  const Series* bucket = Find(set, "foo_bucket{le=\"0.1\"}");
  ASSERT_NE(bucket, nullptr);
  EXPECT_EQ(bucket->samples[0].value, 8);  // the exemplar's 0.054 is not the sample
  EXPECT_EQ(Find(set, "bar_info{version=\"1.2.3\"}")->type, MetricType::kInfo);
}

TEST(OpenMetrics, FloatSecondTimestamps) {
  MetricSet set = MustParse(
      "# TYPE m gauge\nm 1 1700000000.5\nm 2 1700000001.123\nm{a=\"x\"} inf 1.7e9\n# EOF\n");
  const Series* m = Find(set, "m");
  ASSERT_EQ(m->samples.size(), 2u);
  EXPECT_EQ(m->samples[0].t_ms, 1700000000500);
  EXPECT_EQ(m->samples[1].t_ms, 1700000001123);
  const Series* a = Find(set, "m{a=\"x\"}");
  EXPECT_EQ(a->samples[0].t_ms, 1700000000000);
  EXPECT_TRUE(std::isinf(a->samples[0].value));
}

TEST(OpenMetrics, Errors) {
  EXPECT_EQ(
      ParseError("# TYPE m gauge\n# UNIT m bytes\nm_bytes 1\n", "x.om"),
      "x.om: byte 40: line 4, column 1: OpenMetrics input ends without '# EOF' (truncated file?)");
  EXPECT_EQ(ParseError("m 1\n# EOF\nm 2\n", "x.om"),
            "x.om: byte 10: line 3, column 1: content after '# EOF'");
}

// --- Prometheus HTTP API JSON (real Prometheus 2.42 responses) ------------------------------

TEST(PrometheusApi, QueryWithRangeSelectorGivesRawSamples) {
  std::string text = Fixture("api-query-matrix.json");
  EXPECT_EQ(DetectFormat(text), Format::kPrometheusApi);
  MetricSet set = MustParse(text);
  ASSERT_EQ(set.series.size(), 1u);
  const Series& s = set.series[0];
  EXPECT_EQ(SeriesId(s), "hs_requests_total{job=\"check\"}");
  EXPECT_TRUE(s.counter);
  ASSERT_EQ(s.samples.size(), 15u);
  EXPECT_EQ(s.samples[0].t_ms, 1707955230819);
  EXPECT_EQ(s.samples[0].value, 243.5);
  EXPECT_EQ(s.samples[10].t_ms, 1707955240436);
  EXPECT_EQ(s.samples[10].value, 4);  // the reset
  EXPECT_EQ(s.samples[14].value, 32);
}

TEST(PrometheusApi, QueryRangeVectorScalar) {
  MetricSet set = MustParse(Fixture("api-query-range.json"));
  ASSERT_EQ(set.series.size(), 1u);
  ASSERT_EQ(set.series[0].samples.size(), 6u);
  EXPECT_EQ(set.series[0].samples[5].t_ms, 1707955240000);
  EXPECT_EQ(set.series[0].samples[5].value, 316854447);
  MetricSet v = MustParse(Fixture("api-query-vector.json"));
  ASSERT_EQ(v.series.size(), 1u);
  EXPECT_EQ(v.series[0].samples[0].t_ms, 1707955245500);
  EXPECT_EQ(v.series[0].samples[0].value, 1119.8761262163762);
  MetricSet sc = MustParse(Fixture("api-query-scalar.json"));
  ASSERT_EQ(sc.series.size(), 1u);
  EXPECT_EQ(sc.series[0].name, "scalar");
}

TEST(PrometheusApi, SpecialValuesAndErrors) {
  MetricSet set = MustParse(
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x"},)"
      R"("values":[[1,"NaN"],[2,"+Inf"],[3,"-Inf"],[4,"1e-07"]]}]}})");
  const auto& xs = set.series[0].samples;
  ASSERT_EQ(xs.size(), 4u);
  EXPECT_TRUE(std::isnan(xs[0].value));
  EXPECT_TRUE(std::isinf(xs[1].value) && xs[1].value > 0);
  EXPECT_TRUE(std::isinf(xs[2].value) && xs[2].value < 0);
  EXPECT_EQ(xs[3].value, 1e-07);
  EXPECT_EQ(
      ParseError(Fixture("api-error.json"), "e.json"),
      "e.json: byte 50: line 1, column 51: Prometheus API error (bad_data): invalid parameter "
      "\"query\": 1:17: parse error: unexpected \")\" in subquery or range, expected \":\" or "
      "\"]\"");
  EXPECT_EQ(ParseError(Fixture("api-string.json"), "s.json"),
            "s.json: byte 42: line 1, column 43: data.resultType: a \"string\" result carries no "
            "samples");
  EXPECT_EQ(
      ParseError(
          R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}})",
          "v.json"),
      "v.json: byte 85: line 1, column 86: data.result[0].value: invalid sample value \"abc\"");
  EXPECT_EQ(ParseError("{\"status\":\"success\",\n \"data\": [1,}", "t.json"),
            "t.json: byte 33: line 2, column 13: invalid JSON: Invalid value.");
}

// --- Grafana CSV ---------------------------------------------------------------------------

TEST(GrafanaCsv, FormattedJoinedByTimeWithCrlf) {
  std::string text = Fixture("incident-grafana.csv");
  EXPECT_EQ(DetectFormat(text), Format::kGrafanaCsv);
  MetricSet set = MustParse(text);
  ASSERT_EQ(set.series.size(), 2u);
  const Series* mem = Find(
      set, "container_memory_working_set_bytes{container=\"api\",pod=\"collabcanvas-api-prod-1\"}");
  ASSERT_NE(mem, nullptr);
  ASSERT_EQ(mem->samples.size(), 7u);
  EXPECT_EQ(mem->samples[0].t_ms, 1707955200000);  // "2024-02-15 00:00:00" read as UTC
  EXPECT_EQ(mem->samples[0].value, 512e6);         // "512 MB"
  EXPECT_EQ(mem->samples[6].t_ms, 1707965280000);  // 02:48
  EXPECT_EQ(mem->samples[6].value, 1284e6);
  EXPECT_EQ(set.stats.local_times_assumed_utc, 7u);
}

TEST(GrafanaCsv, SemicolonSepLineFramesAndEpochMs) {
  MetricSet set = MustParse(Fixture("incident-grafana-semicolon.csv"));
  ASSERT_EQ(set.series.size(), 2u);
  const Series* l = Find(
      set, "nodejs_eventloop_listeners_count{event=\"heartbeat\",pod=\"collabcanvas-api-prod-1\"}");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->samples.size(), 7u);
  EXPECT_EQ(l->samples[6].value, 1892);
  EXPECT_EQ(l->samples[6].t_ms, 1707965280000);
}

std::string Utf16Le(const std::string& ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

TEST(GrafanaCsv, Utf16ForExcelWithTabsEmptyCellsAndIsoTimes) {
  std::string csv =
      "\"Time\"\t\"a{x=\"\"1\"\"}\"\t\"heartbeat listeners\"\r\n"
      "2024-02-15T00:00:00Z\t1.5\t\r\n"
      "2024-02-15T02:00:00+01:00\tNaN\t7\r\n"
      "2024-02-15T00:00:30.250Z\t-Infinity\t8\r\n";
  std::string bytes = Utf16Le(csv);
  EXPECT_EQ(DetectFormat(bytes), Format::kGrafanaCsv);
  MetricSet set = MustParse(bytes);
  const Series* a = Find(set, "a{x=\"1\"}");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->samples.size(), 3u);
  EXPECT_EQ(a->samples[0].t_ms, 1707955200000);
  EXPECT_EQ(a->samples[1].t_ms, 1707955230250);  // sorted by time
  EXPECT_TRUE(std::isinf(a->samples[1].value) && a->samples[1].value < 0);
  EXPECT_EQ(a->samples[2].t_ms, 1707958800000);  // 02:00+01:00 = 01:00Z
  EXPECT_TRUE(std::isnan(a->samples[2].value));
  const Series* alias = Find(set, "heartbeat listeners");  // a legend alias stays the name
  ASSERT_NE(alias, nullptr);
  ASSERT_EQ(alias->samples.size(), 2u);
  EXPECT_EQ(set.stats.empty_cells, 1u);
}

TEST(GrafanaCsv, Utf16BigEndianAndUtf8Bom) {
  std::string csv = "Time,b\n1707955200000,2.5\n";
  std::string be = "\xFE\xFF";
  for (char c : csv) {
    be += '\0';
    be += c;
  }
  MetricSet set = MustParse(be);
  ASSERT_EQ(set.series.size(), 1u);
  EXPECT_EQ(set.series[0].samples[0].value, 2.5);
  MetricSet bom = MustParse("\xEF\xBB\xBF" + csv);
  EXPECT_EQ(bom.series[0].samples[0].t_ms, 1707955200000);
  EXPECT_EQ(ParseError("\xEF\xBB\xBFTime,b\n1,x\n", "u.csv"),
            "u.csv: byte 12: line 2, column 3: invalid value 'x'");  // offsets count the BOM
}

TEST(GrafanaCsv, LegacySeriesTimeValueRows) {
  MetricSet set = MustParse(
      "Series;Time;Value\nmem;2024-02-15T00:00:00Z;1\nmem;2024-02-15T00:01:00Z;2\nother;2024-02-"
      "15T00:00:00Z;5\n");
  ASSERT_EQ(set.series.size(), 2u);
  EXPECT_EQ(Find(set, "mem")->samples[1].t_ms, 1707955260000);
}

TEST(GrafanaCsv, Errors) {
  EXPECT_EQ(ParseError("Time,a\n1707955200000,1\n1707955260000,x1\n", "p.csv"),
            "p.csv: byte 37: line 3, column 15: invalid value 'x1'");
  EXPECT_EQ(ParseError("Time,a\n2024-13-01 00:00:00,1\n", "p.csv"),
            "p.csv: byte 7: line 2, column 1: invalid time '2024-13-01 00:00:00' (epoch ms or "
            "YYYY-MM-DD HH:mm:ss)");
  EXPECT_EQ(ParseError("Time,a,b\n1707955200000,1\n", "p.csv"),
            "p.csv: byte 9: line 2, column 1: expected 3 fields as in the header, found 2");
  EXPECT_EQ(ParseError("Time,\"a\n", "p.csv"),
            "p.csv: byte 5: line 1, column 6: unterminated quoted field");
  // In a UTF-16 file the byte offset is the file's, not the decoded text's.
  EXPECT_EQ(ParseError(Utf16Le("Time\ta\r\n1707955200000\tzz\r\n"), "x.csv"),
            "x.csv: byte 46: line 2, column 15: invalid value 'zz'");
}

// --- Grafana DataFrame JSON ----------------------------------------------------------------

TEST(GrafanaDataFrame, FieldsLabelsAndEntities) {
  std::string text = Fixture("grafana-dataframe.json");
  EXPECT_EQ(DetectFormat(text), Format::kGrafanaDataFrame);
  MetricSet set = MustParse(text);
  ASSERT_EQ(set.files[0].format, Format::kGrafanaDataFrame);
  ASSERT_EQ(set.series.size(), 2u);
  const Series* hb = Find(set, "presence_listeners{emitter=\"sockets\",event=\"heartbeat\"}");
  ASSERT_NE(hb, nullptr);
  ASSERT_EQ(hb->samples.size(), 4u);  // one Undef entity dropped
  EXPECT_EQ(hb->samples[0].t_ms, 1707955200000);
  EXPECT_EQ(hb->samples[0].value, 47);
  EXPECT_TRUE(std::isnan(hb->samples[2].value));  // NaN entity
  EXPECT_EQ(hb->samples[3].value, 512);
  const Series* mem = Find(set, "process_resident_memory_bytes{instance=\"127.0.0.1:3000\"}");
  ASSERT_NE(mem, nullptr);
  EXPECT_TRUE(std::isinf(mem->samples[1].value));  // Inf entity
  EXPECT_EQ(set.stats.empty_cells, 1u);
}

TEST(ByteSize, DecimalAndBinaryUnits) {
  EXPECT_EQ(ParseByteSize("1395864371"), 1395864371.0);
  EXPECT_EQ(ParseByteSize("1.3GB"), 1.3e9);
  EXPECT_EQ(ParseByteSize("1300M"), 1.3e9);
  EXPECT_EQ(ParseByteSize("1.25GiB"), 1.25 * 1073741824);
  EXPECT_EQ(ParseByteSize("512Mi"), 512.0 * 1048576);
  EXPECT_EQ(ParseByteSize("1.3e9"), 1.3e9);
  EXPECT_EQ(ParseByteSize("2E"), std::nullopt);  // no exponent, no unit "E"
  EXPECT_EQ(ParseByteSize("lots"), std::nullopt);
  EXPECT_EQ(ParseByteSize("-1GB"), std::nullopt);
  EXPECT_EQ(ParseByteSize("1.3 GB"), std::nullopt);
}

TEST(Detect, Unknown) {
  EXPECT_EQ(DetectFormat("!!!"), std::nullopt);
  EXPECT_EQ(
      ParseError("!!!", "z"),
      "z: byte 0: not a metrics export heapscope reads (Prometheus text/OpenMetrics, Prometheus "
      "API JSON, Grafana CSV or DataFrame JSON); see docs/metrics.md");
}

TEST(Merge, SameSeriesFromTwoFilesIsOneSeries) {
  MetricSet set;
  ASSERT_TRUE(ParseMetrics("a{x=\"1\"} 1 1000\n", "one", &set).ok());
  ASSERT_TRUE(ParseMetrics("Time,a{x=\"1\"}\n2000,2\n", "two", &set).ok());  // 2000 < 1e11: seconds
  ASSERT_EQ(set.series.size(), 1u);
  ASSERT_EQ(set.series[0].samples.size(), 2u);
  EXPECT_EQ(set.series[0].samples[1].t_ms, 2000000);
  EXPECT_EQ(set.series[0].file, "one");
  ASSERT_EQ(set.files.size(), 2u);
  EXPECT_EQ(set.files[1].format, Format::kGrafanaCsv);
}

}  // namespace
}  // namespace heapscope::metrics
