// listener-accumulation: one emitter holds many listeners from one site for one event (or Node
// printed MaxListenersExceededWarning and the site holds two or more of them).
#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {

bool ListenerAccumulationClaims(const Detection& d, const DetectInput& in) {
  return d.max_per_emitter >= in.options.min_listeners_per_site ||
         (d.warned && d.max_per_emitter >= 2);
}

std::string ListenerAccumulationTitle(const Detection& d, const FindingWords& w) {
  return "'" + w.event + "' listeners from " + w.site + " accumulate on " + w.emitter + " (" +
         WithCommas(d.max_per_emitter) + " on one)";
}

extern const RuleDef kListenerAccumulation = {
    Rule::kListenerAccumulation, "listener-accumulation", "ListenerAccumulation",
    Level::kWarning, false, "One emitter holds many listeners from one site for one event.",
    "Listeners registered at one source site pile up on one emitter for one event: their number "
    "grows from snapshot to snapshot and they are still reachable after the work that added them "
    "ended. Each listener keeps its closure and everything the closure captures alive.",
    "Remove the listener when the object it serves goes away: keep a reference to the handler "
    "and call emitter.off(event, handler) (removeListener) in the matching teardown path, such "
    "as the socket's 'disconnect' handler, or use once() or an AbortSignal when one call is "
    "enough.",
    "Remove the listener when its owner goes away: keep a reference to the handler and call "
    "{remove_handler} on leave/disconnect, or register it once per owner instead of on every "
    "call.",
    ListenerAccumulationTitle, nullptr, ListenerAccumulationClaims, nullptr};

}  // namespace heapscope::leaks::internal
