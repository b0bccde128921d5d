// http.IncomingMessage:
//   [object] "IncomingMessage" --property aborted--> Oddball   --property complete--> Oddball
//                              --property socket--> net.Socket (may outlive it: keep-alive)
//                              --property res--> its ServerResponse (Express sets req.res)
//   net.Socket --property _httpMessage--> the ServerResponse being written on it (Node's server;
//              reset when it finishes) --property req--> the IncomingMessage it answers
// A server request is in flight until its response is finished: `complete` only says its body
// was read. A request whose response is found and not finished (nor destroyed or closed) is
// alive, whatever `complete` says.
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

// The ServerResponse answering request `req`: req.res, or the one its socket is writing when
// that one's `req` is this request. kNoNode for a client-side message or an answered request.
NodeIndex ResponseOf(const Snapshot& snap, NodeIndex req, NodeIndex socket) {
  NodeIndex res = NamedEdge(snap, req, EdgeType::kProperty, "res");
  if (res.valid() && snap.NodeName(res) == "ServerResponse") return res;
  if (!socket.valid()) return kNoNode;
  res = NamedEdge(snap, socket, EdgeType::kProperty, "_httpMessage");
  if (res.valid() && snap.NodeName(res) == "ServerResponse" &&
      NamedEdge(snap, res, EdgeType::kProperty, "req") == req)
    return res;
  return kNoNode;
}

bool JudgeIncomingMessage(const Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  std::string_view aborted = OddballProperty(snap, owner, "aborted");
  std::string_view complete = OddballProperty(snap, owner, "complete");
  if (aborted.empty() && complete.empty()) return false;
  NodeIndex socket = NamedEdge(snap, owner, EdgeType::kProperty, "socket");
  if (socket.valid() && snap.Type(socket) != NodeType::kObject) socket = kNoNode;
  if (aborted == "true") {
    *out = {Liveness::kDead, "aborted: true"};
  } else if (complete == "true") {
    LivenessVerdict response;
    NodeIndex res = ResponseOf(snap, owner, socket);
    if (res.valid() && ServerResponseState(snap, res, &response) &&
        response.state == Liveness::kLive) {
      *out = {Liveness::kLive, "complete: true, response not finished"};
    } else {
      *out = {Liveness::kDead, "complete: true"};
    }
  } else {
    bool closed = socket.valid() && SocketHandle(snap, socket).state == Liveness::kDead;
    *out = closed ? LivenessVerdict{Liveness::kDead, "socket closed"}
                  : LivenessVerdict{Liveness::kLive, "complete: false"};
  }
  return true;
}

}  // namespace

extern const OwnerSignalDef kIncomingMessageSignal = {"http.IncomingMessage", "IncomingMessage",
                                                      JudgeIncomingMessage};

}  // namespace heapscope::leaks::internal
