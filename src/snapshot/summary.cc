#include "heapscope/snapshot/summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace heapscope::snapshot {
namespace {

// "<div id=x>" -> "<div>", "Detached <div id=x>" -> "Detached <div>" (DevTools); else as is.
std::string ShortenTagName(std::string_view name) {
  size_t from = 0;
  if (name.starts_with("<")) {
    from = 0;
  } else if (name.starts_with("Detached <")) {
    from = 10;
  } else {
    return std::string(name);
  }
  size_t space = name.find(' ', from);
  if (space == std::string_view::npos) return std::string(name);
  return fmt::format("{}>", name.substr(0, space));
}

// Class name for the types whose name does not depend on the node.
std::string FixedClassName(NodeType t) {
  switch (t) {
    case NodeType::kHidden:
      return "(system)";
    case NodeType::kCode:
      return "(compiled code)";
    case NodeType::kClosure:
      return "Function";
    case NodeType::kRegExp:
      return "RegExp";
    default:
      return fmt::format("({})", NodeTypeName(t));
  }
}

bool NamedByNode(NodeType t) { return t == NodeType::kObject || t == NodeType::kNative; }

struct LocKey {
  uint32_t name;  // index into the class-name table
  uint32_t script_id, line, column;
  bool operator==(const LocKey&) const = default;
};
struct LocKeyHash {
  size_t operator()(const LocKey& k) const noexcept {
    uint64_t h = k.name;
    h = h * 0x9E3779B97F4A7C15ull ^ k.script_id;
    h = h * 0x9E3779B97F4A7C15ull ^ k.line;
    h = h * 0x9E3779B97F4A7C15ull ^ k.column;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// DevTools' calculateClassesRetainedSize: walk the dominator tree from the root; a member adds
// its retained size to its class unless an ancestor in the tree is a member of the same class.
void AddRetainedSizes(const Snapshot& s, const std::vector<uint64_t>& retained,
                      const std::vector<NodeIndex>& dominator,
                      const std::vector<uint32_t>& row_of_node, std::vector<ClassRow>* rows) {
  const uint32_t n = s.node_count();
  const uint32_t root = s.root.v;
  // Children of each node in the dominator tree, as CSR.
  std::vector<uint32_t> begin(size_t{n} + 1, 0);
  for (uint32_t v = 0; v < n; ++v) {
    uint32_t d = dominator[v].v;
    if (v != root && d < n && d != v) ++begin[d + 1];
  }
  for (uint32_t v = 0; v < n; ++v) begin[v + 1] += begin[v];
  std::vector<uint32_t> children(begin[n]);
  std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
  for (uint32_t v = 0; v < n; ++v) {
    uint32_t d = dominator[v].v;
    if (v != root && d < n && d != v) children[fill[d]++] = v;
  }
  std::vector<uint8_t> seen(rows->size(), 0);
  std::vector<uint32_t> stack;
  stack.reserve(n);
  std::vector<std::pair<size_t, uint32_t>> marks;  // (stack size at which to unmark, row)
  stack.push_back(root);
  while (!stack.empty()) {
    uint32_t v = stack.back();
    stack.pop_back();
    uint32_t row = row_of_node[v];
    const bool has_children = begin[v] != begin[v + 1];
    if (row != kNone && !seen[row]) {
      (*rows)[row].retained_size += retained[v];
      if (has_children) {
        seen[row] = 1;
        marks.emplace_back(stack.size(), row);
      }
    }
    for (uint32_t i = begin[v]; i < begin[v + 1]; ++i) stack.push_back(children[i]);
    while (!marks.empty() && marks.back().first == stack.size()) {
      seen[marks.back().second] = 0;
      marks.pop_back();
    }
  }
}

}  // namespace

std::string ClassName(const Snapshot& s, NodeIndex n) {
  NodeType t = s.Type(n);
  return NamedByNode(t) ? ShortenTagName(s.NodeName(n)) : FixedClassName(t);
}

ClassSummary Summarize(const Snapshot& s, const SummaryInputs& inputs) {
  ClassSummary out;
  const uint32_t n = s.node_count();
  out.node_count = n;
  out.edge_count = s.edge_count();
  const std::vector<uint64_t>& sizes = inputs.self_size ? *inputs.self_size : s.self_size;
  out.has_distance = inputs.distance != nullptr;
  out.has_retained_size = inputs.retained_size != nullptr && inputs.dominator != nullptr;

  // The location of each node (DevTools keeps the last record for a node).
  std::vector<uint32_t> loc_of_node;
  if (s.location_count() > 0) {
    loc_of_node.assign(n, kNone);
    for (uint32_t i = 0; i < s.location_count(); ++i) loc_of_node[s.loc_node[i].v] = i;
  }

  // Class names are interned: once per distinct string or type, never per node.
  std::vector<std::string> names;
  std::unordered_map<std::string, uint32_t> name_index;
  auto intern = [&](std::string name) {
    auto [it, inserted] =
        name_index.try_emplace(std::move(name), static_cast<uint32_t>(names.size()));
    if (inserted) names.push_back(it->first);
    return it->second;
  };
  std::vector<uint32_t> name_of_string(s.string_count(), kNone);
  std::array<uint32_t, static_cast<size_t>(NodeType::kUnknown) + 1> name_of_type;
  name_of_type.fill(kNone);

  // Rows: one per name (no location) and one per (name, location) for located objects.
  std::vector<uint32_t> row_of_name;
  std::unordered_map<LocKey, uint32_t, LocKeyHash> row_of_loc;
  std::vector<uint32_t> row_of_node;
  if (out.has_retained_size) row_of_node.assign(n, kNone);
  auto new_row = [&](uint32_t name) {
    ClassRow r;
    r.name = names[name];
    r.distance = std::numeric_limits<int32_t>::max();
    out.rows.push_back(std::move(r));
    return static_cast<uint32_t>(out.rows.size() - 1);
  };

  for (uint32_t v = 0; v < n; ++v) {
    const uint64_t size = sizes[v];
    out.total_self_size += size;
    if (size == 0) continue;  // DevTools: nodes without self size are not in the Summary
    const NodeType t = s.node_type[v];
    uint32_t name;
    if (NamedByNode(t)) {
      uint32_t sid = s.node_name[v].v;
      name = name_of_string[sid];
      if (name == kNone)
        name = name_of_string[sid] = intern(ShortenTagName(s.String(StringId(sid))));
    } else {
      size_t ti = static_cast<size_t>(t);
      name = name_of_type[ti];
      if (name == kNone) name = name_of_type[ti] = intern(FixedClassName(t));
    }
    uint32_t row;
    const uint32_t loc = (t == NodeType::kObject && !loc_of_node.empty()) ? loc_of_node[v] : kNone;
    if (loc != kNone) {
      LocKey key{name, s.loc_script_id[loc], s.loc_line[loc], s.loc_column[loc]};
      auto [it, inserted] = row_of_loc.try_emplace(key, 0);
      if (inserted) {
        it->second = new_row(name);
        ClassRow& r = out.rows.back();
        r.script_id = key.script_id;
        r.line = key.line;
        r.column = key.column;
      }
      row = it->second;
    } else {
      if (name >= row_of_name.size()) row_of_name.resize(name + 1, kNone);
      if (row_of_name[name] == kNone) row_of_name[name] = new_row(name);
      row = row_of_name[name];
    }
    ClassRow& r = out.rows[row];
    if (r.count == 0) r.first_node = NodeIndex(v);
    ++r.count;
    r.self_size += size;
    if (out.has_distance) r.distance = std::min(r.distance, (*inputs.distance)[v]);
    if (out.has_retained_size) row_of_node[v] = row;
  }
  for (ClassRow& r : out.rows) {
    if (!out.has_distance) r.distance = 0;
  }
  if (out.has_retained_size) {
    AddRetainedSizes(s, *inputs.retained_size, *inputs.dominator, row_of_node, &out.rows);
  }
  std::sort(out.rows.begin(), out.rows.end(), [](const ClassRow& a, const ClassRow& b) {
    if (a.self_size != b.self_size) return a.self_size > b.self_size;
    return std::tie(a.name, a.script_id, a.line, a.column) <
           std::tie(b.name, b.script_id, b.line, b.column);
  });
  return out;
}

std::string FormatDescription(const Meta& m) {
  std::string generation;
  if (m.has_trace_node_id && !m.has_detachedness) {
    generation = "V8 before 2023";
  } else if (m.has_trace_node_id && m.has_detachedness) {
    generation = "V8 2023+ with trace_node_id";
  } else if (m.has_detachedness) {
    generation = "V8 2024+";
  } else {
    generation = "non-V8 or unknown producer";
  }
  std::vector<std::string> extra;
  if (m.has_trace_node_id) extra.push_back("trace_node_id");
  if (m.has_detachedness) extra.push_back("detachedness");
  std::string loc = m.location_fields.empty()
                        ? "no locations"
                        : fmt::format("{}-field locations{}", m.location_fields.size(),
                                      m.has_script_object_index ? " (script_object_index)" : "");
  return fmt::format("{} layout: {}-field nodes{}, {}", generation, m.node_field_count,
                     extra.empty() ? "" : fmt::format(" ({})", fmt::join(extra, ", ")), loc);
}

}  // namespace heapscope::snapshot
