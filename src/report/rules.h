// The rule catalog the renderers describe rules from (SARIF tool.driver.rules, JUnit, HTML).
// Rule ids are owned by the analysis (docs/rules.md); an id missing here still renders, with a
// generic description.
#ifndef HEAPSCOPE_SRC_REPORT_RULES_H_
#define HEAPSCOPE_SRC_REPORT_RULES_H_

#include <string>
#include <string_view>

#include "heapscope/report/report.h"

namespace heapscope::report::internal {

struct RuleInfo {
  std::string id;
  std::string name;        // PascalCase, SARIF reportingDescriptor.name
  std::string short_text;  // one sentence
  std::string full_text;   // a paragraph
  std::string help;        // how to fix, plain text
  Severity default_severity = Severity::kWarning;
  bool known = false;  // false: generic description for an id not in the catalog
};

RuleInfo LookupRule(std::string_view id);

}  // namespace heapscope::report::internal

#endif  // HEAPSCOPE_SRC_REPORT_RULES_H_
