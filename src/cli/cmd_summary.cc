// `heapscope summary SNAPSHOT [--top N] [--format text|json] [-o FILE]`: the DevTools Summary
// view (objects per class: count and self size) plus the snapshot's header figures.
// Output formats are described in docs/cmd-summary.md.
#include <fmt/format.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "cli/command.h"
#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/io/output.h"
#include "heapscope/snapshot/parse.h"
#include "heapscope/snapshot/summary.h"

namespace heapscope::cli {
namespace {

struct SummaryOptions {
  std::string snapshot;
  uint32_t top = 20;  // 0 = every class
  std::string format = "text";
  std::string output = "-";
  bool retained = true;  // DevTools' retained size and distance columns (--no-retained: off)
};

std::string HumanBytes(uint64_t v) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double d = static_cast<double>(v);
  int u = 0;
  while (d >= 1000.0 && u < 4) {
    d /= 1000.0;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", v) : fmt::format("{:.1f} {}", d, units[u]);
}

double Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

// Display width in terminal columns, counting UTF-8 code points.
size_t Columns(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Cuts a name to at most `width` columns, ending with "…" when cut.
std::string Fit(std::string_view s, size_t width) {
  if (Columns(s) <= width) return std::string(s);
  std::string out;
  size_t cols = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (cols + 1 == width) break;
      ++cols;
    }
    out += s[i];
  }
  return out + "…";
}

std::string_view OneLine(std::string_view s) {
  size_t nl = s.find_first_of("\r\n");
  return nl == std::string_view::npos ? s : s.substr(0, nl);
}

// Row labels: the class name, plus "@script:line:col" (1-based) when two rows share a name.
std::vector<std::string> RowLabels(const snapshot::ClassSummary& sum, size_t shown) {
  std::unordered_map<std::string_view, int> uses;
  for (const snapshot::ClassRow& r : sum.rows) ++uses[r.name];
  std::vector<std::string> labels;
  for (size_t i = 0; i < shown; ++i) {
    const snapshot::ClassRow& r = sum.rows[i];
    std::string label(OneLine(r.name));
    if (uses[r.name] > 1 && r.script_id != kNone) {
      label += fmt::format(" @{}:{}:{}", r.script_id, r.line + 1, r.column + 1);
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

std::string RenderText(const snapshot::Snapshot& s, const snapshot::ClassSummary& sum,
                       uint32_t top) {
  const size_t shown = top == 0 ? sum.rows.size() : std::min<size_t>(top, sum.rows.size());
  std::string out;
  out += fmt::format("Snapshot  {}\n", s.source);
  out += fmt::format("Format    {}\n", snapshot::FormatDescription(s.meta));
  out += fmt::format("Nodes     {}\n", Grouped(sum.node_count));
  out += fmt::format("Edges     {}\n", Grouped(sum.edge_count));
  out += fmt::format("Strings   {}\n", Grouped(s.string_count()));
  out += fmt::format("Total     {} ({} bytes, sum of self sizes)\n",
                     HumanBytes(sum.total_self_size), Grouped(sum.total_self_size));
  if (s.extra_native_bytes != 0) {
    out += fmt::format("Native    {} ({} bytes not attributed to any node)\n",
                       HumanBytes(s.extra_native_bytes), Grouped(s.extra_native_bytes));
  }
  out += fmt::format("Classes   {}{}\n", Grouped(sum.rows.size()),
                     shown < sum.rows.size() ? fmt::format(" (top {} by self size)", shown) : "");
  out += "\n";

  std::vector<std::string> labels = RowLabels(sum, shown);
  constexpr size_t kMaxName = 60;
  size_t name_w = Columns("Class");
  for (const std::string& l : labels) name_w = std::max(name_w, std::min(Columns(l), kMaxName));
  size_t count_w = Columns("Count"), self_w = Columns("Self size");
  size_t ret_w = Columns("Retained"), dist_w = Columns("Distance");
  for (size_t i = 0; i < shown; ++i) {
    count_w = std::max(count_w, Grouped(sum.rows[i].count).size());
    self_w = std::max(self_w, Grouped(sum.rows[i].self_size).size());
    ret_w = std::max(ret_w, Grouped(sum.rows[i].retained_size).size());
    dist_w = std::max(dist_w, fmt::format("{}", sum.rows[i].distance).size());
  }
  // Retained size (DevTools' class "Retained Size") and distance, when computed (--retained).
  auto extra_head = [&]() {
    std::string x;
    if (sum.has_retained_size) x += fmt::format("  {:>{}}", "Retained", ret_w);
    if (sum.has_distance) x += fmt::format("  {:>{}}", "Distance", dist_w);
    return x;
  };
  auto extra = [&](const snapshot::ClassRow& r) {
    std::string x;
    if (sum.has_retained_size) x += fmt::format("  {:>{}}", Grouped(r.retained_size), ret_w);
    if (sum.has_distance) x += fmt::format("  {:>{}}", r.distance, dist_w);
    return x;
  };
  auto pad_right = [](std::string s, size_t w) {
    size_t c = Columns(s);
    if (c < w) s.append(w - c, ' ');
    return s;
  };
  out += fmt::format("{}  {:>{}}  {:>{}}  {:>6}{}\n", pad_right("Class", name_w), "Count", count_w,
                     "Self size", self_w, "Self%", extra_head());
  for (size_t i = 0; i < shown; ++i) {
    const snapshot::ClassRow& r = sum.rows[i];
    out += fmt::format("{}  {:>{}}  {:>{}}  {:>5.1f}%{}\n",
                       pad_right(Fit(labels[i], kMaxName), name_w), Grouped(r.count), count_w,
                       Grouped(r.self_size), self_w, Percent(r.self_size, sum.total_self_size),
                       extra(r));
  }
  auto diags = s.diagnostics.NonZero();
  if (!diags.empty()) {
    out += "\nDiagnostics (recoverable oddities in the input; see docs/diagnostics.md)\n";
    for (const auto& [name, value] : diags) out += fmt::format("  {}  {}\n", name, Grouped(value));
  }
  return out;
}

std::string RenderJson(const snapshot::Snapshot& s, const snapshot::ClassSummary& sum,
                       uint32_t top) {
  const size_t shown = top == 0 ? sum.rows.size() : std::min<size_t>(top, sum.rows.size());
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  auto key = [&](const char* k) { w.Key(k); };
  auto str = [&](std::string_view v) {
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto str_list = [&](const std::vector<std::string>& list) {
    w.StartArray();
    for (const std::string& v : list) str(v);
    w.EndArray();
  };
  w.StartObject();
  key("schema");
  str("heapscope.summary/1");
  key("file");
  str(s.source);
  key("bytes");
  w.Uint64(s.source_bytes);
  key("format");
  w.StartObject();
  key("description");
  str(snapshot::FormatDescription(s.meta));
  key("node_fields");
  str_list(s.meta.node_fields);
  key("edge_fields");
  str_list(s.meta.edge_fields);
  key("location_fields");
  str_list(s.meta.location_fields);
  key("has_trace_node_id");
  w.Bool(s.meta.has_trace_node_id);
  key("has_detachedness");
  w.Bool(s.meta.has_detachedness);
  key("has_script_object_index");
  w.Bool(s.meta.has_script_object_index);
  w.EndObject();
  key("node_count");
  w.Uint(sum.node_count);
  key("edge_count");
  w.Uint(sum.edge_count);
  key("string_count");
  w.Uint(s.string_count());
  key("location_count");
  w.Uint(s.location_count());
  key("total_self_size");
  w.Uint64(sum.total_self_size);
  key("extra_native_bytes");
  w.Uint64(s.extra_native_bytes);
  key("class_count");
  w.Uint64(sum.rows.size());
  key("classes");
  w.StartArray();
  for (size_t i = 0; i < shown; ++i) {
    const snapshot::ClassRow& r = sum.rows[i];
    w.StartObject();
    key("name");
    str(r.name);
    key("count");
    w.Uint(r.count);
    key("self_size");
    w.Uint64(r.self_size);
    if (sum.has_retained_size) {
      key("retained_size");
      w.Uint64(r.retained_size);
    }
    if (sum.has_distance) {
      key("distance");
      w.Int(r.distance);
    }
    if (r.script_id != kNone) {
      key("location");
      w.StartObject();
      key("script_id");
      w.Uint(r.script_id);
      key("line");
      w.Uint(r.line + 1);
      key("column");
      w.Uint(r.column + 1);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  key("diagnostics");
  w.StartObject();
  for (const auto& [name, value] : s.diagnostics.NonZero()) {
    key(name.c_str());
    w.Uint64(value);
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

int RunSummary(const SummaryOptions& o) {
  snapshot::ParseOptions po;
  if (ProgressEnabled()) {
    po.progress = [](uint64_t done, uint64_t total) { Progress("loading", done, total); };
  }
  Result<snapshot::Snapshot> snap = snapshot::ParseSnapshotFile(o.snapshot, po);
  ProgressDone();
  if (!snap.ok()) return Fail(snap.status());
  snapshot::ClassSummary sum;
  if (o.retained) {
    // DevTools' figures (docs/dominators.md): reassigned self sizes, class retained size over
    // the dominator tree, minimum distance.
    graph::Retainers retainers = graph::BuildRetainers(*snap);
    dominators::HeapAnalysis a = dominators::Analyze(*snap, retainers);
    sum = snapshot::Summarize(*snap, {&a.self_size, &a.retained_size, &a.dominator, &a.distance});
  } else {
    sum = snapshot::Summarize(*snap);
  }
  std::string text =
      o.format == "json" ? RenderJson(*snap, sum, o.top) : RenderText(*snap, sum, o.top);
  Status st = io::WriteOutput(o.output, text);
  if (!st.ok()) return Fail(st);
  return 0;
}

Runner SetupSummary(CLI::App& app) {
  auto opts = std::make_shared<SummaryOptions>();
  CLI::App* sub = app.add_subcommand(
      "summary",
      "Objects per class (count, self size) and the snapshot's header, like DevTools' Summary");
  sub->add_option("snapshot", opts->snapshot,
                  "Heap snapshot (.heapsnapshot, gzip or plain; - = stdin)")
      ->required();
  sub->add_option("-n,--top", opts->top, "Classes to show, largest self size first (0 = all)")
      ->capture_default_str();
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  sub->add_flag("--retained,!--no-retained", opts->retained,
                "DevTools' retained size (per class) and distance columns, with DevTools' "
                "reassigned self sizes (runs the dominator analysis; on by default). "
                "--no-retained: load and count only, raw self sizes");
  return [opts] { return RunSummary(*opts); };
}

HS_REGISTER_COMMAND(10, SetupSummary);

}  // namespace
}  // namespace heapscope::cli
