// Format detection, decoding, shared parsing helpers and the merge of files into one MetricSet.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <new>
#include <unordered_map>

#include "heapscope/io/input.h"
#include "heapscope/io/memory.h"
#include "heapscope/metrics/metrics.h"
#include "metrics/parse_internal.h"

namespace heapscope::metrics {

const char* FormatName(Format f) {
  switch (f) {
    case Format::kPrometheusText:
      return "prometheus-text";
    case Format::kOpenMetrics:
      return "openmetrics";
    case Format::kPrometheusApi:
      return "prometheus-api-json";
    case Format::kGrafanaCsv:
      return "grafana-csv";
    case Format::kGrafanaDataFrame:
      return "grafana-dataframe-json";
  }
  return "?";
}

const char* MetricTypeName(MetricType t) {
  switch (t) {
    case MetricType::kUnknown:
      return "unknown";
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
    case MetricType::kSummary:
      return "summary";
    case MetricType::kGaugeHistogram:
      return "gaugehistogram";
    case MetricType::kStateSet:
      return "stateset";
    case MetricType::kInfo:
      return "info";
  }
  return "?";
}

bool IsCounterName(std::string_view name) {
  // prom-client's gauges that end in _total (lib/metrics/processHandles.js, processRequests.js,
  // processResources.js): not counters.
  if (name.starts_with("nodejs_active_")) return false;
  return name.size() > 6 && name.ends_with("_total");
}

std::string SeriesId(std::string_view name, const Labels& labels) {
  std::string out(name);
  if (labels.empty()) return out;
  out += '{';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first;
    out += "=\"";
    for (char c : labels[i].second) {
      if (c == '\\')
        out += "\\\\";
      else if (c == '"')
        out += "\\\"";
      else if (c == '\n')
        out += "\\n";
      else
        out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::optional<double> ParseByteSize(std::string_view text) {
  size_t i = 0;
  while (i < text.size() &&
         ((text[i] >= '0' && text[i] <= '9') || text[i] == '.' || text[i] == 'e' ||
          text[i] == 'E' || text[i] == '+' || text[i] == '-')) {
    // An 'e'/'E' followed by no digit or sign starts no exponent: "1E" is not a number here.
    if ((text[i] == 'e' || text[i] == 'E') &&
        (i + 1 >= text.size() ||
         !((text[i + 1] >= '0' && text[i + 1] <= '9') || text[i + 1] == '+' || text[i + 1] == '-')))
      break;
    ++i;
  }
  double v = 0;
  if (!internal::ParseNumber(text.substr(0, i), &v)) return std::nullopt;
  std::string_view unit = text.substr(i);
  static const std::pair<std::string_view, double> kUnits[] = {{"", 1},
                                                               {"B", 1},
                                                               {"k", 1e3},
                                                               {"K", 1e3},
                                                               {"kB", 1e3},
                                                               {"KB", 1e3},
                                                               {"M", 1e6},
                                                               {"MB", 1e6},
                                                               {"G", 1e9},
                                                               {"GB", 1e9},
                                                               {"T", 1e12},
                                                               {"TB", 1e12},
                                                               {"Ki", 1024.0},
                                                               {"KiB", 1024.0},
                                                               {"Mi", 1048576.0},
                                                               {"MiB", 1048576.0},
                                                               {"Gi", 1073741824.0},
                                                               {"GiB", 1073741824.0},
                                                               {"Ti", 1099511627776.0},
                                                               {"TiB", 1099511627776.0}};
  for (const auto& [u, f] : kUnits) {
    if (unit == u) {
      double bytes = v * f;
      if (!std::isfinite(bytes) || !(bytes > 0)) return std::nullopt;
      return bytes;
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, uint64_t>> ParseStats::NonZero() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  auto add = [&](const char* n, uint64_t v) {
    if (v) out.emplace_back(n, v);
  };
  add("duplicate_samples", duplicate_samples);
  add("conflicting_samples", conflicting_samples);
  add("exemplars_skipped", exemplars_skipped);
  add("created_samples", created_samples);
  add("native_histograms_skipped", native_histograms_skipped);
  add("empty_cells", empty_cells);
  add("local_times_assumed_utc", local_times_assumed_utc);
  return out;
}

namespace internal {
namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

Status Decode(std::string_view bytes, std::string_view file, Decoded* out) {
  out->text.clear();
  out->src_offset.clear();
  out->base = 0;
  out->utf16 = false;
  auto u8 = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  bool le = bytes.size() >= 2 && u8(0) == 0xFF && u8(1) == 0xFE;
  bool be = bytes.size() >= 2 && u8(0) == 0xFE && u8(1) == 0xFF;
  if (!le && !be) {
    if (bytes.size() >= 3 && u8(0) == 0xEF && u8(1) == 0xBB && u8(2) == 0xBF) {
      out->base = 3;
      bytes.remove_prefix(3);
    }
    out->text.assign(bytes);
    return Status::Ok();
  }
  out->utf16 = true;
  if (bytes.size() % 2 != 0)
    return InputError(file, "", static_cast<int64_t>(bytes.size() - 1),
                      "UTF-16 file with an odd number of bytes (truncated?)");
  out->text.reserve(bytes.size() / 2);
  out->src_offset.reserve(bytes.size() / 2);
  auto unit = [&](size_t i) -> uint32_t {
    return le ? (u8(i) | (u8(i + 1) << 8)) : ((u8(i) << 8) | u8(i + 1));
  };
  for (size_t i = 2; i < bytes.size(); i += 2) {
    uint32_t cp = unit(i);
    size_t at = i;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= bytes.size() || unit(i + 2) < 0xDC00 || unit(i + 2) > 0xDFFF)
        return InputError(file, "", static_cast<int64_t>(i), "UTF-16: unpaired high surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return InputError(file, "", static_cast<int64_t>(i), "UTF-16: unpaired low surrogate");
    }
    size_t before = out->text.size();
    AppendUtf8(cp, &out->text);
    for (size_t k = before; k < out->text.size(); ++k)
      out->src_offset.push_back(static_cast<uint32_t>(at));
  }
  return Status::Ok();
}

Status ErrorAt(std::string_view file, const Decoded& d, size_t i, std::string_view msg) {
  i = std::min(i, d.text.size());
  uint64_t line = 1;
  size_t line_start = 0;
  for (size_t k = 0; k < i; ++k) {
    if (d.text[k] == '\n') {
      ++line;
      line_start = k + 1;
    }
  }
  // Columns count characters (UTF-8 continuation bytes do not start one), 1-based.
  uint64_t column = 1;
  for (size_t k = line_start; k < i; ++k)
    if ((static_cast<uint8_t>(d.text[k]) & 0xC0) != 0x80) ++column;
  return InputError(file, "", d.FileOffset(i),
                    fmt::format("line {}, column {}: {}", line, column, msg));
}

bool ParseNumber(std::string_view t, double* out) {
  if (t.empty()) return false;
  bool neg = false;
  std::string_view body = t;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    *out = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return true;
  }
  if (EqualsIgnoreCase(body, "nan")) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (body.empty() || !((body[0] >= '0' && body[0] <= '9') || body[0] == '.')) return false;
  // Go's ParseFloat accepts underscores only with a base prefix; a plain decimal here.
  double v = 0;
  auto [ptr, ec] =
      std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (ptr != body.data() + body.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // Go returns ±Inf (or 0 for underflow) with an error; Prometheus rejects it. So do we.
    return false;
  }
  if (ec != std::errc()) return false;
  *out = neg ? -v : v;
  return true;
}

bool TimeMs(double ms, int64_t* out) {
  if (!std::isfinite(ms) || std::fabs(ms) > static_cast<double>(kMaxTimeMs)) return false;
  *out = std::llround(ms);
  return true;
}

uint32_t SeriesSink::Find(const std::string& name, const Labels& labels, MetricType type,
                          bool counter) {
  std::string id = SeriesId(name, labels);
  auto it = index_.find(id);
  if (it != index_.end()) return it->second;
  uint32_t idx = static_cast<uint32_t>(series_.size());
  Series s;
  s.name = name;
  s.labels = labels;
  s.type = type;
  s.counter = counter;
  series_.push_back(std::move(s));
  index_.emplace(std::move(id), idx);
  return idx;
}

void NormalizeLabels(Labels* labels, std::string* name) {
  for (size_t i = 0; i < labels->size();) {
    if ((*labels)[i].first == "__name__") {
      if (name) *name = (*labels)[i].second;
      labels->erase(labels->begin() + static_cast<ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  std::stable_sort(labels->begin(), labels->end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

namespace {

// Sorts `s` by time and folds samples sharing a timestamp. NaN equals NaN here (same bits or
// not: both are "NaN" to every consumer).
void SortAndFold(Series* s, ParseStats* stats) {
  std::stable_sort(s->samples.begin(), s->samples.end(),
                   [](const Sample& a, const Sample& b) { return a.t_ms < b.t_ms; });
  size_t w = 0;
  for (size_t r = 0; r < s->samples.size(); ++r) {
    if (w > 0 && s->samples[w - 1].t_ms == s->samples[r].t_ms) {
      double a = s->samples[w - 1].value, b = s->samples[r].value;
      bool same = a == b || (std::isnan(a) && std::isnan(b));
      if (same)
        ++stats->duplicate_samples;
      else
        ++stats->conflicting_samples;
      continue;
    }
    s->samples[w++] = s->samples[r];
  }
  s->samples.resize(w);
}

}  // namespace

namespace {

// Untyped inputs (JSON, CSV) carry no # TYPE: `x_count`, `x_sum` and `x_bucket` are cumulative
// only when they come as a histogram/summary would, i.e. with a sibling part of the same `x`.
// (A lone `nodejs_eventloop_listeners_count` is a gauge.)
void ResolveUntypedHistogramParts(MetricSet* set) {
  static constexpr std::string_view kParts[] = {"_count", "_sum", "_bucket"};
  std::unordered_map<std::string, uint32_t> parts;  // base name -> bit set of parts seen
  auto split = [](const std::string& name, std::string* base) -> int {
    for (int k = 0; k < 3; ++k) {
      if (name.size() > kParts[k].size() && name.ends_with(kParts[k])) {
        *base = name.substr(0, name.size() - kParts[k].size());
        return k;
      }
    }
    return -1;
  };
  std::string base;
  for (const Series& s : set->series)
    if (int k = split(s.name, &base); k >= 0) parts[base] |= 1u << k;
  for (Series& s : set->series) {
    if (s.type != MetricType::kUnknown) continue;
    int k = split(s.name, &base);
    if (k < 0) continue;
    uint32_t seen = parts[base];
    if ((seen & ~(1u << k)) != 0) s.counter = true;
  }
}

}  // namespace

Status MergeInto(std::vector<Series>&& series, std::string_view file, Format format,
                 MetricSet* set) {
  std::unordered_map<std::string, uint32_t> index;
  index.reserve(set->series.size());
  for (uint32_t i = 0; i < set->series.size(); ++i) index.emplace(SeriesId(set->series[i]), i);
  InputFile info;
  info.path = std::string(file);
  info.format = format;
  for (Series& s : series) {
    if (s.samples.empty()) continue;
    info.series++;
    info.samples += s.samples.size();
    std::string id = SeriesId(s);
    auto it = index.find(id);
    Series* target;
    if (it == index.end()) {
      s.file = std::string(file);
      index.emplace(id, static_cast<uint32_t>(set->series.size()));
      set->series.push_back(std::move(s));
      target = &set->series.back();
    } else {
      target = &set->series[it->second];
      if (target->type == MetricType::kUnknown) target->type = s.type;
      target->counter = target->counter || s.counter;
      target->samples.insert(target->samples.end(), s.samples.begin(), s.samples.end());
    }
    SortAndFold(target, &set->stats);
    bool untimed = false, timed = false;
    for (const Sample& x : target->samples) (x.t_ms == kNoTimestamp ? untimed : timed) = true;
    if (untimed && timed)
      return InputError(file, "", -1,
                        fmt::format("series {} mixes samples with and without timestamps", id));
  }
  set->files.push_back(std::move(info));
  ResolveUntypedHistogramParts(set);
  return Status::Ok();
}

bool ParseSelector(std::string_view text, std::string* name, Labels* labels) {
  name->clear();
  labels->clear();
  size_t i = 0;
  auto is_name_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (!first && c >= '0' && c <= '9');
  };
  while (i < text.size() && is_name_char(text[i], i == 0)) ++i;
  *name = std::string(text.substr(0, i));
  if (i == text.size()) return !name->empty();
  if (text[i] != '{' || text.back() != '}') return false;
  ++i;
  while (true) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i >= text.size()) return false;
    if (text[i] == '}') return i + 1 == text.size();
    size_t k = i;
    while (k < text.size() && is_name_char(text[k], k == i) && text[k] != ':') ++k;
    if (k == i || k >= text.size() || text[k] != '=') return false;
    std::string key(text.substr(i, k - i));
    i = k + 1;
    if (i >= text.size() || text[i] != '"') return false;
    ++i;
    std::string value;
    while (i < text.size() && text[i] != '"') {
      if (text[i] == '\\' && i + 1 < text.size()) {
        char e = text[i + 1];
        value += e == 'n' ? '\n' : e;
        i += 2;
      } else {
        value += text[i++];
      }
    }
    if (i >= text.size()) return false;
    ++i;
    labels->emplace_back(std::move(key), std::move(value));
  }
}

}  // namespace internal

namespace {

bool LooksLikeCsvHeader(std::string_view line) {
  // The first field of a Grafana CSV header: Time (joined or per-series) or Series (legacy).
  size_t i = 0;
  while (i < line.size() && (line[i] == '"' || line[i] == ' ')) ++i;
  std::string_view rest = line.substr(i);
  for (std::string_view w : {"Time", "time", "Series", "series", "Date", "date"}) {
    if (rest.starts_with(w)) {
      size_t k = w.size();
      if (k == rest.size() || rest[k] == '"' || rest[k] == ',' || rest[k] == ';' ||
          rest[k] == '\t' || rest[k] == '\r')
        return true;
    }
  }
  return false;
}

std::optional<Format> DetectDecoded(std::string_view text) {
  size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  if (i == text.size()) return std::nullopt;
  if (text[i] == '{' || text[i] == '[') {
    // API envelopes have "status"; DataFrame JSON has "schema", "frames" or "results".
    std::string_view head = text.substr(i, 4096);
    size_t status = head.find("\"status\"");
    size_t schema =
        std::min({head.find("\"schema\""), head.find("\"frames\""), head.find("\"results\"")});
    if (status != std::string_view::npos && (schema == std::string_view::npos || status < schema))
      return Format::kPrometheusApi;
    if (schema != std::string_view::npos) return Format::kGrafanaDataFrame;
    return Format::kPrometheusApi;  // the JSON reader names what is missing
  }
  std::string_view first = text.substr(i, text.find('\n', i) - i);
  if (first.starts_with("sep=") || LooksLikeCsvHeader(first)) return Format::kGrafanaCsv;
  // Text exposition: OpenMetrics when it ends with # EOF or uses # UNIT.
  bool eof = false, unit = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "# EOF") eof = true;
    if (line.starts_with("# UNIT ")) unit = true;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  char c = text[i];
  bool name_start =
      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c == '#';
  if (!name_start) return std::nullopt;
  return (eof || unit) ? Format::kOpenMetrics : Format::kPrometheusText;
}

}  // namespace

std::optional<Format> DetectFormat(std::string_view bytes) {
  internal::Decoded d;
  if (!internal::Decode(bytes, "", &d).ok()) return std::nullopt;
  return DetectDecoded(d.text);
}

Status ParseMetrics(std::string_view bytes, std::string_view file, MetricSet* set) {
  internal::Decoded d;
  HS_RETURN_IF_ERROR(internal::Decode(bytes, file, &d));
  std::optional<Format> format = DetectDecoded(d.text);
  if (!format) {
    return InputError(file, "", 0,
                      "not a metrics export heapscope reads (Prometheus text/OpenMetrics, "
                      "Prometheus API JSON, Grafana CSV or DataFrame JSON); see docs/metrics.md");
  }
  internal::SeriesSink sink;
  Format f = *format;
  switch (f) {
    case Format::kPrometheusText:
    case Format::kOpenMetrics:
      HS_RETURN_IF_ERROR(internal::ParseText(d, file, &f, &sink, &set->stats));
      break;
    case Format::kPrometheusApi:
    case Format::kGrafanaDataFrame:
      HS_RETURN_IF_ERROR(internal::ParseJson(d, file, &f, &sink, &set->stats));
      break;
    case Format::kGrafanaCsv:
      HS_RETURN_IF_ERROR(internal::ParseCsv(d, file, &sink, &set->stats));
      break;
  }
  return internal::MergeInto(std::move(sink.series()), file, f, set);
}

Status ParseMetricsFile(const std::string& path, MetricSet* set) {
  HS_ASSIGN_OR_RETURN(std::string bytes,
                      io::ReadWholeInput(path, io::kMaxMetricsBytes, "metrics export"));
  try {
    return ParseMetrics(bytes, path == "-" ? "<stdin>" : path, set);
  } catch (const std::bad_alloc&) {
    return InputError(path, "", -1,
                      fmt::format("out of memory while reading the metrics export (budget {})",
                                  io::FormatBytes(io::MemoryBudget())));
  }
}

}  // namespace heapscope::metrics
