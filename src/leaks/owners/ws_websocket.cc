// ws WebSocket (8.23.0):
//   [object] "WebSocket" --property _readyState--> smi (numeric values only): 3 = CLOSED
//                        --property _socket--> net.Socket | Oddball null (not yet connected)
//                        --property _closeFrameReceived / _closeFrameSent--> Oddball
// ws does not clear `_socket` on close; the socket's own handle tells instead.
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

bool JudgeWebSocket(const Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  NodeIndex socket = NamedEdge(snap, owner, EdgeType::kProperty, "_socket");
  if (!socket.valid() && !NamedEdge(snap, owner, EdgeType::kProperty, "_readyState").valid()) {
    return false;  // a browser or undici WebSocket: not ws
  }
  if (std::optional<int64_t> state = NumberProperty(snap, owner, "_readyState")) {
    static constexpr const char* kStates[] = {"readyState 0", "readyState 1", "readyState 2",
                                              "readyState 3"};
    if (*state >= 0 && *state <= 3) {
      *out = {*state == 3 ? Liveness::kDead : Liveness::kLive, kStates[*state]};
      return true;
    }
  }
  if (socket.valid() && snap.Type(socket) == NodeType::kObject) {
    LivenessVerdict s = SocketHandle(snap, socket);
    if (s.state == Liveness::kDead) {
      *out = {Liveness::kDead, "_socket closed"};
      return true;
    }
  }
  if (OddballProperty(snap, owner, "_closeFrameReceived") == "true" &&
      OddballProperty(snap, owner, "_closeFrameSent") == "true") {
    *out = {Liveness::kDead, "close handshake done"};
    return true;
  }
  if (socket.valid() && snap.Type(socket) == NodeType::kObject) {
    *out = {Liveness::kLive, "_socket open"};
  } else {
    *out = {};  // `_socket` null: connecting, or never connected
  }
  return true;
}

}  // namespace

extern const OwnerSignalDef kWebSocketSignal = {"ws WebSocket", "WebSocket", JudgeWebSocket};

}  // namespace heapscope::leaks::internal
