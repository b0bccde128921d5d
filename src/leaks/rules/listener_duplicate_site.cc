// listener-duplicate-site: the same user-code site registered more than once for one event on
// one emitter (with a series: only when the count grew).
#include "heapscope/text.h"
#include "leaks/rules/rule_util.h"

namespace heapscope::leaks::internal {

bool ListenerDuplicateSiteClaims(const Detection& d, const DetectInput& in) {
  const bool user_site = IsUserScript(in.table.Get(d.site).file);
  return user_site && d.duplicate_emitters > 0 &&
         (in.series.size() == 1 || d.counts.back() > d.counts.front());
}

std::string ListenerDuplicateSiteTitle(const Detection& d, const FindingWords& w) {
  return "'" + w.event + "' listener from " + w.site + " registered " +
         text::Thousands(d.max_per_emitter) + " times on one " + w.emitter;
}

extern const RuleDef kListenerDuplicateSite = {
    Rule::kListenerDuplicateSite, "listener-duplicate-site", "ListenerDuplicateSite",
    Level::kWarning, false,
    "The same site registers a listener more than once for one event on one emitter.",
    "One emitter holds several listeners for the same event from the same source site: every call "
    "of the registering code adds another closure, each with its own captured state.",
    "Register the handler once per emitter, or remove the previous one before adding a new one.",
    "Each registration from this site adds another listener with its own captured state. Remove "
    "the previous handler before registering again ({remove_previous}), or register one handler "
    "per owner that reads the current state when it runs.",
    ListenerDuplicateSiteTitle, nullptr, ListenerDuplicateSiteClaims, nullptr};

}  // namespace heapscope::leaks::internal
