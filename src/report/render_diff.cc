// Text, JSON, Markdown, HTML and CSV for `diff` (report/commands.h; formats in docs/cmd-diff.md).
// Every string from a snapshot is terminal-safe in text, valid UTF-8 in JSON, escaped in
// Markdown and HTML, quoted (and kept from starting a spreadsheet formula) in CSV.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "heapscope/report/commands.h"
#include "report/json_writer.h"
#include "report/render_util.h"

namespace heapscope::report {
namespace {

using internal::HtmlEscape;
using internal::JsonOut;
using internal::MarkdownCode;
using internal::MarkdownText;
using snapshot::ClassDelta;
using text::Columns;
using text::Ellipsize;
using text::PadRight;
using text::Signed;
using text::TerminalSafe;
using text::Thousands;

std::string FlatLine(std::string_view s) {
  std::string flat(s);
  for (char& c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return flat;
}

// "Order", or "Order @12:5:7" (script id, 1-based line and column) when the comparison has two
// rows of that name.
std::vector<std::string> Labels(const snapshot::ClassComparison& c, size_t shown) {
  std::unordered_map<std::string_view, int> uses;
  for (const ClassDelta& d : c.rows) ++uses[d.key.name];
  std::vector<std::string> out;
  for (size_t i = 0; i < shown; ++i) {
    const snapshot::ClassKey& k = c.rows[i].key;
    std::string label = FlatLine(k.name);
    if (uses[k.name] > 1 && k.located()) {
      label += fmt::format(" @{}:{}:{}", k.script_id, uint64_t{k.line} + 1, uint64_t{k.column} + 1);
    }
    out.push_back(std::move(label));
  }
  return out;
}

size_t Shown(const DiffResult& r, const snapshot::ClassComparison& c) {
  return r.top == 0 ? c.rows.size() : std::min<size_t>(r.top, c.rows.size());
}

std::string PairTitle(const DiffResult& r, const DiffComparison& c) {
  const bool first_last = c.base == 0 && c.target + 1 == r.snapshots.size() && c.target > 1;
  return fmt::format("#{} → #{}{}", c.base + 1, c.target + 1, first_last ? " (first → last)" : "");
}

std::string Totals(const snapshot::ClassComparison& c) {
  const int64_t count = static_cast<int64_t>(c.new_count) - static_cast<int64_t>(c.deleted_count);
  const int64_t size = static_cast<int64_t>(c.alloc_size) - static_cast<int64_t>(c.freed_size);
  return fmt::format("{} class{} changed: {} new ({} bytes), {} deleted ({} bytes); delta {} "
                     "objects, {} bytes",
                     Thousands(c.rows.size()), c.rows.size() == 1 ? "" : "es",
                     Thousands(c.new_count), Thousands(c.alloc_size), Thousands(c.deleted_count),
                     Thousands(c.freed_size), Signed(count), Signed(size));
}

std::string SelfSizesNote(const DiffResult& r) {
  return r.shallow_sizes_reassigned
             ? "self sizes after DevTools' reassignment; objects matched by id within each class"
             : "self sizes as in the files (no user roots: no reassignment); objects matched by "
               "id within each class";
}

const snapshot::Snapshot* LastSnap(const DiffResult& r) {
  return r.last ? &r.last->snapshot : nullptr;
}

// Text ////////////////////////////////////////////////////////////////////////////////////

void ComparisonText(const DiffResult& r, const DiffComparison& c, std::string& out) {
  const snapshot::ClassComparison& cc = c.classes;
  out += fmt::format("\n{}  {}\n", PairTitle(r, c), Totals(cc));
  const size_t shown = Shown(r, cc);
  if (shown == 0) return;
  std::vector<std::string> labels = Labels(cc, shown);
  constexpr size_t kMaxName = 60;
  struct Cells {
    std::string name, added, deleted, delta, alloc, freed, size;
  };
  std::vector<Cells> rows;
  rows.push_back({"Class", "# New", "# Deleted", "# Delta", "Alloc. size", "Freed size",
                  "Size delta"});
  for (size_t i = 0; i < shown; ++i) {
    const ClassDelta& d = cc.rows[i];
    rows.push_back({Ellipsize(TerminalSafe(labels[i]), kMaxName), Thousands(d.new_count),
                    Thousands(d.deleted_count), Signed(d.count_delta()), Thousands(d.alloc_size),
                    Thousands(d.freed_size), Signed(d.size_delta())});
  }
  size_t w[7] = {};
  for (const Cells& x : rows) {
    w[0] = std::max(w[0], Columns(x.name));
    w[1] = std::max(w[1], x.added.size());
    w[2] = std::max(w[2], x.deleted.size());
    w[3] = std::max(w[3], x.delta.size());
    w[4] = std::max(w[4], x.alloc.size());
    w[5] = std::max(w[5], x.freed.size());
    w[6] = std::max(w[6], x.size.size());
  }
  for (const Cells& x : rows) {
    out += fmt::format("  {}  {:>{}}  {:>{}}  {:>{}}  {:>{}}  {:>{}}  {:>{}}\n",
                       PadRight(x.name, w[0]), x.added, w[1], x.deleted, w[2], x.delta, w[3],
                       x.alloc, w[4], x.freed, w[5], x.size, w[6]);
  }
  if (shown < cc.rows.size()) {
    out += fmt::format("  ({} of {} classes, largest size delta first; --top 0 lists all)\n",
                       shown, Thousands(cc.rows.size()));
  }
}

void DrillDownText(const DiffResult& r, std::string& out) {
  const DiffDrillDown& d = *r.drill_down;
  const snapshot::Snapshot& s = *LastSnap(r);
  const dominators::HeapAnalysis& a = r.last->analysis;
  out += fmt::format("\nNew objects of '{}' from #{} to #{}: {} ({} bytes){}\n",
                     TerminalSafe(FlatLine(d.query)), d.base + 1, d.target + 1,
                     Thousands(d.new_count), Thousands(d.alloc_size),
                     d.objects.empty() ? "" : "; largest retained size first");
  for (const snapshot::ClassKey& k : d.keys) {
    out += fmt::format("  DevTools class key {}\n",
                       TerminalSafe(FlatLine(snapshot::DevToolsClassKey(k))));
  }
  for (const DiffObject& o : d.objects) {
    out += fmt::format("  @{}  {}  self {}  retained {}  distance {}\n", s.NodeId(o.node),
                       Ellipsize(TerminalSafe(FlatLine(paths::NodeTitle(s, o.node))), 60),
                       Thousands(a.self_size[o.node.v]), Thousands(a.retained_size[o.node.v]),
                       a.distance[o.node.v]);
    out += "      " +
           (o.path.steps.empty() ? std::string("(no path from the root)")
                                 : TerminalSafe(FlatLine(paths::RenderCompactPath(s, o.path)))) +
           "\n";
  }
  if (d.objects.size() < d.new_count) {
    out += fmt::format("  ({} of {} objects; --top 0 lists all)\n", d.objects.size(),
                       Thousands(d.new_count));
  }
}

// CSV /////////////////////////////////////////////////////////////////////////////////////

// RFC 4180 quoting; a leading = + - @ (or tab / CR) gets a ' so a spreadsheet shows the text
// instead of evaluating it.
std::string CsvField(std::string_view s) {
  std::string v = text::ValidUtf8(s);
  if (!v.empty() && std::string_view("=+-@\t\r").find(v[0]) != std::string_view::npos) {
    v.insert(v.begin(), '\'');
  }
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string RenderDiffText(const DiffResult& r) {
  std::string out = "heapscope diff: DevTools' Comparison view (" + SelfSizesNote(r) + ")\n";
  out += "\nSnapshots\n";
  size_t nw = 0, ew = 0;
  for (const DiffSnapshot& s : r.snapshots) {
    nw = std::max(nw, Thousands(s.node_count).size());
    ew = std::max(ew, Thousands(s.edge_count).size());
  }
  for (size_t i = 0; i < r.snapshots.size(); ++i) {
    const DiffSnapshot& s = r.snapshots[i];
    out += fmt::format("  #{}  {}  {:>{}} nodes  {:>{}} edges  {}\n", i + 1,
                       TerminalSafe(FlatLine(s.path)), Thousands(s.node_count), nw,
                       Thousands(s.edge_count), ew, text::Bytes(static_cast<double>(s.total_size)));
  }
  for (const DiffComparison& c : r.comparisons) ComparisonText(r, c, out);
  if (r.drill_down) DrillDownText(r, out);
  bool any = false;
  for (size_t i = 0; i < r.snapshots.size(); ++i) {
    for (const auto& [name, value] : r.snapshots[i].diagnostics.NonZero()) {
      if (!any) out += "\nDiagnostics (recoverable oddities in the input; see docs/diagnostics.md)\n";
      any = true;
      out += fmt::format("  #{} {}  {}\n", i + 1, name, Thousands(value));
    }
  }
  return out;
}

std::string RenderDiffJson(const DiffResult& r) {
  JsonOut w;
  w.StartObject();
  w.KStr("schema", "heapscope.diff/1");
  w.KStr("self_sizes", r.shallow_sizes_reassigned ? "devtools" : "file");
  w.Key("snapshots");
  w.StartArray();
  for (size_t i = 0; i < r.snapshots.size(); ++i) {
    const DiffSnapshot& s = r.snapshots[i];
    w.StartObject();
    w.KU64("index", i + 1);
    w.KStr("file", s.path);
    w.KU64("node_count", s.node_count);
    w.KU64("edge_count", s.edge_count);
    w.KU64("total_size", s.total_size);
    w.Key("diagnostics");
    w.StartObject();
    for (const auto& [name, value] : s.diagnostics.NonZero()) w.KU64(name, value);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.Key("comparisons");
  w.StartArray();
  for (const DiffComparison& c : r.comparisons) {
    const snapshot::ClassComparison& cc = c.classes;
    w.StartObject();
    w.KU64("base", c.base + 1);
    w.KU64("target", c.target + 1);
    w.Key("first_to_last");
    w.Bool(c.base == 0 && c.target + 1 == r.snapshots.size());
    w.KU64("class_count", cc.rows.size());
    w.KU64("new", cc.new_count);
    w.KU64("deleted", cc.deleted_count);
    w.Key("delta");
    w.I64(static_cast<int64_t>(cc.new_count) - static_cast<int64_t>(cc.deleted_count));
    w.KU64("alloc_size", cc.alloc_size);
    w.KU64("freed_size", cc.freed_size);
    w.Key("size_delta");
    w.I64(static_cast<int64_t>(cc.alloc_size) - static_cast<int64_t>(cc.freed_size));
    w.Key("classes");
    w.StartArray();
    const size_t shown = Shown(r, cc);
    for (size_t i = 0; i < shown; ++i) {
      const ClassDelta& d = cc.rows[i];
      w.StartObject();
      w.KStr("name", d.key.name);
      w.KStr("key", snapshot::DevToolsClassKey(d.key));
      if (d.key.located()) {
        w.Key("location");
        w.StartObject();
        w.KU64("script_id", d.key.script_id);
        w.KU64("line", uint64_t{d.key.line} + 1);
        w.KU64("column", uint64_t{d.key.column} + 1);
        w.EndObject();
      }
      w.KU64("new", d.new_count);
      w.KU64("deleted", d.deleted_count);
      w.Key("delta");
      w.I64(d.count_delta());
      w.KU64("alloc_size", d.alloc_size);
      w.KU64("freed_size", d.freed_size);
      w.Key("size_delta");
      w.I64(d.size_delta());
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("drill_down");
  if (!r.drill_down) {
    w.Null();
  } else {
    const DiffDrillDown& d = *r.drill_down;
    const snapshot::Snapshot& s = *LastSnap(r);
    const dominators::HeapAnalysis& a = r.last->analysis;
    w.StartObject();
    w.KStr("class", d.query);
    w.KU64("base", d.base + 1);
    w.KU64("target", d.target + 1);
    w.Key("keys");
    w.StartArray();
    for (const snapshot::ClassKey& k : d.keys) w.Str(snapshot::DevToolsClassKey(k));
    w.EndArray();
    w.KU64("new_count", d.new_count);
    w.KU64("alloc_size", d.alloc_size);
    w.Key("objects");
    w.StartArray();
    for (const DiffObject& o : d.objects) {
      w.StartObject();
      w.KU64("id", s.NodeId(o.node));
      w.KStr("name", s.NodeName(o.node));
      w.KStr("type", snapshot::NodeTypeName(s.node_type[o.node.v]));
      w.KU64("self_size", a.self_size[o.node.v]);
      w.KU64("retained_size", a.retained_size[o.node.v]);
      w.Key("distance");
      w.I64(a.distance[o.node.v]);
      w.KStrings("path", paths::PathLabels(s, o.path));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  return w.Take();
}

std::string RenderDiffMarkdown(const DiffResult& r) {
  std::string out = "# heapscope diff\n\nDevTools' Comparison view: " +
                    MarkdownText(SelfSizesNote(r)) + ".\n\n";
  out += "| # | Snapshot | Nodes | Edges | Size |\n|---:|---|---:|---:|---:|\n";
  for (size_t i = 0; i < r.snapshots.size(); ++i) {
    const DiffSnapshot& s = r.snapshots[i];
    out += fmt::format("| {} | {} | {} | {} | {} |\n", i + 1, MarkdownCode(s.path, true),
                       Thousands(s.node_count), Thousands(s.edge_count),
                       text::Bytes(static_cast<double>(s.total_size)));
  }
  for (const DiffComparison& c : r.comparisons) {
    const snapshot::ClassComparison& cc = c.classes;
    out += "\n## " + PairTitle(r, c) + "\n\n" + MarkdownText(Totals(cc), true) + ".\n";
    const size_t shown = Shown(r, cc);
    if (shown == 0) continue;
    std::vector<std::string> labels = Labels(cc, shown);
    out += "\n| Class | # New | # Deleted | # Delta | Alloc. size | Freed size | Size delta |\n";
    out += "|---|---:|---:|---:|---:|---:|---:|\n";
    for (size_t i = 0; i < shown; ++i) {
      const ClassDelta& d = cc.rows[i];
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", MarkdownCode(labels[i], true),
                         Thousands(d.new_count), Thousands(d.deleted_count),
                         Signed(d.count_delta()), Thousands(d.alloc_size),
                         Thousands(d.freed_size), Signed(d.size_delta()));
    }
    if (shown < cc.rows.size()) {
      out += fmt::format("\n{} of {} classes, largest size delta first.\n", shown,
                         Thousands(cc.rows.size()));
    }
  }
  if (r.drill_down) {
    const DiffDrillDown& d = *r.drill_down;
    const snapshot::Snapshot& s = *LastSnap(r);
    const dominators::HeapAnalysis& a = r.last->analysis;
    out += fmt::format("\n## New objects of {} (#{} → #{})\n\n{} new, {} bytes.\n",
                       MarkdownCode(FlatLine(d.query), false), d.base + 1, d.target + 1,
                       Thousands(d.new_count), Thousands(d.alloc_size));
    if (!d.objects.empty()) {
      out += "\n| Id | Object | Self | Retained | Distance | Retainer path |\n";
      out += "|---:|---|---:|---:|---:|---|\n";
      for (const DiffObject& o : d.objects) {
        out += fmt::format(
            "| @{} | {} | {} | {} | {} | {} |\n", s.NodeId(o.node),
            MarkdownCode(FlatLine(paths::NodeTitle(s, o.node)), true),
            Thousands(a.self_size[o.node.v]), Thousands(a.retained_size[o.node.v]),
            a.distance[o.node.v],
            o.path.steps.empty() ? std::string("(none)")
                                 : MarkdownCode(FlatLine(paths::RenderCompactPath(s, o.path)), true));
      }
    }
  }
  return out;
}

std::string RenderDiffHtml(const DiffResult& r) {
  auto E = [](std::string_view s) { return HtmlEscape(s); };
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>heapscope diff</title>\n<style>";
  out +=
      "body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2328}"
      "main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px}"
      "h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}"
      "table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px "
      "8px;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:"
      "tabular-nums}code{font:12.5px ui-monospace,monospace}.up{color:#cf222e}.down{color:#1a7f37}";
  out += "</style>\n</head>\n<body>\n<main>\n<h1>heapscope diff</h1>\n";
  out += "<p>DevTools' Comparison view: " + E(SelfSizesNote(r)) + ".</p>\n";
  out += "<table><tr><th class=\"n\">#</th><th>Snapshot</th><th class=\"n\">Nodes</th>"
         "<th class=\"n\">Edges</th><th class=\"n\">Size</th></tr>\n";
  for (size_t i = 0; i < r.snapshots.size(); ++i) {
    const DiffSnapshot& s = r.snapshots[i];
    out += fmt::format(
        "<tr><td class=\"n\">{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
        i + 1, E(s.path), Thousands(s.node_count), Thousands(s.edge_count),
        E(text::Bytes(static_cast<double>(s.total_size))));
  }
  out += "</table>\n";
  auto delta = [](int64_t v) {
    return fmt::format("<td class=\"n {}\">{}</td>", v > 0 ? "up" : v < 0 ? "down" : "",
                       Signed(v));
  };
  for (const DiffComparison& c : r.comparisons) {
    const snapshot::ClassComparison& cc = c.classes;
    out += "<section>\n<h2>" + E(PairTitle(r, c)) + "</h2>\n<p>" + E(Totals(cc)) + ".</p>\n";
    const size_t shown = Shown(r, cc);
    if (shown > 0) {
      std::vector<std::string> labels = Labels(cc, shown);
      out += "<table><tr><th>Class</th><th class=\"n\"># New</th><th class=\"n\"># Deleted</th>"
             "<th class=\"n\"># Delta</th><th class=\"n\">Alloc. size</th><th class=\"n\">Freed "
             "size</th><th class=\"n\">Size delta</th></tr>\n";
      for (size_t i = 0; i < shown; ++i) {
        const ClassDelta& d = cc.rows[i];
        out += fmt::format(
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}<td "
            "class=\"n\">{}</td><td class=\"n\">{}</td>{}</tr>\n",
            E(labels[i]), Thousands(d.new_count), Thousands(d.deleted_count),
            delta(d.count_delta()), Thousands(d.alloc_size), Thousands(d.freed_size),
            delta(d.size_delta()));
      }
      out += "</table>\n";
      if (shown < cc.rows.size()) {
        out += fmt::format("<p>{} of {} classes, largest size delta first.</p>\n", shown,
                           Thousands(cc.rows.size()));
      }
    }
    out += "</section>\n";
  }
  if (r.drill_down) {
    const DiffDrillDown& d = *r.drill_down;
    const snapshot::Snapshot& s = *LastSnap(r);
    const dominators::HeapAnalysis& a = r.last->analysis;
    out += fmt::format("<section>\n<h2>New objects of <code>{}</code> (#{} → #{})</h2>\n<p>{} new, "
                       "{} bytes.</p>\n",
                       E(d.query), d.base + 1, d.target + 1, Thousands(d.new_count),
                       Thousands(d.alloc_size));
    if (!d.objects.empty()) {
      out += "<table><tr><th class=\"n\">Id</th><th>Object</th><th class=\"n\">Self</th><th "
             "class=\"n\">Retained</th><th class=\"n\">Distance</th><th>Retainer "
             "path</th></tr>\n";
      for (const DiffObject& o : d.objects) {
        out += fmt::format(
            "<tr><td class=\"n\">@{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td "
            "class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td></tr>\n",
            s.NodeId(o.node), E(paths::NodeTitle(s, o.node)), Thousands(a.self_size[o.node.v]),
            Thousands(a.retained_size[o.node.v]), a.distance[o.node.v],
            o.path.steps.empty() ? std::string("(none)")
                                 : E(paths::RenderCompactPath(s, o.path)));
      }
      out += "</table>\n";
    }
    out += "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string RenderDiffCsv(const DiffResult& r) {
  std::string out;
  if (r.drill_down) {
    // The drill-down is what was asked for: one row per new object.
    const DiffDrillDown& d = *r.drill_down;
    const snapshot::Snapshot& s = *LastSnap(r);
    const dominators::HeapAnalysis& a = r.last->analysis;
    out += "id,name,type,self_size,retained_size,distance,retainer_path\r\n";
    for (const DiffObject& o : d.objects) {
      out += fmt::format("{},{},{},{},{},{},{}\r\n", s.NodeId(o.node), CsvField(s.NodeName(o.node)),
                         snapshot::NodeTypeName(s.node_type[o.node.v]), a.self_size[o.node.v],
                         a.retained_size[o.node.v], a.distance[o.node.v],
                         CsvField(o.path.steps.empty() ? std::string()
                                                       : paths::RenderCompactPath(s, o.path)));
    }
    return out;
  }
  out += "base,target,class,key,new,deleted,delta,alloc_size,freed_size,size_delta\r\n";
  for (const DiffComparison& c : r.comparisons) {
    const size_t shown = Shown(r, c.classes);
    for (size_t i = 0; i < shown; ++i) {
      const ClassDelta& d = c.classes.rows[i];
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\r\n", c.base + 1, c.target + 1,
                         CsvField(d.key.name), CsvField(snapshot::DevToolsClassKey(d.key)),
                         d.new_count, d.deleted_count, d.count_delta(), d.alloc_size,
                         d.freed_size, d.size_delta());
    }
  }
  return out;
}

}  // namespace heapscope::report
