// Socket.IO sockets (server `socket.io` and `socket.io-client`, 4.8.4):
//   [object] "Socket" --property connected--> Oddball true | false   --property nsp--> …
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

namespace {

bool JudgeSocketIo(const snapshot::Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  if (!NamedEdge(snap, owner, snapshot::EdgeType::kProperty, "nsp").valid()) return false;
  std::string_view connected = OddballProperty(snap, owner, "connected");
  if (connected == "false") {
    *out = {Liveness::kDead, "connected: false"};
  } else if (connected == "true") {
    *out = {Liveness::kLive, "connected: true"};
  } else {
    return false;
  }
  return true;
}

}  // namespace

extern const OwnerSignalDef kSocketIoSignal = {"Socket.IO socket", "Socket", JudgeSocketIo};

}  // namespace heapscope::leaks::internal
