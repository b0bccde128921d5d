// listener-growth: listeners from one site, for one event, on one emitter class, grow in every
// snapshot interval (and, with 3+ snapshots, some allocated after the baseline survive).
#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {

bool ListenerGrowthClaims(const Detection& d, const DetectInput& in) {
  const bool memlab = in.series.size() >= 3;
  return GrowsEveryInterval(d.counts, in.options.min_growth) && (!memlab || d.survivors > 0);
}

std::string ListenerGrowthTitle(const Detection&, const FindingWords& w) {
  return "'" + w.event + "' listeners from " + w.site + " grow on " + w.emitter + ": " + w.counts;
}

extern const RuleDef kListenerGrowth = {
    Rule::kListenerGrowth, "listener-growth", "ListenerGrowth", Level::kError, false,
    "Listeners from one site grow on one emitter class in every snapshot interval.",
    "Listeners registered at one source site, for one event, on one emitter class, grow in every "
    "interval between snapshots, and some allocated after the baseline are still alive at the "
    "end. Each listener keeps its closure and everything the closure captures alive. See "
    "docs/rules.md.",
    "Remove the listener when its owner goes away: keep a reference to the handler and call "
    "emitter.off(event, handler) on leave/disconnect, or register it once per owner.",
    "Remove the listener when its owner goes away: keep a reference to the handler and call "
    "{remove_handler} on leave/disconnect, or register it once per owner instead of on every "
    "call.",
    ListenerGrowthTitle, nullptr, ListenerGrowthClaims, nullptr};

}  // namespace heapscope::leaks::internal
