// Must compile: graph may use snapshot. The control for the forbidden probes: it shows they fail
// because of the include path, not because probes cannot build at all.
#include "heapscope/snapshot/snapshot.h"

namespace heapscope {
uint32_t ProbeNodeCount(const snapshot::Snapshot& s) { return s.node_count(); }
}  // namespace heapscope
