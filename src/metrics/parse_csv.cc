// Grafana panel CSV (Inspect > Data > Download CSV), every variant Grafana has written:
//   * "Series joined by time": Time + one column per series, empty cells where a series has no
//     sample at that time; per-series files are the one-column case;
//   * several frames in one file, each with its own header, separated by a blank line;
//   * legacy Graph panel (Grafana ≤ 6): Series;Time;Value rows;
//   * delimiter `,` `;` or TAB (sniffed from the header, or given by a `sep=` first line);
//   * time as epoch milliseconds, or formatted (`YYYY-MM-DD HH:mm:ss[.SSS]`, ISO 8601 with `T`
//     and `Z`/±hh:mm); values raw or "formatted" with a unit (`1.21 GiB`, `312 K`, `45 %`);
//   * CRLF, quoted fields with "" escapes, UTF-8/UTF-16 with BOM (Download for Excel).
#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "metrics/parse_internal.h"

namespace heapscope::metrics::internal {
namespace {

struct Field {
  std::string text;
  size_t at;  // text offset of the field's first character
};

class CsvReader {
 public:
  CsvReader(const Decoded& d, std::string_view file, SeriesSink* sink, ParseStats* stats)
      : d_(d), t_(d.text), file_(file), sink_(sink), stats_(stats) {}

  Status Run() {
    size_t pos = 0;
    // A `sep=X` first line (Excel hint) fixes the delimiter.
    if (t_.starts_with("sep=") && t_.size() > 4) {
      delim_ = t_[4];
      size_t nl = t_.find('\n');
      pos = nl == std::string_view::npos ? t_.size() : nl + 1;
    }
    std::vector<Field> row;
    bool need_header = true;
    while (pos < t_.size()) {
      size_t row_start = pos;
      if (delim_ == 0) Sniff(pos);
      HS_RETURN_IF_ERROR(Record(&pos, &row));
      bool blank = row.size() == 1 && row[0].text.empty();
      if (blank) {  // frames are separated by a blank line
        need_header = true;
        continue;
      }
      if (need_header) {
        HS_RETURN_IF_ERROR(Header(row, row_start));
        need_header = false;
        continue;
      }
      HS_RETURN_IF_ERROR(DataRow(row, row_start));
    }
    if (columns_.empty() && !legacy_) return ErrorAt(file_, d_, 0, "CSV without a header row");
    return Status::Ok();
  }

 private:
  Status Err(size_t at, std::string_view msg) { return ErrorAt(file_, d_, at, msg); }

  // Picks the delimiter that occurs most often (outside quotes) in the line at `pos`.
  void Sniff(size_t pos) {
    size_t counts[3] = {0, 0, 0};
    const char kDelims[3] = {',', ';', '\t'};
    bool quoted = false;
    for (size_t i = pos; i < t_.size() && (quoted || t_[i] != '\n'); ++i) {
      if (t_[i] == '"') quoted = !quoted;
      if (quoted) continue;
      for (int k = 0; k < 3; ++k)
        if (t_[i] == kDelims[k]) ++counts[k];
    }
    int best = 0;
    for (int k = 1; k < 3; ++k)
      if (counts[k] > counts[best]) best = k;
    delim_ = kDelims[best];
  }

  // One RFC 4180 record: quoted fields may hold delimiters, "" and line breaks.
  Status Record(size_t* pos, std::vector<Field>* row) {
    row->clear();
    size_t i = *pos;
    while (true) {
      Field f;
      f.at = i;
      if (i < t_.size() && t_[i] == '"') {
        size_t open = i++;
        while (true) {
          if (i >= t_.size()) return Err(open, "unterminated quoted field");
          if (t_[i] == '"') {
            if (i + 1 < t_.size() && t_[i + 1] == '"') {
              f.text += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          f.text += t_[i++];
        }
        if (i < t_.size() && t_[i] != delim_ && t_[i] != '\n' && t_[i] != '\r')
          return Err(i, "unexpected character after a quoted field");
      } else {
        while (i < t_.size() && t_[i] != delim_ && t_[i] != '\n' && t_[i] != '\r')
          f.text += t_[i++];
      }
      row->push_back(std::move(f));
      if (i < t_.size() && t_[i] == delim_) {
        ++i;
        continue;
      }
      if (i < t_.size() && t_[i] == '\r') ++i;
      if (i < t_.size() && t_[i] == '\n') ++i;
      *pos = i;
      return Status::Ok();
    }
  }

  static std::string Trim(std::string s) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return s.substr(b, e - b);
  }

  static bool IsTimeHeader(const std::string& h) {
    return h == "Time" || h == "time" || h == "Date" || h == "date" || h == "Timestamp" ||
           h == "timestamp";
  }

  Status Header(const std::vector<Field>& row, size_t at) {
    columns_.clear();
    legacy_ = false;
    std::vector<std::string> names;
    for (const Field& f : row) names.push_back(Trim(f.text));
    if (names.size() == 3 && (names[0] == "Series" || names[0] == "series") &&
        IsTimeHeader(names[1])) {
      legacy_ = true;  // Series;Time;Value
      return Status::Ok();
    }
    if (names.empty() || !IsTimeHeader(names[0]))
      return Err(at, "expected a header whose first column is Time (or Series;Time;Value)");
    if (names.size() < 2) return Err(at, "header has a Time column but no series column");
    for (size_t c = 1; c < names.size(); ++c) {
      if (names[c].empty())
        return Err(row[c].at, fmt::format("column {} has an empty header", c + 1));
      columns_.push_back(SeriesFor(names[c]));
    }
    return Status::Ok();
  }

  uint32_t SeriesFor(const std::string& header) {
    std::string name;
    Labels labels;
    if (!ParseSelector(header, &name, &labels)) {
      name = header;  // a legend alias: kept verbatim as the name
      labels.clear();
    }
    NormalizeLabels(&labels, &name);
    return sink_->Find(name, labels, MetricType::kUnknown, IsCounterName(name));
  }

  Status DataRow(const std::vector<Field>& row, size_t at) {
    if (legacy_) {
      if (row.size() != 3)
        return Err(at, fmt::format("expected 3 fields (Series;Time;Value), found {}", row.size()));
      int64_t t;
      HS_RETURN_IF_ERROR(Time(row[1], &t));
      uint32_t idx = SeriesFor(Trim(row[0].text));
      return Value(row[2], t, idx);
    }
    if (row.size() != columns_.size() + 1)
      return Err(at, fmt::format("expected {} fields as in the header, found {}",
                                 columns_.size() + 1, row.size()));
    int64_t t;
    HS_RETURN_IF_ERROR(Time(row[0], &t));
    for (size_t c = 0; c < columns_.size(); ++c)
      HS_RETURN_IF_ERROR(Value(row[c + 1], t, columns_[c]));
    return Status::Ok();
  }

  Status Value(const Field& f, int64_t t, uint32_t idx) {
    std::string s = Trim(f.text);
    if (s.empty() || s == "null" || s == "undefined") {
      ++stats_->empty_cells;
      return Status::Ok();
    }
    double v;
    if (!ParseFormatted(s, &v)) return Err(f.at, fmt::format("invalid value '{}'", s));
    sink_->series()[idx].samples.push_back({t, v});
    return Status::Ok();
  }

  // A number, optionally followed by a Grafana unit suffix (bytes SI/IEC, short, percent).
  static bool ParseFormatted(const std::string& s, double* out) {
    if (ParseNumber(s, out)) return true;
    size_t i = s.size();
    while (i > 0 && !((s[i - 1] >= '0' && s[i - 1] <= '9') || s[i - 1] == '.')) --i;
    if (i == 0 || i == s.size()) return false;
    std::string num = Trim(s.substr(0, i));
    std::string unit = Trim(s.substr(i));
    double v;
    if (!ParseNumber(num, &v)) return false;
    static const std::pair<const char*, double> kUnits[] = {{"B", 1},
                                                            {"kB", 1e3},
                                                            {"KB", 1e3},
                                                            {"MB", 1e6},
                                                            {"GB", 1e9},
                                                            {"TB", 1e12},
                                                            {"KiB", 1024.0},
                                                            {"MiB", 1048576.0},
                                                            {"GiB", 1073741824.0},
                                                            {"TiB", 1099511627776.0},
                                                            {"K", 1e3},
                                                            {"Mil", 1e6},
                                                            {"Bil", 1e9},
                                                            {"Tri", 1e12},
                                                            {"%", 1},
                                                            {"s", 1},
                                                            {"ms", 1e-3}};
    for (const auto& [u, factor] : kUnits) {
      if (unit == u) {
        *out = v * factor;
        return true;
      }
    }
    return false;
  }

  static bool Digits(std::string_view s, size_t at, size_t n, int* out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
      char c = s[at + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  }

  // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
  static int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
  }

  Status Time(const Field& f, int64_t* t) {
    std::string s = Trim(f.text);
    double num;
    if (ParseNumber(s, &num) && std::isfinite(num)) {
      // Grafana writes epoch milliseconds; a value below 1e11 can only be seconds (1e11 ms is
      // 1973-03-03, 1e11 s is the year 5138).
      if (!TimeMs(std::fabs(num) < 1e11 ? num * 1000.0 : num, t))
        return Err(f.at, fmt::format("{} '{}'", kTimeRangeMessage, s));
      return Status::Ok();
    }
    // YYYY-MM-DD[ T]HH:mm[:ss[.SSS]][Z|±hh:mm|±hhmm]
    int Y, M, D, h, m, sec = 0;
    if (!Digits(s, 0, 4, &Y) || s.size() < 16 || s[4] != '-' || !Digits(s, 5, 2, &M) ||
        s[7] != '-' || !Digits(s, 8, 2, &D) || (s[10] != ' ' && s[10] != 'T') ||
        !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &m) || M < 1 || M > 12 ||
        D < 1 || D > 31 || h > 23 || m > 59)
      return Err(f.at, fmt::format("invalid time '{}' (epoch ms or YYYY-MM-DD HH:mm:ss)", s));
    size_t i = 16;
    double frac = 0;
    if (i < s.size() && s[i] == ':') {
      if (!Digits(s, i + 1, 2, &sec) || sec > 60)
        return Err(f.at + i, fmt::format("invalid seconds in time '{}'", s));
      i += 3;
      if (i < s.size() && s[i] == '.') {
        size_t b = ++i;
        double scale = 0.1;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          frac += (s[i] - '0') * scale;
          scale /= 10;
          ++i;
        }
        if (i == b) return Err(f.at + i, fmt::format("invalid fraction in time '{}'", s));
      }
    }
    int64_t offset_min = 0;
    if (i < s.size() && s[i] == 'Z') {
      ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      int oh, om = 0;
      int sign = s[i] == '-' ? -1 : 1;
      if (!Digits(s, i + 1, 2, &oh))
        return Err(f.at + i, fmt::format("invalid zone in time '{}'", s));
      i += 3;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size()) {
        if (!Digits(s, i, 2, &om))
          return Err(f.at + i, fmt::format("invalid zone in time '{}'", s));
        i += 2;
      }
      offset_min = sign * (oh * 60 + om);
    } else {
      ++stats_->local_times_assumed_utc;  // a dashboard-timezone string: read as UTC
    }
    if (i != s.size()) return Err(f.at + i, fmt::format("unexpected text in time '{}'", s));
    int64_t secs = DaysFromCivil(Y, static_cast<unsigned>(M), static_cast<unsigned>(D)) * 86400 +
                   h * 3600 + m * 60 + sec - offset_min * 60;
    *t = secs * 1000 + std::llround(frac * 1000.0);
    return Status::Ok();
  }

  const Decoded& d_;
  std::string_view t_;
  std::string_view file_;
  SeriesSink* sink_;
  ParseStats* stats_;
  char delim_ = 0;
  bool legacy_ = false;
  std::vector<uint32_t> columns_;
};

}  // namespace

Status ParseCsv(const Decoded& d, std::string_view file, SeriesSink* sink, ParseStats* stats) {
  CsvReader reader(d, file, sink, stats);
  return reader.Run();
}

}  // namespace heapscope::metrics::internal
