// AbortSignal (Node names it "EventTarget": it is made by `new EventTarget()`; a browser's is
// "AbortSignal"):
//   [object] "EventTarget" --property <symbol kAborted>--> Oddball true | false
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks::internal {

namespace {

bool JudgeAbortSignal(const snapshot::Snapshot& snap, NodeIndex owner, LivenessVerdict* out) {
  std::string_view cls = snap.NodeName(owner);
  if (cls != "EventTarget" && cls != "AbortSignal") return false;
  std::string_view aborted = OddballProperty(snap, owner, "<symbol kAborted>");
  if (aborted == "true") {
    *out = {Liveness::kDead, "aborted"};
  } else if (aborted == "false") {
    *out = {Liveness::kLive, "not aborted"};
  } else {
    return false;
  }
  return true;
}

}  // namespace

extern const OwnerSignalDef kAbortSignalSignal = {"AbortSignal", nullptr, JudgeAbortSignal};

}  // namespace heapscope::leaks::internal
