// Allocation stacks of findings (snapshot/traces.h): each of a finding's objects has a
// trace_node_id; its trace_tree node and the node's ancestors are the stack that allocated it.
// Objects are grouped by stack, and the stacks with most objects (then bytes) are reported.
#include <algorithm>
#include <unordered_map>

#include "heapscope/text.h"
#include "run/run_internal.h"

namespace heapscope::run_internal {
namespace {

constexpr size_t kTopStacks = 3;
constexpr size_t kMaxFrames = 64;

}  // namespace

AllocationSource AllocationSource::From(const snapshot::Snapshot& snap, size_t index, bool by_id) {
  AllocationSource a;
  a.snapshot_index = index;
  const snapshot::AllocationTraces& t = snap.traces;
  a.tree_function = t.tree_function;
  a.tree_parent = t.tree_parent;
  a.tree_count = t.tree_count;
  a.tree_size = t.tree_size;
  a.by_tree_id = t.by_id;
  a.by_id = by_id;
  for (uint32_t f = 0; f < t.function_count(); ++f) {
    a.function_name.emplace_back(snap.String(t.function_name[f]));
    a.function_script.emplace_back(snap.String(t.function_script[f]));
    a.function_line.push_back(t.function_line[f]);
    a.function_column.push_back(t.function_column[f]);
  }
  if (by_id) {
    for (uint32_t n = 0; n < snap.node_count() && n < snap.trace_node_id.size(); ++n) {
      if (snap.trace_node_id[n] != 0)
        a.by_node_id.emplace_back(static_cast<uint32_t>(snap.NodeId(NodeIndex(n))),
                                  snap.trace_node_id[n]);
    }
    std::sort(a.by_node_id.begin(), a.by_node_id.end());
  }
  return a;
}

uint32_t AllocationSource::TreeNodeOf(const snapshot::Snapshot& last, NodeIndex n) const {
  uint32_t trace = 0;
  if (!by_id) {
    if (n.v >= last.trace_node_id.size()) return kNone;
    trace = last.trace_node_id[n.v];
  } else {
    const uint32_t id = static_cast<uint32_t>(last.NodeId(n));
    auto it = std::lower_bound(by_node_id.begin(), by_node_id.end(),
                               std::pair<uint32_t, uint32_t>(id, 0));
    if (it == by_node_id.end() || it->first != id) return kNone;
    trace = it->second;
  }
  if (trace == 0) return kNone;
  auto it = std::lower_bound(by_tree_id.begin(), by_tree_id.end(),
                             std::pair<uint32_t, uint32_t>(trace, 0));
  if (it == by_tree_id.end() || it->first != trace) return kNone;
  return it->second;
}

namespace {

// One distinct stack: its frames' text, so that the same stack in two snapshots is one group.
std::string StackKey(const AllocationSource& src, uint32_t tree) {
  std::string key;
  for (uint32_t t = tree, n = 0; t != kNone && n < kMaxFrames; t = src.tree_parent[t], ++n) {
    const uint32_t fn = src.tree_function[t];
    if (fn == kNone) {
      key += "?\n";
      continue;
    }
    key += src.function_name[fn];
    key += '\t';
    key += src.function_script[fn];
    key += '\t' + std::to_string(src.function_line[fn]) + ':' +
           std::to_string(src.function_column[fn]) + '\n';
  }
  return key;
}

}  // namespace

void AttachAllocationStacks(const Context& c, const leaks::Detection& d, report::Finding& f) {
  const AllocationSources* all = c.allocations;
  if (all == nullptr || !all->available()) return;
  const snapshot::Snapshot& snap = c.last.snap;
  struct Group {
    uint64_t count = 0, bytes = 0;
    size_t source = 0;  // the latest source holding the stack (its tree counts the most)
    uint32_t tree = kNone;
  };
  std::unordered_map<std::string, Group> groups;
  // (source, tree node) -> its key, so each distinct stack is spelled once.
  std::unordered_map<uint64_t, std::string> keys;
  uint64_t known = 0;
  for (NodeIndex n : d.objects) {
    if (!n.valid() || n.v >= snap.node_count()) continue;
    // The earliest snapshot that knew the object's stack (see AllocationSource).
    for (size_t s = 0; s < all->sources.size(); ++s) {
      const AllocationSource& src = all->sources[s];
      const uint32_t t = src.TreeNodeOf(snap, n);
      if (t == kNone) continue;
      const uint64_t memo = (uint64_t{s} << 32) | t;
      auto k = keys.find(memo);
      if (k == keys.end()) k = keys.emplace(memo, StackKey(src, t)).first;
      Group& g = groups[k->second];
      g.count += 1;
      g.bytes += snap.self_size[n.v];
      if (g.tree == kNone || s > g.source) {
        g.source = s;
        g.tree = t;
      }
      ++known;
      break;
    }
  }
  if (groups.empty()) return;
  std::vector<Group> ranked;
  ranked.reserve(groups.size());
  for (auto& [key, g] : groups) ranked.push_back(g);
  std::sort(ranked.begin(), ranked.end(), [](const Group& a, const Group& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    return a.source != b.source ? a.source > b.source : a.tree < b.tree;
  });
  if (ranked.size() > kTopStacks) ranked.resize(kTopStacks);
  f.allocated_at_objects = known;
  for (const Group& g : ranked) {
    const AllocationSource& src = all->sources[g.source];
    report::AllocationStack st;
    st.count = g.count;
    st.self_size = g.bytes;
    st.allocations = src.tree_count[g.tree];
    st.allocated_bytes = src.tree_size[g.tree];
    for (uint32_t t = g.tree; t != kNone && st.frames.size() < kMaxFrames; t = src.tree_parent[t]) {
      const uint32_t fn = src.tree_function[t];
      if (fn == kNone) {
        report::Site unknown;
        unknown.function = "(unknown function)";
        st.frames.push_back(std::move(unknown));
        continue;
      }
      // V8's synthetic top frame holds no code.
      if (src.tree_parent[t] == kNone && src.function_name[fn] == "(root)" &&
          src.function_script[fn].empty())
        break;
      st.frames.push_back(FrameSite(c, src.function_script[fn], src.function_line[fn],
                                    src.function_column[fn], src.function_name[fn]));
    }
    f.allocated_at.push_back(std::move(st));
  }
}

report::Site FrameSite(const Context& c, std::string_view script, uint32_t line1, uint32_t column1,
                       std::string_view function) {
  if (line1 == 0) {  // V8 did not know the position
    report::Site s;
    s.file = leaks::DisplayPath(script, c.options.source_root);
    s.function = std::string(function);
    return s;
  }
  leaks::SourceSite src{std::string(script), line1 - 1, column1 == 0 ? 0 : column1 - 1,
                        std::string(function)};
  return DisplaySite(c, src);
}

std::string AllocationNote(const std::vector<bool>& tracked) {
  size_t n = 0;
  std::string which;
  for (size_t i = 0; i < tracked.size(); ++i) {
    if (!tracked[i]) continue;
    which += (n++ ? ", " : "") + std::to_string(i + 1);
  }
  if (n == 0 || n == tracked.size()) return {};
  std::string m = "allocation tracking: " + std::string(n == 1 ? "snapshot " : "snapshots ") +
                  which + " of " + std::to_string(tracked.size()) +
                  (n == 1 ? " was" : " were") +
                  " taken with allocation tracking on, the others not: allocation stacks are "
                  "known only for objects allocated while it was on";
  if (!tracked.back()) m += " and still alive in a tracked snapshot";
  return m;
}

}  // namespace heapscope::run_internal
