// DevTools' detachedness propagation (heapscope/snapshot/classes.h).
#include "heapscope/snapshot/classes.h"

#include <fmt/format.h>

namespace heapscope::snapshot {
namespace {

constexpr uint8_t kVisited = 0x80;  // PropagateDetachedness's visited bit, inside the state byte

}  // namespace

std::vector<uint8_t> PropagateDetachedness(const Snapshot& s) {
  const uint32_t n = s.node_count();
  std::vector<uint8_t> state(n, kDomUnknown);
  if (!s.meta.has_detachedness) {
    // initDetachednessAndClassIndex, for snapshots without the field.
    for (uint32_t v = 0; v < n; ++v) {
      if (s.node_type[v] == NodeType::kNative && s.String(s.node_name[v]).starts_with("Detached ")) {
        state[v] = kDomDetached;
      }
    }
    return state;
  }
  for (uint32_t v = 0; v < n; ++v) state[v] = s.detachedness[v] & 3;
  std::vector<uint32_t> attached, detached;
  // processNode: the first state a node is given is final; JavaScript nodes stop the spread.
  auto process = [&](uint32_t v, uint8_t new_state) {
    if (state[v] & kVisited) return;
    if (s.node_type[v] != NodeType::kNative) {
      state[v] |= kVisited;
      return;
    }
    state[v] = new_state | kVisited;
    if (new_state == kDomAttached) {
      attached.push_back(v);
    } else if (new_state == kDomDetached) {
      detached.push_back(v);
    }
  };
  auto spread = [&](uint32_t v, uint8_t new_state) {
    for (uint32_t e = s.first_edge[v]; e < s.first_edge[v + 1]; ++e) {
      const EdgeType t = s.edge_type[e];
      if (t == EdgeType::kHidden || t == EdgeType::kWeak) continue;
      process(s.edge_to[e].v, new_state);
    }
  };
  // 1. Nodes with a known state keep it and seed the spread.
  for (uint32_t v = 0; v < n; ++v) {
    const uint8_t st = state[v] & 3;
    if (st != kDomUnknown) process(v, st);
  }
  // 2. What an attached node reaches is attached.
  while (!attached.empty()) {
    uint32_t v = attached.back();
    attached.pop_back();
    spread(v, kDomAttached);
  }
  // 3. What a detached node reaches, and nothing attached reached first, is detached.
  while (!detached.empty()) {
    uint32_t v = detached.back();
    detached.pop_back();
    if ((state[v] & 3) == kDomAttached) continue;
    spread(v, kDomDetached);
  }
  for (uint8_t& st : state) st &= 3;
  return state;
}

bool HasDetachedPrefix(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n) {
  return s.meta.has_detachedness && s.node_type[n.v] == NodeType::kNative &&
         dom_state[n.v] == kDomDetached;
}

std::string DisplayName(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n) {
  std::string_view raw = s.NodeName(n);
  return HasDetachedPrefix(s, dom_state, n) ? fmt::format("Detached {}", raw) : std::string(raw);
}

}  // namespace heapscope::snapshot
