// `heapscope retained SNAPSHOT [--top N] [--format json|text] [--raw-sizes] [-o FILE]`: every
// node's self size, retained size, distance and immediate dominator, as Chrome DevTools
// computes them, largest retained size first. Output formats: docs/cmd-retained.md.
#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "cli/command.h"
#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/io/output.h"
#include "heapscope/snapshot/parse.h"

namespace heapscope::cli {
namespace {

struct RetainedOptions {
  std::string snapshot;
  uint32_t top = 20;  // 0 = every node
  std::string format = "text";
  std::string output = "-";
  bool raw_sizes = false;
  bool timings = false;
};

std::string Distance(int32_t d) {
  if (d == dominators::kNoDistance) return "-";
  if (d >= dominators::kBaseSystemDistance)
    return fmt::format("sys+{}", d - dominators::kBaseSystemDistance);
  return fmt::format("{}", d);
}

// Display name on one line, at most `width` code points.
std::string Shown(std::string_view s, size_t width) {
  std::string out;
  size_t cols = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (cols == width) return out + "…";
      ++cols;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : s[i];
  }
  return out;
}

std::string RenderJson(const snapshot::Snapshot& s, const dominators::HeapAnalysis& a,
                       const std::vector<uint32_t>& rows) {
  std::string out = "[";
  rapidjson::StringBuffer buf;
  for (size_t i = 0; i < rows.size(); ++i) {
    const uint32_t n = rows[i];
    buf.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("id");
    w.Uint64(s.NodeId(NodeIndex(n)));
    w.Key("name");
    std::string_view name = s.NodeName(NodeIndex(n));
    w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Key("type");
    std::string_view type = snapshot::NodeTypeName(s.node_type[n]);
    w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
    w.Key("self_size");
    w.Uint64(a.self_size[n]);
    w.Key("retained_size");
    w.Uint64(a.retained_size[n]);
    w.Key("distance");
    w.Int(a.distance[n]);
    w.Key("dominator");
    w.Uint64(s.NodeId(a.dominator[n]));
    w.EndObject();
    out += i == 0 ? "\n" : ",\n";
    out.append(buf.GetString(), buf.GetSize());
  }
  out += rows.empty() ? "]\n" : "\n]\n";
  return out;
}

std::string RenderText(const snapshot::Snapshot& s, const dominators::HeapAnalysis& a,
                       const std::vector<uint32_t>& rows) {
  std::string out;
  out += fmt::format("Snapshot    {}\n", s.source);
  out += fmt::format("Nodes       {}\n", Grouped(s.node_count()));
  out += fmt::format("Total size  {} bytes (retained size of the root)\n", Grouped(a.total_size));
  out += fmt::format("Self sizes  {}\n",
                     a.shallow_sizes_reassigned
                         ? "DevTools' reassignment applied: hidden/array nodes owned by one object "
                           "count in its self size (--raw-sizes turns it off)"
                         : "as in the file (no reassignment)");
  out += fmt::format("Showing     {} node{} by retained size\n\n", Grouped(rows.size()),
                     rows.size() == 1 ? "" : "s");

  struct Cells {
    std::string retained, pct, self, distance, type, id, dominator, name;
  };
  std::vector<Cells> cells;
  Cells head{"Retained", "Ret%", "Self", "Distance", "Type", "Id", "Dominator", "Name"};
  for (uint32_t n : rows) {
    const double pct = a.total_size == 0 ? 0.0
                                         : 100.0 * static_cast<double>(a.retained_size[n]) /
                                               static_cast<double>(a.total_size);
    cells.push_back(
        {Grouped(a.retained_size[n]), fmt::format("{:.1f}%", pct), Grouped(a.self_size[n]),
         Distance(a.distance[n]), std::string(snapshot::NodeTypeName(s.node_type[n])),
         fmt::format("@{}", s.NodeId(NodeIndex(n))), fmt::format("@{}", s.NodeId(a.dominator[n])),
         Shown(s.NodeName(NodeIndex(n)), 80)});
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

int RunRetained(const RetainedOptions& o) {
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  snapshot::ParseOptions po;
  if (ProgressEnabled()) {
    po.progress = [](uint64_t done, uint64_t total) { Progress("loading", done, total); };
  }
  Result<snapshot::Snapshot> loaded = snapshot::ParseSnapshotFile(o.snapshot, po);
  ProgressDone();
  if (!loaded.ok()) return Fail(loaded.status());
  const snapshot::Snapshot& s = *loaded;
  if (s.node_count() == 0) {
    return Fail(Status::InvalidInput(fmt::format("{}: the snapshot has no nodes", o.snapshot)));
  }
  auto t1 = Clock::now();
  graph::Retainers retainers = graph::BuildRetainers(s);
  auto t2 = Clock::now();
  dominators::HeapAnalysis a;
  dominators::ComputeDistances(s, a);
  auto t3 = Clock::now();
  dominators::ComputeShallowSizes(s, {/*reassign_shallow_sizes=*/!o.raw_sizes}, a);
  auto t3b = Clock::now();
  dominators::ComputeDominators(s, retainers, a);
  auto t4 = Clock::now();
  dominators::ComputeRetainedSizes(s, a);
  auto t5 = Clock::now();

  // Largest retained size first; ties by node id.
  std::vector<uint32_t> rows(s.node_count());
  std::iota(rows.begin(), rows.end(), 0u);
  auto before = [&](uint32_t x, uint32_t y) {
    if (a.retained_size[x] != a.retained_size[y]) return a.retained_size[x] > a.retained_size[y];
    return s.NodeId(NodeIndex(x)) < s.NodeId(NodeIndex(y));
  };
  if (o.top != 0 && o.top < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + o.top, rows.end(), before);
    rows.resize(o.top);
  } else {
    std::sort(rows.begin(), rows.end(), before);
  }
  std::string text = o.format == "json" ? RenderJson(s, a, rows) : RenderText(s, a, rows);
  Status st = io::WriteOutput(o.output, text);
  if (!st.ok()) return Fail(st);
  if (o.format == "json" && !a.shallow_sizes_reassigned) {
    // The JSON array has no room for a note; the text format says it in its header.
    fmt::print(stderr,
               "heapscope: note: self sizes are as in the file (no DevTools reassignment)\n");
  }
  auto t6 = Clock::now();
  if (o.timings) {
    auto ms = [](Clock::time_point x, Clock::time_point y) {
      return std::chrono::duration<double, std::milli>(y - x).count();
    };
    fmt::print(stderr,
               "timings_ms load={:.1f} retainers={:.1f} distances={:.1f} shallow={:.1f} "
               "dominators={:.1f} retained={:.1f} output={:.1f} total={:.1f} nodes={} edges={}\n",
               ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t3b), ms(t3b, t4), ms(t4, t5), ms(t5, t6),
               ms(t0, t6), s.node_count(), s.edge_count());
  }
  return 0;
}

Runner SetupRetained(CLI::App& app) {
  auto opts = std::make_shared<RetainedOptions>();
  CLI::App* sub = app.add_subcommand(
      "retained",
      "Nodes by retained size, with distance and dominator, exactly as DevTools computes them");
  sub->add_option("snapshot", opts->snapshot,
                  "Heap snapshot (.heapsnapshot, gzip or plain; - = stdin)")
      ->required();
  sub->add_option("-n,--top", opts->top, "Nodes to list, largest retained size first (0 = all)")
      ->capture_default_str();
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  sub->add_flag("--raw-sizes", opts->raw_sizes,
                "Keep self sizes as in the file (skip DevTools' reassignment of hidden/array "
                "nodes to their single owner)");
  sub->add_flag("--timings", opts->timings, "Print the time of each step on stderr");
  return [opts] { return RunRetained(*opts); };
}

HS_REGISTER_COMMAND(30, SetupRetained);

}  // namespace
}  // namespace heapscope::cli
