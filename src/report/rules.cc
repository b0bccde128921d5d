#include "report/rules.h"

#include "heapscope/leaks/rules.h"
#include "heapscope/run.h"

namespace heapscope::report::internal {

std::vector<std::string> CatalogIds() {
  std::vector<std::string> ids;
  for (const leaks::RuleDef& r : leaks::Rules()) ids.emplace_back(r.id);
  return ids;
}

RuleInfo LookupRule(std::string_view id) {
  if (const leaks::RuleDef* e = leaks::FindRule(id)) {
    return {e->id, e->name, e->short_text, e->full_text, e->help, SeverityOf(e->default_level),
            true};
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
