// HTML: one self-contained page (no script, no network, no external fonts or images) with the
// markdown's content plus inline SVG charts: listener counts per snapshot for each finding,
// each metric series with its fitted trend and projected limit crossing, and the class summary.
// Retainer paths are <details> blocks, which collapse without JavaScript.
//
// Every string from a snapshot or a metric label goes through HtmlEscape(); on top of that the
// page's Content-Security-Policy forbids scripts, so even a missed escape could not run code.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "heapscope/metrics/metrics.h"
#include "report/renderers.h"

namespace heapscope::report::internal {
namespace {

constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
h3{font-size:16px;margin:0 0 8px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;padding:10px;overflow:auto;border-radius:6px;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;margin:8px 0;display:block;max-width:100%;overflow-x:auto}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.summary{font-size:15px}.gate{padding:8px 12px;border-radius:6px;font-weight:600}
.gate.fail{background:#ffebe9;border:1px solid #ff8182}.gate.pass{background:#dafbe1;border:1px solid #4ac26b}
.finding{border:1px solid #d0d7de;border-left-width:6px;border-radius:6px;padding:12px 16px;margin:14px 0}
.finding.error{border-left-color:#cf222e}.finding.warning{border-left-color:#bf8700}.finding.note{border-left-color:#0969da}
.finding.secondary{margin-left:32px}
.sev{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.sev.error{background:#cf222e}.sev.warning{background:#9a6700}.sev.note{background:#0969da}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dt{font-weight:600}dd{margin:0}
svg{max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:#424a53}
details summary{cursor:pointer;font-weight:600}
.muted{color:#59636e}
)css";

std::string E(std::string_view s) { return HtmlEscape(s); }

std::string Num(double v) { return fmt::format("{:.1f}", v); }

// A bar chart of counts per snapshot.
std::string CountsChart(const std::vector<uint64_t>& counts, const std::string& label) {
  const double w = 420, h = 170, left = 56, right = 10, top = 22, bottom = 28;
  uint64_t max = 1;
  for (uint64_t c : counts) max = std::max(max, c);
  double slot = (w - left - right) / static_cast<double>(counts.size());
  double bar = std::min(56.0, slot * 0.6);
  std::string svg = fmt::format(
      "<svg class=\"chart counts\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
      w, h, w, h, E(label));
  svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8c959f\"/>", left,
                     h - bottom, w - right, h - bottom);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 6, top + 4,
                     E(Thousands(max)));
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>", left - 6, h - bottom);
  for (size_t i = 0; i < counts.size(); ++i) {
    double bh = (h - top - bottom) * static_cast<double>(counts[i]) / static_cast<double>(max);
    double x = left + slot * static_cast<double>(i) + (slot - bar) / 2;
    double y = h - bottom - bh;
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#cf222e\" opacity=\"0.8\"/>",
        Num(x), Num(y), Num(bar), Num(bh));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", Num(x + bar / 2),
                       Num(y - 4), E(Thousands(counts[i])));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">snapshot {}</text>",
                       Num(x + bar / 2), h - bottom + 16, i + 1);
  }
  return svg + "</svg>";
}

// A metric series: the samples, the fitted trend, the limit and the projected crossing.
std::string MetricChart(const MetricSeries& m, const std::string& label) {
  const double w = 640, h = 220, left = 70, right = 16, top = 16, bottom = 34;
  double t0 = m.first_time, t1 = m.last_time;
  double vmin = 0, vmax = 0;
  for (const auto& [t, v] : m.points) {
    t0 = std::min(t0, t);
    t1 = std::max(t1, t);
    vmax = std::max(vmax, v);
    vmin = std::min(vmin, v);
  }
  auto trend = [&](double t) { return m.intercept + m.slope_per_second * (t - m.first_time); };
  std::optional<double> cross_t;
  if (m.time_to_limit_seconds && std::isfinite(*m.time_to_limit_seconds)) {
    cross_t = m.last_time + *m.time_to_limit_seconds;
  } else if (m.limit_bytes && m.slope_per_second > 0) {
    cross_t = m.first_time + (*m.limit_bytes - m.intercept) / m.slope_per_second;
  }
  // Show the crossing when it is within 4 data-ranges of the last sample.
  double span = std::max(1.0, t1 - t0);
  bool show_cross = cross_t && *cross_t >= t0 && *cross_t <= t1 + 4 * span;
  if (show_cross) t1 = std::max(t1, *cross_t);
  if (m.limit_bytes && show_cross) vmax = std::max(vmax, *m.limit_bytes);
  vmax = std::max({vmax, trend(t1), vmin + 1});
  if (!std::isfinite(vmax) || !std::isfinite(t0) || !std::isfinite(t1)) return "";
  double tspan = std::max(1e-9, t1 - t0);
  double vspan = std::max(1e-9, vmax - vmin);
  auto X = [&](double t) { return left + (w - left - right) * (t - t0) / tspan; };
  auto Y = [&](double v) { return h - bottom - (h - top - bottom) * (v - vmin) / vspan; };
  std::string svg = fmt::format(
      "<svg class=\"chart metric\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
      w, h, w, h, E(label));
  svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8c959f\"/>", left,
                     h - bottom, w - right, h - bottom);
  bool bytes = m.name.find("bytes") != std::string::npos && vmin >= 0;
  auto label_of = [&](double v) {
    return bytes ? Bytes(static_cast<uint64_t>(v)) : fmt::format("{:.4g}", v);
  };
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 6, top + 8,
                     E(label_of(vmax)));
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 6, h - bottom,
                     E(label_of(vmin)));
  svg += fmt::format("<text x=\"{}\" y=\"{}\">0 s</text>", left, h - bottom + 16);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">+{}</text>", w - right,
                     h - bottom + 16, E(Duration(t1 - t0)));
  if (!m.points.empty()) {
    std::string pts;
    for (const auto& [t, v] : m.points) pts += Num(X(t)) + "," + Num(Y(v)) + " ";
    svg +=
        "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"" + pts + "\"/>";
  }
  double trend_end = show_cross ? *cross_t : m.last_time;
  svg += fmt::format(
      "<line class=\"trend\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#bf8700\" "
      "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
      Num(X(m.first_time)), Num(Y(trend(m.first_time))), Num(X(trend_end)),
      Num(Y(trend(trend_end))));
  if (m.limit_bytes && show_cross) {
    svg += fmt::format(
        "<line class=\"limit\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#cf222e\"/>", left,
        Num(Y(*m.limit_bytes)), w - right, Num(Y(*m.limit_bytes)));
    svg += fmt::format("<text x=\"{}\" y=\"{}\">limit {}</text>", left + 4,
                       Num(Y(*m.limit_bytes) - 4), E(Bytes(static_cast<uint64_t>(*m.limit_bytes))));
  }
  if (show_cross) {
    double cy = m.limit_bytes ? *m.limit_bytes : trend(*cross_t);
    svg += fmt::format("<circle class=\"crossing\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#cf222e\"/>",
                       Num(X(*cross_t)), Num(Y(cy)));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">limit reached in {}</text>",
                       Num(X(*cross_t) - 8), Num(Y(cy) + 14), E(Duration(*cross_t - m.last_time)));
  }
  return svg + "</svg>";
}

// Horizontal bars of the classes' retained sizes.
std::string ClassChart(const std::vector<ClassRow>& classes) {
  size_t n = std::min<size_t>(classes.size(), 15);
  const double w = 640, row = 20, left = 220, right = 90;
  double h = row * static_cast<double>(n) + 10;
  uint64_t max = 1;
  for (size_t i = 0; i < n; ++i) max = std::max(max, classes[i].retained_size);
  std::string svg = fmt::format(
      "<svg class=\"chart classes\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>Retained size by constructor</title>",
      w, h, w, Num(h));
  for (size_t i = 0; i < n; ++i) {
    const ClassRow& c = classes[i];
    double y = 5 + row * static_cast<double>(i);
    double bw =
        (w - left - right) * static_cast<double>(c.retained_size) / static_cast<double>(max);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 6,
                       Num(y + 13), E(Ellipsize(c.name, 32)));
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#0969da\" opacity=\"0.75\"/>",
        left, Num(y + 3), Num(std::max(1.0, bw)), row - 6);
    svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", Num(left + bw + 6), Num(y + 13),
                       E(Bytes(c.retained_size)));
  }
  return svg + "</svg>";
}

// The series as `heapscope metrics` names it: name{label="value",…}.
std::string SeriesName(const MetricSeries& m) { return metrics::SeriesId(m.name, m.labels); }

}  // namespace

std::string RenderHtml(const Report& r, const RenderOptions& o) {
  std::vector<FlatFinding> flat = Flatten(r);
  uint64_t by_sev[3] = {0, 0, 0};
  for (const FlatFinding& ff : flat) ++by_sev[static_cast<int>(ff.finding->severity)];
  std::string title = o.title.empty() ? "heapscope report" : o.title;

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + E(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n";
  out += "<body>\n<main>\n<header>\n<h1>" + E(title) + "</h1>\n";
  out += fmt::format(
      "<p class=\"summary\"><strong>{} finding{}</strong> ({} error{}, {} warning{}, {} note{}) in "
      "{} snapshot{}{}.",
      flat.size(), flat.size() == 1 ? "" : "s", by_sev[2], by_sev[2] == 1 ? "" : "s", by_sev[1],
      by_sev[1] == 1 ? "" : "s", by_sev[0], by_sev[0] == 1 ? "" : "s", r.snapshots.size(),
      r.snapshots.size() == 1 ? "" : "s",
      r.metric_files.empty() ? ""
                             : fmt::format(" and {} metric file{}", r.metric_files.size(),
                                           r.metric_files.size() == 1 ? "" : "s"));
  if (!r.findings.empty()) {
    const Finding& top = r.findings.front();
    out += " Top: " + E(top.title);
    if (!top.counts.empty()) out += ", " + E(JoinCounts(top.counts, " → "));
    out += ", " + E(Bytes(top.retained_size)) + " retained.";
  }
  if (!r.tool_version.empty())
    out += " <span class=\"muted\">heapscope " + E(r.tool_version) + "</span>";
  out += "</p>\n</header>\n";

  if (r.gate) {
    const GateSummary& g = *r.gate;
    out += fmt::format(
        "<section id=\"gate\"><p class=\"gate {}\">Gate: {} — {} failing, {} below thresholds, {} "
        "baselined, {} ignored</p>",
        g.failed ? "fail" : "pass", g.failed ? "FAIL" : "PASS", g.failing, g.passing, g.baselined,
        g.ignored);
    if (!g.reasons.empty() || !g.stale_baseline.empty()) {
      out += "<ul>";
      for (const std::string& s : g.reasons) out += "<li>" + E(s) + "</li>";
      for (const std::string& s : g.stale_baseline) {
        out += "<li>stale baseline entry (matches nothing): " + E(s) + "</li>";
      }
      out += "</ul>";
    }
    if (g.class_limits > 0 && r.snapshots.size() >= 2) {
      out += fmt::format("<p>Class-growth limits: {} checked over {} classes changed from #1 to #{}; "
                         "{} exceeded.</p>",
                         g.class_limits, g.classes_compared, r.snapshots.size(),
                         g.class_breaches.size());
    }
    if (!g.class_breaches.empty()) {
      out += "<table><tr><th>Class</th><th>Policy class</th><th class=\"n\"># Delta</th><th "
             "class=\"n\">Limit</th><th class=\"n\">Size delta</th><th "
             "class=\"n\">Limit</th></tr>";
      for (const ClassBreach& b : g.class_breaches) {
        auto limit = [](const std::optional<int64_t>& v, bool exceeded) {
          return v ? Signed(*v) + (exceeded ? " <strong>exceeded</strong>" : "")
                   : std::string("—");
        };
        out += fmt::format(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td class=\"n\">{}</td><td "
            "class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            E(b.growth.name), E(b.pattern), Signed(b.growth.count_delta),
            limit(b.max_instances, b.instances_exceeded), Signed(b.growth.size_delta),
            limit(b.max_bytes, b.bytes_exceeded));
      }
      out += "</table>";
    }
    out += "</section>\n";
  }

  out += "<section id=\"findings\">\n<h2>Findings</h2>\n";
  if (flat.empty()) {
    out += "<p>No findings.</p>\n";
  } else {
    out +=
        "<table><thead><tr><th>#</th><th>Severity</th><th>Rule</th><th>Site</th><th>Event</th>"
        "<th>Emitter</th><th class=\"n\">Count</th><th>Growth</th><th class=\"n\">Retained</th>"
        "</tr></thead><tbody>\n";
    for (const FlatFinding& ff : flat) {
      const Finding& f = *ff.finding;
      out += fmt::format(
          "<tr><td><a href=\"#finding-{}\">{}</a></td><td><span class=\"sev {}\">{}</span></td>"
          "<td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td>"
          "<td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n",
          ff.number, ff.number, SeverityName(f.severity), SeverityName(f.severity), E(f.rule),
          E(SiteString(f.site)), E(f.event), E(f.emitter), Thousands(f.count),
          E(JoinGrowth(f.growth)), E(Bytes(f.retained_size)));
    }
    out += "</tbody></table>\n";
  }
  for (const FlatFinding& ff : flat) {
    const Finding& f = *ff.finding;
    out += fmt::format("<article class=\"finding {}{}\" id=\"finding-{}\">\n",
                       SeverityName(f.severity), ff.depth ? " secondary" : "", ff.number);
    out += fmt::format("<h3>{}. <span class=\"sev {}\">{}</span> {}</h3>\n", ff.number,
                       SeverityName(f.severity), SeverityName(f.severity), E(f.title));
    out += "<dl>\n";
    auto dd = [&](std::string_view k, const std::string& html) {
      if (!html.empty()) out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", k, html);
    };
    dd("Rule", "<code>" + E(f.rule) + "</code>");
    dd("Site", "<code>" + E(SiteString(f.site)) + "</code>" +
                   (f.site.function.empty() ? "" : " in <code>" + E(f.site.function) + "</code>") +
                   (f.site.mapped() ? " (generated: <code>" + E(GeneratedString(f.site)) + "</code>)"
                                    : ""));
    if (!f.event.empty()) dd("Event", "<code>" + E(f.event) + "</code>");
    if (!f.emitter.empty()) {
      dd("Emitter", "<code>" + E(f.emitter) + "</code>" +
                        (f.emitter_id ? fmt::format(" (node @{})", f.emitter_id) : ""));
    }
    dd(f.counts.empty() ? "Count" : "Count per snapshot",
       f.counts.empty() ? Thousands(f.count) : E(JoinCounts(f.counts, " → ")));
    if (!f.growth.empty()) dd("Growth per interval", E(JoinGrowth(f.growth)));
    dd("Retained size", fmt::format("{} ({} bytes; self {})", E(Bytes(f.retained_size)),
                                    Thousands(f.retained_size), E(Bytes(f.self_size))));
    if (!f.captured.empty()) {
      std::vector<std::string> c;
      for (const std::string& s : f.captured) c.push_back("<code>" + E(s) + "</code>");
      dd("Captured variables", Join(c, ", "));
    }
    if (!f.accumulation_point.empty())
      dd("Held by", "<code>" + E(f.accumulation_point) + "</code>");
    if (f.verdict != Verdict::kNone) {
      dd("Gate", E(std::string(VerdictName(f.verdict)) +
                   (f.verdict_reason.empty() ? "" : " — " + f.verdict_reason)));
    }
    dd("Fingerprint", "<code>" + E(FingerprintOf(f)) + "</code>");
    out += "</dl>\n";
    if (!f.message.empty()) out += "<p>" + E(f.message) + "</p>\n";
    if (f.counts.size() >= 2) {
      out += "<figure>" + CountsChart(f.counts, "Count per snapshot: " + f.title) +
             "<figcaption class=\"muted\">Count per snapshot</figcaption></figure>\n";
    }
    if (!f.retainer_path.empty()) {
      out += fmt::format("<details class=\"path\"><summary>Retainer path ({} steps)</summary><pre>",
                         f.retainer_path.size());
      for (size_t i = 0; i < f.retainer_path.size(); ++i) {
        out += std::string(i * 2, ' ') + (i ? "→ " : "") + E(f.retainer_path[i]) + "\n";
      }
      out += "</pre></details>\n";
    }
    if (!f.allocated_at.empty()) {
      const AllocationStack& top = f.allocated_at.front();
      out += "<details class=\"path\" open><summary>Allocated at: " + E(StackSummary(top)) +
             "</summary><pre>";
      for (size_t i = 0; i < top.frames.size(); ++i)
        out += (i ? "← " : "") + E(FrameString(top.frames[i])) + "\n";
      out += "</pre></details>\n";
    }
    if (!f.evidence.empty()) {
      out += "<h4>Metric evidence</h4><ul>";
      for (const Evidence& e : f.evidence) {
        out += "<li>" + E(e.text.empty() ? e.kind : e.text);
        if (!e.series.empty()) out += " <code>" + E(e.series) + "</code>";
        out += "</li>";
      }
      out += "</ul>\n";
    }
    if (!f.fix.empty()) out += "<p><strong>Suggested fix:</strong> " + E(f.fix) + "</p>\n";
    out += "</article>\n";
  }
  out += "</section>\n";

  if (!r.metrics.empty()) {
    out += "<section id=\"metrics\">\n<h2>Metrics</h2>\n";
    for (const MetricSeries& m : r.metrics) {
      std::string name = SeriesName(m);
      out += "<figure><figcaption><code>" + E(name) + "</code> — " +
             E(fmt::format("slope {:.4g}/s, r² {:.3f}, {} samples", m.slope_per_second, m.r2,
                           m.samples));
      if (m.time_to_limit_seconds) out += E(", limit in " + Duration(*m.time_to_limit_seconds));
      out += "</figcaption>" + MetricChart(m, name) + "</figure>\n";
    }
    if (!r.relations.empty()) {
      out += "<h3>Relations</h3><ul>";
      for (const std::string& s : r.relations) out += "<li>" + E(s) + "</li>";
      out += "</ul>\n";
    }
    out += "</section>\n";
  }

  if (!r.classes.empty()) {
    out += "<section id=\"classes\">\n<h2>Classes (last snapshot)</h2>\n" + ClassChart(r.classes);
    out +=
        "\n<table><thead><tr><th>Constructor</th><th class=\"n\">Count</th><th class=\"n\">Self "
        "size</th><th class=\"n\">Retained size</th><th class=\"n\">Distance</th></tr></thead>"
        "<tbody>\n";
    for (const ClassRow& c : r.classes) {
      out += fmt::format(
          "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
          "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
          E(c.name), Thousands(c.count), E(Bytes(c.self_size)), E(Bytes(c.retained_size)),
          c.distance);
    }
    out += "</tbody></table>\n</section>\n";
  }

  if (!r.clusters.empty()) {
    out +=
        "<section id=\"clusters\">\n<h2>Closure clusters</h2>\n<table><thead><tr><th>Site</th>"
        "<th class=\"n\">Count</th><th class=\"n\">Retained</th><th>Captured</th></tr></thead>"
        "<tbody>\n";
    for (const Cluster& c : r.clusters) {
      out += fmt::format(
          "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>"
          "</tr>\n",
          E(SiteString(c.site)), Thousands(c.count), E(Bytes(c.retained_size)),
          E(Join(c.captured, ", ")));
    }
    out += "</tbody></table>\n</section>\n";
  }

  if (!r.diagnostics.empty() || !r.notes.empty()) {
    out += "<section id=\"notes\">\n<h2>Diagnostics and notes</h2>\n<ul>";
    for (const auto& [name, n] : r.diagnostics) {
      out += "<li><code>" + E(name) + "</code>: " + Thousands(n) + "</li>";
    }
    for (const std::string& s : r.notes) out += "<li>" + E(s) + "</li>";
    out += "</ul>\n</section>\n";
  }

  out += "<section id=\"inputs\">\n<h2>Inputs</h2>\n<ul>";
  for (const SnapshotInfo& s : r.snapshots) {
    out += fmt::format("<li><code>{}</code>: {} nodes, {} edges, {}</li>", E(s.path),
                       Thousands(s.node_count), Thousands(s.edge_count), E(Bytes(s.total_size)));
  }
  for (const std::string& m : r.metric_files) out += "<li><code>" + E(m) + "</code></li>";
  for (const std::string& m : r.profile_files) out += "<li><code>" + E(m) + "</code></li>";
  out += "</ul>\n</section>\n";
  if (!r.profile_by_self.empty()) {
    out += "<section id=\"profile\">\n<h2>Sampled allocations by self size (last profile)</h2>\n"
           "<pre>";
    for (const std::string& line : ProfileRowLines(r.profile_by_self, 6)) out += E(line) + "\n";
    out += "</pre>\n</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace heapscope::report::internal
