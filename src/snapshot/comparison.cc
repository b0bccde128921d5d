// DevTools' Comparison view (heapscope/snapshot/comparison.h).
#include "heapscope/snapshot/comparison.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace heapscope::snapshot {
namespace {

// The members of every class (nodes of non-zero self size), each class's by ascending id: CSR
// over class indices. One array of ordinals, one of offsets; no per-node allocation.
struct Members {
  std::vector<uint32_t> begin;  // class_count + 1
  std::vector<uint32_t> nodes;
};

const std::vector<uint64_t>& Sizes(const ComparisonSide& side) {
  return side.self_size ? *side.self_size : side.snapshot->self_size;
}

Members Group(const ComparisonSide& side) {
  const Snapshot& s = *side.snapshot;
  const NodeClasses& c = *side.classes;
  const std::vector<uint64_t>& size = Sizes(side);
  const uint32_t n = s.node_count();
  Members m;
  m.begin.assign(size_t{c.class_count()} + 1, 0);
  for (uint32_t v = 0; v < n; ++v) {
    if (size[v] != 0) ++m.begin[c.node_class[v] + 1];
  }
  for (uint32_t k = 0; k < c.class_count(); ++k) m.begin[k + 1] += m.begin[k];
  m.nodes.resize(m.begin.back());
  std::vector<uint32_t> fill(m.begin.begin(), m.begin.end() - 1);
  for (uint32_t v = 0; v < n; ++v) {
    if (size[v] != 0) m.nodes[fill[c.node_class[v]]++] = v;
  }
  for (uint32_t k = 0; k < c.class_count(); ++k) {
    // Node order breaks ties between equal ids (a damaged file): stable.
    std::stable_sort(m.nodes.begin() + m.begin[k], m.nodes.begin() + m.begin[k + 1],
                     [&](uint32_t a, uint32_t b) { return s.NodeId(NodeIndex(a)) < s.NodeId(NodeIndex(b)); });
  }
  return m;
}

struct KeyHash {
  size_t operator()(const ClassKey& k) const noexcept {
    uint64_t h = std::hash<std::string_view>{}(k.name);
    h = h * 0x9E3779B97F4A7C15ull ^ k.script_id;
    h = h * 0x9E3779B97F4A7C15ull ^ k.line;
    h = h * 0x9E3779B97F4A7C15ull ^ k.column;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// The target class of each base class (kNone where the target has none of that key).
std::vector<uint32_t> MatchClasses(const NodeClasses& base, const NodeClasses& target) {
  std::unordered_map<ClassKey, uint32_t, KeyHash> index;
  index.reserve(target.keys.size());
  for (uint32_t k = 0; k < target.keys.size(); ++k) index.emplace(target.keys[k], k);
  std::vector<uint32_t> out(base.keys.size(), kNone);
  for (uint32_t k = 0; k < base.keys.size(); ++k) {
    auto it = index.find(base.keys[k]);
    if (it != index.end()) out[k] = it->second;
  }
  return out;
}

// calculateDiffForClass: walks the two id-sorted member lists of one class. `on_new` sees each
// new target member.
template <typename OnNew>
void DiffOne(const ComparisonSide& base, const uint32_t* b, const uint32_t* b_end,
             const ComparisonSide& target, const uint32_t* t, const uint32_t* t_end,
             ClassDelta& d, OnNew on_new) {
  const Snapshot& bs = *base.snapshot;
  const Snapshot& ts = *target.snapshot;
  const std::vector<uint64_t>& bsize = Sizes(base);
  const std::vector<uint64_t>& tsize = Sizes(target);
  while (b != b_end && t != t_end) {
    const uint64_t bid = bs.NodeId(NodeIndex(*b)), tid = ts.NodeId(NodeIndex(*t));
    if (bid < tid) {
      ++d.deleted_count;
      d.freed_size += bsize[*b++];
    } else if (bid > tid) {
      ++d.new_count;
      d.alloc_size += tsize[*t];
      on_new(*t++);
    } else {
      ++b;
      ++t;
    }
  }
  for (; b != b_end; ++b) {
    ++d.deleted_count;
    d.freed_size += bsize[*b];
  }
  for (; t != t_end; ++t) {
    ++d.new_count;
    d.alloc_size += tsize[*t];
    on_new(*t);
  }
}

}  // namespace

ClassComparison CompareClasses(const ComparisonSide& base, const ComparisonSide& target) {
  const Members bm = Group(base), tm = Group(target);
  const std::vector<uint32_t> target_of = MatchClasses(*base.classes, *target.classes);
  std::vector<uint8_t> target_done(target.classes->class_count(), 0);
  ClassComparison out;
  auto emit = [&](ClassDelta& d) {
    if (d.new_count == 0 && d.deleted_count == 0) return;
    out.new_count += d.new_count;
    out.deleted_count += d.deleted_count;
    out.alloc_size += d.alloc_size;
    out.freed_size += d.freed_size;
    out.rows.push_back(std::move(d));
  };
  const uint32_t* bn = bm.nodes.data();
  const uint32_t* tn = tm.nodes.data();
  for (uint32_t k = 0; k < base.classes->class_count(); ++k) {
    const uint32_t tk = target_of[k];
    if (bm.begin[k] == bm.begin[k + 1] && (tk == kNone || tm.begin[tk] == tm.begin[tk + 1])) {
      continue;
    }
    ClassDelta d;
    d.key = base.classes->keys[k];
    d.base_class = k;
    d.target_class = tk;
    const uint32_t* t = tk == kNone ? nullptr : tn + tm.begin[tk];
    const uint32_t* t_end = tk == kNone ? nullptr : tn + tm.begin[tk + 1];
    if (tk != kNone) target_done[tk] = 1;
    DiffOne(base, bn + bm.begin[k], bn + bm.begin[k + 1], target, t, t_end, d, [](uint32_t) {});
    emit(d);
  }
  for (uint32_t k = 0; k < target.classes->class_count(); ++k) {
    if (target_done[k] || tm.begin[k] == tm.begin[k + 1]) continue;
    ClassDelta d;
    d.key = target.classes->keys[k];
    d.target_class = k;
    DiffOne(base, nullptr, nullptr, target, tn + tm.begin[k], tn + tm.begin[k + 1], d,
            [](uint32_t) {});
    emit(d);
  }
  std::sort(out.rows.begin(), out.rows.end(), [](const ClassDelta& a, const ClassDelta& b) {
    if (a.size_delta() != b.size_delta()) return a.size_delta() > b.size_delta();
    if (a.new_count != b.new_count) return a.new_count > b.new_count;
    return std::tie(a.key.name, a.key.script_id, a.key.line, a.key.column) <
           std::tie(b.key.name, b.key.script_id, b.key.line, b.key.column);
  });
  return out;
}

std::vector<NodeIndex> NewMembers(const ComparisonSide& base, const ComparisonSide& target,
                                  uint32_t target_class) {
  std::vector<NodeIndex> out;
  if (target_class >= target.classes->class_count()) return out;
  // Only the one class is gathered on each side.
  const ClassKey& key = target.classes->keys[target_class];
  uint32_t base_class = kNone;
  for (uint32_t k = 0; k < base.classes->class_count(); ++k) {
    if (base.classes->keys[k] == key) {
      base_class = k;
      break;
    }
  }
  auto members = [](const ComparisonSide& side, uint32_t cls) {
    std::vector<uint32_t> m;
    if (cls == kNone) return m;
    const Snapshot& s = *side.snapshot;
    const std::vector<uint64_t>& size = Sizes(side);
    for (uint32_t v = 0; v < s.node_count(); ++v) {
      if (size[v] != 0 && side.classes->node_class[v] == cls) m.push_back(v);
    }
    std::stable_sort(m.begin(), m.end(), [&](uint32_t a, uint32_t b) {
      return s.NodeId(NodeIndex(a)) < s.NodeId(NodeIndex(b));
    });
    return m;
  };
  const std::vector<uint32_t> b = members(base, base_class), t = members(target, target_class);
  ClassDelta d;
  DiffOne(base, b.data(), b.data() + b.size(), target, t.data(), t.data() + t.size(), d,
          [&](uint32_t v) { out.push_back(NodeIndex(v)); });
  return out;
}

}  // namespace heapscope::snapshot
