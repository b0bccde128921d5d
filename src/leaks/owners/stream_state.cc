// Node streams: the destroyed/closed bits of `_readableState` / `_writableState`. The bits are a
// Smi, so this signal speaks only for snapshots taken with numeric values exposed; it is tried
// after the signals of specific classes.
//   stream --property _readableState--> [object] "ReadableState"
//          --property <symbol kState>--> [number] "smi number" --internal value--> "1050484"
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::Snapshot;

namespace {

struct StateLayout {
  const char* side;  // "_readableState" | "_writableState"
  const char* key;   // the state property
  int64_t destroyed, closed;
};

// Node 20.20 (`<symbol kState>`, bits shared by both sides) and earlier 20.x (`state`).
constexpr StateLayout kLayouts[] = {
    {"_readableState", "<symbol kState>", int64_t{1} << 4, int64_t{1} << 5},
    {"_writableState", "<symbol kState>", int64_t{1} << 4, int64_t{1} << 5},
    {"_readableState", "state", int64_t{1} << 13, int64_t{1} << 14},
    {"_writableState", "state", int64_t{1} << 7, int64_t{1} << 8},
};

}  // namespace

LivenessVerdict StreamState(const Snapshot& snap, NodeIndex stream) {
  bool seen = false;
  for (const StateLayout& l : kLayouts) {
    NodeIndex side = NamedEdge(snap, stream, EdgeType::kProperty, l.side);
    if (!side.valid()) continue;
    std::optional<int64_t> state = NumberProperty(snap, side, l.key);
    if (!state) continue;
    if (*state & l.destroyed) return {Liveness::kDead, "destroyed"};
    if (*state & l.closed) return {Liveness::kDead, "closed"};
    seen = true;
  }
  return seen ? LivenessVerdict{Liveness::kLive, "not destroyed"} : LivenessVerdict{};
}

namespace {

bool JudgeStream(const Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  if (!NamedEdge(snap, owner, EdgeType::kProperty, "_readableState").valid() &&
      !NamedEdge(snap, owner, EdgeType::kProperty, "_writableState").valid()) {
    return false;
  }
  *out = StreamState(snap, owner);
  return true;
}

}  // namespace

extern const OwnerSignalDef kStreamSignal = {"stream", nullptr, JudgeStream};

}  // namespace heapscope::leaks::internal
