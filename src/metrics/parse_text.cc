// Prometheus text exposition 0.0.4 and OpenMetrics 1.0.
//
// One reader for both: they differ in the timestamp unit (0.0.4: integer milliseconds;
// OpenMetrics: float seconds), in `# UNIT`, exemplars and `# EOF`. Several scrapes may be
// concatenated (a TYPE may then repeat, consistently). A file with `# EOF` or `# UNIT` is
// OpenMetrics; a 0.0.4 file whose timestamps have a fraction or exponent is read as seconds too
// (docs/metrics.md).
#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "metrics/parse_internal.h"

namespace heapscope::metrics::internal {
namespace {

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool ParseTypeName(std::string_view t, MetricType* out) {
  static const std::pair<std::string_view, MetricType> kTypes[] = {
      {"counter", MetricType::kCounter},
      {"gauge", MetricType::kGauge},
      {"histogram", MetricType::kHistogram},
      {"summary", MetricType::kSummary},
      {"untyped", MetricType::kUnknown},
      {"unknown", MetricType::kUnknown},
      {"gaugehistogram", MetricType::kGaugeHistogram},
      {"stateset", MetricType::kStateSet},
      {"info", MetricType::kInfo}};
  for (const auto& [n, t2] : kTypes) {
    if (n == t) {
      *out = t2;
      return true;
    }
  }
  return false;
}

struct RawSample {
  uint32_t series;
  bool has_ts;
  double ts;
  double value;
  size_t at;  // text offset of the line, for errors
};

class TextReader {
 public:
  TextReader(const Decoded& d, std::string_view file) : d_(d), t_(d.text), file_(file) {}

  Status Run(Format* format, SeriesSink* sink, ParseStats* stats) {
    sink_ = sink;
    stats_ = stats;
    size_t pos = 0;
    uint64_t lines = 0;
    while (pos < t_.size()) {
      size_t nl = t_.find('\n', pos);
      size_t end = nl == std::string_view::npos ? t_.size() : nl;
      size_t line_end = end;
      if (line_end > pos && t_[line_end - 1] == '\r') --line_end;  // CRLF tolerated
      ++lines;
      HS_RETURN_IF_ERROR(Line(pos, line_end));
      pos = end + 1;
    }
    bool om = eof_ || unit_seen_;
    if (!eof_ && (unit_seen_ || om_only_type_))
      return ErrorAt(file_, d_, t_.size(),
                     "OpenMetrics input ends without '# EOF' (truncated file?)");
    bool seconds = om || fractional_ts_;
    *format = om ? Format::kOpenMetrics : Format::kPrometheusText;
    auto& series = sink_->series();
    for (const RawSample& r : raw_) {
      Sample s;
      s.value = r.value;
      if (!r.has_ts) {
        s.t_ms = kNoTimestamp;
        for (const Sample& prev : series[r.series].samples) {
          if (prev.t_ms == kNoTimestamp)
            return ErrorAt(file_, d_, r.at,
                           fmt::format("series {} appears twice without a timestamp; "
                                       "concatenated scrapes need timestamps",
                                       SeriesId(series[r.series])));
        }
      } else if (!TimeMs(seconds ? r.ts * 1000.0 : r.ts, &s.t_ms)) {
        return ErrorAt(file_, d_, r.at, kTimeRangeMessage);
      }
      series[r.series].samples.push_back(s);
    }
    return Status::Ok();
  }

 private:
  Status Err(size_t at, std::string_view msg) { return ErrorAt(file_, d_, at, msg); }

  Status Line(size_t b, size_t e) {
    size_t i = b;
    while (i < e && IsBlank(t_[i])) ++i;
    if (i == e) return Status::Ok();  // blank line
    if (eof_) return Err(i, "content after '# EOF'");
    if (t_[i] == '#') return Comment(i, e);
    return SampleLine(i, e);
  }

  // Splits "# WORD name rest" into tokens.
  Status Comment(size_t i, size_t e) {
    std::string_view line = t_.substr(i, e - i);
    if (line == "# EOF") {
      eof_ = true;
      return Status::Ok();
    }
    size_t k = 1;
    while (k < line.size() && IsBlank(line[k])) ++k;
    size_t w = k;
    while (k < line.size() && !IsBlank(line[k])) ++k;
    std::string_view word = line.substr(w, k - w);
    if (word != "TYPE" && word != "HELP" && word != "UNIT") return Status::Ok();  // comment
    while (k < line.size() && IsBlank(line[k])) ++k;
    size_t n = k;
    while (k < line.size() && IsNameChar(line[k])) ++k;
    if (n == k || !IsNameStart(line[n]))
      return Err(i + n, fmt::format("'# {}' needs a metric name", word));
    std::string name(line.substr(n, k - n));
    if (word == "HELP") return Status::Ok();
    if (word == "UNIT") {
      unit_seen_ = true;
      return Status::Ok();
    }
    while (k < line.size() && IsBlank(line[k])) ++k;
    size_t tb = k;
    while (k < line.size() && !IsBlank(line[k])) ++k;
    std::string_view type_name = line.substr(tb, k - tb);
    MetricType type;
    if (!ParseTypeName(type_name, &type))
      return Err(i + tb, fmt::format("unknown metric type '{}' in '# TYPE {}'", type_name, name));
    if (type_name == "unknown" || type == MetricType::kGaugeHistogram ||
        type == MetricType::kStateSet || type == MetricType::kInfo)
      om_only_type_ = true;
    auto [it, inserted] = types_.emplace(name, type);
    if (!inserted && it->second != type)
      return Err(i + tb, fmt::format("'# TYPE {}' says {} but an earlier TYPE said {}", name,
                                     type_name, MetricTypeName(it->second)));
    return Status::Ok();
  }

  // Family type and counter semantics of sample name `name`.
  void Classify(const std::string& name, MetricType* type, bool* counter) {
    auto it = types_.find(name);
    std::string_view suffix;
    if (it == types_.end()) {
      for (std::string_view s :
           {"_total", "_created", "_count", "_sum", "_bucket", "_gcount", "_gsum", "_info"}) {
        if (name.size() > s.size() && name.ends_with(s)) {
          auto f = types_.find(name.substr(0, name.size() - s.size()));
          if (f != types_.end()) {
            it = f;
            suffix = s;
            break;
          }
        }
      }
    }
    if (name.ends_with("_created")) ++stats_->created_samples;
    if (it == types_.end()) {
      *type = MetricType::kUnknown;
      *counter = !name.ends_with("_created") && IsCounterName(name);
      return;
    }
    *type = it->second;
    switch (it->second) {
      case MetricType::kCounter:
        *counter = suffix != "_created";
        break;
      case MetricType::kHistogram:
      case MetricType::kSummary:
        *counter = suffix == "_count" || suffix == "_sum" || suffix == "_bucket";
        break;
      case MetricType::kUnknown:
        *counter = suffix != "_created" && IsCounterName(name);
        break;
      default:
        *counter = false;
    }
  }

  Status SampleLine(size_t i, size_t e) {
    size_t line_start = i;
    if (!IsNameStart(t_[i])) return Err(i, "expected a metric name");
    size_t n = i;
    while (i < e && IsNameChar(t_[i])) ++i;
    // Fast path: the exact text `name{...}` seen before maps to its series directly (scrapes
    // repeat it verbatim), skipping label parsing and sorting.
    size_t key_end = i;
    if (i < e && t_[i] == '{') {
      bool quoted = false;
      for (size_t k = i + 1; k < e; ++k) {
        if (quoted && t_[k] == '\\') {
          ++k;
        } else if (t_[k] == '"') {
          quoted = !quoted;
        } else if (!quoted && t_[k] == '}') {
          key_end = k + 1;
          break;
        }
      }
    }
    std::string_view raw_key = t_.substr(n, key_end - n);
    auto cached = key_end > i || i == e || t_[i] != '{' ? by_raw_.find(raw_key) : by_raw_.end();
    std::string name(t_.substr(n, i - n));
    labels_.clear();
    if (cached != by_raw_.end()) {
      i = key_end;
    } else if (i < e && t_[i] == '{') {
      HS_RETURN_IF_ERROR(LabelSet(&i, e));
    }
    if (i >= e || !IsBlank(t_[i])) {
      if (i >= e) return Err(i, fmt::format("sample '{}' has no value", name));
      return Err(i, fmt::format("unexpected '{}' after metric name", t_[i]));
    }
    while (i < e && IsBlank(t_[i])) ++i;
    size_t vb = i;
    while (i < e && !IsBlank(t_[i])) ++i;
    double value;
    if (vb == i) return Err(vb, fmt::format("sample '{}' has no value", name));
    if (!ParseNumber(t_.substr(vb, i - vb), &value))
      return Err(vb, fmt::format("invalid sample value '{}'", t_.substr(vb, i - vb)));
    while (i < e && IsBlank(t_[i])) ++i;
    bool has_ts = false;
    double ts = 0;
    if (i < e && t_[i] != '#') {
      size_t tb = i;
      while (i < e && !IsBlank(t_[i])) ++i;
      std::string_view tok = t_.substr(tb, i - tb);
      if (!ParseNumber(tok, &ts) || !std::isfinite(ts))
        return Err(tb, fmt::format("invalid timestamp '{}'", tok));
      if (tok.find_first_of(".eE") != std::string_view::npos) fractional_ts_ = true;
      has_ts = true;
      while (i < e && IsBlank(t_[i])) ++i;
    }
    if (i < e) {
      if (t_[i] != '#') return Err(i, "unexpected text after the timestamp");
      ++stats_->exemplars_skipped;  // "# {labels} value [ts]": an exemplar, not a sample
    }
    if (cached != by_raw_.end()) {
      if (cached->second.created) ++stats_->created_samples;
      raw_.push_back({cached->second.series, has_ts, ts, value, line_start});
      return Status::Ok();
    }
    MetricType type;
    bool counter;
    Classify(name, &type, &counter);
    NormalizeLabels(&labels_, nullptr);
    for (size_t k = 1; k < labels_.size(); ++k)
      if (labels_[k].first == labels_[k - 1].first)
        return Err(line_start, fmt::format("label '{}' repeated", labels_[k].first));
    uint32_t idx = sink_->Find(name, labels_, type, counter);
    by_raw_.emplace(raw_key, CachedSeries{idx, name.ends_with("_created")});
    raw_.push_back({idx, has_ts, ts, value, line_start});
    return Status::Ok();
  }

  // `{a="x",b="y",}` with escapes \\ \" \n; blanks allowed around tokens.
  Status LabelSet(size_t* pos, size_t e) {
    size_t i = *pos + 1;
    while (true) {
      while (i < e && IsBlank(t_[i])) ++i;
      if (i >= e) return Err(i, "unterminated label set");
      if (t_[i] == '}') {
        *pos = i + 1;
        return Status::Ok();
      }
      size_t nb = i;
      if (!IsNameStart(t_[i]) || t_[i] == ':') return Err(i, "expected a label name");
      while (i < e && IsNameChar(t_[i]) && t_[i] != ':') ++i;
      std::string key(t_.substr(nb, i - nb));
      while (i < e && IsBlank(t_[i])) ++i;
      if (i >= e || t_[i] != '=')
        return Err(i, fmt::format("expected '=' after label name '{}'", key));
      ++i;
      while (i < e && IsBlank(t_[i])) ++i;
      if (i >= e || t_[i] != '"')
        return Err(i, fmt::format("expected '\"' to open the value of label '{}'", key));
      ++i;
      std::string value;
      while (true) {
        if (i >= e) return Err(i, fmt::format("unterminated value of label '{}'", key));
        char c = t_[i];
        if (c == '"') break;
        if (c == '\\') {
          if (i + 1 >= e) return Err(i, "unterminated escape in label value");
          char x = t_[i + 1];
          if (x == 'n')
            value += '\n';
          else if (x == '\\' || x == '"')
            value += x;
          else {  // OpenMetrics: a lone backslash "SHOULD NOT be used but parses"
            value += '\\';
            value += x;
          }
          i += 2;
          continue;
        }
        value += c;
        ++i;
      }
      ++i;  // closing quote
      labels_.emplace_back(std::move(key), std::move(value));
      while (i < e && IsBlank(t_[i])) ++i;
      if (i < e && t_[i] == ',') {
        ++i;
        continue;
      }
      if (i < e && t_[i] == '}') continue;
      return Err(i, "expected ',' or '}' in label set");
    }
  }

  const Decoded& d_;
  std::string_view t_;
  std::string_view file_;
  SeriesSink* sink_ = nullptr;
  ParseStats* stats_ = nullptr;
  std::unordered_map<std::string, MetricType> types_;
  std::vector<RawSample> raw_;
  struct CachedSeries {
    uint32_t series;
    bool created;
  };
  std::unordered_map<std::string_view, CachedSeries> by_raw_;  // keys point into the text
  Labels labels_;
  bool eof_ = false;
  bool unit_seen_ = false;
  bool om_only_type_ = false;
  bool fractional_ts_ = false;
};

}  // namespace

Status ParseText(const Decoded& d, std::string_view file, Format* format, SeriesSink* sink,
                 ParseStats* stats) {
  TextReader reader(d, file);
  return reader.Run(format, sink, stats);
}

}  // namespace heapscope::metrics::internal
