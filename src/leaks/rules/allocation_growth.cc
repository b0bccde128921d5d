// allocation-growth: in a series of sampling heap profiles of one process, what one function
// allocated in every interval is still alive in the next profile, and its live size grows.
//
// Sampled live size alone misleads: a profile holds only what was allocated since sampling
// began (so everything seems to grow from the first profile), and it holds the last requests'
// objects that the next GC frees. V8 numbers its samples in allocation order, so a sample that
// a later profile still lists is the same object, alive: memlab's baseline/target/final rule,
// on samples. A function is reported when, for every profile between the first and the last,
// samples first listed there are still listed in the next one (at least 2 samples' worth in each
// interval), those survivors add up to at least 16 KiB and 4 samples' worth, and its live bytes
// rise from the second profile to the last. It is a warning from 1 MiB of survivors, a note
// below: on the healthy reference server, prom-client's default metrics keep 20-75 kB of samples
// allocated under the /metrics handler alive across 3-4 profiles, as much as the leaky server's
// handler at 6 cycles (29-85 kB). Stacks of Node's own code only (no script of the user's or a package's on them) are no
// code to change; they show in the profile tables, not as findings.
#include "leaks/rules/rule_util.h"
#include "heapscope/text.h"

namespace heapscope::leaks::internal {

void DetectAllocationGrowth(const DetectInput& in, std::vector<Detection>& out) {
  for (const ProfileFunctionFact& f : in.profile_functions) {
    const size_t n = f.bytes.size();
    if (!f.site.valid() || !f.user_code || n < 3 || f.survived.size() != n) continue;
    uint64_t survived = 0;
    bool every = true;
    for (size_t k = 1; k + 1 < n; ++k) {
      // One sample is chance: every interval needs two samples' worth of survivors.
      every = every && f.survived[k] > 0 &&
              f.survived[k] >= uint64_t{in.options.min_profile_interval_samples} * f.bytes_per_sample;
      survived += f.survived[k];
    }
    if (!every || f.bytes.back() <= f.bytes[1]) continue;
    if (survived < in.options.min_profile_growth_bytes) continue;
    if (survived < uint64_t{in.options.min_profile_growth_samples} * f.bytes_per_sample) continue;
    Detection d;
    d.rule = Rule::kAllocationGrowth;
    // A profile says where memory was allocated, not what keeps it: below the warning size the
    // growth is as likely library state a healthy service keeps for a while as a leak.
    d.level = survived >= in.options.min_profile_warning_bytes ? Level::kWarning : Level::kNote;
    d.site = f.site;
    d.counts = f.bytes;
    d.survivors = survived;
    d.has_survivors = true;
    d.profile_function = f.function;
    out.push_back(std::move(d));
  }
}

std::string AllocationGrowthTitle(const Detection& d, const FindingWords& w) {
  std::string bytes;
  for (size_t i = 0; i < d.counts.size(); ++i)
    bytes += (i ? " -> " : "") + text::Bytes(d.counts[i]);
  return "Live memory allocated by " + w.function + " at " + w.site + " keeps growing: " + bytes;
}

extern const RuleDef kAllocationGrowth = {
    Rule::kAllocationGrowth, "allocation-growth", "AllocationGrowth", Level::kWarning, false,
    "What one function allocates survives every interval of a series of sampling heap profiles.",
    "Across a series of sampling heap profiles of one process (heapscope capture --sampling, "
    "HeapProfiler.getSamplingProfile), the samples one function allocated in every interval are "
    "still alive in the next profile (V8 numbers samples in allocation order, so the same sample "
    "is the same object), they add up to more than sampling noise (16 KiB and 4 samples' worth), "
    "and its live size grows. The profile tells where the memory was allocated, not what keeps "
    "it: heap snapshots of the same process name the retainer; given beside the profiles, "
    "heapscope joins the two.",
    "Follow the allocation stack to the code that creates the objects and find where they are "
    "kept: a listener, a cache, a collection that is never emptied. Heap snapshots of the same "
    "process show the retainer path.",
    "Find what keeps the objects that {function} allocates (take heap snapshots of the same "
    "process and give them to heapscope analyze with these profiles) and release them when they "
    "are no longer needed.",
    AllocationGrowthTitle, DetectAllocationGrowth, nullptr, nullptr};

}  // namespace heapscope::leaks::internal
