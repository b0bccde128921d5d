// The rule catalog the renderers describe rules from (SARIF tool.driver.rules, JUnit, HTML):
// a view of the rule registry (leaks/rules.h), which owns the ids, levels and texts. An id not
// in the registry still renders, with a generic description.
#ifndef HEAPSCOPE_SRC_REPORT_RULES_H_
#define HEAPSCOPE_SRC_REPORT_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "heapscope/leaks/detect.h"
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

// Every catalogued rule id, in registry order.
std::vector<std::string> CatalogIds();

}  // namespace heapscope::report::internal

#endif  // HEAPSCOPE_SRC_REPORT_RULES_H_
