// Markdown for incident tickets (GitHub and GitLab flavoured): a summary line, a findings
// table, then one section per finding. Snapshot strings go through MarkdownText/MarkdownCode,
// so no raw HTML, link or emphasis reaches the renderer; retainer paths are fenced code blocks
// with a fence longer than any backtick run inside.
#include <fmt/format.h>

#include "report/renderers.h"

namespace heapscope::report::internal {
namespace {

std::string Plural(uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", Thousands(n), word, n == 1 ? "" : "s");
}

}  // namespace

std::string RenderMarkdown(const Report& r, const RenderOptions& o) {
  std::vector<FlatFinding> flat = Flatten(r);
  uint64_t by_sev[3] = {0, 0, 0};
  for (const FlatFinding& ff : flat) ++by_sev[static_cast<int>(ff.finding->severity)];
  std::string out;
  out +=
      "## " + (o.title.empty() ? std::string("heapscope report") : MarkdownText(o.title)) + "\n\n";

  // Summary line.
  std::string summary =
      fmt::format("**{}** ({}, {}, {}) in {}", Plural(flat.size(), "finding"),
                  Plural(by_sev[2], "error"), Plural(by_sev[1], "warning"),
                  Plural(by_sev[0], "note"), Plural(r.snapshots.size(), "snapshot"));
  if (!r.metric_files.empty()) summary += " and " + Plural(r.metric_files.size(), "metric file");
  if (!r.profile_files.empty())
    summary += " and " + Plural(r.profile_files.size(), "sampling heap profile");
  if (!r.findings.empty()) {
    const Finding& top = r.findings.front();
    summary += "; top: " + MarkdownText(top.title);
    if (!top.counts.empty()) summary += ", " + JoinCounts(top.counts, " → ");
    summary += ", " + Bytes(top.retained_size) + " retained";
  }
  out += summary + ".";
  if (!r.tool_version.empty()) out += " heapscope " + MarkdownText(r.tool_version) + ".";
  out += "\n\n";
  if (r.gate) {
    const GateSummary& g = *r.gate;
    out +=
        fmt::format("**Gate: {}** — {} failing, {} below thresholds, {} baselined, {} ignored.\n",
                    g.failed ? "FAIL" : "PASS", g.failing, g.passing, g.baselined, g.ignored);
    for (const std::string& reason : g.reasons) out += "- " + MarkdownText(reason, true) + "\n";
    for (const std::string& s : g.stale_baseline) {
      out += "- stale baseline entry (matches nothing): " + MarkdownText(s) + "\n";
    }
    if (g.class_limits > 0 && r.snapshots.size() >= 2) {
      out += fmt::format("- class-growth limits: {} checked over {} classes changed from #1 to #{}; "
                         "{} exceeded\n",
                         g.class_limits, g.classes_compared, r.snapshots.size(),
                         g.class_breaches.size());
    }
    if (!g.class_breaches.empty()) {
      out += "\n| Class | Policy `class` | # Delta | Limit | Size delta | Limit |\n";
      out += "|---|---|---:|---:|---:|---:|\n";
      for (const ClassBreach& b : g.class_breaches) {
        auto limit = [](const std::optional<int64_t>& v, bool exceeded) {
          return v ? Signed(*v) + (exceeded ? " **exceeded**" : "") : std::string("—");
        };
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", MarkdownCode(b.growth.name, true),
                           MarkdownCode(b.pattern, true), Signed(b.growth.count_delta),
                           limit(b.max_instances, b.instances_exceeded),
                           Signed(b.growth.size_delta), limit(b.max_bytes, b.bytes_exceeded));
      }
    }
    out += "\n";
  }

  if (!flat.empty()) {
    out += "| # | Severity | Rule | Site | Event | Emitter | Count | Growth | Retained |\n";
    out += "|---|---|---|---|---|---|---:|---|---:|\n";
    for (const FlatFinding& ff : flat) {
      const Finding& f = *ff.finding;
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", ff.number,
                         SeverityName(f.severity), MarkdownCode(f.rule, true),
                         MarkdownCode(SiteString(f.site), true),
                         f.event.empty() ? "" : MarkdownCode(f.event, true),
                         f.emitter.empty() ? "" : MarkdownCode(f.emitter, true), Thousands(f.count),
                         f.growth.empty() ? "" : JoinGrowth(f.growth), Bytes(f.retained_size));
    }
    out += "\n";
  }

  for (const FlatFinding& ff : flat) {
    const Finding& f = *ff.finding;
    out +=
        fmt::format("### {}. {}\n\n", ff.number, MarkdownText(f.title.empty() ? f.rule : f.title));
    out += "- **Rule:** " + MarkdownCode(f.rule, false) + " (" + SeverityName(f.severity) + ")\n";
    out += "- **Site:** " + MarkdownCode(SiteString(f.site), false);
    if (!f.site.function.empty()) out += " in " + MarkdownCode(f.site.function, false);
    if (f.site.mapped())
      out += " (generated: " + MarkdownCode(GeneratedString(f.site), false) + ")";
    out += "\n";
    if (!f.event.empty()) out += "- **Event:** " + MarkdownCode(f.event, false) + "\n";
    if (!f.emitter.empty()) {
      out += "- **Emitter:** " + MarkdownCode(f.emitter, false);
      if (f.emitter_id) out += fmt::format(" (node `@{}`)", f.emitter_id);
      out += "\n";
    }
    if (!f.counts.empty()) {
      out += "- **Count per snapshot:** " + JoinCounts(f.counts, " → ") + "\n";
    } else {
      out += "- **Count:** " + Thousands(f.count) + "\n";
    }
    if (!f.growth.empty()) out += "- **Growth per interval:** " + JoinGrowth(f.growth) + "\n";
    out += fmt::format("- **Retained size:** {} ({} bytes; self {})\n", Bytes(f.retained_size),
                       Thousands(f.retained_size), Bytes(f.self_size));
    if (!f.captured.empty()) {
      std::vector<std::string> c;
      for (const std::string& s : f.captured) c.push_back(MarkdownCode(s, false));
      out += "- **Captured variables:** " + Join(c, ", ") + "\n";
    }
    if (!f.accumulation_point.empty()) {
      out += "- **Held by:** " + MarkdownCode(f.accumulation_point, false) + "\n";
    }
    if (f.verdict != Verdict::kNone) {
      out += std::string("- **Gate:** ") + VerdictName(f.verdict);
      if (!f.verdict_reason.empty()) out += " — " + MarkdownText(f.verdict_reason);
      out += "\n";
    }
    out += "- **Fingerprint:** " + MarkdownCode(FingerprintOf(f), false) + "\n\n";
    if (!f.message.empty()) out += MarkdownText(f.message, true) + "\n\n";
    if (!f.retainer_path.empty()) {
      std::string body;
      for (size_t i = 0; i < f.retainer_path.size(); ++i) {
        // A fenced block shows its text verbatim, so it must hold no control characters.
        std::string step(f.retainer_path[i]);
        for (char& c : step) {
          if (c == '\n' || c == '\r') c = ' ';
        }
        step = TerminalSafe(step);
        body += std::string(i * 2, ' ') + (i ? "→ " : "") + step + "\n";
      }
      std::string fence = MarkdownFence(body);
      out += "Retainer path:\n\n" + fence + "text\n" + body + fence + "\n\n";
    }
    if (!f.allocated_at.empty()) {
      // The top stack, allocating function first.
      const AllocationStack& top = f.allocated_at.front();
      std::string body;
      for (size_t i = 0; i < top.frames.size(); ++i) {
        std::string frame = FrameString(top.frames[i]);
        for (char& c : frame) {
          if (c == '\n' || c == '\r') c = ' ';
        }
        body += (i ? "← " : "") + TerminalSafe(frame) + "\n";
      }
      std::string fence = MarkdownFence(body);
      out += "Allocated at (" + MarkdownText(StackSummary(top)) + "):\n\n" + fence + "text\n" +
             body + fence + "\n\n";
      if (f.allocated_at.size() > 1)
        out += fmt::format("{} more allocation {} in the JSON and SARIF reports.\n\n",
                           f.allocated_at.size() - 1,
                           f.allocated_at.size() == 2 ? "stack" : "stacks");
    }
    if (!f.evidence.empty()) {
      out += "Metric evidence:\n\n";
      for (const Evidence& e : f.evidence) {
        out += "- " + MarkdownText(e.text.empty() ? e.kind : e.text, true);
        if (!e.series.empty()) out += " (" + MarkdownCode(e.series, false) + ")";
        out += "\n";
      }
      out += "\n";
    }
    if (!f.fix.empty()) out += "**Suggested fix:** " + MarkdownText(f.fix) + "\n\n";
  }

  if (!r.classes.empty()) {
    out += "### Classes (last snapshot)\n\n";
    out += "| Constructor | Count | Self size | Retained size | Distance |\n";
    out += "|---|---:|---:|---:|---:|\n";
    for (const ClassRow& c : r.classes) {
      out +=
          fmt::format("| {} | {} | {} | {} | {} |\n", MarkdownCode(c.name, true),
                      Thousands(c.count), Bytes(c.self_size), Bytes(c.retained_size), c.distance);
    }
    out += "\n";
  }
  if (!r.metrics.empty()) {
    out += "### Metrics\n\n| Series | Samples | Slope per second | r² | Time to limit |\n";
    out += "|---|---:|---:|---:|---:|\n";
    for (const MetricSeries& m : r.metrics) {
      std::string name = m.name;
      if (!m.labels.empty()) {
        std::vector<std::string> l;
        for (const auto& [k, v] : m.labels) l.push_back(k + "=\"" + v + "\"");
        name += "{" + Join(l, ",") + "}";
      }
      out += fmt::format("| {} | {} | {:.4g} | {:.3f} | {} |\n", MarkdownCode(name, true),
                         Thousands(m.samples), m.slope_per_second, m.r2,
                         m.time_to_limit_seconds ? Duration(*m.time_to_limit_seconds) : "—");
    }
    out += "\n";
  }
  auto list = [&](std::string_view title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out += fmt::format("### {}\n\n", title);
    for (const std::string& s : items) out += "- " + MarkdownText(s, true) + "\n";
    out += "\n";
  };
  list("Metric relations", r.relations);
  if (!r.diagnostics.empty()) {
    out += "### Diagnostics\n\n";
    for (const auto& [name, n] : r.diagnostics) {
      out += "- " + MarkdownCode(name, false) + ": " + Thousands(n) + "\n";
    }
    out += "\n";
  }
  list("Notes", r.notes);
  if (!r.profile_by_self.empty()) {
    std::string body;
    for (const std::string& line : ProfileRowLines(r.profile_by_self, 6)) {
      std::string l = line;
      for (char& c : l)
        if (c == '\n' || c == '\r') c = ' ';
      body += TerminalSafe(l) + "\n";
    }
    std::string fence = MarkdownFence(body);
    out += "### Sampled allocations by self size (last profile)\n\n" + fence + "text\n" +
           fmt::format("{:>10}  {:>10}  {}\n", "self", "total", "stack") + body + fence + "\n\n";
  }
  if (!r.snapshots.empty() || !r.profile_files.empty()) {
    out += "<details><summary>Inputs</summary>\n\n";
    for (const SnapshotInfo& s : r.snapshots) {
      out += fmt::format("- {}: {} nodes, {} edges, {}\n", MarkdownCode(s.path, false),
                         Thousands(s.node_count), Thousands(s.edge_count), Bytes(s.total_size));
    }
    for (const std::string& m : r.metric_files) out += "- " + MarkdownCode(m, false) + "\n";
    for (const std::string& m : r.profile_files) out += "- " + MarkdownCode(m, false) + "\n";
    out += "\n</details>\n";
  }
  return out;
}

}  // namespace heapscope::report::internal
