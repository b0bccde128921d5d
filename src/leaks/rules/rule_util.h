// Helpers shared by the rule detectors (src/leaks/rules/*.cc). Internal to leaks/.
#ifndef HEAPSCOPE_SRC_LEAKS_RULES_RULE_UTIL_H_
#define HEAPSCOPE_SRC_LEAKS_RULES_RULE_UTIL_H_

#include <cstdint>
#include <vector>

#include "heapscope/leaks/rules.h"

namespace heapscope::leaks::internal {

// Counts rise in every interval and by at least `min_growth` overall.
bool GrowsEveryInterval(const std::vector<uint64_t>& counts, uint32_t min_growth);

// memlab's baseline/target/final rule over ids: allocated after the baseline (id above the
// baseline's largest id), alive at target (in `target_ids`, sorted), alive at final.
uint64_t Survivors(const std::vector<uint32_t>& final_ids, const std::vector<uint32_t>& target_ids,
                   uint32_t baseline_max_id);

// The listener pass: one candidate Detection per (site, event, emitter class) group of the
// last snapshot, judged by the listener rules' `claims`/`refines` in registry order.
void DetectListenerGroups(const DetectInput& in, std::vector<Detection>& out);

}  // namespace heapscope::leaks::internal

#endif  // HEAPSCOPE_SRC_LEAKS_RULES_RULE_UTIL_H_
