// Listener discovery: every event listener a snapshot shows, as (emitter, event, closure).
//
// The shapes recognised are the entries of the listener-shape registry (shapes.h, one file
// each in src/leaks/shapes/; docs/rules.md describes their layouts).
// One pass over the nodes; nothing is allocated per node.
#ifndef HEAPSCOPE_LEAKS_LISTENERS_H_
#define HEAPSCOPE_LEAKS_LISTENERS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/leaks/shapes.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::leaks {

// The event name of a DOM listener from its script's source text: the quoted first argument
// of the last `addEventListener(` within 200 bytes before the closure's position (0-based line
// and column). "" when not found (handler defined away from the call, inline script with a line
// offset, source not in the snapshot).
std::string_view EventFromSource(const snapshot::Snapshot& snap, NodeIndex closure, uint32_t line,
                                 uint32_t column);

// All listeners in `snap`, in node order of their emitter.
std::vector<Listener> FindListeners(const snapshot::Snapshot& snap);

}  // namespace heapscope::leaks

#endif  // HEAPSCOPE_LEAKS_LISTENERS_H_
