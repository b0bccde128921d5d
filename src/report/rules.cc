#include "report/rules.h"

#include <array>

namespace heapscope::report::internal {
namespace {

struct Entry {
  const char* id;
  const char* name;
  const char* short_text;
  const char* full_text;
  const char* help;
  Severity severity;
};

constexpr std::array<Entry, 8> kRules = {{
    {"listener-growth", "ListenerGrowth",
     "Listeners from one site grow on one emitter class in every snapshot interval.",
     "Listeners registered at one source site, for one event, on one emitter class, grow in every "
     "interval between snapshots, and some allocated after the baseline are still alive at the "
     "end. "
     "Each listener keeps its closure and everything the closure captures alive. See "
     "docs/rules.md.",
     "Remove the listener when its owner goes away: keep a reference to the handler and call "
     "emitter.off(event, handler) on leave/disconnect, or register it once per owner.",
     Severity::kError},
    {"listener-dead-emitter", "ListenerDeadEmitter",
     "Listeners accumulate on emitters that are dead (disconnected).",
     "A listener rule fired and most of the emitters holding the listeners are dead (their "
     "`connected` is false): something still references the disconnected objects. Usually nested "
     "under the finding that keeps them alive.",
     "Fix the finding this one is retained through; then remove the listener on disconnect.",
     Severity::kError},
    {"listener-duplicate-site", "ListenerDuplicateSite",
     "The same site registers a listener more than once for one event on one emitter.",
     "One emitter holds several listeners for the same event from the same source site: every call "
     "of the registering code adds another closure, each with its own captured state.",
     "Register the handler once per emitter, or remove the previous one before adding a new one.",
     Severity::kWarning},
    {"listener-accumulation", "ListenerAccumulation",
     "One emitter holds many listeners from one site for one event.",
     "Listeners registered at one source site pile up on one emitter for one event: their number "
     "grows from snapshot to snapshot and they are still reachable after the work that added them "
     "ended. Each listener keeps its closure and everything the closure captures alive.",
     "Remove the listener when the object it serves goes away: keep a reference to the handler "
     "and call emitter.off(event, handler) (removeListener) in the matching teardown path, such "
     "as the socket's 'disconnect' handler, or use once() or an AbortSignal when one call is "
     "enough.",
     Severity::kWarning},
    {"closure-growth", "ClosureGrowth",
     "Closures created at one site keep growing across snapshots.",
     "Closures allocated at one source site are still alive in later snapshots and their count "
     "grows between snapshots. What retains them is shown by the retainer path.",
     "Find the collection or emitter on the retainer path that keeps the closures and remove "
     "them from it when they are no longer needed.",
     Severity::kWarning},
    {"collection-growth", "CollectionGrowth", "A Map, Set or Array keeps growing across snapshots.",
     "A collection's number of entries grows from snapshot to snapshot and its entries are not "
     "released.",
     "Delete entries when their owner goes away, bound the collection, or use a WeakMap/WeakRef "
     "where the key's lifetime should decide.",
     Severity::kWarning},
    {"stale-closure-capture", "StaleClosureCapture",
     "A long-lived listener captures state that is replaced later.",
     "A listener closure captures a variable that the code later reassigns (for example the "
     "current board); the old listener keeps acting on, and retaining, the old value.",
     "Register the listener once and read the current value when it runs, or remove and re-add "
     "the listener when the captured value changes.",
     Severity::kWarning},
    {"memory-growth", "MemoryGrowth",
     "A memory metric grows steadily and is projected to reach its limit.",
     "A memory series from the metric exports grows linearly (fitted slope and r²) and its "
     "projection crosses the memory limit.",
     "Find the leaking structure with the snapshot findings; raising the limit only delays the "
     "crash.",
     Severity::kWarning},
}};

}  // namespace

RuleInfo LookupRule(std::string_view id) {
  for (const Entry& e : kRules) {
    if (id == e.id) return {e.id, e.name, e.short_text, e.full_text, e.help, e.severity, true};
  }
  RuleInfo r;
  r.id = std::string(id);
  bool upper = true;
  for (char c : id) {
    if (c == '-' || c == '_' || c == '.') {
      upper = true;
    } else {
      r.name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  if (r.name.empty()) r.name = "Finding";
  r.short_text = "heapscope rule " + r.id + ".";
  r.full_text = "Findings of heapscope's rule " + r.id + "; see docs/rules.md.";
  r.help = "See the finding's message, retainer path and suggested fix.";
  return r;
}

}  // namespace heapscope::report::internal
