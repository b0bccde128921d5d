// Text and JSON for `summary`, `retained` and `paths` (report/commands.h).
#include "heapscope/report/commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "report/json_writer.h"
#include "report/render_util.h"

namespace heapscope::report {
namespace {

using internal::JsonLine;
using internal::JsonOut;
using text::Columns;
using text::Ellipsize;
using text::PadRight;
using text::TerminalSafe;
using text::Thousands;

std::string_view OneLine(std::string_view s) {
  size_t nl = s.find_first_of("\r\n");
  return nl == std::string_view::npos ? s : s.substr(0, nl);
}

// A name on one table row: line breaks and tabs as spaces, then terminal-safe, then cut.
std::string Cell(std::string_view s, size_t columns) {
  std::string flat(s);
  for (char& c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return Ellipsize(TerminalSafe(flat), columns);
}

// Summary ///////////////////////////////////////////////////////////////////////////////

// Row labels: the class name, plus "@script:line:col" (1-based) when two rows share a name.
std::vector<std::string> RowLabels(const snapshot::ClassSummary& sum, size_t shown) {
  std::unordered_map<std::string_view, int> uses;
  for (const snapshot::ClassRow& r : sum.rows) ++uses[r.name];
  std::vector<std::string> labels;
  for (size_t i = 0; i < shown; ++i) {
    const snapshot::ClassRow& r = sum.rows[i];
    std::string label = TerminalSafe(OneLine(r.name));
    if (uses[r.name] > 1 && r.script_id != kNone) {
      label += fmt::format(" @{}:{}:{}", r.script_id, r.line + 1, r.column + 1);
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

void DiagnosticsText(const Diagnostics& d, std::string& out) {
  auto diags = d.NonZero();
  if (diags.empty()) return;
  out += "\nDiagnostics (recoverable oddities in the input; see docs/diagnostics.md)\n";
  for (const auto& [name, value] : diags) out += fmt::format("  {}  {}\n", name, Thousands(value));
}

// Retained and paths ////////////////////////////////////////////////////////////////////

std::string RetainedDistance(int32_t d) {
  if (d == dominators::kNoDistance) return "-";
  if (d >= dominators::kBaseSystemDistance) {
    return fmt::format("sys+{}", d - dominators::kBaseSystemDistance);
  }
  return fmt::format("{}", d);
}

std::string PathsDistance(int32_t d) {
  if (d == dominators::kNoDistance) return "unreachable";
  if (d >= dominators::kBaseSystemDistance) {
    return fmt::format("system+{}", d - dominators::kBaseSystemDistance);
  }
  return fmt::format("{}", d);
}

template <typename Out>
void NodeJson(Out& w, const snapshot::Snapshot& s, const dominators::HeapAnalysis& a,
              NodeIndex n) {
  w.KU64("id", s.NodeId(n));
  w.KStr("name", s.NodeName(n));
  w.KStr("type", snapshot::NodeTypeName(s.node_type[n.v]));
  w.KU64("self_size", a.self_size[n.v]);
  w.KU64("retained_size", a.retained_size[n.v]);
  w.Key("distance");
  w.I64(a.distance[n.v]);
}

}  // namespace

std::string RenderSummaryText(const SummaryResult& r) {
  const snapshot::Snapshot& s = r.snapshot;
  const snapshot::ClassSummary& sum = r.classes;
  const size_t shown = r.shown;
  std::string out;
  out += fmt::format("Snapshot  {}\n", TerminalSafe(s.source));
  out += fmt::format("Format    {}\n", TerminalSafe(snapshot::FormatDescription(s.meta)));
  out += fmt::format("Nodes     {}\n", Thousands(sum.node_count));
  out += fmt::format("Edges     {}\n", Thousands(sum.edge_count));
  out += fmt::format("Strings   {}\n", Thousands(s.string_count()));
  out += fmt::format("Total     {} ({} bytes, sum of self sizes)\n",
                     text::Bytes(static_cast<double>(sum.total_self_size)),
                     Thousands(sum.total_self_size));
  if (s.extra_native_bytes != 0) {
    out += fmt::format("Native    {} ({} bytes not attributed to any node)\n",
                       text::Bytes(static_cast<double>(s.extra_native_bytes)),
                       Thousands(s.extra_native_bytes));
  }
  out += fmt::format("Classes   {}{}\n", Thousands(sum.rows.size()),
                     shown < sum.rows.size() ? fmt::format(" (top {} by self size)", shown) : "");
  out += "\n";

  std::vector<std::string> labels = RowLabels(sum, shown);
  constexpr size_t kMaxName = 60;
  size_t name_w = Columns("Class");
  for (const std::string& l : labels) name_w = std::max(name_w, std::min(Columns(l), kMaxName));
  size_t count_w = Columns("Count"), self_w = Columns("Self size");
  size_t ret_w = Columns("Retained"), dist_w = Columns("Distance");
  for (size_t i = 0; i < shown; ++i) {
    count_w = std::max(count_w, Thousands(sum.rows[i].count).size());
    self_w = std::max(self_w, Thousands(sum.rows[i].self_size).size());
    ret_w = std::max(ret_w, Thousands(sum.rows[i].retained_size).size());
    dist_w = std::max(dist_w, fmt::format("{}", sum.rows[i].distance).size());
  }
  // Retained size (DevTools' class "Retained Size") and distance, when computed (--retained).
  auto extra_head = [&]() {
    std::string x;
    if (sum.has_retained_size) x += fmt::format("  {:>{}}", "Retained", ret_w);
    if (sum.has_distance) x += fmt::format("  {:>{}}", "Distance", dist_w);
    return x;
  };
  auto extra = [&](const snapshot::ClassRow& row) {
    std::string x;
    if (sum.has_retained_size) x += fmt::format("  {:>{}}", Thousands(row.retained_size), ret_w);
    if (sum.has_distance) x += fmt::format("  {:>{}}", row.distance, dist_w);
    return x;
  };
  out += fmt::format("{}  {:>{}}  {:>{}}  {:>6}{}\n", PadRight("Class", name_w), "Count", count_w,
                     "Self size", self_w, "Self%", extra_head());
  for (size_t i = 0; i < shown; ++i) {
    const snapshot::ClassRow& row = sum.rows[i];
    out += fmt::format("{}  {:>{}}  {:>{}}  {:>5.1f}%{}\n",
                       PadRight(Ellipsize(labels[i], kMaxName), name_w), Thousands(row.count),
                       count_w, Thousands(row.self_size), self_w,
                       text::Percent(row.self_size, sum.total_self_size), extra(row));
  }
  DiagnosticsText(s.diagnostics, out);
  return out;
}

std::string RenderSummaryJson(const SummaryResult& r) {
  const snapshot::Snapshot& s = r.snapshot;
  const snapshot::ClassSummary& sum = r.classes;
  JsonOut w;
  w.StartObject();
  w.KStr("schema", "heapscope.summary/1");
  w.KStr("file", s.source);
  w.KU64("bytes", s.source_bytes);
  w.Key("format");
  w.StartObject();
  w.KStr("description", snapshot::FormatDescription(s.meta));
  w.KStrings("node_fields", s.meta.node_fields);
  w.KStrings("edge_fields", s.meta.edge_fields);
  w.KStrings("location_fields", s.meta.location_fields);
  w.Key("has_trace_node_id");
  w.Bool(s.meta.has_trace_node_id);
  w.Key("has_detachedness");
  w.Bool(s.meta.has_detachedness);
  w.Key("has_script_object_index");
  w.Bool(s.meta.has_script_object_index);
  w.EndObject();
  w.KU64("node_count", sum.node_count);
  w.KU64("edge_count", sum.edge_count);
  w.KU64("string_count", s.string_count());
  w.KU64("location_count", s.location_count());
  w.KU64("total_self_size", sum.total_self_size);
  w.KU64("extra_native_bytes", s.extra_native_bytes);
  w.KU64("class_count", sum.rows.size());
  w.Key("classes");
  w.StartArray();
  for (size_t i = 0; i < r.shown; ++i) {
    const snapshot::ClassRow& row = sum.rows[i];
    w.StartObject();
    w.KStr("name", row.name);
    w.KStr("key", snapshot::DevToolsClassKey({row.name, row.script_id, row.line, row.column}));
    w.KU64("count", row.count);
    w.KU64("self_size", row.self_size);
    if (sum.has_retained_size) w.KU64("retained_size", row.retained_size);
    if (sum.has_distance) {
      w.Key("distance");
      w.I64(row.distance);
    }
    if (row.script_id != kNone) {
      w.Key("location");
      w.StartObject();
      w.KU64("script_id", row.script_id);
      w.KU64("line", uint64_t{row.line} + 1);
      w.KU64("column", uint64_t{row.column} + 1);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("diagnostics");
  w.StartObject();
  for (const auto& [name, value] : s.diagnostics.NonZero()) w.KU64(name, value);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

std::string RenderRetainedText(const RetainedResult& r) {
  const snapshot::Snapshot& s = r.loaded.snapshot;
  const dominators::HeapAnalysis& a = r.loaded.analysis;
  std::string out;
  out += fmt::format("Snapshot    {}\n", TerminalSafe(s.source));
  out += fmt::format("Nodes       {}\n", Thousands(s.node_count()));
  out += fmt::format("Total size  {} bytes (retained size of the root)\n", Thousands(a.total_size));
  out += fmt::format("Self sizes  {}\n",
                     a.shallow_sizes_reassigned
                         ? "DevTools' reassignment applied: hidden/array nodes owned by one object "
                           "count in its self size (--raw-sizes turns it off)"
                         : "as in the file (no reassignment)");
  out += fmt::format("Showing     {} node{} by retained size\n\n", Thousands(r.rows.size()),
                     r.rows.size() == 1 ? "" : "s");

  struct Cells {
    std::string retained, pct, self, distance, type, id, dominator, name;
  };
  std::vector<Cells> cells;
  Cells head{"Retained", "Ret%", "Self", "Distance", "Type", "Id", "Dominator", "Name"};
  for (NodeIndex node : r.rows) {
    const uint32_t n = node.v;
    cells.push_back({Thousands(a.retained_size[n]),
                     fmt::format("{:.1f}%", text::Percent(a.retained_size[n], a.total_size)),
                     Thousands(a.self_size[n]), RetainedDistance(a.distance[n]),
                     std::string(snapshot::NodeTypeName(s.node_type[n])),
                     fmt::format("@{}", s.NodeId(NodeIndex(n))),
                     fmt::format("@{}", s.NodeId(a.dominator[n])), Cell(s.NodeName(node), 80)});
  }
  auto width = [&](std::string Cells::*f) {
    size_t w = (head.*f).size();
    for (const Cells& c : cells) w = std::max(w, (c.*f).size());
    return w;
  };
  const size_t wr = width(&Cells::retained), wp = width(&Cells::pct), ws = width(&Cells::self),
               wd = width(&Cells::distance), wt = width(&Cells::type), wi = width(&Cells::id),
               wo = width(&Cells::dominator);
  auto line = [&](const Cells& c) {
    return fmt::format("{:>{}}  {:>{}}  {:>{}}  {:>{}}  {:<{}}  {:>{}}  {:>{}}  {}\n", c.retained,
                       wr, c.pct, wp, c.self, ws, c.distance, wd, c.type, wt, c.id, wi, c.dominator,
                       wo, c.name);
  };
  out += line(head);
  for (const Cells& c : cells) out += line(c);
  return out;
}

std::string RenderRetainedJson(const RetainedResult& r) {
  const snapshot::Snapshot& s = r.loaded.snapshot;
  const dominators::HeapAnalysis& a = r.loaded.analysis;
  // One node per line: large arrays stay greppable.
  std::string out = "[";
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const NodeIndex n = r.rows[i];
    JsonLine w;
    w.StartObject();
    NodeJson(w, s, a, n);
    w.KU64("dominator", s.NodeId(a.dominator[n.v]));
    w.EndObject();
    std::string row = w.Take();
    row.pop_back();
    out += i == 0 ? "\n" : ",\n";
    out += row;
  }
  out += r.rows.empty() ? "]\n" : "\n]\n";
  return out;
}

std::string RenderPathsText(const PathsResult& r) {
  const snapshot::Snapshot& s = r.loaded.snapshot;
  const dominators::HeapAnalysis& a = r.loaded.analysis;
  std::string out;
  const NodeIndex target = r.target;
  const uint32_t t = target.v;
  out += fmt::format("Target  {} @{} ({}, self {}, retained {}, distance {})\n",
                     TerminalSafe(paths::NodeTitle(s, target)), s.NodeId(NodeIndex(t)),
                     snapshot::NodeTypeName(s.node_type[t]), Thousands(a.self_size[t]),
                     Thousands(a.retained_size[t]), PathsDistance(a.distance[t]));
  if (r.paths.empty()) {
    out += "\nNo retainer path: the node is not reachable from the root over strong edges.\n";
    return out;
  }
  if (target == s.root) {
    out += "\nThe target is the snapshot's root: every path starts here.\n";
    return out;
  }
  out += fmt::format("Paths   {} (of at most {}; weak edges skipped)\n", r.paths.size(), r.max);
  for (size_t p = 0; p < r.paths.size(); ++p) {
    const paths::RetainerPath& path = r.paths[p];
    out += fmt::format("\nPath {} ({} step{}{})\n  {}\n", p + 1, path.steps.size(),
                       path.steps.size() == 1 ? "" : "s", p == 0 ? ", preferred" : "",
                       TerminalSafe(paths::RenderCompactPath(s, path)));
    // Aligned steps: edge (type), node title, id, type, retained size.
    std::vector<std::string> edges, titles, ids, types, retained;
    for (const paths::PathStep& st : path.steps) {
      edges.push_back(fmt::format("{} ({})", TerminalSafe(paths::EdgeAccessor(s, st.edge)),
                                  snapshot::EdgeTypeName(s.edge_type[st.edge.v])));
      titles.push_back(Ellipsize(TerminalSafe(paths::NodeTitle(s, st.node)), 60));
      ids.push_back(fmt::format("@{}", s.NodeId(st.node)));
      types.push_back(std::string(snapshot::NodeTypeName(s.node_type[st.node.v])));
      retained.push_back(Thousands(a.retained_size[st.node.v]));
    }
    auto w = [](const std::vector<std::string>& v) {
      size_t m = 0;
      for (const std::string& x : v) m = std::max(m, x.size());
      return m;
    };
    const size_t we = w(edges), wt = w(titles), wi = w(ids), wy = w(types), wr = w(retained);
    for (size_t i = 0; i < path.steps.size(); ++i) {
      out += fmt::format("  --{:<{}}--> {:<{}}  {:>{}}  {:<{}}  retained {:>{}}\n", edges[i], we,
                         titles[i], wt, ids[i], wi, types[i], wy, retained[i], wr);
    }
    out += fmt::format("  normalized: {}\n", TerminalSafe(paths::NormalizePath(s, path)));
  }
  return out;
}

std::string RenderPathsJson(const PathsResult& r) {
  const snapshot::Snapshot& s = r.loaded.snapshot;
  const dominators::HeapAnalysis& a = r.loaded.analysis;
  JsonOut w;
  auto node = [&](NodeIndex n) {
    w.StartObject();
    NodeJson(w, s, a, n);
    w.EndObject();
  };
  w.StartObject();
  w.Key("target");
  node(r.target);
  w.Key("paths");
  w.StartArray();
  for (const paths::RetainerPath& path : r.paths) {
    w.StartObject();
    w.KStr("compact", paths::RenderCompactPath(s, path));
    w.KStr("normalized", paths::NormalizePath(s, path));
    w.Key("steps");
    w.StartArray();
    for (const paths::PathStep& st : path.steps) {
      w.StartObject();
      w.KStr("edge_type", snapshot::EdgeTypeName(s.edge_type[st.edge.v]));
      if (s.EdgeHasName(st.edge)) {
        w.KStr("edge_name", s.EdgeName(st.edge));
      } else {
        w.KU64("edge_index", s.edge_name_or_index[st.edge.v]);
      }
      w.Key("node");
      node(st.node);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace heapscope::report
