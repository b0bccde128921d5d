// A Detection worded as a report::Finding. Titles and fixes come from the rule registry
// (leaks/rules.h), accumulation points and removal calls from the detection's listener shape
// (leaks/shapes.h); the messages with the numbers are written here.
#include "heapscope/text.h"
#include "heapscope/leaks/rules.h"
#include "heapscope/leaks/shapes.h"
#include "heapscope/run.h"
#include "run/run_internal.h"
#include "run/sourcemaps.h"

namespace heapscope {

report::Severity SeverityOf(leaks::Level level) {
  switch (level) {
    case leaks::Level::kNote:
      return report::Severity::kNote;
    case leaks::Level::kWarning:
      return report::Severity::kWarning;
    case leaks::Level::kError:
      return report::Severity::kError;
  }
  return report::Severity::kWarning;
}

}  // namespace heapscope

namespace heapscope::run_internal {
namespace {

using leaks::Detection;
using snapshot::NodeType;
using snapshot::Snapshot;

bool IsListenerRule(const Detection& d) { return d.event != kNone; }

// Rule, severity, site, counts, sizes, captured variables: what every finding has.
void FillCommon(const Context& c, const Detection& d, report::Finding& f) {
  f.rule = leaks::RuleId(d.rule);
  f.severity = SeverityOf(d.level);
  f.site = SiteOf(c, d.site);
  leaks::SourceSite owner;
  if (!d.site.valid() && d.representative.valid() &&
      leaks::CollectionOwnerSite(c.last.snap, c.last.retainers, d.representative, owner)) {
    f.site = DisplaySite(c, owner);
  }
  if (d.event != kNone) f.event = c.table.Name(d.event);
  if (d.emitter_class != kNone) f.emitter = c.table.Name(d.emitter_class);
  f.emitter_id = d.emitter_id;
  f.count = d.counts.empty() ? d.objects.size() : d.counts.back();
  if (d.counts.size() > 1) {
    f.counts = d.counts;
    for (size_t i = 1; i < d.counts.size(); ++i) {
      f.growth.push_back(static_cast<int64_t>(d.counts[i]) - static_cast<int64_t>(d.counts[i - 1]));
    }
  }
  f.retained_size = d.retained_size;
  f.self_size = d.self_size;
  const Snapshot& snap = c.last.snap;
  if (d.representative.valid() && (snap.Type(d.representative) == NodeType::kClosure ||
                                   leaks::IsFrame(snap, d.representative))) {
    f.captured = leaks::CapturedVariables(snap, d.representative);
  }
}

leaks::FindingWords Words(const Detection& d, const report::Finding& f) {
  leaks::FindingWords w;
  w.site = f.site.file + ":" + std::to_string(f.site.line) + ":" + std::to_string(f.site.column);
  w.function = f.site.function.empty() ? "anonymous function" : f.site.function + "()";
  w.event = f.event;
  w.emitter = f.emitter;
  w.counts = d.counts.size() > 1 ? CountsText(d.counts) : text::Thousands(f.count);
  if (IsListenerRule(d)) {
    w.remove_handler = leaks::ShapeRemoveCall(d.shape, f.emitter, f.event, "handler", true);
    w.remove_previous = leaks::ShapeRemoveCall(d.shape, f.emitter, f.event, "previous", false);
  }
  return w;
}

// Which evidence the ownership test used (JudgeOwnership, detect.h): "60 of 60 registrations
// capture a WebSocket that is closed (readyState CLOSED) …".
std::string OwnershipEvidence(const Detection& d, std::string_view what) {
  if (!d.judged) return {};
  const std::string total = text::Thousands(d.judged_total);
  std::string m;
  if (d.dead_owners > 0) {
    m += " " + text::Thousands(d.dead_owners) + " of " + total + " " + std::string(what) +
         " capture or are registered on a " + (d.owner_class.empty() ? "owner" : d.owner_class) +
         " that is closed" + (d.dead_signal ? " (" + std::string(d.dead_signal) + ")." : ".");
  }
  if (d.owned > 0) {
    m += " " + text::Thousands(d.owned) + " of " + total + " " + std::string(what) +
         " hold state that nothing else reaches: it is reachable only through them.";
  }
  if (d.live > 0) {
    m += " " + text::Thousands(d.live) + " of " + total + " " + std::string(what) +
         (d.level == leaks::Level::kNote ? " belong" : " (not counted as leaked) belong") +
         " to owners that are still alive.";
  }
  return m;
}

std::string ListenerMessage(const Detection& d, const report::Finding& f,
                            const leaks::FindingWords& w) {
  std::string m = text::Thousands(f.count) + " '" + f.event + "' listeners created by " + w.function +
                  " at " + w.site + " are registered on " + std::to_string(d.emitters) + " " +
                  f.emitter + (d.emitters == 1 ? " object" : " objects") + " (at most " +
                  text::Thousands(d.max_per_emitter) + " on one, accumulation point " +
                  f.accumulation_point + ").";
  if (d.counts.size() > 1) m += " Count per snapshot: " + w.counts + ".";
  if (d.has_survivors) {
    m += " " + text::Thousands(d.survivors) +
         " were allocated after the baseline snapshot and are still alive in the target and "
         "final snapshots.";
  }
  if (d.duplicate_emitters > 0) {
    m += " The same site is registered more than once for this event on " +
         std::to_string(d.duplicate_emitters) +
         (d.duplicate_emitters == 1 ? " emitter" : " emitters") +
         ": every registration adds another closure (stale captured state).";
  }
  if (d.warned) m += " Node printed MaxListenersExceededWarning for this event.";
  if (d.dead_emitters > 0) {
    m += " " + std::to_string(d.dead_emitters) +
         " of the emitters are disconnected (connected = false) and alive only because "
         "something else retains them.";
  }
  m += OwnershipEvidence(d, "listeners");
  if (!f.captured.empty()) {
    std::string vars;
    for (size_t i = 0; i < f.captured.size() && i < 8; ++i) vars += (i ? ", " : "") + f.captured[i];
    m += " The closures capture: " + vars + ".";
  }
  return m;
}

// The node and edge holding the object at the end of `path`: "Map.table[#]", "timers._list".
std::string LastHop(const Snapshot& snap, const paths::RetainerPath& path) {
  if (path.steps.size() < 2) return {};
  const paths::PathStep& s = path.steps.back();
  const paths::PathStep& p = path.steps[path.steps.size() - 2];
  return paths::NodeTitle(snap, p.node) + paths::EdgeAccessor(snap, s.edge);
}

}  // namespace

report::Site DisplaySite(const Context& c, const leaks::SourceSite& src) {
  report::Site s;
  s.file = leaks::DisplayPath(src.file, c.options.source_root);
  s.line = src.line + 1;
  s.column = src.column + 1;
  s.function = src.function;
  if (c.mapper != nullptr) {
    if (std::optional<MappedPosition> m = c.mapper->Map(src.file, src.line, src.column)) {
      s.generated_file = std::move(s.file);
      s.generated_line = s.line;
      s.generated_column = s.column;
      s.file = leaks::DisplayPath(m->file, c.options.source_root);
      s.line = m->line + 1;
      s.column = m->column + 1;
    }
  }
  return s;
}

report::Site SiteOf(const Context& c, leaks::SiteId id) {
  if (!id.valid()) return {};
  return DisplaySite(c, c.table.Get(id));
}

std::string CountsText(const std::vector<uint64_t>& counts) {
  std::string s;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i) s += " -> ";
    s += text::Thousands(counts[i]);
  }
  return s;
}

report::Finding ToFinding(const Context& c, const Detection& d) {
  const Snapshot& snap = c.last.snap;
  const leaks::RuleDef& rule = leaks::GetRule(d.rule);
  report::Finding f;
  FillCommon(c, d, f);
  paths::RetainerPath path = PathFor(c, d);
  f.retainer_path = paths::PathLabels(snap, path);
  const leaks::FindingWords w = Words(d, f);
  f.title = rule.title(d, w);
  f.fix = leaks::ExpandWords(rule.fix, w);
  if (IsListenerRule(d)) {
    f.accumulation_point = leaks::ShapeAccumulationPoint(d.shape, f.emitter, f.event);
    f.message = ListenerMessage(d, f, w);
  } else if (d.rule == leaks::Rule::kClosureGrowth) {
    f.message = "Closures created by " + w.function + " at " + w.site +
                " (not event listeners) grow in every snapshot: " + w.counts + ".";
    if (d.has_survivors) {
      f.message += " " + text::Thousands(d.survivors) +
                   " were allocated after the baseline and are still alive at target and final.";
    }
    f.message += OwnershipEvidence(d, "closures");
    f.accumulation_point = LastHop(snap, path);
  } else {
    f.accumulation_point = LastHop(snap, path);
    if (!f.accumulation_point.empty())
      f.title = f.accumulation_point + " (" + f.emitter + ") keeps growing";
    f.message = "A " + f.emitter + " (@" + std::to_string(d.emitter_id) +
                ") holds more entries in every snapshot: " + w.counts + " references.";
    if (d.judged) {
      const std::string total = text::Thousands(d.judged_total);
      if (d.live > 0)
        f.message += " " + text::Thousands(d.live) + " of its " + total +
                     " entries hold or are keyed to owners that are still alive.";
      if (d.dead_owners > 0)
        f.message += " " + text::Thousands(d.dead_owners) + " of its " + total +
                     " entries hold or are keyed to a " +
                     (d.owner_class.empty() ? "owner" : d.owner_class) + " that is closed" +
                     (d.dead_signal ? " (" + std::string(d.dead_signal) + ")." : ".");
    }
  }
  if (d.judged && d.level == leaks::Level::kNote) {
    // Growth with live owners is healthy: said once, without a fix to apply.
    if (d.rule == leaks::Rule::kCollectionGrowth) {
      f.title = (f.accumulation_point.empty() ? "A " + f.emitter
                                               : f.accumulation_point + " (" + f.emitter + ")") +
                " grows with " + text::Thousands(d.live) + " live owners";
    } else {
      f.title = (IsListenerRule(d) ? text::Thousands(f.count) + " '" + f.event +
                                         "' listeners from "
                                   : text::Thousands(f.count) + " closures from ") +
                w.site + " grow with " + text::Thousands(d.live) + " live owners";
    }
    f.fix = "Nothing to fix while the owners are alive; this grows and shrinks with them.";
  }
  if (d.rule == leaks::Rule::kAllocationGrowth) {
    f.accumulation_point.clear();
    WordProfileFinding(c, d, f);
    return f;
  }
  AttachAllocationStacks(c, d, f);
  return f;
}

}  // namespace heapscope::run_internal
