// http.ServerResponse:
//   [object] "ServerResponse" --property finished / destroyed / _closed--> Oddball
//                             --property req--> the IncomingMessage it answers
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

bool ServerResponseState(const snapshot::Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  std::string_view finished = OddballProperty(snap, owner, "finished");
  std::string_view destroyed = OddballProperty(snap, owner, "destroyed");
  std::string_view closed = OddballProperty(snap, owner, "_closed");
  if (finished.empty() && destroyed.empty() && closed.empty()) return false;
  if (finished == "true") {
    *out = {Liveness::kDead, "finished: true"};
  } else if (destroyed == "true") {
    *out = {Liveness::kDead, "destroyed: true"};
  } else if (closed == "true") {
    *out = {Liveness::kDead, "_closed: true"};
  } else {
    *out = {Liveness::kLive, "finished: false"};
  }
  return true;
}

extern const OwnerSignalDef kServerResponseSignal = {"http.ServerResponse", "ServerResponse",
                                                     ServerResponseState};

}  // namespace heapscope::leaks::internal
