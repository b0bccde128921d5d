// The parallel path of the loader for the big flat arrays (`nodes`, `edges`, `locations`): read
// with ScanArray (array_scan.h) straight from a plain file or text in memory into the model's
// columns, with the checks SnapshotHandler makes value by value (parse.cc). Private to
// src/snapshot/.
//
// Each function either fills its columns exactly as the streaming handler would and returns
// ok, or leaves them as they were and returns !ok: then the handler reads the same array from
// the JSON parser, which reports any error exactly as before (the same message, the same byte
// offset) and handles the rare values this path leaves to it (undeclared type indices, 64-bit
// ids, edges past the nodes' edge_count sum).
#ifndef HEAPSCOPE_SRC_SNAPSHOT_BULK_ARRAYS_H_
#define HEAPSCOPE_SRC_SNAPSHOT_BULK_ARRAYS_H_

#include <cstdint>
#include <vector>

#include "heapscope/io/input.h"
#include "heapscope/snapshot/snapshot.h"
#include "snapshot/array_scan.h"

namespace heapscope::snapshot::internal {

inline constexpr uint32_t kNoBulkField = 0xffffffffu;

struct BulkNodes {
  // In: the layout and limits the handler derived from meta (positions by name).
  uint32_t fields = 0;
  uint32_t type = kNoBulkField, name = kNoBulkField, id = kNoBulkField, self_size = kNoBulkField;
  uint32_t edge_count = kNoBulkField, trace_node_id = kNoBulkField, detachedness = kNoBulkField;
  const std::vector<uint64_t>* limits = nullptr;  // per field: the largest value taken here
  const std::vector<NodeType>* type_map = nullptr;
  uint64_t count = 0;  // the header's node_count: the array must hold exactly this many
  // Out (when ok).
  bool ok = false;
  uint64_t close_offset = 0;  // the ']'
  uint64_t edge_sum = 0;      // sum of edge_count
  uint64_t self_total = 0;    // sum of self_size
  // The largest name string index and the first node with it, and the offset just after that
  // node's record (for the "string index out of range" error once `strings` is read); offset
  // -1 when every name is 0, as in the handler.
  uint64_t max_name = 0, max_name_node = 0;
  int64_t max_name_offset = -1;
};

struct BulkEdges {
  uint32_t fields = 0;
  uint32_t type = kNoBulkField, name_or_index = kNoBulkField, to_node = kNoBulkField;
  uint32_t node_fields = 0;  // to_node is a multiple of this
  uint64_t node_count = 0;   // and below node_count * node_fields
  uint64_t type_limit = 0;   // the largest edge type index meta declares
  const std::vector<EdgeType>* type_map = nullptr;
  uint64_t count = 0;  // the nodes' edge_count sum: the array must hold exactly this many
  bool ok = false;
  uint64_t close_offset = 0;
  uint64_t max_name = 0, max_name_edge = 0;  // named edges only (not element/hidden)
  int64_t max_name_offset = -1;
};

enum class BulkLocRole : uint8_t { kObject, kScriptId, kScriptObject, kLine, kColumn, kIgnore };

struct BulkLocations {
  std::vector<BulkLocRole> roles;  // per location field
  uint32_t node_fields = 0;
  uint64_t node_count = 0;
  bool ok = false;
  uint64_t close_offset = 0;
  uint64_t dropped = 0;                // Diagnostics::locations_dropped
  uint64_t script_nodes_invalid = 0;   // Diagnostics::location_script_nodes_invalid
};

// `begin` is the offset just after the array's '['.
void ParseNodesBulk(const io::RandomAccess& in, uint64_t begin, const ArrayScanOptions& options,
                    BulkNodes& b, Snapshot& s);
void ParseEdgesBulk(const io::RandomAccess& in, uint64_t begin, const ArrayScanOptions& options,
                    BulkEdges& b, Snapshot& s);
// Appends to the loc_* columns.
void ParseLocationsBulk(const io::RandomAccess& in, uint64_t begin,
                        const ArrayScanOptions& options, BulkLocations& b, Snapshot& s);

}  // namespace heapscope::snapshot::internal

#endif  // HEAPSCOPE_SRC_SNAPSHOT_BULK_ARRAYS_H_
