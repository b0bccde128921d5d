// The rule registry: every leak rule heapscope reports, in one place.
//
// One file per rule in src/leaks/rules/ defines a RuleDef (id, default level, descriptions,
// help, fix and title wording, and its detector); src/leaks/rules/registry.cc lists them. The
// SARIF rule table, the rule catalogue (report/rules.h), the policy's rule names, the JUnit
// cases and docs/rules.md's table (checked by a test) all read this registry. docs/
// architecture.md, "How to add a rule", walks through adding one.
#ifndef HEAPSCOPE_LEAKS_RULES_H_
#define HEAPSCOPE_LEAKS_RULES_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/leaks/detect.h"

namespace heapscope::leaks {

// What every detector reads: the facts of each snapshot (input order; the last one is the
// snapshot detections refer to), the interned sites and names, and the thresholds.
struct DetectInput {
  const std::vector<SnapshotFacts>& series;
  const SiteTable& table;
  const LeakOptions& options;
  std::span<const ProfileFunctionFact> profile_functions = {};  // sampling heap profiles
};

// The strings a rule's wording is made of, filled by the report builder (run/) from the
// detection, the site table and the detection's listener shape.
struct FindingWords {
  std::string site;             // "file:line:column"
  std::string function;         // "name()" or "anonymous function"
  std::string event;            // listener rules
  std::string emitter;          // emitter class (listener rules) or collection kind
  std::string counts;           // "3 -> 9 -> 27", or the last count
  std::string remove_handler;   // the shape's removal call for "handler", e.g. "x.off('e', handler)"
  std::string remove_previous;  // the same for "previous"
};

struct RuleDef {
  Rule rule;                  // its index in Rules()
  const char* id;             // stable: "listener-growth" (docs/rules.md, SARIF ruleId, policy)
  const char* name;           // PascalCase, SARIF reportingDescriptor.name
  Level default_level;        // SARIF defaultConfiguration.level; the level of its results
  bool level_from_group;      // results keep the level of the listener rule they refine
  const char* short_text;     // one sentence
  const char* full_text;      // a paragraph
  const char* help;           // how to fix, in general (SARIF help)
  // The finding's fix, with {emitter}, {event}, {remove_handler}, {remove_previous} replaced.
  const char* fix;
  // The finding's one-line title.
  std::string (*title)(const Detection& d, const FindingWords& w);

  // The detector: exactly one of these is set.
  // A standalone rule appends its detections (Detect() runs them in registry order).
  void (*detect)(const DetectInput& in, std::vector<Detection>& out);
  // A listener rule judges each listener group (site, event, emitter class; see
  // listener_groups.cc): the first rule in registry order whose `claims` holds takes it ...
  bool (*claims)(const Detection& group, const DetectInput& in);
  // ... and then a rule whose `refines` holds replaces it (keeping the level).
  bool (*refines)(const Detection& claimed, const DetectInput& in);
};

// Every rule, indexed by Rule.
std::span<const RuleDef> Rules();
const RuleDef& GetRule(Rule r);
const RuleDef* FindRule(std::string_view id);  // nullptr when no rule has that id

const char* LevelName(Level l);  // "note", "warning", "error"

// "{key}" in `tmpl` replaced by the matching FindingWords field.
std::string ExpandWords(std::string_view tmpl, const FindingWords& w);

}  // namespace heapscope::leaks

#endif  // HEAPSCOPE_LEAKS_RULES_H_
