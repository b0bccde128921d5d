#include "support/snapshot_builder.h"

#include <algorithm>

#include <fmt/format.h>

namespace heapscope::testing {
namespace {

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

SnapshotBuilder::SnapshotBuilder() {
  strings_.push_back("<dummy>");
  Node(NodeType::kSynthetic, "");
}

uint32_t SnapshotBuilder::Intern(std::string_view s) {
  for (size_t i = 0; i < strings_.size(); ++i)
    if (strings_[i] == s) return static_cast<uint32_t>(i);
  strings_.emplace_back(s);
  return static_cast<uint32_t>(strings_.size() - 1);
}

NodeIndex SnapshotBuilder::Node(NodeType type, std::string_view name, uint64_t self_size,
                                uint32_t id, uint8_t detachedness) {
  if (id == 0) {
    id = next_id_;
    next_id_ += 2;
  }
  nodes_.push_back({type, Intern(name), id, self_size, detachedness});
  return NodeIndex(static_cast<uint32_t>(nodes_.size() - 1));
}

void SnapshotBuilder::Edge(NodeIndex from, NodeIndex to, EdgeType type, std::string_view name) {
  edges_.push_back({from.v, type, Intern(name), to.v});
}

void SnapshotBuilder::Indexed(NodeIndex from, NodeIndex to, EdgeType type, uint32_t index) {
  edges_.push_back({from.v, type, index, to.v});
}

void SnapshotBuilder::Location(NodeIndex node, uint32_t script_id, uint32_t line,
                               uint32_t column, NodeIndex script_node) {
  locations_.push_back({node.v, script_id, line, column, script_node.v});
}

uint32_t SnapshotBuilder::TraceFunction(std::string_view name, std::string_view script,
                                        uint32_t script_id, uint32_t line, uint32_t column) {
  trace_functions_.push_back({Intern(name), Intern(script), script_id, line, column});
  return static_cast<uint32_t>(trace_functions_.size() - 1);
}

uint32_t SnapshotBuilder::TraceNode(uint32_t parent, uint32_t function, uint64_t count,
                                    uint64_t size) {
  const uint32_t id = static_cast<uint32_t>(trace_nodes_.size() + 1);
  trace_nodes_.push_back({id, parent, function, count, size});
  return id;
}

// The children of `parent` (0 = top), nested as V8 writes them.
void SnapshotBuilder::TraceTreeJson(uint32_t parent, std::string& out) const {
  bool first = true;
  for (const TraceRec& t : trace_nodes_) {
    if (t.parent != parent) continue;
    out += fmt::format("{}{},{},{},{},[", first ? "" : ",", t.id, t.function, t.count, t.size);
    TraceTreeJson(t.id, out);
    out += "]";
    first = false;
  }
}

NodeIndex SnapshotBuilder::GcRoots() {
  NodeIndex gc = Node(NodeType::kSynthetic, "(GC roots)");
  Element(root(), gc, 1);
  return gc;
}

std::vector<SnapshotBuilder::EdgeRec> SnapshotBuilder::SortedEdges() const {
  std::vector<EdgeRec> sorted = edges_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const EdgeRec& a, const EdgeRec& b) { return a.from < b.from; });
  return sorted;
}

Snapshot SnapshotBuilder::Build() const {
  Snapshot s;
  s.source = "<builder>";
  s.meta.node_fields = {"type", "name", "id", "self_size", "edge_count", "trace_node_id",
                        "detachedness"};
  for (int t = 0; t <= static_cast<int>(NodeType::kObjectShape); ++t)
    s.meta.node_type_names.emplace_back(snapshot::NodeTypeName(static_cast<NodeType>(t)));
  s.meta.edge_fields = {"type", "name_or_index", "to_node"};
  for (int t = 0; t <= static_cast<int>(EdgeType::kWeak); ++t)
    s.meta.edge_type_names.emplace_back(snapshot::EdgeTypeName(static_cast<EdgeType>(t)));
  s.meta.location_fields = {"object_index", "script_id", "line", "column"};
  s.meta.node_field_count = 7;
  s.meta.edge_field_count = 3;
  s.meta.has_trace_node_id = true;
  s.meta.has_detachedness = true;
  s.header_node_count = static_cast<uint32_t>(nodes_.size());
  s.header_edge_count = static_cast<uint32_t>(edges_.size());
  s.extra_native_bytes = extra_native_bytes_;

  std::vector<EdgeRec> sorted = SortedEdges();
  s.first_edge.assign(nodes_.size() + 1, 0);
  for (const EdgeRec& e : sorted) s.first_edge[e.from + 1]++;
  for (size_t i = 0; i < nodes_.size(); ++i) s.first_edge[i + 1] += s.first_edge[i];
  for (const NodeRec& n : nodes_) {
    s.node_type.push_back(n.type);
    s.node_name.push_back(StringId(n.name));
    s.node_id.push_back(n.id);
    s.self_size.push_back(n.self_size);
    s.trace_node_id.push_back(n.trace);
    s.detachedness.push_back(n.detachedness);
  }
  for (const EdgeRec& e : sorted) {
    s.edge_type.push_back(e.type);
    s.edge_name_or_index.push_back(e.name_or_index);
    s.edge_to.push_back(NodeIndex(e.to));
  }
  s.string_offset.push_back(0);
  for (const std::string& str : strings_) {
    s.string_data += str;
    s.string_offset.push_back(s.string_data.size());
  }
  s.meta.trace_function_info_fields = {"function_id", "name", "script_name", "script_id", "line",
                                       "column"};
  s.meta.trace_node_fields = {"id", "function_info_index", "count", "size", "children"};
  s.meta.sample_fields = {"timestamp_us", "last_assigned_id"};
  s.trace_function_count = trace_function_count_ >= 0
                               ? static_cast<uint32_t>(trace_function_count_)
                               : static_cast<uint32_t>(trace_functions_.size());
  for (size_t i = 0; i < trace_functions_.size(); ++i) {
    const TraceFn& f = trace_functions_[i];
    s.traces.function_id.push_back(static_cast<uint32_t>(i + 1));
    s.traces.function_name.push_back(StringId(f.name));
    s.traces.function_script.push_back(StringId(f.script));
    s.traces.function_script_id.push_back(f.script_id);
    s.traces.function_line.push_back(f.line);
    s.traces.function_column.push_back(f.column);
  }
  // Pre-order, as the loader flattens the nested tree.
  std::vector<std::pair<uint32_t, uint32_t>> stack;  // (id, parent index)
  for (size_t i = trace_nodes_.size(); i-- > 0;)
    if (trace_nodes_[i].parent == 0) stack.emplace_back(trace_nodes_[i].id, kNone);
  while (!stack.empty()) {
    auto [id, parent] = stack.back();
    stack.pop_back();
    const TraceRec& t = trace_nodes_[id - 1];
    const uint32_t index = s.traces.tree_nodes();
    s.traces.tree_id.push_back(t.id);
    s.traces.tree_function.push_back(t.function);
    s.traces.tree_parent.push_back(parent);
    s.traces.tree_count.push_back(t.count);
    s.traces.tree_size.push_back(t.size);
    for (size_t i = trace_nodes_.size(); i-- > 0;)
      if (trace_nodes_[i].parent == id) stack.emplace_back(trace_nodes_[i].id, index);
  }
  for (const auto& [ts, last] : samples_) {
    s.traces.sample_timestamp_us.push_back(ts);
    s.traces.sample_last_assigned_id.push_back(last);
  }
  s.traces.IndexNodes();
  for (const LocRec& l : locations_) {
    s.loc_node.push_back(NodeIndex(l.node));
    s.loc_script_id.push_back(l.script_id);
    s.loc_script_node.push_back(NodeIndex(l.script_node));
    s.loc_line.push_back(l.line);
    s.loc_column.push_back(l.column);
  }
  return s;
}

std::string SnapshotBuilder::ToJson(Layout layout) const {
  const bool trace = layout != Layout::kNew6;
  const bool detached = layout != Layout::kOld6;
  const bool script_obj = layout == Layout::kNew6;
  const uint32_t nf = 5 + (trace ? 1 : 0) + (detached ? 1 : 0);
  std::string out = "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\"";
  if (trace) out += ",\"trace_node_id\"";
  if (detached) out += ",\"detachedness\"";
  out += "],\"node_types\":[[";
  for (int t = 0; t <= static_cast<int>(NodeType::kObjectShape); ++t)
    out += fmt::format("{}\"{}\"", t ? "," : "", snapshot::NodeTypeName(static_cast<NodeType>(t)));
  out += "],\"string\",\"number\",\"number\",\"number\",\"number\"";
  if (trace) out += ",\"number\"";
  out += "],\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],\"edge_types\":[[";
  for (int t = 0; t <= static_cast<int>(EdgeType::kWeak); ++t)
    out += fmt::format("{}\"{}\"", t ? "," : "", snapshot::EdgeTypeName(static_cast<EdgeType>(t)));
  out += "],\"string_or_number\",\"node\"],";
  out += "\"trace_function_info_fields\":[\"function_id\",\"name\",\"script_name\",\"script_id\",\"line\",\"column\"],";
  out += "\"trace_node_fields\":[\"id\",\"function_info_index\",\"count\",\"size\",\"children\"],";
  out += "\"sample_fields\":[\"timestamp_us\",\"last_assigned_id\"],";
  out += script_obj ? "\"location_fields\":[\"object_index\",\"script_id\",\"script_object_index\",\"line\",\"column\"]}"
                    : "\"location_fields\":[\"object_index\",\"script_id\",\"line\",\"column\"]}";
  const uint64_t tfc = trace_function_count_ >= 0 ? static_cast<uint64_t>(trace_function_count_)
                                                 : trace_functions_.size();
  out += fmt::format(",\"node_count\":{},\"edge_count\":{},\"trace_function_count\":{}",
                     nodes_.size(), edges_.size(), tfc);
  if (extra_native_bytes_ != 0) out += fmt::format(",\"extra_native_bytes\":{}", extra_native_bytes_);
  out += "},\n\"nodes\":[";
  std::vector<EdgeRec> sorted = SortedEdges();
  std::vector<uint32_t> counts(nodes_.size(), 0);
  for (const EdgeRec& e : sorted) counts[e.from]++;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const NodeRec& n = nodes_[i];
    out += fmt::format("{}{},{},{},{},{}", i ? ",\n" : "", static_cast<int>(n.type), n.name, n.id,
                       n.self_size, counts[i]);
    if (trace) out += fmt::format(",{}", n.trace);
    if (detached) out += fmt::format(",{}", n.detachedness);
  }
  out += "],\n\"edges\":[";
  for (size_t i = 0; i < sorted.size(); ++i) {
    const EdgeRec& e = sorted[i];
    out += fmt::format("{}{},{},{}", i ? ",\n" : "", static_cast<int>(e.type), e.name_or_index,
                       e.to * nf);
  }
  out += "],\n\"trace_function_infos\":[";
  for (size_t i = 0; i < trace_functions_.size(); ++i) {
    const TraceFn& f = trace_functions_[i];
    out += fmt::format("{}{},{},{},{},{},{}", i ? ",\n" : "", i + 1, f.name, f.script, f.script_id,
                       f.line, f.column);
  }
  out += "],\n\"trace_tree\":[";
  TraceTreeJson(0, out);
  out += "],\n\"samples\":[";
  for (size_t i = 0; i < samples_.size(); ++i)
    out += fmt::format("{}{},{}", i ? "," : "", samples_[i].first, samples_[i].second);
  out += "],\n\"locations\":[";
  for (size_t i = 0; i < locations_.size(); ++i) {
    const LocRec& l = locations_[i];
    if (script_obj) {
      uint64_t so = l.script_node == kNone ? 0 : uint64_t{l.script_node} * nf;
      out += fmt::format("{}{},{},{},{},{}", i ? ",\n" : "", uint64_t{l.node} * nf, l.script_id, so,
                         l.line, l.column);
    } else {
      out += fmt::format("{}{},{},{},{}", i ? ",\n" : "", uint64_t{l.node} * nf, l.script_id, l.line,
                         l.column);
    }
  }
  out += "],\n\"strings\":[";
  for (size_t i = 0; i < strings_.size(); ++i)
    out += fmt::format("{}\"{}\"", i ? ",\n" : "", JsonEscape(strings_[i]));
  out += "]}\n";
  return out;
}

}  // namespace heapscope::testing
