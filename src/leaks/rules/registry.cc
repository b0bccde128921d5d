// The rule registry: one line per rule, in Rule order (listener rules first: a listener group
// goes to the first rule that claims it). To add a rule: a new file beside this one defining
// its RuleDef, an `extern` line and a Rules() line here (and its Rule value in detect.h).
#include <algorithm>
#include <array>

#include "leaks/rules/rule_util.h"

namespace heapscope::leaks {
namespace internal {

extern const RuleDef kListenerGrowth;
extern const RuleDef kListenerAccumulation;
extern const RuleDef kListenerDuplicateSite;
extern const RuleDef kListenerDeadEmitter;
extern const RuleDef kClosureGrowth;
extern const RuleDef kCollectionGrowth;
extern const RuleDef kAllocationGrowth;

namespace {
const std::array<RuleDef, 7>& Table() {
  static const std::array<RuleDef, 7> table = {
      kListenerGrowth,      kListenerAccumulation, kListenerDuplicateSite,
      kListenerDeadEmitter, kClosureGrowth,        kCollectionGrowth,
      kAllocationGrowth,
  };
  return table;
}
}  // namespace

bool GrowsEveryInterval(const std::vector<uint64_t>& counts, uint32_t min_growth) {
  if (counts.size() < 2) return false;
  for (size_t i = 1; i < counts.size(); ++i) {
    if (counts[i] <= counts[i - 1]) return false;
  }
  return counts.back() - counts.front() >= min_growth;
}

uint64_t Survivors(const std::vector<uint32_t>& final_ids, const std::vector<uint32_t>& target_ids,
                   uint32_t baseline_max_id) {
  uint64_t n = 0;
  for (uint32_t id : final_ids) {
    if (id > baseline_max_id && std::binary_search(target_ids.begin(), target_ids.end(), id)) ++n;
  }
  return n;
}

}  // namespace internal

std::span<const RuleDef> Rules() { return internal::Table(); }

const RuleDef& GetRule(Rule r) { return internal::Table()[static_cast<size_t>(r)]; }

const RuleDef* FindRule(std::string_view id) {
  for (const RuleDef& r : Rules()) {
    if (id == r.id) return &r;
  }
  return nullptr;
}

const char* RuleId(Rule r) {
  size_t i = static_cast<size_t>(r);
  return i < Rules().size() ? Rules()[i].id : "?";
}

const char* LevelName(Level l) {
  switch (l) {
    case Level::kNote:
      return "note";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "warning";
}

std::string ExpandWords(std::string_view tmpl, const FindingWords& w) {
  const std::pair<std::string_view, const std::string*> keys[] = {
      {"{site}", &w.site},
      {"{function}", &w.function},
      {"{event}", &w.event},
      {"{emitter}", &w.emitter},
      {"{counts}", &w.counts},
      {"{remove_handler}", &w.remove_handler},
      {"{remove_previous}", &w.remove_previous}};
  std::string out;
  for (size_t i = 0; i < tmpl.size();) {
    bool replaced = false;
    if (tmpl[i] == '{') {
      for (const auto& [key, value] : keys) {
        if (tmpl.substr(i, key.size()) == key) {
          out += *value;
          i += key.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += tmpl[i++];
  }
  return out;
}

}  // namespace heapscope::leaks
