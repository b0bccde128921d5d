// The class comparison `check`'s class-growth limits read (run_internal.h): the first snapshot
// against the last, as `heapscope diff` computes it for first -> last.
#include <utility>

#include "heapscope/snapshot/classes.h"
#include "heapscope/snapshot/comparison.h"
#include "run/run_internal.h"

namespace heapscope::run_internal {

std::vector<report::ClassGrowth> ClassGrowthFirstToLast(const snapshot::Snapshot& first,
                                                        const LastSnapshot& last,
                                                        bool reassign_shallow_sizes) {
  dominators::HeapAnalysis sizes;
  dominators::ComputeShallowSizes(first, {reassign_shallow_sizes}, sizes);
  const snapshot::NodeClasses target = snapshot::ClassifyNodes(last.snap);
  // DevTools names the base's objects with the target's interface definitions.
  const snapshot::NodeClasses base = snapshot::ClassifyNodes(first, {&target.interfaces});
  const snapshot::ClassComparison c = snapshot::CompareClasses(
      {&first, &base, &sizes.self_size}, {&last.snap, &target, &last.analysis.self_size});
  std::vector<report::ClassGrowth> out;
  out.reserve(c.rows.size());
  for (const snapshot::ClassDelta& d : c.rows) {
    report::ClassGrowth g;
    g.name = d.key.name;
    g.key = snapshot::DevToolsClassKey(d.key);
    g.new_count = d.new_count;
    g.deleted_count = d.deleted_count;
    g.alloc_size = d.alloc_size;
    g.freed_size = d.freed_size;
    g.count_delta = d.count_delta();
    g.size_delta = d.size_delta();
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace heapscope::run_internal
