#include "heapscope/status.h"

#include <fmt/format.h>

#include "heapscope/diagnostics.h"

namespace heapscope {

Status InputError(std::string_view file, std::string_view field, int64_t offset,
                  std::string_view message) {
  std::string out = fmt::format("{}:", file.empty() ? "<input>" : file);
  if (!field.empty()) out += fmt::format(" field '{}':", field);
  if (offset >= 0) out += fmt::format(" byte {}:", offset);
  out += fmt::format(" {}", message);
  return Status::InvalidInput(std::move(out));
}

std::vector<std::pair<std::string, uint64_t>> Diagnostics::NonZero() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  auto add = [&](const char* name, uint64_t v) {
    if (v != 0) out.emplace_back(name, v);
  };
  add("lone_surrogates_replaced", lone_surrogates_replaced);
  add("unknown_sections_skipped", unknown_sections_skipped);
  add("unknown_node_type_names", unknown_node_type_names);
  add("unknown_edge_type_names", unknown_edge_type_names);
  add("locations_dropped", locations_dropped);
  add("location_script_nodes_invalid", location_script_nodes_invalid);
  add("header_counts_missing", header_counts_missing);
  add("undeclared_node_types", undeclared_node_types);
  add("undeclared_edge_types", undeclared_edge_types);
  add("duplicate_header_keys", duplicate_header_keys);
  add("header_edge_count_mismatch", header_edge_count_mismatch);
  add("edges_beyond_last_node", edges_beyond_last_node);
  add("duplicate_node_ids", duplicate_node_ids);
  add("trace_function_count_mismatch", trace_function_count_mismatch);
  add("trace_sections_skipped", trace_sections_skipped);
  add("trace_nodes_function_invalid", trace_nodes_function_invalid);
  add("trace_node_ids_unknown", trace_node_ids_unknown);
  add("invalid_utf8_strings", invalid_utf8_strings);
  return out;
}

}  // namespace heapscope
