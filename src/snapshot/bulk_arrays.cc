#include "snapshot/bulk_arrays.h"

#include <functional>
#include <limits>
#include <vector>

#include "heapscope/io/parallel.h"

namespace heapscope::snapshot::internal {
namespace {

constexpr uint64_t kU32Max = std::numeric_limits<uint32_t>::max();

// Sizes the columns at once, several at a time, so that their fresh pages are first touched
// (and zeroed by the kernel) on every core rather than on one.
void ResizeAll(const std::vector<std::function<void()>>& resizes) {
  par::For(0, resizes.size(), 1, [&](uint64_t b, uint64_t e) {
    for (uint64_t i = b; i < e; ++i) resizes[i]();
  });
}

struct NodeSink {
  const BulkNodes& b;
  Snapshot& s;
  struct Task {
    uint64_t max_name = 0, max_name_node = 0;
    int64_t max_name_offset = -1;
    uint64_t self_total = 0;
  };
  unsigned fields() const { return b.fields; }
  bool Record(uint64_t r, const uint64_t* v, uint64_t end, Task& t) const {
    if (r >= b.count) return false;  // more nodes than the header says
    const uint64_t* limit = b.limits->data();
    for (unsigned f = 0; f < b.fields; ++f) {
      if (v[f] > limit[f]) return false;  // an error, or a value only the handler widens for
    }
    s.node_type[r] = (*b.type_map)[v[b.type]];
    const uint64_t name = v[b.name];
    if (name > t.max_name) {
      t.max_name = name;
      t.max_name_node = r;
      t.max_name_offset = static_cast<int64_t>(end);
    }
    s.node_name[r] = StringId(static_cast<uint32_t>(name));
    s.node_id[r] = static_cast<uint32_t>(v[b.id]);
    s.self_size[r] = v[b.self_size];
    if (__builtin_add_overflow(t.self_total, v[b.self_size], &t.self_total)) return false;
    s.first_edge[r] = static_cast<uint32_t>(v[b.edge_count]);  // the prefix sum comes after
    if (b.trace_node_id != kNoBulkField) s.trace_node_id[r] = static_cast<uint32_t>(v[b.trace_node_id]);
    if (b.detachedness != kNoBulkField) s.detachedness[r] = static_cast<uint8_t>(v[b.detachedness]);
    return true;
  }
};

// kF: the node field count when it is 6 or 7 (to_node / kF compiles to a multiply), else 0.
template <uint32_t kF>
struct EdgeSink {
  const BulkEdges& b;
  Snapshot& s;
  struct Task {
    uint64_t max_name = 0, max_name_edge = 0;
    int64_t max_name_offset = -1;
  };
  unsigned fields() const { return b.fields; }
  bool Record(uint64_t r, const uint64_t* v, uint64_t end, Task& t) const {
    if (r >= b.count) return false;  // edges past the nodes' sum: the handler counts them
    const uint64_t type_index = v[b.type];
    const uint64_t name = v[b.name_or_index];
    const uint64_t to = v[b.to_node];
    if (type_index > b.type_limit || name > kU32Max) return false;
    const uint64_t nf = kF != 0 ? kF : b.node_fields;
    const uint64_t ordinal = to / nf;
    if (ordinal * nf != to || ordinal >= b.node_count) return false;
    const EdgeType type = (*b.type_map)[type_index];
    s.edge_type[r] = type;
    if (name > t.max_name && type != EdgeType::kElement && type != EdgeType::kHidden) {
      t.max_name = name;
      t.max_name_edge = r;
      t.max_name_offset = static_cast<int64_t>(end);
    }
    s.edge_name_or_index[r] = static_cast<uint32_t>(name);
    s.edge_to[r] = NodeIndex(static_cast<uint32_t>(ordinal));
    return true;
  }
};

struct LocationSink {
  const BulkLocations& b;
  struct Task {
    std::vector<NodeIndex> node, script_node;
    std::vector<uint32_t> script_id, line, column;
    uint64_t dropped = 0, script_nodes_invalid = 0;
  };
  unsigned fields() const { return static_cast<unsigned>(b.roles.size()); }
  // As SnapshotHandler::LocationValue: a record is kept when its object is a node.
  bool Record(uint64_t, const uint64_t* v, uint64_t, Task& t) const {
    uint64_t object = 0, script_id = 0, line = 0, column = 0;
    uint64_t script_object = kNone;
    bool has_script_object = false;
    for (size_t i = 0; i < b.roles.size(); ++i) {
      switch (b.roles[i]) {
        case BulkLocRole::kObject: object = v[i]; break;
        case BulkLocRole::kScriptId: script_id = v[i]; break;
        case BulkLocRole::kScriptObject:
          script_object = v[i];
          has_script_object = true;
          break;
        case BulkLocRole::kLine: line = v[i]; break;
        case BulkLocRole::kColumn: column = v[i]; break;
        case BulkLocRole::kIgnore: break;
      }
    }
    const uint64_t nf = b.node_fields;
    if (object % nf != 0 || object / nf >= b.node_count || script_id > kU32Max || line > kU32Max ||
        column > kU32Max) {
      ++t.dropped;
      return true;
    }
    NodeIndex script_node = kNoNode;
    if (has_script_object) {
      if (script_object % nf == 0 && script_object / nf < b.node_count) {
        script_node = NodeIndex(static_cast<uint32_t>(script_object / nf));
      } else {
        ++t.script_nodes_invalid;
      }
    }
    t.node.push_back(NodeIndex(static_cast<uint32_t>(object / nf)));
    t.script_id.push_back(static_cast<uint32_t>(script_id));
    t.script_node.push_back(script_node);
    t.line.push_back(static_cast<uint32_t>(line));
    t.column.push_back(static_cast<uint32_t>(column));
    return true;
  }
};

}  // namespace

void ParseNodesBulk(const io::RandomAccess& in, uint64_t begin, const ArrayScanOptions& options,
                    BulkNodes& b, Snapshot& s) {
  b.ok = false;
  const size_t n = b.count;
  if (n == 0 || b.fields == 0 || s.first_edge.size() != 1) return;
  std::vector<std::function<void()>> resizes = {
      [&] { s.node_type.resize(n); },    [&] { s.node_name.resize(n); },
      [&] { s.node_id.resize(n); },      [&] { s.self_size.resize(n); },
      [&] { s.first_edge.resize(n + 1); }};
  if (b.trace_node_id != kNoBulkField) resizes.push_back([&] { s.trace_node_id.resize(n); });
  if (b.detachedness != kNoBulkField) resizes.push_back([&] { s.detachedness.resize(n); });
  ResizeAll(resizes);
  auto restore = [&] {
    s.node_type.clear(), s.node_name.clear(), s.node_id.clear(), s.self_size.clear();
    s.trace_node_id.clear(), s.detachedness.clear();
    s.first_edge.assign(1, 0);
  };
  NodeSink sink{b, s};
  std::vector<NodeSink::Task> tasks;
  const ArrayScanResult r = ScanArray(in, begin, sink, tasks, options);
  if (!r.ok || r.values != n * b.fields) {
    restore();
    return;
  }
  // Merge the tasks in order: the first node with the largest name wins, as when streaming.
  uint64_t self_total = 0;
  for (uint64_t t = 0; t < r.tasks; ++t) {
    const NodeSink::Task& x = tasks[t];
    if (x.max_name > b.max_name) {
      b.max_name = x.max_name;
      b.max_name_node = x.max_name_node;
      b.max_name_offset = x.max_name_offset;
    }
    if (__builtin_add_overflow(self_total, x.self_total, &self_total)) {
      restore();
      return;
    }
  }
  // first_edge: edge counts -> CSR offsets.
  s.first_edge[n] = 0;
  const uint64_t edge_sum = par::ExclusiveScan(s.first_edge.data(), n + 1);
  if (edge_sum > kU32Max) {
    restore();
    return;
  }
  b.edge_sum = edge_sum;
  b.self_total = self_total;
  b.close_offset = r.close_offset;
  b.ok = true;
}

void ParseEdgesBulk(const io::RandomAccess& in, uint64_t begin, const ArrayScanOptions& options,
                    BulkEdges& b, Snapshot& s) {
  b.ok = false;
  const size_t n = b.count;
  if (b.fields == 0 || b.node_fields == 0 || !s.edge_to.empty()) return;
  ResizeAll({[&] { s.edge_type.resize(n); }, [&] { s.edge_name_or_index.resize(n); },
             [&] { s.edge_to.resize(n); }});
  auto run = [&](auto sink) {
    std::vector<typename decltype(sink)::Task> tasks;
    const ArrayScanResult r = ScanArray(in, begin, sink, tasks, options);
    if (!r.ok || r.values != n * b.fields) return false;
    for (uint64_t t = 0; t < r.tasks; ++t) {
      if (tasks[t].max_name > b.max_name) {
        b.max_name = tasks[t].max_name;
        b.max_name_edge = tasks[t].max_name_edge;
        b.max_name_offset = tasks[t].max_name_offset;
      }
    }
    b.close_offset = r.close_offset;
    return true;
  };
  const bool ok = b.node_fields == 7   ? run(EdgeSink<7>{b, s})
                  : b.node_fields == 6 ? run(EdgeSink<6>{b, s})
                                       : run(EdgeSink<0>{b, s});
  if (!ok) {
    s.edge_type.clear(), s.edge_name_or_index.clear(), s.edge_to.clear();
    b.max_name = 0, b.max_name_edge = 0, b.max_name_offset = -1;
    return;
  }
  b.ok = true;
}

void ParseLocationsBulk(const io::RandomAccess& in, uint64_t begin,
                        const ArrayScanOptions& options, BulkLocations& b, Snapshot& s) {
  b.ok = false;
  if (b.roles.empty() || b.node_fields == 0) return;
  LocationSink sink{b};
  std::vector<LocationSink::Task> tasks;
  const ArrayScanResult r = ScanArray(in, begin, sink, tasks, options);
  if (!r.ok) return;
  uint64_t rows = 0;
  for (uint64_t t = 0; t < r.tasks; ++t) rows += tasks[t].node.size();
  s.loc_node.reserve(s.loc_node.size() + rows);
  s.loc_script_id.reserve(s.loc_script_id.size() + rows);
  s.loc_script_node.reserve(s.loc_script_node.size() + rows);
  s.loc_line.reserve(s.loc_line.size() + rows);
  s.loc_column.reserve(s.loc_column.size() + rows);
  for (uint64_t t = 0; t < r.tasks; ++t) {
    const LocationSink::Task& x = tasks[t];
    s.loc_node.insert(s.loc_node.end(), x.node.begin(), x.node.end());
    s.loc_script_id.insert(s.loc_script_id.end(), x.script_id.begin(), x.script_id.end());
    s.loc_script_node.insert(s.loc_script_node.end(), x.script_node.begin(), x.script_node.end());
    s.loc_line.insert(s.loc_line.end(), x.line.begin(), x.line.end());
    s.loc_column.insert(s.loc_column.end(), x.column.begin(), x.column.end());
    b.dropped += x.dropped;
    b.script_nodes_invalid += x.script_nodes_invalid;
  }
  b.close_offset = r.close_offset;
  b.ok = true;
}

}  // namespace heapscope::snapshot::internal
