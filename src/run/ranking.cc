// Findings nested, merged and ranked.
#include <algorithm>
#include <unordered_map>

#include "run/run_internal.h"

namespace heapscope::run_internal {
namespace {

// Ranking: notes last; then the memory freed by fixing it (retained size), then severity,
// then total growth.
bool RankBefore(const report::Finding& a, const report::Finding& b) {
  const bool na = a.severity == report::Severity::kNote, nb = b.severity == report::Severity::kNote;
  if (na != nb) return nb;
  if (a.retained_size != b.retained_size) return a.retained_size > b.retained_size;
  if (a.severity != b.severity) return a.severity > b.severity;
  int64_t ga = 0, gb = 0;
  for (int64_t g : a.growth) ga += g;
  for (int64_t g : b.growth) gb += g;
  if (ga != gb) return ga > gb;
  return a.title < b.title;
}

// Adds `f` into the merged finding `g` (same fingerprint): counts, growth and sizes summed.
void MergeInto(report::Finding& g, report::Finding& f) {
  for (size_t i = 0; i < g.counts.size() && i < f.counts.size(); ++i) g.counts[i] += f.counts[i];
  for (size_t i = 0; i < g.growth.size() && i < f.growth.size(); ++i) g.growth[i] += f.growth[i];
  g.count += f.count;
  g.retained_size += f.retained_size;
  g.self_size += f.self_size;
  for (report::Finding& s : f.secondary) g.secondary.push_back(std::move(s));
}

// A cause is as severe as the worst finding that follows from it.
report::Severity LiftSeverity(report::Finding& f) {
  for (report::Finding& s : f.secondary) f.severity = std::max(f.severity, LiftSeverity(s));
  return f.severity;
}

}  // namespace

std::vector<report::Finding> NestFindings(const std::vector<leaks::Detection>& detections,
                                          std::vector<report::Finding> all) {
  // Children are moved into their parents deepest first, so that a child carries its own
  // children along.
  const size_t n = detections.size();
  std::vector<uint32_t> depth(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t p = detections[i].parent; p != kNone && depth[i] <= n; p = detections[p].parent)
      ++depth[i];
  }
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return depth[a] > depth[b]; });
  for (uint32_t i : order) {
    uint32_t p = detections[i].parent;
    if (p == kNone) continue;
    all[p].secondary.push_back(std::move(all[i]));
  }
  std::vector<report::Finding> top;
  for (uint32_t i = 0; i < n; ++i) {
    if (detections[i].parent == kNone) top.push_back(std::move(all[i]));
  }
  for (report::Finding& f : top) LiftSeverity(f);
  return top;
}

// Growing collections reached by the same normalized path (e.g. the `cursors` Map of every
// board) are one finding: same fingerprint, counts and sizes summed.
void MergeCollections(std::vector<report::Finding>& v) {
  std::vector<report::Finding> out;
  std::unordered_map<std::string, size_t> seen;
  std::unordered_map<std::string, uint64_t> members;
  const std::string collection = leaks::RuleId(leaks::Rule::kCollectionGrowth);
  for (report::Finding& f : v) {
    MergeCollections(f.secondary);
    if (f.rule != collection) {
      out.push_back(std::move(f));
      continue;
    }
    std::string key = StableFingerprint(f);
    auto [it, inserted] = seen.try_emplace(key, out.size());
    ++members[key];
    if (inserted) {
      out.push_back(std::move(f));
      continue;
    }
    MergeInto(out[it->second], f);
  }
  for (report::Finding& g : out) {
    if (g.rule != collection) continue;
    uint64_t n = members[StableFingerprint(g)];
    if (n < 2) continue;
    g.title = std::to_string(n) + " " + g.emitter + " objects at " + g.accumulation_point +
              " keep growing";
    g.message = std::to_string(n) + " " + g.emitter + " objects reached by the same path (" +
                g.accumulation_point + ") hold more entries in every snapshot: " +
                CountsText(g.counts) + " references in total.";
  }
  v = std::move(out);
}

void SortFindings(std::vector<report::Finding>& v) {
  std::sort(v.begin(), v.end(), RankBefore);
  for (report::Finding& f : v) SortFindings(f.secondary);
}

}  // namespace heapscope::run_internal
