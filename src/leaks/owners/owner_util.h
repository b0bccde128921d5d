// Helpers shared by the owner signals (src/leaks/owners/*.cc). Internal to leaks/.
#ifndef HEAPSCOPE_SRC_LEAKS_OWNERS_OWNER_UTIL_H_
#define HEAPSCOPE_SRC_LEAKS_OWNERS_OWNER_UTIL_H_

#include "heapscope/leaks/owners.h"
#include "heapscope/leaks/sites.h"

namespace heapscope::leaks::internal {

// A Node stream's destroyed/closed bits, from `_readableState` or `_writableState` of `stream`.
// Two layouts are known (docs/listener-shapes.md): `<symbol kState>` (Node 20.20: destroyed
// 1 << 4, closed 1 << 5 on both sides) and the older string key `state` (ReadableState:
// destroyed 1 << 13, closed 1 << 14; WritableState: 1 << 7, 1 << 8). Both are Smis, present
// only in snapshots taken with numeric values exposed. kUnknown when neither is readable.
LivenessVerdict StreamState(const snapshot::Snapshot& snap, NodeIndex stream);

// A net.Socket's handle (`<symbol kHandle>`, or `_handle` in older Node): kDead when it is
// null and the socket is not `connecting`, kLive when it is an object, kUnknown when absent.
LivenessVerdict SocketHandle(const snapshot::Snapshot& snap, NodeIndex socket);

// An http.ServerResponse's state: dead when `finished`, `destroyed` or `_closed`, else live
// ("finished: false"). False when `owner` has none of those flags.
bool ServerResponseState(const snapshot::Snapshot& snap, NodeIndex owner, LivenessVerdict* out);

}  // namespace heapscope::leaks::internal

#endif  // HEAPSCOPE_SRC_LEAKS_OWNERS_OWNER_UTIL_H_
