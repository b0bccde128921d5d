// collection-growth: one Map, Set or Array (same V8 id) holds more references in every interval
// and at least --min-collection at the end. Listener arrays are left to the listener rules.
#include <algorithm>

#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {

void DetectCollectionGrowth(const DetectInput& in, std::vector<Detection>& out) {
  const size_t k = in.series.size();
  if (k < 2) return;
  const SnapshotFacts& last = in.series.back();
  std::vector<uint32_t> holders;
  for (const ListenerFact& f : last.listeners) holders.push_back(f.holder.v);
  std::sort(holders.begin(), holders.end());
  for (const CollectionFact& c : last.collections) {
    if (c.size < in.options.min_collection_size) continue;
    if (std::binary_search(holders.begin(), holders.end(), c.node.v)) continue;
    // Absent from a snapshot = 0 entries (allocated later: V8 ids are never reused).
    std::vector<uint64_t> counts(k, 0);
    for (size_t s = 0; s < k; ++s) {
      const auto& v = in.series[s].collections;
      auto it = std::lower_bound(v.begin(), v.end(), c.id,
                                 [](const CollectionFact& a, uint32_t id) { return a.id < id; });
      if (it != v.end() && it->id == c.id) counts[s] = it->size;
    }
    if (!GrowsEveryInterval(counts, in.options.min_growth)) continue;
    Detection d;
    d.rule = Rule::kCollectionGrowth;
    d.level = Level::kWarning;
    d.emitter_class = c.kind;
    d.emitter_id = c.id;
    d.emitter = c.node;
    d.counts = std::move(counts);
    d.objects = {c.node};
    d.representative = c.node;
    out.push_back(std::move(d));
  }
}

std::string CollectionGrowthTitle(const Detection&, const FindingWords& w) {
  return w.emitter + " keeps growing";
}

extern const RuleDef kCollectionGrowth = {
    Rule::kCollectionGrowth, "collection-growth", "CollectionGrowth", Level::kWarning, false,
    "A Map, Set or Array keeps growing across snapshots.",
    "A collection's number of entries grows from snapshot to snapshot and its entries are not "
    "released.",
    "Delete entries when their owner goes away, bound the collection, or use a WeakMap/WeakRef "
    "where the key's lifetime should decide.",
    "Delete entries when their owner goes away, bound the collection, or key it weakly "
    "(WeakMap/WeakRef).",
    CollectionGrowthTitle, DetectCollectionGrowth, nullptr, nullptr};

}  // namespace heapscope::leaks::internal
