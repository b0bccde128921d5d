// RunStrings: the library call behind `heapscope strings` (run/commands.h).
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "heapscope/paths/retainer_paths.h"
#include "heapscope/run/commands.h"
#include "heapscope/snapshot/classes.h"

namespace heapscope {
namespace {

// "Class.name", "Class[*]", "Class->var": the holder's class and the edge, indices dropped so
// that references of one kind count together.
std::string HolderKind(const snapshot::Snapshot& s, const snapshot::NodeClasses& classes,
                       NodeIndex from, EdgeIndex e) {
  const snapshot::EdgeType t = s.edge_type[e.v];
  if (t == snapshot::EdgeType::kElement || t == snapshot::EdgeType::kHidden) {
    return classes.Name(from) + "[*]";
  }
  // Numbered names (V8's handle and internal slots, "12" or "12 / description"): the number
  // as "*" too.
  const std::string_view name = s.EdgeName(e);
  size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  if (digits > 0 && (digits == name.size() || name.substr(digits).starts_with(" / "))) {
    return classes.Name(from) + "{*" + std::string(name.substr(digits)) + "}";
  }
  return classes.Name(from) + paths::EdgeAccessor(s, e);
}

}  // namespace

Result<StringsResult> RunStrings(const StringsOptions& o) {
  HS_ASSIGN_OR_RETURN(LoadedSnapshot loaded,
                      LoadSnapshot({o.snapshot, /*analyze=*/true, !o.raw_sizes, o.progress}));
  StringsResult out;
  out.loaded = std::move(loaded);
  const snapshot::Snapshot& s = out.loaded.snapshot;
  const dominators::HeapAnalysis& a = out.loaded.analysis;
  for (snapshot::StringGroup& g : snapshot::DuplicateStrings(s, a.self_size)) {
    StringGroupRow row;
    for (NodeIndex v : g.nodes) row.retained_size += a.retained_size[v.v];
    out.strings += g.nodes.size();
    out.self_size += g.self_size;
    out.wasted += g.wasted();
    row.group = std::move(g);
    out.rows.push_back(std::move(row));
  }
  std::stable_sort(out.rows.begin(), out.rows.end(), [](const StringGroupRow& x, const StringGroupRow& y) {
    if (x.group.wasted() != y.group.wasted()) return x.group.wasted() > y.group.wasted();
    if (x.retained_size != y.retained_size) return x.retained_size > y.retained_size;
    return x.group.value < y.group.value;
  });
  out.shown = o.top == 0 ? out.rows.size() : std::min<size_t>(o.top, out.rows.size());

  // What holds the copies of the shown groups: retaining edges (not weak), by kind.
  if (out.shown > 0 && o.retainers > 0) {
    const snapshot::NodeClasses classes = snapshot::ClassifyNodes(s);
    const graph::Retainers& r = out.loaded.retainers;
    for (size_t i = 0; i < out.shown; ++i) {
      StringGroupRow& row = out.rows[i];
      std::unordered_map<std::string, uint64_t> kinds;
      for (NodeIndex v : row.group.nodes) {
        for (uint32_t k = r.Begin(v); k < r.End(v); ++k) {
          const EdgeIndex e = r.retainer_edge[k];
          if (s.edge_type[e.v] == snapshot::EdgeType::kWeak) continue;
          ++kinds[HolderKind(s, classes, r.retainer_node[k], e)];
        }
      }
      for (auto& [holder, count] : kinds) row.holders.push_back({holder, count});
      std::sort(row.holders.begin(), row.holders.end(), [](const StringHolder& x, const StringHolder& y) {
        return x.count != y.count ? x.count > y.count : x.holder < y.holder;
      });
      if (row.holders.size() > o.retainers) row.holders.resize(o.retainers);
    }
  }
  return out;
}

}  // namespace heapscope
