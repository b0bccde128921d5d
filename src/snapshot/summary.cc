#include "heapscope/snapshot/summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <optional>
#include <tuple>

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
  std::optional<NodeClasses> own;
  if (!inputs.classes) own = ClassifyNodes(s);
  const NodeClasses& classes = inputs.classes ? *inputs.classes : *own;

  // One row per class with a member of non-zero self size, in order of first member.
  std::vector<uint32_t> row_of_class(classes.class_count(), kNone);
  std::vector<uint32_t> row_of_node;
  if (out.has_retained_size) row_of_node.assign(n, kNone);
  for (uint32_t v = 0; v < n; ++v) {
    const uint64_t size = sizes[v];
    out.total_self_size += size;
    if (size == 0) continue;  // DevTools: nodes without self size are not in the Summary
    const uint32_t c = classes.node_class[v];
    uint32_t& row = row_of_class[c];
    if (row == kNone) {
      row = static_cast<uint32_t>(out.rows.size());
      const ClassKey& k = classes.keys[c];
      ClassRow r;
      r.name = k.name;
      r.script_id = k.script_id;
      r.line = k.line;
      r.column = k.column;
      r.class_index = c;
      r.first_node = NodeIndex(v);
      r.distance = std::numeric_limits<int32_t>::max();
      out.rows.push_back(std::move(r));
    }
    ClassRow& r = out.rows[row];
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
