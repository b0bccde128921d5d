// RunDiff: the library call behind `heapscope diff` (run/commands.h), DevTools' Comparison view
// over a series of snapshots.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "heapscope/run/commands.h"
#include "heapscope/snapshot/classes.h"
#include "heapscope/text.h"

namespace heapscope {
namespace {

// One snapshot of the series, reduced to what a comparison needs: the nodes, DevTools' self
// sizes, and its classes under its own interface definitions.
struct Member {
  LoadedSnapshot loaded;  // retainers and dominators dropped except for the last
  snapshot::NodeClasses classes;
};

bool SameDefinitions(const std::vector<snapshot::InterfaceDefinition>& a,
                     const std::vector<snapshot::InterfaceDefinition>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].properties != b[i].properties) return false;
  }
  return true;
}

snapshot::ComparisonSide Side(const Member& m, const snapshot::NodeClasses& classes) {
  return {&m.loaded.snapshot, &classes, &m.loaded.analysis.self_size};
}

// The drill-down's classes in the last snapshot (by name or DevTools key), and whether the
// query names a class of either side at all.
bool Matches(const snapshot::ClassKey& k, const std::string& query) {
  return k.name == query || snapshot::DevToolsClassKey(k) == query;
}

}  // namespace

Result<DiffResult> RunDiff(const DiffOptions& o) {
  if (o.snapshots.size() < 2) {
    return Status::Usage("diff: at least two snapshots are needed (BASE TARGET [MORE...])");
  }
  const bool drill = !o.class_name.empty();
  std::vector<Member> members;
  members.reserve(o.snapshots.size());
  DiffResult out;
  out.top = o.top;
  for (size_t i = 0; i < o.snapshots.size(); ++i) {
    // A comparison needs the nodes and DevTools' self sizes (its shallow-size reassignment,
    // no dominators); the drill-down also needs the last snapshot's retained sizes.
    const bool full = drill && i + 1 == o.snapshots.size();
    HS_ASSIGN_OR_RETURN(LoadedSnapshot loaded,
                        LoadSnapshot({o.snapshots[i], /*analyze=*/false,
                                      /*reassign_shallow_sizes=*/true, o.progress}));
    if (full) {
      AnalyzeLoaded(loaded, /*reassign_shallow_sizes=*/true);
      loaded.retainers = {};
    } else {
      dominators::ComputeShallowSizes(loaded.snapshot, {/*reassign_shallow_sizes=*/true},
                                      loaded.analysis);
      for (uint64_t size : loaded.analysis.self_size) loaded.analysis.total_size += size;
    }
    const snapshot::Snapshot& s = loaded.snapshot;
    out.snapshots.push_back({o.snapshots[i], s.node_count(), s.edge_count(),
                             loaded.analysis.total_size, s.diagnostics});
    out.shallow_sizes_reassigned &= loaded.analysis.shallow_sizes_reassigned;
    Member m{std::move(loaded), {}};
    m.classes = snapshot::ClassifyNodes(m.loaded.snapshot);
    members.push_back(std::move(m));
  }

  // DevTools names the base's objects with the target's interface definitions.
  auto compare = [&](uint32_t b, uint32_t t) {
    const Member& base = members[b];
    const Member& target = members[t];
    DiffComparison c{b, t, {}};
    if (SameDefinitions(base.classes.interfaces, target.classes.interfaces)) {
      c.classes = snapshot::CompareClasses(Side(base, base.classes), Side(target, target.classes));
    } else {
      snapshot::NodeClasses renamed = snapshot::ClassifyNodes(
          base.loaded.snapshot, {&target.classes.interfaces, &base.classes.dom_state});
      c.classes = snapshot::CompareClasses(Side(base, renamed), Side(target, target.classes));
    }
    return c;
  };
  const uint32_t n = static_cast<uint32_t>(members.size());
  for (uint32_t i = 0; i + 1 < n; ++i) out.comparisons.push_back(compare(i, i + 1));
  if (n > 2) out.comparisons.push_back(compare(0, n - 1));

  if (drill) {
    const Member& base = members.front();
    const Member& target = members.back();
    snapshot::NodeClasses renamed;
    const snapshot::NodeClasses* base_classes = &base.classes;
    if (!SameDefinitions(base.classes.interfaces, target.classes.interfaces)) {
      renamed = snapshot::ClassifyNodes(base.loaded.snapshot,
                                        {&target.classes.interfaces, &base.classes.dom_state});
      base_classes = &renamed;
    }
    DiffDrillDown d;
    d.query = o.class_name;
    d.base = 0;
    d.target = n - 1;
    bool known = false;
    for (const snapshot::ClassKey& k : base_classes->keys) known |= Matches(k, o.class_name);
    std::vector<NodeIndex> fresh;
    for (uint32_t k = 0; k < target.classes.class_count(); ++k) {
      if (!Matches(target.classes.keys[k], o.class_name)) continue;
      known = true;
      d.keys.push_back(target.classes.keys[k]);
      std::vector<NodeIndex> part = snapshot::NewMembers(
          Side(base, *base_classes), Side(target, target.classes), k);
      fresh.insert(fresh.end(), part.begin(), part.end());
    }
    if (!known) {
      return Status::Usage(fmt::format(
          "diff: --class '{}': no class of that name or key in {} or {} (class names are as "
          "`heapscope summary` shows them; keys as in its JSON)",
          text::TerminalSafe(o.class_name), o.snapshots.front(), o.snapshots.back()));
    }
    const LoadedSnapshot& last = target.loaded;
    const dominators::HeapAnalysis& a = last.analysis;
    d.new_count = fresh.size();
    for (NodeIndex v : fresh) d.alloc_size += a.self_size[v.v];
    auto before = [&](NodeIndex x, NodeIndex y) {
      if (a.retained_size[x.v] != a.retained_size[y.v]) {
        return a.retained_size[x.v] > a.retained_size[y.v];
      }
      return last.snapshot.NodeId(x) < last.snapshot.NodeId(y);
    };
    if (o.top != 0 && o.top < fresh.size()) {
      std::partial_sort(fresh.begin(), fresh.begin() + o.top, fresh.end(), before);
      fresh.resize(o.top);
    } else {
      std::sort(fresh.begin(), fresh.end(), before);
    }
    if (!fresh.empty()) {
      paths::ShortestPathTree tree = paths::BuildShortestPathTree(last.snapshot);
      for (NodeIndex v : fresh) d.objects.push_back({v, paths::PathTo(tree, v)});
    }
    out.drill_down = std::move(d);
    out.last = std::move(members.back().loaded);
  }
  return out;
}

}  // namespace heapscope
