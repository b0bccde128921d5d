// http.IncomingMessage:
//   [object] "IncomingMessage" --property aborted--> Oddball   --property complete--> Oddball
//                              --property socket--> net.Socket (may outlive it: keep-alive)
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

bool JudgeIncomingMessage(const Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  std::string_view aborted = OddballProperty(snap, owner, "aborted");
  std::string_view complete = OddballProperty(snap, owner, "complete");
  if (aborted.empty() && complete.empty()) return false;
  if (aborted == "true") {
    *out = {Liveness::kDead, "aborted: true"};
  } else if (complete == "true") {
    *out = {Liveness::kDead, "complete: true"};
  } else {
    NodeIndex socket = NamedEdge(snap, owner, EdgeType::kProperty, "socket");
    bool closed = socket.valid() && snap.Type(socket) == NodeType::kObject &&
                  SocketHandle(snap, socket).state == Liveness::kDead;
    *out = closed ? LivenessVerdict{Liveness::kDead, "socket closed"}
                  : LivenessVerdict{Liveness::kLive, "complete: false"};
  }
  return true;
}

}  // namespace

extern const OwnerSignalDef kIncomingMessageSignal = {"http.IncomingMessage", "IncomingMessage",
                                                      JudgeIncomingMessage};

}  // namespace heapscope::leaks::internal
