// Duplicated strings, as DevTools' filter finds them (heapscope/snapshot/strings.h).
#include "heapscope/snapshot/strings.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "heapscope/snapshot/classes.h"

namespace heapscope::snapshot {
namespace {

constexpr size_t kConsValueUnits = 1024;   // DevTools' consStringName stops past this length
constexpr size_t kMaxConsParts = 1000000;  // our bound on one walk (DevTools has none)

// The first internal edge of `n` named `name`, or kNoNode (findInternalEdgeTarget).
NodeIndex InternalTarget(const Snapshot& s, NodeIndex n, std::string_view name) {
  for (uint32_t e = s.EdgeBegin(n); e < s.EdgeEnd(n); ++e) {
    if (s.edge_type[e] == EdgeType::kInternal && s.EdgeName(EdgeIndex(e)) == name) {
      return s.edge_to[e];
    }
  }
  return kNoNode;
}

// JavaScript's parseInt(s, 10), or nullopt for NaN.
std::optional<int64_t> ParseInt(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                          s[i] == '\f' || s[i] == '\v')) {
    ++i;
  }
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  size_t start = i;
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v < (INT64_MAX - 9) / 10) v = v * 10 + (s[i] - '0');
  }
  if (i == start) return std::nullopt;
  return negative ? -v : v;
}

// nodeValueAsInt / nodeValueAsBool: V8's `number` nodes named "int" / "bool" with an internal
// `value` edge to a string holding the value.
std::optional<int64_t> IntValue(const Snapshot& s, NodeIndex n) {
  if (!n.valid() || s.Type(n) != NodeType::kNumber || s.NodeName(n) != "int") return std::nullopt;
  NodeIndex v = InternalTarget(s, n, "value");
  if (!v.valid()) return std::nullopt;
  return ParseInt(s.NodeName(v));
}

bool IsTruncated(const Snapshot& s, NodeIndex n) {
  NodeIndex t = InternalTarget(s, n, "truncated");
  if (!t.valid() || s.Type(t) != NodeType::kNumber || s.NodeName(t) != "bool") return false;
  NodeIndex v = InternalTarget(s, t, "value");
  return v.valid() && s.NodeName(v) == "true";
}

// Appends DevTools' value of cons string `n` (consStringName) to `out`; `stack` is scratch, so
// that the candidates' walks allocate nothing once the buffers have grown.
void AppendConsValue(const Snapshot& s, NodeIndex n, std::string& out,
                     std::vector<uint32_t>& stack) {
  size_t units = 0;
  stack.assign(1, n.v);
  size_t parts = 0;
  while (!stack.empty() && units < kConsValueUnits && parts++ < kMaxConsParts) {
    const uint32_t v = stack.back();
    stack.pop_back();
    if (s.node_type[v] != NodeType::kConsString) {
      std::string_view piece = s.NodeName(NodeIndex(v));
      out += piece;
      units += Utf16Length(piece);
      continue;
    }
    // A missing part is node 0, whose name DevTools then appends.
    uint32_t first = 0, second = 0;
    for (uint32_t e = s.first_edge[v]; e < s.first_edge[v + 1] && (!first || !second); ++e) {
      if (s.edge_type[e] != EdgeType::kInternal) continue;
      std::string_view name = s.EdgeName(EdgeIndex(e));
      if (name == "first") {
        first = s.edge_to[e].v;
      } else if (name == "second") {
        second = s.edge_to[e].v;
      }
    }
    stack.push_back(second);
    stack.push_back(first);
  }
}

// Scratch buffers for the walks of one DuplicateStrings call.
struct Scratch {
  std::string value;
  std::vector<uint32_t> stack;
};

// DevTools' node.name() is "" only for a non-cons node named "" or a cons string of value "";
// a plain Object's display name is never empty.
bool NameIsEmpty(const Snapshot& s, NodeIndex n, Scratch& scratch) {
  if (s.Type(n) == NodeType::kConsString) {
    scratch.value.clear();
    AppendConsValue(s, n, scratch.value, scratch.stack);
    return scratch.value.empty();
  }
  if (s.Type(n) == NodeType::kObject && s.NodeName(n) == "Object") return false;
  return s.NodeName(n).empty();
}

// isFlatConsString.
bool IsFlatCons(const Snapshot& s, NodeIndex n, Scratch& scratch) {
  for (uint32_t e = s.EdgeBegin(n); e < s.EdgeEnd(n); ++e) {
    if (s.edge_type[e] != EdgeType::kInternal) continue;
    std::string_view name = s.EdgeName(EdgeIndex(e));
    if ((name == "first" || name == "second") && NameIsEmpty(s, s.edge_to[e], scratch)) return true;
  }
  return false;
}

struct ViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view v) const noexcept { return std::hash<std::string_view>{}(v); }
};

}  // namespace

std::string ConsStringValue(const Snapshot& s, NodeIndex n) {
  std::string out;
  std::vector<uint32_t> stack;
  AppendConsValue(s, n, out, stack);
  return out;
}

std::vector<StringGroup> DuplicateStrings(const Snapshot& s, const std::vector<uint64_t>& self_size) {
  const uint32_t n = s.node_count();
  // Cons strings' values first, into one arena, so that every value is a stable view.
  std::string arena;
  std::vector<std::pair<uint64_t, uint64_t>> cons_value;  // (offset, length) per candidate cons
  std::vector<uint32_t> slot(n, kNone);                   // candidate -> its cons slot
  std::vector<uint8_t> candidate(n, 0);
  Scratch scratch;
  for (uint32_t v = 0; v < n; ++v) {
    const NodeType t = s.node_type[v];
    if (t != NodeType::kString && t != NodeType::kConsString) continue;
    if (t == NodeType::kConsString && IsFlatCons(s, NodeIndex(v), scratch)) continue;
    if (self_size[v] == 0) continue;  // V8's value-carrying strings have no size
    candidate[v] = 1;
    if (t == NodeType::kConsString) {
      const size_t offset = arena.size();
      AppendConsValue(s, NodeIndex(v), arena, scratch.stack);
      slot[v] = static_cast<uint32_t>(cons_value.size());
      cons_value.emplace_back(offset, arena.size() - offset);
    }
  }
  auto value_of = [&](uint32_t v) -> std::string_view {
    if (slot[v] == kNone) return s.NodeName(NodeIndex(v));
    return std::string_view(arena).substr(cons_value[slot[v]].first, cons_value[slot[v]].second);
  };

  struct Group {
    std::string_view value;
    bool truncated;
    std::optional<int64_t> length, hash;
    uint32_t count = 0;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string_view, uint32_t, ViewHash, std::equal_to<>> untruncated;
  std::unordered_map<std::string_view, std::vector<uint32_t>, ViewHash, std::equal_to<>> truncated;
  std::vector<std::string_view> truncated_names;  // in first-seen order
  std::vector<uint32_t> node_group(n, kNone);
  for (uint32_t v = 0; v < n; ++v) {
    if (!candidate[v]) continue;
    const std::string_view value = value_of(v);
    uint32_t g;
    if (IsTruncated(s, NodeIndex(v))) {
      const std::optional<int64_t> length = IntValue(s, InternalTarget(s, NodeIndex(v), "length"));
      const std::optional<int64_t> hash = IntValue(s, InternalTarget(s, NodeIndex(v), "hash"));
      auto [it, fresh] = truncated.try_emplace(value);
      if (fresh) truncated_names.push_back(value);
      g = kNone;
      for (uint32_t k : it->second) {
        if (groups[k].length == length && groups[k].hash == hash) g = k;
      }
      if (g == kNone) {
        g = static_cast<uint32_t>(groups.size());
        groups.push_back({value, true, length, hash});
        it->second.push_back(g);
      }
    } else {
      auto [it, fresh] = untruncated.try_emplace(value, static_cast<uint32_t>(groups.size()));
      if (fresh) groups.push_back({value, false, std::nullopt, std::nullopt});
      g = it->second;
    }
    ++groups[g].count;
    node_group[v] = g;
  }

  // The duplicates, untruncated first (by first member), then truncated (by value first seen).
  std::vector<uint32_t> order;
  for (uint32_t g = 0; g < groups.size(); ++g) {
    if (!groups[g].truncated && groups[g].count >= 2) order.push_back(g);
  }
  for (std::string_view name : truncated_names) {
    for (uint32_t g : truncated.find(name)->second) {
      if (groups[g].count >= 2) order.push_back(g);
    }
  }
  std::vector<uint32_t> out_index(groups.size(), kNone);
  std::vector<StringGroup> out;
  out.reserve(order.size());
  for (uint32_t g : order) {
    out_index[g] = static_cast<uint32_t>(out.size());
    StringGroup sg;
    sg.value = std::string(groups[g].value);
    sg.truncated = groups[g].truncated;
    sg.length = groups[g].length;
    sg.hash = groups[g].hash;
    sg.nodes.reserve(groups[g].count);
    out.push_back(std::move(sg));
  }
  for (uint32_t v = 0; v < n; ++v) {
    if (node_group[v] == kNone || out_index[node_group[v]] == kNone) continue;
    StringGroup& sg = out[out_index[node_group[v]]];
    sg.nodes.push_back(NodeIndex(v));
    sg.self_size += self_size[v];
    sg.largest_self_size = std::max(sg.largest_self_size, self_size[v]);
  }
  return out;
}

}  // namespace heapscope::snapshot
