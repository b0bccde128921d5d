// mitt (3.0.1): emitter [object] "Object" {on, off, emit: closures} --property all-->
// [object] "Map" --internal table--> key [string] event ("*" for every event), then
// [object] "Array" --element i--> the user's function.
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

void ReadMittTable(const Snapshot& snap, NodeIndex emitter, NodeIndex map, ListenerShape self,
                   ShapeScratch&, std::vector<Listener>& out) {
  if (!HasMethods(snap, emitter, {"on", "off", "emit"})) return;
  ForEachStringKeyedEntry(snap, map, [&](std::string_view event, NodeIndex listeners) {
    AddEventValue(snap, emitter, map, event, listeners, self, out);
  });
}

}  // namespace

extern const ListenerShapeDef kMittShape = {"mitt",
                                            NodeType::kObject,
                                            "all",
                                            nullptr,
                                            ReadMittTable,
                                            nullptr,
                                            nullptr,
                                            nullptr,
                                            "{emitter}.all.get('{event}')",
                                            "{emitter}.off('{event}', {handler})",
                                            ""};

}  // namespace heapscope::leaks::internal
