// `heapscope metrics` outputs: an aligned text table and JSON (report/commands.h).
#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "heapscope/report/commands.h"
#include "metrics/analysis_internal.h"

namespace heapscope::report {
namespace {

using namespace heapscope::metrics;  // NOLINT(build/namespaces): this file renders metrics only

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Num(Writer& w, double v) {
  if (std::isfinite(v))
    w.Double(v);
  else
    w.Null();
}
void Opt(Writer& w, const std::optional<double>& v) {
  if (v)
    Num(w, *v);
  else
    w.Null();
}
// The number when `present`, else null (a value a series without samples does not have).
void NumIf(Writer& w, bool present, double v) {
  if (present)
    Num(w, v);
  else
    w.Null();
}

void Key(Writer& w, const char* k) { w.Key(k); }
void Str(Writer& w, std::string_view raw) {
  std::string s = text::ValidUtf8(raw);
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

double Seconds(int64_t t_ms) { return static_cast<double>(t_ms) / 1000.0; }

}  // namespace

std::string RenderMetricsJson(const MetricsAnalysis& a) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Key(w, "files");
  w.StartArray();
  for (const InputFile& f : a.set.files) {
    w.StartObject();
    Key(w, "path");
    Str(w, f.path);
    Key(w, "format");
    w.String(FormatName(f.format));
    Key(w, "series");
    w.Uint64(f.series);
    Key(w, "samples");
    w.Uint64(f.samples);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "limit");
  if (a.limit_bytes) {
    w.StartObject();
    Key(w, "bytes");
    Num(w, *a.limit_bytes);
    Key(w, "source");
    Str(w, a.limit_source);
    w.EndObject();
  } else {
    w.Null();
  }
  Key(w, "series");
  w.StartArray();
  for (size_t i = 0; i < a.set.series.size(); ++i) {
    const Series& s = a.set.series[i];
    const SeriesStats& st = a.stats[i];
    bool timed = st.samples > 0 && st.first_ms != kNoTimestamp;
    w.StartObject();
    Key(w, "name");
    Str(w, s.name);
    Key(w, "labels");
    w.StartObject();
    for (const auto& [k, v] : s.labels) {
      Str(w, k);
      Str(w, v);
    }
    w.EndObject();
    Key(w, "samples");
    w.Uint64(st.samples);
    Key(w, "slope_per_second");
    Opt(w, st.slope);
    Key(w, "r2");
    Opt(w, st.r2);
    Key(w, "resets");
    w.Uint64(st.resets);
    Key(w, "increase");
    Opt(w, st.increase);
    Key(w, "time_to_limit_seconds");
    Opt(w, st.time_to_limit ? std::optional<double>(st.time_to_limit->seconds) : std::nullopt);
    Key(w, "time_to_limit_range_seconds");
    if (st.time_to_limit && st.time_to_limit->seconds_low) {
      w.StartArray();
      Num(w, *st.time_to_limit->seconds_low);
      Opt(w, st.time_to_limit->seconds_high);
      w.EndArray();
    } else {
      w.Null();
    }
    Key(w, "type");
    w.String(MetricTypeName(s.type));
    Key(w, "counter");
    w.Bool(s.counter);
    Key(w, "role");
    w.String(SeriesRoleName(st.role));
    Key(w, "first_time");
    NumIf(w, timed, Seconds(st.first_ms));
    Key(w, "last_time");
    NumIf(w, timed, Seconds(st.last_ms));
    Key(w, "first_value");
    NumIf(w, st.samples, st.first_value);
    Key(w, "last_value");
    NumIf(w, st.samples, st.last_value);
    Key(w, "min");
    NumIf(w, st.samples, st.min_value);
    Key(w, "max");
    NumIf(w, st.samples, st.max_value);
    Key(w, "intercept");
    Opt(w, st.intercept);
    Key(w, "slope_stderr");
    Opt(w, st.slope_stderr);
    Key(w, "grows");
    w.Bool(st.grows);
    Key(w, "flat");
    w.Bool(st.flat);
    Key(w, "file");
    Str(w, s.file);
    if (st.at) {
      const PromqlAt& p = *st.at;
      Key(w, "promql");
      w.StartObject();
      Key(w, "time");
      Num(w, Seconds(p.eval_ms));
      Key(w, "window_samples");
      w.Uint64(p.window_samples);
      Key(w, "deriv");
      Opt(w, p.deriv);
      Key(w, "predict_linear");
      Opt(w, p.predict_linear);
      Key(w, "rate");
      Opt(w, p.rate);
      Key(w, "increase");
      Opt(w, p.increase);
      Key(w, "delta");
      Opt(w, p.delta);
      Key(w, "resets");
      w.Uint64(p.resets);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  Key(w, "restarts");
  w.StartArray();
  for (const Restart& r : a.restarts) {
    w.StartObject();
    Key(w, "time");
    Num(w, Seconds(r.t_ms));
    Key(w, "series");
    Str(w, r.series);
    Key(w, "reason");
    Str(w, r.reason);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "relations");
  w.StartArray();
  for (const Relation& r : a.relations) {
    w.StartObject();
    Key(w, "kind");
    Str(w, r.kind);
    Key(w, "text");
    Str(w, r.text);
    Key(w, "event");
    Str(w, r.event);
    Key(w, "series");
    w.StartArray();
    for (uint32_t i : r.series) Str(w, SeriesId(a.set.series[i]));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  Key(w, "diagnostics");
  w.StartObject();
  for (const auto& [k, v] : a.set.stats.NonZero()) {
    Str(w, k);
    w.Uint64(v);
  }
  w.EndObject();
  w.EndObject();
  std::string out(buf.GetString(), buf.GetSize());
  out += '\n';
  return out;
}

std::string RenderMetricsText(const MetricsAnalysis& a) {
  using internal::Duration;
  std::string out;
  for (const InputFile& f : a.set.files)
    out += fmt::format("{}: {} ({} series, {} samples)\n", text::TerminalSafe(f.path), FormatName(f.format), f.series,
                       f.samples);
  if (a.limit_bytes)
    out += fmt::format("memory limit: {} ({} bytes, from {})\n", internal::Bytes(*a.limit_bytes),
                       internal::Thousands(*a.limit_bytes), text::TerminalSafe(a.limit_source));
  out += '\n';
  struct Row {
    std::string c[8];
  };
  std::vector<Row> rows;
  rows.push_back(
      {{"SERIES", "N", "SPAN", "FIRST → LAST", "SLOPE", "R²", "RESETS/INCREASE", "TO LIMIT"}});
  for (size_t i = 0; i < a.set.series.size(); ++i) {
    const Series& s = a.set.series[i];
    const SeriesStats& st = a.stats[i];
    Row r;
    r.c[0] = text::TerminalSafe(SeriesId(s));
    r.c[1] = fmt::format("{}", st.samples);
    bool timed = st.samples > 0 && st.first_ms != kNoTimestamp;
    r.c[2] = timed ? Duration(static_cast<double>(st.last_ms - st.first_ms) / 1e3) : "-";
    r.c[3] = st.samples ? fmt::format("{} → {}", internal::Value(s, st.first_value),
                                      internal::Value(s, st.last_value))
                        : "-";
    r.c[4] = st.slope ? internal::Rate(s, *st.slope) + (st.flat ? " (flat)" : "") : "-";
    r.c[5] = st.r2 ? fmt::format("{:.3f}", *st.r2) : "-";
    r.c[6] = s.counter ? fmt::format("{} / {}", st.resets,
                                     st.increase ? internal::Thousands(*st.increase) : "-")
                       : "";
    if (st.time_to_limit) {
      const TimeToLimit& t = *st.time_to_limit;
      r.c[7] = Duration(t.seconds);
      if (t.seconds_low)
        r.c[7] += fmt::format(" ({}–{})", Duration(*t.seconds_low),
                              t.seconds_high ? Duration(*t.seconds_high) : "never");
    }
    rows.push_back(std::move(r));
  }
  auto width = [](const std::string& s) { return text::Columns(s); };
  size_t w[8] = {};
  for (const Row& r : rows)
    for (int k = 0; k < 8; ++k) w[k] = std::max(w[k], width(r.c[k]));
  for (const Row& r : rows) {
    std::string line;
    for (int k = 0; k < 8; ++k) {
      bool right = k == 1 || k == 5;
      size_t pad = w[k] - width(r.c[k]);
      if (right)
        line += std::string(pad, ' ') + r.c[k];
      else
        line += r.c[k] + (k < 7 ? std::string(pad, ' ') : "");
      if (k < 7) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  bool any_at = false;
  for (const SeriesStats& st : a.stats) any_at |= st.at.has_value();
  if (any_at) {
    out += "\nPromQL at the evaluation time:\n";
    for (size_t i = 0; i < a.set.series.size(); ++i) {
      const auto& at = a.stats[i].at;
      if (!at) continue;
      auto f = [](const std::optional<double>& v) {
        return v ? fmt::format("{:.17g}", *v) : std::string("-");
      };
      out += fmt::format(
          "  {}: samples {} deriv {} predict_linear {} rate {} increase {} delta {} resets {}\n",
          text::TerminalSafe(SeriesId(a.set.series[i])), at->window_samples, f(at->deriv), f(at->predict_linear),
          f(at->rate), f(at->increase), f(at->delta), at->resets);
    }
  }
  if (!a.relations.empty()) {
    out += "\nRelations:\n";
    for (const Relation& r : a.relations) out += fmt::format("  [{}] {}\n", r.kind, text::TerminalSafe(r.text));
  }
  auto diags = a.set.stats.NonZero();
  if (!diags.empty()) {
    out += "\nDiagnostics:\n";
    for (const auto& [k, v] : diags) out += fmt::format("  {}: {}\n", k, v);
  }
  return out;
}

}  // namespace heapscope::report
