// Metric exports: the formats heapscope reads and the series model they are read into.
//
// Supported inputs (auto-detected from the content, never from the file name):
//   * Prometheus text exposition 0.0.4 (timestamps: integer milliseconds) and OpenMetrics 1.0
//     (timestamps: float seconds), one scrape or several scrapes concatenated;
//   * Prometheus HTTP API JSON: /api/v1/query (vector, scalar, or matrix from a range selector)
//     and /api/v1/query_range (matrix); an error envelope is reported as an error;
//   * Grafana panel CSV (joined by time, one series per file, or legacy Series;Time;Value rows;
//     `,` `;` or TAB; quoted headers; CRLF; a `sep=` line; UTF-8/UTF-16 with BOM) and Grafana
//     DataFrame JSON.
// docs/metrics.md describes each format's quirks and the rules below.
//
// Timestamps are kept as int64 milliseconds since the epoch, as Prometheus stores them, so that
// the PromQL math in promql.h reproduces Prometheus' numbers bit for bit.
#ifndef HEAPSCOPE_METRICS_METRICS_H_
#define HEAPSCOPE_METRICS_METRICS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heapscope/status.h"

namespace heapscope::metrics {

enum class Format : uint8_t {
  kPrometheusText,    // text exposition 0.0.4
  kOpenMetrics,       // OpenMetrics 1.0 text
  kPrometheusApi,     // HTTP API JSON envelope
  kGrafanaCsv,        // panel inspector CSV
  kGrafanaDataFrame,  // DataFrame JSON
};
// "prometheus-text", "openmetrics", "prometheus-api-json", "grafana-csv", "grafana-dataframe-json"
const char* FormatName(Format f);

// The family type from `# TYPE` (text formats only; JSON and CSV carry none).
enum class MetricType : uint8_t {
  kUnknown,
  kCounter,
  kGauge,
  kHistogram,
  kSummary,
  kGaugeHistogram,
  kStateSet,
  kInfo,
};
const char* MetricTypeName(MetricType t);  // "unknown", "counter", "gauge", …

// Sentinel for samples that came without a timestamp (a single scrape).
inline constexpr int64_t kNoTimestamp = INT64_MIN;

struct Sample {
  int64_t t_ms = 0;  // milliseconds since the epoch, or kNoTimestamp
  double value = 0;  // may be NaN or ±Inf: NaN is a value, not a missing sample
};

// Label pairs sorted by name, never containing __name__.
using Labels = std::vector<std::pair<std::string, std::string>>;

struct Series {
  std::string name;  // metric name (__name__); a Grafana alias when no name is known
  Labels labels;
  MetricType type = MetricType::kUnknown;  // of the family the sample belongs to
  // Cumulative (counter semantics: any decrease is a reset): counters' samples, histogram and
  // summary _count/_sum/_bucket. For untyped inputs decided by name (see IsCounterName()).
  bool counter = false;
  std::string file;             // the first file the series was read from
  std::vector<Sample> samples;  // sorted by time, one per timestamp
};

// Recoverable oddities met while reading; counted, shown in the output, never silent.
struct ParseStats {
  uint64_t duplicate_samples = 0;  // same series and timestamp twice with the same value; one kept
  uint64_t conflicting_samples = 0;  // same series and timestamp with different values; first kept
  uint64_t exemplars_skipped = 0;    // OpenMetrics exemplars (not samples)
  uint64_t created_samples = 0;      // OpenMetrics/0.0.4 *_created samples (reset times); kept
  uint64_t native_histograms_skipped = 0;  // API "histograms" points (v3 native histograms)
  uint64_t empty_cells = 0;  // CSV/DataFrame cells with no value (series lacks that time)
  uint64_t local_times_assumed_utc = 0;  // CSV times without a zone, read as UTC
  std::vector<std::pair<std::string, uint64_t>> NonZero() const;
};

struct InputFile {
  std::string path;
  Format format = Format::kPrometheusText;
  uint64_t series = 0;   // series contributed by this file
  uint64_t samples = 0;  // samples read from this file
};

// Every series of every file read, merged by (name, labels).
struct MetricSet {
  std::vector<Series> series;
  std::vector<InputFile> files;
  ParseStats stats;
};

// Whether `name` is cumulative when no # TYPE says so: *_total, except prom-client's gauges
// nodejs_active_{handles,requests,resources}_total. (Untyped *_count, *_sum and *_bucket count as
// cumulative only next to a sibling part of the same histogram/summary; see docs/metrics.md.)
bool IsCounterName(std::string_view name);

// `name{a="1",b="2"}`, label values escaped as in the text format; `name` alone with no labels.
std::string SeriesId(std::string_view name, const Labels& labels);
inline std::string SeriesId(const Series& s) { return SeriesId(s.name, s.labels); }

// A byte size as people write memory limits: "1395864371", "1.3GB", "1300M" (decimal k, M, G, T,
// with or without B) or "1.25GiB", "512Mi" (binary Ki, Mi, Gi, Ti). nullopt if malformed or ≤ 0.
std::optional<double> ParseByteSize(std::string_view text);

// Decodes a UTF-16 (BOM) or UTF-8-with-BOM file to UTF-8 and detects its format.
// Returns nullopt when the content matches no supported format.
std::optional<Format> DetectFormat(std::string_view bytes);

// Parses `bytes` (the whole file, as read; gzip already removed) and merges its series into `set`.
// `file` names the input in errors: "FILE: byte N: line L, column C: what is wrong".
Status ParseMetrics(std::string_view bytes, std::string_view file, MetricSet* set);

// Reads `path` ("-" = stdin, gzip allowed) and parses it with ParseMetrics().
Status ParseMetricsFile(const std::string& path, MetricSet* set);

}  // namespace heapscope::metrics

#endif  // HEAPSCOPE_METRICS_METRICS_H_
