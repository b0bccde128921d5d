// DevTools' class model of one snapshot, step 1: which DOM nodes are detached.
//
// DevTools' `propagateDOMState` (HeapSnapshot.ts, chrome-devtools-frontend 1.0.1705227): the
// file's `detachedness` field seeds the state of every node (0 unknown, 1 attached, 2
// detached). From every attached node, then from every detached one, the state spreads over
// edges that are not `hidden` or `weak`, to `native` nodes only ("do not propagate through
// JavaScript"), never overriding a state already set. Snapshots without the field: native nodes
// named "Detached …" are detached, nothing spreads. DevTools then shows every native node found
// detached as "Detached <name>".
//
// Nothing here allocates per node: one state byte per node, two explicit stacks.
#ifndef HEAPSCOPE_SNAPSHOT_CLASSES_H_
#define HEAPSCOPE_SNAPSHOT_CLASSES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::snapshot {

// DevTools' DOMLinkState, the values of the file's `detachedness` field.
enum DomState : uint8_t { kDomUnknown = 0, kDomAttached = 1, kDomDetached = 2 };

// The DOM state of every node after DevTools' propagation (one entry per node). O(nodes +
// edges), two explicit stacks, no recursion.
std::vector<uint8_t> PropagateDetachedness(const Snapshot& s);

// Whether DevTools shows node `n` as "Detached <name>": a `native` node whose propagated state is
// detached, in a snapshot with the `detachedness` field (older files carry the prefix already).
bool HasDetachedPrefix(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n);

// DevTools' name of a node as its views show it (its `name()`): the raw name, with "Detached "
// for the nodes HasDetachedPrefix selects.
std::string DisplayName(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n);

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_CLASSES_H_
