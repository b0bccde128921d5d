// Diagnostics: recoverable oddities met while loading input, counted and shown, never silent.
//
// Fatal damage is a Status (see status.h). Everything here was recoverable: the loader or the
// analysis went on, and the report's "diagnostics" section says what it met. Each counter is
// explained for users in docs/diagnostics.md.
#ifndef HEAPSCOPE_DIAGNOSTICS_H_
#define HEAPSCOPE_DIAGNOSTICS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace heapscope {

struct Diagnostics {
  // A lone UTF-16 surrogate escape (\uD800-\uDFFF without its partner) in a string; written as
  // U+FFFD.
  uint64_t lone_surrogates_replaced = 0;
  // A top-level section the loader does not know (e.g. Chrome's `scopes`); skipped.
  uint64_t unknown_sections_skipped = 0;
  // A node type name in meta.node_types this build does not know; such nodes are kUnknown.
  uint64_t unknown_node_type_names = 0;
  // An edge type name in meta.edge_types this build does not know; such edges are kUnknown.
  uint64_t unknown_edge_type_names = 0;
  // A location record whose object_index is not a node; the record was dropped.
  uint64_t locations_dropped = 0;
  // A 5-field location record whose script_object_index is not a node; the record was kept
  // with no script node (loc_script_node = kNoNode).
  uint64_t location_script_nodes_invalid = 0;
  // header node_count/edge_count absent (non-V8 producers); counts taken from the arrays.
  uint64_t header_counts_missing = 0;
  // Node/edge type indices meta.node_types/edge_types does not declare (a 2017 Chrome writes
  // `symbol` nodes so): each such index is named "(unknown type N)"; its nodes/edges kUnknown.
  uint64_t undeclared_node_types = 0;
  uint64_t undeclared_edge_types = 0;
  // A header key (node_count, meta.node_fields, …) given twice; the last value was used.
  uint64_t duplicate_header_keys = 0;
  // header edge_count differs from the sum of the nodes' edge_count values; the sum was used.
  uint64_t header_edge_count_mismatch = 0;
  // Edges past the nodes' edge_count sum: they belong to no node (DevTools never walks them);
  // dropped.
  uint64_t edges_beyond_last_node = 0;
  // Nodes whose id an earlier node already has (ids should be unique); loaded as they are.
  uint64_t duplicate_node_ids = 0;

  // Allocation traces (snapshot/traces.h). The header's trace_function_count differs from the
  // trace_function_infos records that follow (in-process inspector snapshots write a smaller
  // count); the records were read.
  uint64_t trace_function_count_mismatch = 0;
  // A trace section whose layout meta does not give (trace_node_fields, …); its values dropped.
  uint64_t trace_sections_skipped = 0;
  // A trace_tree node whose function_info_index names no trace_function_infos record; its frame
  // shows as an unknown function.
  uint64_t trace_nodes_function_invalid = 0;
  // A node whose trace_node_id names no trace_tree node; it has no allocation stack.
  uint64_t trace_node_ids_unknown = 0;

  // A string that is not valid UTF-8 (counted by the shared loading sequence, run/load.h);
  // every output writes its invalid bytes as U+FFFD.
  uint64_t invalid_utf8_strings = 0;
  // Counter name -> value, for rendering. Only non-zero counters are listed.
  std::vector<std::pair<std::string, uint64_t>> NonZero() const;
};

}  // namespace heapscope

#endif  // HEAPSCOPE_DIAGNOSTICS_H_
