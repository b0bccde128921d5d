// The in-memory model of one V8 heap snapshot (.heapsnapshot), as loaded by ParseSnapshot().
//
// Struct-of-arrays in V8's own columnar shape: one vector per node field, one per edge field,
// edges grouped by source node in node order with CSR offsets (`first_edge`, the prefix sum of
// V8's `edge_count`). Every index is an ordinal (V8's `to_node` field offsets are divided by the
// node field count at load time). Sizes are 64-bit. Strings are interned once in one blob.
// Locations keep V8's 0-based line and column as read; reports add 1.
//
// Nothing here allocates per node. Algorithms index the vectors with `NodeIndex::v`.
#ifndef HEAPSCOPE_SNAPSHOT_SNAPSHOT_H_
#define HEAPSCOPE_SNAPSHOT_SNAPSHOT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/diagnostics.h"
#include "heapscope/ids.h"
#include "heapscope/snapshot/traces.h"

namespace heapscope::snapshot {

// Canonical node types. The file's `meta.node_types[0]` names are mapped onto these by name
// at load time, so that analysis code never depends on a version's numbering.
enum class NodeType : uint8_t {
  kHidden,
  kArray,
  kString,
  kObject,
  kCode,
  kClosure,
  kRegExp,
  kNumber,
  kNative,
  kSynthetic,
  kConsString,     // "concatenated string"
  kSlicedString,   // "sliced string"
  kSymbol,
  kBigInt,
  kObjectShape,    // "object shape"
  kWasmObject,     // "wasm object" (Node 20 / V8 11.3 lists it in meta)
  kUnknown,        // a name this build of heapscope does not know (counted in Diagnostics)
};

// Canonical edge types, mapped by name from `meta.edge_types[0]`.
enum class EdgeType : uint8_t {
  kContext,
  kElement,
  kProperty,
  kInternal,
  kHidden,
  kShortcut,
  kWeak,
  kUnknown,
};

// V8's spelling ("concatenated string", "weak", …).
std::string_view NodeTypeName(NodeType t);
std::string_view EdgeTypeName(EdgeType t);
NodeType NodeTypeFromName(std::string_view name);  // kUnknown if not a V8 name
EdgeType EdgeTypeFromName(std::string_view name);

// What the file's header said about its own layout.
struct Meta {
  std::vector<std::string> node_fields;       // e.g. type,name,id,self_size,edge_count,detachedness
  std::vector<std::string> node_type_names;   // meta.node_types[0]
  std::vector<std::string> edge_fields;       // type,name_or_index,to_node
  std::vector<std::string> edge_type_names;   // meta.edge_types[0]
  std::vector<std::string> location_fields;   // 4 or 5 fields, empty if absent
  std::vector<std::string> trace_function_info_fields;  // allocation traces (traces.h); empty
  std::vector<std::string> trace_node_fields;           // if absent
  std::vector<std::string> sample_fields;
  uint32_t node_field_count = 0;
  uint32_t edge_field_count = 0;
  bool has_trace_node_id = false;
  bool has_detachedness = false;
  bool has_script_object_index = false;       // 5-field locations (V8 ≥ 15)
};

struct Snapshot {
  std::string source;            // file name as given (for messages); "-" for stdin
  uint64_t source_bytes = 0;     // bytes of JSON read (after decompression)
  Meta meta;

  // Header values.
  uint32_t header_node_count = 0;
  uint32_t header_edge_count = 0;
  uint32_t trace_function_count = 0;
  uint64_t extra_native_bytes = 0;  // embedder bytes not attributed to any node; 0 if absent
  NodeIndex root{0};                // snapshot.root_index / node field count, default 0

  // Nodes (index = NodeIndex::v).
  std::vector<NodeType> node_type;
  std::vector<StringId> node_name;
  std::vector<uint32_t> node_id;           // V8 SnapshotObjectId: stable across snapshots
  // Filled only when some id exceeds 32 bits (Julia writes addresses): the exact ids; node_id
  // then holds their low 32 bits. Read ids through NodeId().
  std::vector<uint64_t> node_id_wide;
  std::vector<uint64_t> self_size;
  std::vector<uint32_t> first_edge;        // node_count + 1 CSR offsets into the edge arrays
  std::vector<uint32_t> trace_node_id;     // empty unless meta.has_trace_node_id
  std::vector<uint8_t> detachedness;       // empty unless meta.has_detachedness (0,1,2)

  // Edges (index = EdgeIndex::v), grouped by source node.
  std::vector<EdgeType> edge_type;
  std::vector<uint32_t> edge_name_or_index;  // StringId::v, or an index for element/hidden edges
  std::vector<NodeIndex> edge_to;

  // Strings: string i is string_data[string_offset[i] .. string_offset[i+1]) (UTF-8).
  std::string string_data;
  std::vector<uint64_t> string_offset;       // string_count + 1

  // Locations (0-based line and column, as V8 writes them). One row per location record.
  std::vector<NodeIndex> loc_node;
  std::vector<uint32_t> loc_script_id;
  std::vector<NodeIndex> loc_script_node;    // kNoNode unless 5-field locations
  std::vector<uint32_t> loc_line;
  std::vector<uint32_t> loc_column;

  // Allocation tracking (traces.h): empty unless the snapshot was taken with it on.
  AllocationTraces traces;

  Diagnostics diagnostics;                   // recoverable oddities met while loading

  // ---- Accessors -------------------------------------------------------------------------
  uint32_t node_count() const { return static_cast<uint32_t>(node_id.size()); }
  uint32_t edge_count() const { return static_cast<uint32_t>(edge_to.size()); }
  uint32_t string_count() const {
    return string_offset.empty() ? 0 : static_cast<uint32_t>(string_offset.size() - 1);
  }
  uint32_t location_count() const { return static_cast<uint32_t>(loc_node.size()); }

  std::string_view String(StringId s) const {
    return std::string_view(string_data).substr(string_offset[s.v],
                                                string_offset[s.v + 1] - string_offset[s.v]);
  }
  std::string_view NodeName(NodeIndex n) const { return String(node_name[n.v]); }
  uint64_t NodeId(NodeIndex n) const {
    return node_id_wide.empty() ? node_id[n.v] : node_id_wide[n.v];
  }
  NodeType Type(NodeIndex n) const { return node_type[n.v]; }

  uint32_t EdgeBegin(NodeIndex n) const { return first_edge[n.v]; }
  uint32_t EdgeEnd(NodeIndex n) const { return first_edge[n.v + 1]; }

  // True when the edge's name_or_index is a string id (every type but element and hidden).
  bool EdgeHasName(EdgeIndex e) const {
    EdgeType t = edge_type[e.v];
    return t != EdgeType::kElement && t != EdgeType::kHidden;
  }
  // The edge's name, or "" for element/hidden edges (use edge_name_or_index for the index).
  std::string_view EdgeName(EdgeIndex e) const {
    return EdgeHasName(e) ? String(StringId(edge_name_or_index[e.v])) : std::string_view();
  }
  // "name" for named edges, "[i]" for element/hidden edges.
  std::string EdgeLabel(EdgeIndex e) const;
};

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_SNAPSHOT_H_
