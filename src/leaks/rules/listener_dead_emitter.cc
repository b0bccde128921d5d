// listener-dead-emitter: a listener rule fired and most of the emitters are dead (their
// liveness signal, e.g. `connected`, says so): the listeners are a symptom of whatever keeps
// the dead emitters alive. Refines the listener rule that claimed the group, keeping its level.
#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {

bool ListenerDeadEmitterRefines(const Detection& d, const DetectInput&) {
  return d.dead_emitters > 0 && 2 * d.dead_emitters > d.emitters;
}

std::string ListenerDeadEmitterTitle(const Detection& d, const FindingWords& w) {
  return "'" + w.event + "' listeners from " + w.site + " on " + std::to_string(d.dead_emitters) +
         " disconnected " + w.emitter + " objects";
}

extern const RuleDef kListenerDeadEmitter = {
    Rule::kListenerDeadEmitter, "listener-dead-emitter", "ListenerDeadEmitter", Level::kWarning,
    true, "Listeners accumulate on emitters that are dead (disconnected).",
    "A listener rule fired and most of the emitters holding the listeners are dead (their "
    "`connected` is false): something still references the disconnected objects. Usually nested "
    "under the finding that keeps them alive.",
    "Fix the finding this one is retained through; then remove the listener on disconnect.",
    "These emitters are already disconnected; fix the finding that retains them, and remove "
    "listeners on 'disconnect'.",
    ListenerDeadEmitterTitle, nullptr, nullptr, ListenerDeadEmitterRefines};

}  // namespace heapscope::leaks::internal
