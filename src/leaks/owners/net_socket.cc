// net.Socket (also the socket under an HTTP request or a ws WebSocket):
//   [object] "Socket" --property <symbol kHandle>--> [object] "TCP" | "Pipe"   open
//                                               --> Oddball null            closed
//                     --property connecting--> Oddball
// plus the stream state bits when numeric values were captured (stream_state.cc).
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

LivenessVerdict SocketHandle(const Snapshot& snap, NodeIndex socket) {
  for (std::string_view key : {std::string_view("<symbol kHandle>"), std::string_view("_handle")}) {
    NodeIndex h = NamedEdge(snap, socket, EdgeType::kProperty, key);
    if (!h.valid()) continue;
    if (snap.Type(h) == NodeType::kObject) return {Liveness::kLive, "handle open"};
    if (OddballProperty(snap, socket, key) == "null" &&
        OddballProperty(snap, socket, "connecting") != "true") {
      return {Liveness::kDead, "handle closed"};
    }
    return {};
  }
  return {};
}

namespace {

bool JudgeNetSocket(const Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  LivenessVerdict handle = SocketHandle(snap, owner);
  // Socket.IO's and engine.io's sockets share the class name; a net.Socket has a handle slot.
  if (!NamedEdge(snap, owner, EdgeType::kProperty, "<symbol kHandle>").valid() &&
      !NamedEdge(snap, owner, EdgeType::kProperty, "_handle").valid()) {
    return false;
  }
  LivenessVerdict state = StreamState(snap, owner);
  *out = state.state == Liveness::kDead ? state : handle;
  return true;
}

}  // namespace

extern const OwnerSignalDef kNetSocketSignal = {"net.Socket", "Socket", JudgeNetSocket};

}  // namespace heapscope::leaks::internal
