// `heapscope paths SNAPSHOT --id ID [--max K] [--format text|json] [-o FILE]`: retainer paths
// from the root to one node, memlab/DevTools style, each step with its edge, class, id and
// retained size. Path 1 is the preferred path (BuildShortestPathTree); paths 2..K are the next
// shortest simple paths. Grammar and JSON fields: docs/cmd-paths.md.
#include <fmt/format.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/io/output.h"
#include "heapscope/paths/retainer_paths.h"
#include "heapscope/snapshot/parse.h"

namespace heapscope::cli {
namespace {

struct PathsOptions {
  std::string snapshot;
  uint64_t id = 0;
  uint32_t max = 3;
  std::string format = "text";
  std::string output = "-";
};

std::string Distance(int32_t d) {
  if (d == dominators::kNoDistance) return "unreachable";
  if (d >= dominators::kBaseSystemDistance) {
    return fmt::format("system+{}", d - dominators::kBaseSystemDistance);
  }
  return fmt::format("{}", d);
}

bool SamePath(const paths::RetainerPath& x, const paths::RetainerPath& y) {
  if (x.steps.size() != y.steps.size()) return false;
  for (size_t i = 0; i < x.steps.size(); ++i) {
    if (x.steps[i].edge != y.steps[i].edge) return false;
  }
  return true;
}

std::string RenderText(const snapshot::Snapshot& s, const dominators::HeapAnalysis& a,
                       NodeIndex target, const std::vector<paths::RetainerPath>& found,
                       uint32_t max) {
  std::string out;
  const uint32_t t = target.v;
  out +=
      fmt::format("Target  {} @{} ({}, self {}, retained {}, distance {})\n",
                  paths::NodeTitle(s, target), s.NodeId(NodeIndex(t)), snapshot::NodeTypeName(s.node_type[t]),
                  Grouped(a.self_size[t]), Grouped(a.retained_size[t]), Distance(a.distance[t]));
  if (found.empty()) {
    out += "\nNo retainer path: the node is not reachable from the root over strong edges.\n";
    return out;
  }
  if (target == s.root) {
    out += "\nThe target is the snapshot's root: every path starts here.\n";
    return out;
  }
  out += fmt::format("Paths   {} (of at most {}; weak edges skipped)\n", found.size(), max);
  for (size_t p = 0; p < found.size(); ++p) {
    const paths::RetainerPath& path = found[p];
    out += fmt::format("\nPath {} ({} step{}{})\n  {}\n", p + 1, path.steps.size(),
                       path.steps.size() == 1 ? "" : "s", p == 0 ? ", preferred" : "",
                       paths::RenderCompactPath(s, path));
    // Aligned steps: edge (type), node title, id, type, retained size.
    std::vector<std::string> edges, titles, ids, types, retained;
    for (const paths::PathStep& st : path.steps) {
      edges.push_back(fmt::format("{} ({})", paths::EdgeAccessor(s, st.edge),
                                  snapshot::EdgeTypeName(s.edge_type[st.edge.v])));
      std::string title = paths::NodeTitle(s, st.node);
      if (title.size() > 60) title = title.substr(0, 59) + "…";
      titles.push_back(std::move(title));
      ids.push_back(fmt::format("@{}", s.NodeId(st.node)));
      types.push_back(std::string(snapshot::NodeTypeName(s.node_type[st.node.v])));
      retained.push_back(Grouped(a.retained_size[st.node.v]));
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
    out += fmt::format("  normalized: {}\n", paths::NormalizePath(s, path));
  }
  return out;
}

std::string RenderJson(const snapshot::Snapshot& s, const dominators::HeapAnalysis& a,
                       NodeIndex target, const std::vector<paths::RetainerPath>& found) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  auto str = [&](std::string_view v) {
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto node = [&](NodeIndex n) {
    w.StartObject();
    w.Key("id");
    w.Uint64(s.NodeId(n));
    w.Key("name");
    str(s.NodeName(n));
    w.Key("type");
    str(snapshot::NodeTypeName(s.node_type[n.v]));
    w.Key("self_size");
    w.Uint64(a.self_size[n.v]);
    w.Key("retained_size");
    w.Uint64(a.retained_size[n.v]);
    w.Key("distance");
    w.Int(a.distance[n.v]);
    w.EndObject();
  };
  w.StartObject();
  w.Key("target");
  node(target);
  w.Key("paths");
  w.StartArray();
  for (const paths::RetainerPath& path : found) {
    w.StartObject();
    w.Key("compact");
    str(paths::RenderCompactPath(s, path));
    w.Key("normalized");
    str(paths::NormalizePath(s, path));
    w.Key("steps");
    w.StartArray();
    for (const paths::PathStep& st : path.steps) {
      w.StartObject();
      w.Key("edge_type");
      str(snapshot::EdgeTypeName(s.edge_type[st.edge.v]));
      if (s.EdgeHasName(st.edge)) {
        w.Key("edge_name");
        str(s.EdgeName(st.edge));
      } else {
        w.Key("edge_index");
        w.Uint(s.edge_name_or_index[st.edge.v]);
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
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

int RunPaths(const PathsOptions& o) {
  snapshot::ParseOptions po;
  if (ProgressEnabled()) {
    po.progress = [](uint64_t done, uint64_t total) { Progress("loading", done, total); };
  }
  Result<snapshot::Snapshot> loaded = snapshot::ParseSnapshotFile(o.snapshot, po);
  ProgressDone();
  if (!loaded.ok()) return Fail(loaded.status());
  const snapshot::Snapshot& s = *loaded;
  NodeIndex target;
  for (uint32_t i = 0; i < s.node_count(); ++i) {
    if (s.NodeId(NodeIndex(i)) == o.id) {
      target = NodeIndex(i);
      break;
    }
  }
  if (!target.valid()) {
    return Fail(Status::Usage(fmt::format("{}: no node with id {}", o.snapshot, o.id)));
  }
  graph::Retainers retainers = graph::BuildRetainers(s);
  dominators::HeapAnalysis a = dominators::Analyze(s, retainers);

  std::vector<paths::RetainerPath> found;
  paths::ShortestPathTree tree = paths::BuildShortestPathTree(s);
  paths::RetainerPath preferred = paths::PathTo(tree, target);
  if (!preferred.steps.empty() || target == s.root) {
    found.push_back(std::move(preferred));
    if (o.max > 1) {
      for (paths::RetainerPath& p : paths::ShortestRetainerPaths(s, retainers, target, o.max)) {
        if (found.size() >= o.max) break;
        if (!SamePath(p, found.front())) found.push_back(std::move(p));
      }
    }
  }
  std::string text =
      o.format == "json" ? RenderJson(s, a, target, found) : RenderText(s, a, target, found, o.max);
  Status st = io::WriteOutput(o.output, text);
  if (!st.ok()) return Fail(st);
  return 0;
}

Runner SetupPaths(CLI::App& app) {
  auto opts = std::make_shared<PathsOptions>();
  CLI::App* sub = app.add_subcommand(
      "paths", "Retainer paths from the GC roots to one node (shortest first, weak edges skipped)");
  sub->add_option("snapshot", opts->snapshot,
                  "Heap snapshot (.heapsnapshot, gzip or plain; - = stdin)")
      ->required();
  sub->add_option("--id", opts->id, "Node id (the @id DevTools shows)")->required();
  sub->add_option("-k,--max", opts->max,
                  "Paths to show (the preferred one, then the next shortest)")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  return [opts] { return RunPaths(*opts); };
}

HS_REGISTER_COMMAND(40, SetupPaths);

}  // namespace
}  // namespace heapscope::cli
