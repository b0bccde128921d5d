// listener-accumulation: one emitter holds many listeners from one site for one event (or Node
// printed MaxListenersExceededWarning and the site holds two or more of them). With a series,
// only when the count grows or Node warned.
#include "heapscope/text.h"
#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {

// With two or more snapshots a count that does not grow is a fixed wiring (listeners registered
// once at start-up), not an accumulation, unless Node printed its warning.
bool ListenerAccumulationClaims(const Detection& d, const DetectInput& in) {
  if (d.warned && d.max_per_emitter >= 2) return true;
  if (d.counts.size() >= 2 && d.counts.back() <= d.counts.front()) return false;
  return d.max_per_emitter >= in.options.min_listeners_per_site;
}

std::string ListenerAccumulationTitle(const Detection& d, const FindingWords& w) {
  return "'" + w.event + "' listeners from " + w.site + " accumulate on " + w.emitter + " (" +
         text::Thousands(d.max_per_emitter) + " on one)";
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
