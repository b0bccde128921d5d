// Text: the terminal view. Fits options.width columns (default 100); ANSI colour only when
// options.color (the CLI sets it for a TTY without NO_COLOR). Every string from a snapshot or a
// metric label goes through TerminalSafe(), so it cannot emit escape sequences.
#include <fmt/format.h>

#include <algorithm>

#include "report/renderers.h"

namespace heapscope::report::internal {
namespace {

class Styler {
 public:
  explicit Styler(bool color) : color_(color) {}
  std::string Bold(std::string_view s) const { return Paint(s, "1"); }
  std::string Dim(std::string_view s) const { return Paint(s, "2"); }
  std::string Sev(Severity sev, std::string_view s) const {
    switch (sev) {
      case Severity::kError:
        return Paint(s, "1;31");
      case Severity::kWarning:
        return Paint(s, "1;33");
      case Severity::kNote:
        return Paint(s, "1;36");
    }
    return std::string(s);
  }
  std::string Pass(std::string_view s) const { return Paint(s, "1;32"); }
  std::string Fail(std::string_view s) const { return Paint(s, "1;31"); }

 private:
  std::string Paint(std::string_view s, std::string_view code) const {
    if (!color_) return std::string(s);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
  }
  bool color_;
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

}  // namespace

std::string RenderText(const Report& r, const RenderOptions& o) {
  const uint32_t width = std::max<uint32_t>(o.width, 60);
  Styler st(o.color);
  auto safe = [](std::string_view s) { return TerminalSafe(s); };
  std::string out;

  std::vector<FlatFinding> flat = Flatten(r);
  uint64_t by_sev[3] = {0, 0, 0};
  for (const FlatFinding& ff : flat) ++by_sev[static_cast<int>(ff.finding->severity)];

  std::string head = "heapscope";
  if (!r.tool_version.empty()) head += " " + safe(r.tool_version);
  if (!o.title.empty()) head += " · " + safe(o.title);
  out += st.Bold(head) + "\n";
  out += fmt::format(
      "{} snapshot{}, {} metric file{}; {} finding{} ({} error{}, {} warning{}, {} note{})\n",
      r.snapshots.size(), r.snapshots.size() == 1 ? "" : "s", r.metric_files.size(),
      r.metric_files.size() == 1 ? "" : "s", flat.size(), flat.size() == 1 ? "" : "s", by_sev[2],
      by_sev[2] == 1 ? "" : "s", by_sev[1], by_sev[1] == 1 ? "" : "s", by_sev[0],
      by_sev[0] == 1 ? "" : "s");
  if (!r.profile_files.empty()) {
    // "3 sampling heap profiles, 0 metric files; …" or "…; 3 sampling heap profiles".
    const std::string p = fmt::format("{} sampling heap profile{}", r.profile_files.size(),
                                      r.profile_files.size() == 1 ? "" : "s");
    const size_t line = out.rfind('\n', out.size() - 2) + 1;
    if (r.snapshots.empty())
      out.replace(line, out.find(',', line) - line, p);
    else
      out.insert(out.size() - 1, "; " + p);
  }
  // Root causes (top-level findings that are not notes) and what follows from them (nested).
  size_t roots = 0;
  for (const Finding& f : r.findings) roots += f.severity != Severity::kNote;
  const size_t follow = flat.size() - r.findings.size();
  if (!flat.empty()) {
    out += fmt::format("{} root cause{}", roots, roots == 1 ? "" : "s");
    if (follow > 0) {
      out += fmt::format("; {} finding{} follow{} from {}", follow, follow == 1 ? "" : "s",
                         follow == 1 ? "s" : "", roots == 1 ? "it" : "them");
    }
    out += "\n";
  }
  if (r.gate) {
    const GateSummary& g = *r.gate;
    std::string verdict = g.failed ? st.Fail("GATE FAIL") : st.Pass("GATE PASS");
    out += fmt::format("{}: {} failing, {} below thresholds, {} baselined, {} ignored\n", verdict,
                       g.failing, g.passing, g.baselined, g.ignored);
    for (const std::string& reason : g.reasons) {
      out += "  - " + Wrap(safe(reason), width, 4, 4) + "\n";
    }
    for (const std::string& stale : g.stale_baseline) {
      out += "  stale baseline entry: " + Wrap(safe(stale), width, 4, 24) + "\n";
    }
    if (g.class_limits > 0 && r.snapshots.size() >= 2) {
      out += fmt::format("  class-growth limits: {} checked over {} class{} changed from #1 to #{}; "
                         "{} exceeded\n",
                         g.class_limits, g.classes_compared, g.classes_compared == 1 ? "" : "es",
                         r.snapshots.size(), g.class_breaches.size());
    }
  }

  if (!r.snapshots.empty()) {
    out += "\n" + st.Bold("Snapshots") + "\n";
    size_t nw = 0, ew = 0, bw = 0;
    for (const SnapshotInfo& s : r.snapshots) {
      nw = std::max(nw, Thousands(s.node_count).size());
      ew = std::max(ew, Thousands(s.edge_count).size());
      bw = std::max(bw, Bytes(s.total_size).size());
    }
    std::vector<std::string> stats;
    size_t stats_w = 0;
    for (const SnapshotInfo& s : r.snapshots) {
      stats.push_back(fmt::format("{:>{}} nodes  {:>{}} edges  {:>{}}", Thousands(s.node_count), nw,
                                  Thousands(s.edge_count), ew, Bytes(s.total_size), bw));
      stats_w = std::max(stats_w, Columns(stats.back()));
    }
    size_t room = width > stats_w + 8 + 10 ? width - stats_w - 8 : 10;
    for (size_t i = 0; i < r.snapshots.size(); ++i) {
      std::string path = Ellipsize(safe(r.snapshots[i].path), room);
      out += fmt::format("  {:>2}  {}{}  {}\n", i + 1, path,
                         std::string(room - std::min(room, Columns(path)), ' '), stats[i]);
    }
  }
  for (const std::string& m : r.metric_files) out += "  metrics  " + safe(m) + "\n";
  if (!r.profile_files.empty()) {
    if (r.snapshots.empty()) out += "\n" + st.Bold("Profiles") + "\n";
    for (size_t i = 0; i < r.profile_files.size(); ++i)
      out += fmt::format("  profile {}  {}\n", i + 1, safe(r.profile_files[i]));
  }

  out += "\n" + st.Bold(flat.empty() ? "No findings" : "Findings") + "\n";
  for (const FlatFinding& ff : flat) {
    const Finding& f = *ff.finding;
    std::string pad((ff.depth + 1) * 2, ' ');
    std::string label = fmt::format("[{}]", ff.number);
    std::string sev = Upper(SeverityName(f.severity));
    std::string rest = safe(f.rule) + "  " + safe(SiteString(f.site));
    uint32_t head_col = static_cast<uint32_t>(pad.size() + Columns(label) + 1 + sev.size() + 1);
    // Long script paths wrap at '/' boundaries onto an indented continuation line.
    std::string wrapped;
    {
      size_t col = head_col;
      size_t cont = pad.size() + 4;
      for (size_t i = 0; i < rest.size();) {
        size_t j = rest.find_first_of("/ ", i);
        j = j == std::string::npos ? rest.size() : j + 1;
        std::string piece = rest.substr(i, j - i);
        if (col + Columns(piece) > width && col > cont) {
          wrapped += "\n" + std::string(cont, ' ');
          col = cont;
        }
        wrapped += piece;
        col += Columns(piece);
        i = j;
      }
    }
    out += pad + label + " " + st.Sev(f.severity, sev) + " " + wrapped + "\n";
    uint32_t ind = static_cast<uint32_t>(pad.size() + 4);
    std::string ipad(ind, ' ');
    if (!f.title.empty()) out += ipad + Wrap(safe(f.title), width, ind, ind) + "\n";
    auto field = [&](std::string_view name, const std::string& value) {
      if (value.empty()) return;
      std::string key = fmt::format("{:<12}", name);
      out += ipad + st.Dim(key) + Wrap(value, width, ind + 12, ind + 12) + "\n";
    };
    if (!f.site.function.empty()) field("function", safe(f.site.function));
    if (!f.event.empty() || !f.emitter.empty()) {
      std::string v = f.event.empty() ? "" : "'" + safe(f.event) + "'";
      if (!f.emitter.empty()) v += (v.empty() ? "" : " on ") + safe(f.emitter);
      if (f.emitter_id != 0) v += fmt::format(" @{}", f.emitter_id);
      // Collection and closure findings have an owner object but no event.
      field(f.event.empty() ? "object" : "event", v);
    }
    if (!f.counts.empty()) {
      std::string v = JoinCounts(f.counts, " → ");
      if (!f.growth.empty()) v += "  (growth " + JoinGrowth(f.growth) + ")";
      field("counts", v);
    } else if (f.count != 0) {
      field("count", Thousands(f.count));
    }
    if (f.rule == "allocation-growth")  // a profile knows live bytes, not what retains them
      field("live", Bytes(f.self_size) + " sampled in the last profile");
    else
      field("retained", fmt::format("{}  (self {})", Bytes(f.retained_size), Bytes(f.self_size)));
    if (!f.captured.empty()) {
      std::vector<std::string> c;
      for (const std::string& s : f.captured) c.push_back(safe(s));
      field("captured", Join(c, ", "));
    }
    if (f.site.mapped()) field("generated", safe(GeneratedString(f.site)));
    if (!f.accumulation_point.empty()) field("held by", safe(f.accumulation_point));
    if (!f.allocated_at.empty()) {
      // The top stack, allocating function first; the others counted.
      const AllocationStack& top = f.allocated_at.front();
      field("allocated", safe(StackSummary(top)) + " at");
      constexpr size_t kShown = 10;
      for (size_t i = 0; i < top.frames.size() && i < kShown; ++i) {
        const uint32_t col = ind + 12;
        out += std::string(col, ' ') +
               Ellipsize((i ? "← " : "") + safe(FrameString(top.frames[i])), width - col) + "\n";
      }
      if (top.frames.size() > kShown)
        out += std::string(ind + 12, ' ') +
               fmt::format("← … {} more frames\n", top.frames.size() - kShown);
      if (f.allocated_at.size() > 1) {
        uint64_t rest = 0, rest_bytes = 0;
        for (size_t i = 1; i < f.allocated_at.size(); ++i) {
          rest += f.allocated_at[i].count;
          rest_bytes += f.allocated_at[i].self_size;
        }
        out += std::string(ind + 12, ' ') +
               fmt::format("and {} more {} ({})\n", f.allocated_at.size() - 1,
                           f.allocated_at.size() == 2 ? "stack" : "stacks",
                           rest ? Thousands(rest) + " objects" : Bytes(rest_bytes));
      }
    }
    if (!f.retainer_path.empty()) {
      out += ipad + st.Dim(fmt::format("{:<12}", "path"));
      for (size_t i = 0; i < f.retainer_path.size(); ++i) {
        std::string step = (i ? "→ " : "") + safe(f.retainer_path[i]);
        uint32_t col = ind + 12 + (i ? 0 : 0);
        if (i) out += std::string(col, ' ');
        out += Ellipsize(step, width - col) + "\n";
      }
    }
    if (!f.message.empty()) field("why", safe(f.message));
    for (const Evidence& e : f.evidence)
      field("evidence", safe(e.text.empty() ? e.series : e.text));
    if (!f.fix.empty()) field("fix", safe(f.fix));
    if (f.verdict != Verdict::kNone) {
      std::string v = VerdictName(f.verdict);
      if (!f.verdict_reason.empty()) v += ": " + safe(f.verdict_reason);
      field("gate", v);
    }
    field("fingerprint", FingerprintOf(f));
  }

  if (!r.clusters.empty()) {
    out += "\n" + st.Bold("Closure clusters") + "\n";
    for (const Cluster& c : r.clusters) {
      std::string line =
          fmt::format("{} closures  {} retained  ", Thousands(c.count), Bytes(c.retained_size));
      line += safe(SiteString(c.site));
      if (!c.counts.empty()) line += "  (" + JoinCounts(c.counts, " → ") + ")";
      out += "  " + Ellipsize(line, width - 2) + "\n";
    }
  }

  if (!r.classes.empty()) {
    out += "\n" + st.Bold("Classes (last snapshot)") + "\n";
    const size_t numbers = 12 + 12 + 12 + 9;
    size_t name_w = width - 2 - numbers;
    out += fmt::format("  {:<{}}{:>12}{:>12}{:>12}{:>9}\n", "constructor", name_w, "count", "self",
                       "retained", "distance");
    for (const ClassRow& c : r.classes) {
      std::string name = Ellipsize(safe(c.name), name_w - 1);
      out += "  " + name + std::string(name_w - Columns(name), ' ') +
             fmt::format("{:>12}{:>12}{:>12}{:>9}\n", Thousands(c.count), Bytes(c.self_size),
                         Bytes(c.retained_size), c.distance);
    }
  }

  if (!r.metrics.empty()) {
    out += "\n" + st.Bold("Metrics") + "\n";
    for (const MetricSeries& m : r.metrics) {
      std::string name = safe(m.name);
      if (!m.labels.empty()) {
        std::vector<std::string> l;
        for (const auto& [k, v] : m.labels) l.push_back(safe(k) + "=\"" + safe(v) + "\"");
        name += "{" + Join(l, ",") + "}";
      }
      std::string v =
          fmt::format("slope {:.4g}/s  r² {:.3f}  {} samples", m.slope_per_second, m.r2, m.samples);
      if (m.time_to_limit_seconds) v += "  limit in " + Duration(*m.time_to_limit_seconds);
      out += "  " + Ellipsize(name, width - 2) + "\n      " + v + "\n";
    }
  }
  auto list = [&](std::string_view title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out += "\n" + st.Bold(title) + "\n";
    for (const std::string& s : items) out += "  - " + Wrap(safe(s), width, 4, 4) + "\n";
  };
  list("Relations", r.relations);
  if (!r.diagnostics.empty()) {
    out += "\n" + st.Bold("Diagnostics") + "\n";
    for (const auto& [name, n] : r.diagnostics) {
      out += fmt::format("  {}: {}\n", safe(name), Thousands(n));
    }
  }
  auto profile_table = [&](const char* title, const std::vector<ProfileStackRow>& rows) {
    if (rows.empty()) return;
    out += "\n" + st.Bold(title) + "\n";
    out += fmt::format("  {:>10}  {:>10}  {}\n", "self", "total", "stack (allocating function first)");
    for (const std::string& line : ProfileRowLines(rows, 4))
      out += "  " + Ellipsize(safe(line), width - 2) + "\n";
  };
  profile_table("Sampled allocations by self size (last profile)", r.profile_by_self);
  profile_table("Sampled allocations by total size (last profile)", r.profile_by_total);
  list("Notes", r.notes);
  return out;
}

}  // namespace heapscope::report::internal
