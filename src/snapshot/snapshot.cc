#include "heapscope/snapshot/snapshot.h"

#include <array>

#include <fmt/format.h>

namespace heapscope::snapshot {
namespace {

constexpr std::array<std::string_view, 17> kNodeTypeNames = {
    "hidden",        "array",  "string",      "object",       "code",
    "closure",       "regexp", "number",      "native",       "synthetic",
    "concatenated string",     "sliced string", "symbol",     "bigint",
    "object shape",  "wasm object",           "unknown"};

constexpr std::array<std::string_view, 8> kEdgeTypeNames = {
    "context", "element", "property", "internal", "hidden", "shortcut", "weak", "unknown"};

}  // namespace

std::string_view NodeTypeName(NodeType t) { return kNodeTypeNames[static_cast<size_t>(t)]; }
std::string_view EdgeTypeName(EdgeType t) { return kEdgeTypeNames[static_cast<size_t>(t)]; }

NodeType NodeTypeFromName(std::string_view name) {
  for (size_t i = 0; i + 1 < kNodeTypeNames.size(); ++i)
    if (kNodeTypeNames[i] == name) return static_cast<NodeType>(i);
  return NodeType::kUnknown;
}

EdgeType EdgeTypeFromName(std::string_view name) {
  for (size_t i = 0; i + 1 < kEdgeTypeNames.size(); ++i)
    if (kEdgeTypeNames[i] == name) return static_cast<EdgeType>(i);
  return EdgeType::kUnknown;
}

std::string Snapshot::EdgeLabel(EdgeIndex e) const {
  if (EdgeHasName(e)) return std::string(EdgeName(e));
  return fmt::format("[{}]", edge_name_or_index[e.v]);
}

}  // namespace heapscope::snapshot
